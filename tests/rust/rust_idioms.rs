//! SQLite's call idioms in miniature (issue #15) through the Rust bindings of
//! tests/headers/idioms.h + idioms.toml (guest: tests/headers/idioms.c): a status rule with
//! several success codes and a message from another call, fixed argument values, data whose
//! length another call reports, nullable library-owned strings, capacity in / count out. The
//! same cases run in Python in tests/python/test_idioms.py.

mod native_guest;

mod idioms {
    bindgen_macro::wasm_bind!(
        "headers/idioms.h",
        config = "headers/idioms.toml",
        name = "Idioms"
    );
}

use idioms::{DbT, Idioms, StmtT};
use wasm_bind_rt::Error;

/// One build per test process (the tests run in parallel and share it).
fn guest() -> Idioms {
    static WASM: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    let wasm = WASM.get_or_init(|| native_guest::build("idioms"));
    Idioms::from_bytes(wasm).expect("the guest loads")
}

fn status_of<T: std::fmt::Debug>(r: Result<T, Error>) -> (i32, Option<String>) {
    match r {
        Err(Error::Status {
            function: _,
            status,
            message,
        }) => (status, message),
        other => panic!("expected Error::Status, got {other:?}"),
    }
}

fn guest_error<T: std::fmt::Debug>(r: Result<T, Error>, what: &str) {
    match r {
        Err(Error::Guest { message, .. }) => {
            assert!(message.contains(what), "{message:?} lacks {what:?}")
        }
        other => panic!("expected Error::Guest with {what:?}, got {other:?}"),
    }
}

#[test]
fn several_success_codes_are_returned() {
    let mut m = guest();
    let mut db = DbT::new(&mut m).unwrap();
    assert_eq!(m.db_open(&mut db, 2).unwrap(), Idioms::ID_OK);
    let steps: Vec<i32> = (0..4).map(|_| m.db_step(&mut db).unwrap()).collect();
    assert_eq!(
        steps,
        [
            Idioms::ID_ROW,
            Idioms::ID_ROW,
            Idioms::ID_DONE,
            Idioms::ID_DONE
        ]
    );
}

#[test]
fn failed_status_carries_the_message_of_the_same_handle() {
    let mut m = guest();
    let mut db = DbT::new(&mut m).unwrap();
    let err = m.db_open(&mut db, -1).unwrap_err();
    assert_eq!(
        err.to_string(),
        "`db_open` failed with status 1: the test error"
    );
    assert_eq!(
        status_of(m.db_fail(&mut db, Idioms::ID_MISUSE)),
        (21, Some("bad parameter or other API misuse".into()))
    );
    assert_eq!(status_of(m.db_fail(&mut db, 7)), (7, None));
    assert_eq!(
        status_of(m.db_fail(&mut db, 2)),
        (2, Some("caf\u{e9} \u{fffd} broken".into()))
    );
    assert_eq!(status_of(m.plain_fail(3)), (3, None));
    assert_eq!(m.plain_fail(Idioms::ID_ROW).unwrap(), Idioms::ID_ROW);
    assert_eq!(m.db_open(&mut db, 0).unwrap(), 0);
    // No parameter of the message function's type: the message comes through `via` (stmt_db).
    let mut st = StmtT::new(&mut m).unwrap();
    assert_eq!(m.stmt_init(&mut st, &mut db).unwrap(), Idioms::ID_OK);
    assert_eq!(
        status_of(m.stmt_fail(&mut st, Idioms::ID_MISUSE)),
        (21, Some("bad parameter or other API misuse".into()))
    );
}

#[test]
fn fixed_values_leave_the_signature_and_reach_c() {
    let mut m = guest();
    let mut db = DbT::new(&mut m).unwrap();
    assert_eq!(m.db_store(&mut db, b"\x01\x02\xff").unwrap(), Idioms::ID_OK);
    assert_eq!(m.db_stored(&db).unwrap(), 1 + 2 + 255);
    assert_eq!(m.probe_nulls(7).unwrap(), 7);
    assert_eq!(m.probe_value().unwrap(), (2u32 ^ u32::MAX) as i32 - 128);
}

#[test]
fn data_whose_length_another_call_reports() {
    let mut m = guest();
    let db = DbT::new(&mut m).unwrap();
    let mut db = db;
    assert_eq!(
        m.column_blob(&mut db, 0).unwrap(),
        Some(vec![0u8, 1, 2, 0xff])
    );
    assert_eq!(m.column_blob(&mut db, 1).unwrap(), None);
    assert_eq!(
        m.column_blob(&mut db, 2).unwrap().unwrap(),
        "h\u{e9}llo\0tail".as_bytes()
    );
    assert_eq!(m.column_blob(&mut db, 7).unwrap(), Some(Vec::new()));
    assert_eq!(m.column_text(&mut db, 2).unwrap(), "h\u{e9}llo\0tail");
    assert_eq!(m.column_text(&mut db, 1).unwrap(), "");
}

#[test]
fn bad_data_is_an_error_never_an_over_read() {
    let mut m = guest();
    let mut db = DbT::new(&mut m).unwrap();
    match m.column_text(&mut db, 3) {
        Err(Error::Text { function, error }) => {
            assert_eq!(function, "column_text");
            assert_eq!(error.into_bytes(), b"\xff\xfea");
        }
        other => panic!("expected Error::Text, got {other:?}"),
    }
    // Not an ABI violation: the handle (and the instance) survive.
    assert_eq!(m.column_blob(&mut db, 0).unwrap().unwrap().len(), 4);
    guest_error(m.column_blob(&mut db, 4), "NULL with a length of 5");
    let mut db = DbT::new(&mut m).unwrap();
    guest_error(m.column_blob(&mut db, 5), "outside guest memory");
    let mut db = DbT::new(&mut m).unwrap();
    guest_error(m.column_blob(&mut db, 6), "negative length");
    let mut db = DbT::new(&mut m).unwrap();
    assert_eq!(m.column_blob(&mut db, 0).unwrap().unwrap().len(), 4);
}

#[test]
fn library_owned_strings() {
    let mut m = guest();
    let mut db = DbT::new(&mut m).unwrap();
    assert_eq!(m.lib_version().unwrap(), "3.46.0-idioms");
    let names: Vec<Option<String>> = (0..4).map(|i| m.column_name(&mut db, i).unwrap()).collect();
    assert_eq!(
        names,
        [
            Some("id".to_string()),
            Some("name".into()),
            Some("caf\u{e9}".into()),
            None
        ]
    );
    assert_eq!(
        m.db_errmsg(&mut db).unwrap().as_deref(),
        Some("not an error")
    );
    assert!(m.db_fail(&mut db, 9).is_err());
    assert_eq!(m.db_errmsg(&mut db).unwrap(), None);
}

#[test]
fn capacity_in_count_out() {
    let mut m = guest();
    assert_eq!(m.pack(10, b"abc").unwrap(), (b"abcabc".to_vec(), 0));
    assert_eq!(m.pack(6, b"abc").unwrap(), (b"abcabc".to_vec(), 0));
    assert_eq!(status_of(m.pack(5, b"abc")).0, Idioms::ID_BUF_ERROR);
    assert_eq!(m.pack(0, b"").unwrap(), (Vec::new(), 0));
    guest_error(
        m.pack_lie(b"xy"),
        "filled length of 6 for a buffer of 5 elements",
    );
    assert_eq!(m.pack(4, b"xy").unwrap(), (b"xyxy".to_vec(), 0));
}
