/*
 * ctype.h: <ctype.h> for wasm-bind guests (guest kit, guest-kit/wb_libc.c): the "C" locale
 * classification of ASCII; every byte >= 0x80 is in no class. Arguments are an unsigned char
 * value or EOF (-1), as in C.
 */
#ifndef WB_KIT_CTYPE_H
#define WB_KIT_CTYPE_H

#ifdef __cplusplus
extern "C" {
#endif

int isalnum(int c);
int isalpha(int c);
int isblank(int c);
int iscntrl(int c);
int isdigit(int c);
int isgraph(int c);
int islower(int c);
int isprint(int c);
int ispunct(int c);
int isspace(int c);
int isupper(int c);
int isxdigit(int c);
int tolower(int c);
int toupper(int c);

#ifdef __cplusplus
}
#endif

#endif /* WB_KIT_CTYPE_H */
