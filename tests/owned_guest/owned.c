/* owned.c: see owned.h. Every object is checked against the live list before use, so a stale,
 * freed or foreign pointer is counted in owned_errors() instead of corrupting memory. */
#include <stdlib.h>
#include "owned.h"

#define MAX_OBJECTS 256

struct token { int32_t id; };
struct conn { int32_t value; int32_t nstmts; struct token token; };
struct stmt { conn *c; int32_t step; int32_t calls; };

static conn *conns[MAX_OBJECTS];
static stmt *stmts[MAX_OBJECTS];
static int32_t errors;
static int32_t next_token = 100;

static int find(void **list, const void *p) {
    if (!p) return -1;
    for (int i = 0; i < MAX_OBJECTS; i++) if (list[i] == p) return i;
    return -1;
}

static int add(void **list, void *p) {
    for (int i = 0; i < MAX_OBJECTS; i++) if (!list[i]) { list[i] = p; return 1; }
    return 0;
}

static int live_conn(const conn *c) {
    if (find((void **)conns, c) < 0) { errors++; return 0; }
    return 1;
}

static int live_stmt(const stmt *s) {
    if (find((void **)stmts, s) < 0) { errors++; return 0; }
    return 1;
}

conn *conn_open(int32_t value) {
    if (value < 0) return NULL;
    conn *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->value = value;
    c->token.id = next_token++;
    if (!add((void **)conns, c)) { free(c); return NULL; }
    return c;
}

int conn_open_out(int32_t value, conn **out) {
    if (value == -1) return 1;
    *out = conn_open(value == -2 ? 0 : value);
    return value == -2 ? 2 : 0;
}

int32_t conn_value(const conn *c) { return live_conn(c) ? c->value : -1; }

void conn_close(conn *c) {
    int i = find((void **)conns, c);
    if (i < 0) { errors++; return; }
    if (c->nstmts) errors++;
    conns[i] = NULL;
    free(c);
}

int stmt_prepare(conn *c, int32_t step, stmt **out) {
    if (!live_conn(c)) return 1;
    stmt *s = calloc(1, sizeof *s);
    if (!s) return 2;
    s->c = c;
    s->step = step;
    if (!add((void **)stmts, s)) { free(s); return 3; }
    c->nstmts++;
    *out = s;
    return 0;
}

int32_t stmt_next(stmt *s) {
    if (!live_stmt(s) || !live_conn(s->c)) return -1;
    s->calls++;
    return s->c->value + s->step * s->calls;
}

int stmt_finalize(stmt *s) {
    int i = find((void **)stmts, s);
    if (i < 0) { errors++; return 1; }
    if (live_conn(s->c)) s->c->nstmts--;
    stmts[i] = NULL;
    free(s);
    return 0;
}

conn *stmt_conn(stmt *s) { return live_stmt(s) ? s->c : NULL; }

stmt *conn_next_stmt(conn *c, stmt *prev) {
    if (!live_conn(c)) return NULL;
    int start = MAX_OBJECTS - 1;
    if (prev) {
        int i = find((void **)stmts, prev);
        if (i < 0) { errors++; return NULL; }
        start = i - 1;
    }
    for (int i = start; i >= 0; i--)
        if (stmts[i] && stmts[i]->c == c) return stmts[i];
    return NULL;
}

token *conn_token(conn *c) { return live_conn(c) ? &c->token : NULL; }

int32_t token_id(const token *t) { return t ? t->id : -1; }

int32_t live_conns(void) {
    int32_t n = 0;
    for (int i = 0; i < MAX_OBJECTS; i++) n += conns[i] != NULL;
    return n;
}

int32_t live_stmts(void) {
    int32_t n = 0;
    for (int i = 0; i < MAX_OBJECTS; i++) n += stmts[i] != NULL;
    return n;
}

int32_t owned_errors(void) { return errors; }

void owned_trap(void) { __builtin_trap(); }

struct view {
    const uint8_t *data;
    size_t len;
};

view *view_open(const uint8_t *data, size_t len) {
    view *v = calloc(1, sizeof *v);
    if (!v) return NULL;
    v->data = data;
    v->len = len;
    return v;
}

void view_close(view *v) { free(v); }

static uint32_t sum(const uint8_t *p, size_t n) {
    uint32_t s = 0;
    for (size_t i = 0; i < n; i++) s += p[i];
    return s;
}

uint32_t view_sum(const view *v) { return sum(v->data, v->len); }

void cursor_set(cursor *c, const uint8_t *data, size_t len) {
    c->data = data;
    c->len = (uint32_t)len;
}

uint32_t cursor_sum(const cursor *c) { return sum(c->data, c->len); }

static const uint8_t *global_data;
static size_t global_len;

void global_set(const uint8_t *data, size_t len) {
    global_data = data;
    global_len = len;
}

uint32_t global_sum(void) { return sum(global_data, global_len); }
