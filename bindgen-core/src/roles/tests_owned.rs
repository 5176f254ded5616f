//! Unit tests of library-owned handles (`roles::owned`), on headers parsed by libclang: which
//! pointers become handles, the owned / borrowed defaults and their `check:` warnings, parents,
//! destructors, and the config errors.

use crate::checks::checks;
use crate::model::{Decision, Model, Ret, Role};

/// Parses `src` (with config text `toml`) and binds it: the model, or the rendered errors.
fn bind_src(src: &str, toml: &str) -> Result<Model, String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "wb-owned-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let header = dir.join("t.h");
    std::fs::write(&header, format!("#include <stdint.h>\n{src}")).unwrap();
    let config = crate::config::Config::parse(toml, &dir.join("t.toml")).unwrap();
    let parsed = crate::parse::parse(&header, &config, &[]).unwrap_or_else(|d| panic!("{d}"));
    let out = crate::roles::bind(&parsed, &config).map_err(|d| d.to_string());
    let _ = std::fs::remove_dir_all(&dir);
    out
}

const DB: &str = "typedef struct db db;\ntypedef struct st st;\n\
    db *db_open(const char *name);\nint db_open_out(const char *name, db **out);\n\
    void db_close(db *d);\nint st_make(db *d, st **out);\nint st_free(st *s);\n\
    db *st_db(st *s);\nst *db_first(db *d);\nint32_t st_step(st *s, int32_t n);\n";
const DB_TOML: &str =
    "[types.db]\ndestructor = \"db_close\"\n[types.st]\ndestructor = \"st_free\"\n";

fn f<'m>(m: &'m Model, name: &str) -> &'m crate::model::FnBinding {
    m.functions.iter().find(|f| f.name == name).unwrap()
}

#[test]
fn opaque_pointers_become_handles_and_destructors_are_not_methods() {
    let m = bind_src(DB, DB_TOML).unwrap();
    let open = f(&m, "db_open");
    assert!(matches!(&open.ret, Ret::Owned(r) if !r.borrowed && r.ty.name == "db"));
    assert_eq!(open.ret_decided_by, Decision::Rule("owned-return"));
    let out = &f(&m, "db_open_out").params[1];
    assert!(matches!(&out.role, Role::OwnedOut(r) if !r.borrowed));
    assert_eq!(out.decided_by, Decision::Rule("owned-out"));
    let step = &f(&m, "st_step").params[0];
    assert!(matches!(&step.role, Role::Owned { ty, nullable: false } if ty.name == "st"));
    assert_eq!(
        step.c_type.to_string(),
        "st *",
        "the C type is kept for --explain"
    );
    for d in ["db_close", "st_free"] {
        let s = m.skipped.iter().find(|s| s.name == d).unwrap();
        assert!(s.deliberate && s.reason.contains("destructor"), "{s:?}");
    }
}

#[test]
fn a_returned_handle_from_a_function_taking_one_is_borrowed_with_a_check() {
    let m = bind_src(DB, DB_TOML).unwrap();
    for name in ["st_db", "db_first"] {
        let g = f(&m, name);
        assert!(matches!(&g.ret, Ret::Owned(r) if r.borrowed), "{name}");
        assert_eq!(g.ret_decided_by, Decision::Rule("returned-handle-guess"));
    }
    let cs = checks(&m);
    let c = cs.iter().find(|c| c.function == "st_db").unwrap();
    assert!(
        c.message.contains("`[functions.st_db] return = \"owned\"`"),
        "{}",
        c.message
    );
    let m = bind_src(
        DB,
        &format!("{DB_TOML}[functions.st_db]\nreturn = \"borrowed\"\n"),
    )
    .unwrap();
    assert!(checks(&m).iter().all(|c| c.function != "st_db"));
}

#[test]
fn without_a_destructor_every_handle_is_borrowed_with_a_check() {
    let m = bind_src(DB, "").unwrap();
    assert!(matches!(&f(&m, "db_open").ret, Ret::Owned(r) if r.borrowed));
    assert!(matches!(&f(&m, "db_open_out").params[1].role, Role::OwnedOut(r) if r.borrowed));
    let cs = checks(&m);
    assert!(cs
        .iter()
        .any(|c| c.function == "db_open_out" && c.param == "out"));
    assert!(
        f(&m, "db_close").params[0].role.is_arg(),
        "no destructor: a plain function"
    );
    let e = bind_src(DB, "[functions.db_open]\nreturn = \"owned\"\n").unwrap_err();
    assert!(e.contains("no destructor"), "{e}");
}

#[test]
fn parents_nullable_and_the_config_words() {
    let toml = format!(
        "{DB_TOML}[functions.st_make]\nparent = \"d\"\n[functions.st_step.params]\ns = \"nullable\"\n"
    );
    let m = bind_src(DB, &toml).unwrap();
    assert!(matches!(&f(&m, "st_make").params[1].role, Role::OwnedOut(r) if r.parent == Some(0)));
    assert!(matches!(
        &f(&m, "st_step").params[0].role,
        Role::Owned { nullable: true, .. }
    ));
    let e = bind_src(
        DB,
        &format!("{DB_TOML}[functions.st_step]\nparent = \"n\"\n"),
    )
    .unwrap_err();
    assert!(
        e.contains("`n` is not a library-owned handle parameter"),
        "{e}"
    );
    let e = bind_src(
        DB,
        &format!("{DB_TOML}[functions.st_step]\nparent = \"s\"\n"),
    )
    .unwrap_err();
    assert!(e.contains("hands out no library-owned handle"), "{e}");
    let e = bind_src(
        DB,
        &format!("{DB_TOML}[functions.st_make.params]\nout = \"nullable\"\n"),
    )
    .unwrap_err();
    assert!(e.contains("expected owned or borrowed"), "{e}");
}

#[test]
fn types_entries_are_checked() {
    let e = bind_src(DB, "[types.nosuch]\n").unwrap_err();
    assert!(e.contains("no struct `nosuch`"), "{e}");
    let e = bind_src(DB, "[types.db]\ndestructor = \"db_clos\"\n").unwrap_err();
    assert!(e.contains("did you mean `db_close`"), "{e}");
    let e = bind_src(DB, "[types.db]\ndestructor = \"st_free\"\n").unwrap_err();
    assert!(e.contains("not one `db *`"), "{e}");
    // A declared layout is library-owned only when configured.
    let src = "typedef struct { int32_t x; } box_t;\nbox_t *box_new(void);\nvoid box_free(box_t *b);\nint32_t box_x(box_t *b);\n";
    let m = bind_src(src, "").unwrap();
    assert!(matches!(f(&m, "box_x").params[0].role, Role::Handle { .. }));
    let m = bind_src(src, "[types.box_t]\ndestructor = \"box_free\"\n").unwrap();
    assert!(matches!(f(&m, "box_x").params[0].role, Role::Owned { .. }));
    assert!(matches!(&f(&m, "box_new").ret, Ret::Owned(r) if !r.borrowed));
}

#[test]
fn handle_methods_apply_to_library_owned_handles() {
    let m = bind_src(
        DB,
        &format!("{DB_TOML}[functions.st_step]\nhandle_method = \"advance\"\n"),
    )
    .unwrap();
    assert_eq!(f(&m, "st_step").handle_method.as_deref(), Some("advance"));
}

#[test]
fn a_second_function_that_reads_like_freeing_a_handle_gets_a_check() {
    // zstd's `ZSTD_freeCStream(ZSTD_CCtx *)` beside the destructor `ZSTD_freeCCtx` (a fresh-user
    // walkthrough called both: a double free inside the guest, silently).
    let src = format!(
        "{DB}int st_release(st *s);\nint st_reset(st *s);\nint db_free_all(db *d, int32_t n);\n"
    );
    let frees = |m: &Model| -> Vec<String> {
        checks(m)
            .into_iter()
            .filter(|c| c.message.contains("would free it twice"))
            .map(|c| c.function)
            .collect()
    };
    let m = bind_src(&src, DB_TOML).unwrap();
    assert_eq!(
        frees(&m),
        ["st_release"],
        "one parameter, a freeing word, not the destructor"
    );
    let c = checks(&m)
        .into_iter()
        .find(|c| c.function == "st_release")
        .unwrap();
    assert!(
        c.message.contains(
            "`[functions.st_release] skip = \"frees a st: its destructor st_free does\"`"
        ),
        "{}",
        c.message
    );
    // any config entry of the function confirms it
    let m = bind_src(
        &src,
        &format!("{DB_TOML}[functions.st_release]\nreturn = \"value\"\n"),
    )
    .unwrap();
    assert!(frees(&m).is_empty());
    // without a destructor there is nothing to free twice (the freeing functions are suggested as
    // destructors instead: the next test)
    let m = bind_src(&src, "").unwrap();
    assert!(frees(&m).is_empty());
}

#[test]
fn a_freeing_function_of_a_type_without_destructor_is_suggested_as_one() {
    let src = "typedef struct acc acc;\nacc *acc_new(void);\nvoid acc_free(acc *a);\nint acc_add(acc *a, int32_t x);\n";
    let m = bind_src(src, "").unwrap();
    let c = checks(&m)
        .into_iter()
        .find(|c| c.function == "acc_free")
        .expect("a check on acc_free");
    assert!(
        c.message
            .contains("`[types.acc] destructor = \"acc_free\"`"),
        "{}",
        c.message
    );
    // with the destructor configured it is not a method and there is nothing to say
    let m = bind_src(src, "[types.acc]\ndestructor = \"acc_free\"\n").unwrap();
    assert!(checks(&m).iter().all(|c| c.function != "acc_free"));
}
