//! Unit tests of `[functions.F.max]`: the bound of an integer parameter (the C contract), applied to
//! sizes and scalars, refused on anything else, on a value outside the C type and on unknown names;
//! and of the sizes inferred by position only whose names do not read like sizes (now never bound).
//! Wording asserted.

use crate::ir::Prim;

use super::tests::{bind, bind_err, cfg, cptr, func, header, int, ptr, size_t, u8t, void};

/// `void keyed(uint8_t *hash, size_t hash_size, const uint8_t *key, size_t key_size, int rounds)`.
fn keyed() -> crate::ir::Header {
    header(vec![func(
        1,
        "keyed",
        void(),
        &[
            ("hash", ptr(u8t())),
            ("hash_size", size_t()),
            ("key", cptr(u8t())),
            ("key_size", size_t()),
            ("rounds", int()),
        ],
    )])
}

#[test]
fn max_bounds_caller_sizes_derived_sizes_and_scalars() {
    let m = bind(
        &keyed(),
        &cfg("[functions.keyed.max]\nhash_size = 64\nkey_size = 64\nrounds = 20\n"),
    );
    let max: Vec<Option<u64>> = m.functions[0].params.iter().map(|p| p.max).collect();
    assert_eq!(max, [None, Some(64), None, Some(64), Some(20)]);
    // Without the table nothing is bounded beyond the C type.
    let m = bind(&keyed(), &cfg(""));
    assert!(m.functions[0].params.iter().all(|p| p.max.is_none()));
}

#[test]
fn max_on_a_buffer_is_an_error_naming_its_role() {
    let err = bind_err(&keyed(), &cfg("[functions.keyed.max]\nkey = 64\n"));
    assert!(
        err.contains("config `functions.keyed.max.key`: `key` is in-slice, not an integer argument or size\n  help: a max applies to an integer parameter: a size (len_of) or a scalar"),
        "{err}"
    );
}

#[test]
fn max_outside_the_c_type_is_an_error() {
    let err = bind_err(
        &keyed(),
        &cfg("[functions.keyed.max]\nrounds = 3000000000\n"),
    );
    assert!(err.contains("config `functions.keyed.max.rounds`: 3000000000 does not fit `int32_t` (at most 2147483647), the type of `rounds`"), "{err}");
    assert!(
        err.contains("help: use a bound of at most 2147483647"),
        "{err}"
    );
    // The top of the type itself is fine.
    let m = bind(
        &keyed(),
        &cfg("[functions.keyed.max]\nrounds = 2147483647\n"),
    );
    assert_eq!(m.functions[0].params[4].max, Some(2147483647));
    assert!(matches!(
        m.functions[0].params[4].role,
        crate::model::Role::Scalar { prim: Prim::I32 }
    ));
}

#[test]
fn max_names_that_match_nothing_are_errors_with_suggestions() {
    let err = bind_err(&keyed(), &cfg("[functions.keyed.max]\nkey_sise = 64\n"));
    assert!(
        err.contains("config `functions.keyed.max.key_sise`: `keyed` has no parameter `key_sise`\n  help: did you mean `key_size`? parameters of `keyed`: hash, hash_size, key, key_size, rounds"),
        "{err}"
    );
    let err = crate::config::Config::parse(
        "[functions.keyed.max]\nkey_size = \"64\"\n",
        std::path::Path::new("t.toml"),
    )
    .unwrap_err();
    assert!(
        err.to_string().contains(
            "t.toml:2:12: error: invalid config: invalid type: string \"64\", expected u64"
        ),
        "{err}"
    );
}

#[test]
fn positional_sizes_with_names_unlike_sizes_are_listed() {
    use crate::model::reads_like_a_size;
    for yes in [
        "text_size",
        "srcSize",
        "dstCapacity",
        "nums_len",
        "count",
        "n",
        "nb_blocks",
        "num_words",
        "nBytes",
        "len",
        "size",
        "xs_count",
        "words_n",
        "nbyte",
        "bufsiz",
        "nel",
        "nwords",
        "nblocks",
        "nitems",
        "inl",
        "keylen",
        "bufsize",
        "nmemb",
        "maxOutputSize",
    ] {
        assert!(reads_like_a_size(yes), "{yes}");
    }
    for no in [
        "rounds",
        "flags",
        "mode",
        "level",
        "seed",
        "ctr",
        "index",
        "target",
        "block_num",
        "counter",
        "page_num",
        "seq_num",
        "account",
        "escape",
        "capture",
        "silent",
        "lane",
    ] {
        assert!(!reads_like_a_size(no), "{no}");
    }
    let h = header(vec![
        func(
            1,
            "keyed",
            void(),
            &[("key", cptr(u8t())), ("rounds", int())],
        ),
        func(
            2,
            "sized",
            void(),
            &[("data", cptr(u8t())), ("data_size", size_t())],
        ),
    ]);
    // A size by position under a name unlike a size is a guess that decides what C receives: the
    // function is not bound, and the reason names the parameter and the config line to write.
    let m = bind(&h, &cfg(""));
    assert_eq!(
        m.functions
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>(),
        ["sized"]
    );
    assert_eq!(m.skipped[0].name, "keyed");
    assert!(!m.skipped[0].deliberate);
    let reason = &m.skipped[0].reason;
    assert!(reason.starts_with("parameter `rounds` (int32_t) right after `key` (const uint8_t *) would be its length by position only"), "{reason}");
    assert!(
        reason.contains("`[functions.keyed.params] rounds = \"len_of(key)\"`")
            && reason.contains("`rounds = \"scalar\"`"),
        "{reason}"
    );
    assert!(
        !m.functions
            .iter()
            .flat_map(|f| &f.params)
            .any(
                |p| p.decided_by == crate::model::Decision::Rule("size-after-pointer")
                    && !crate::model::reads_like_a_size(&p.name)
            ),
        "no size is guessed by position under an unusual name"
    );
    // Said explicitly, it is no longer a guess.
    let m = bind(
        &h,
        &cfg("[functions.keyed.params]\nrounds = \"len_of(key)\"\n"),
    );
    assert!(matches!(
        m.functions[0].params[1].role,
        crate::model::Role::Len { .. }
    ));
}

#[test]
fn an_unsized_pointer_says_what_follows_it() {
    use crate::ir::{CType, Prim};
    let u16t = CType::Prim {
        prim: Prim::U16,
        typedef: None,
    };
    let h = header(vec![func(
        1,
        "f",
        void(),
        &[("out", ptr(u8t())), ("out_len", u16t)],
    )]);
    let err = bind_err(&h, &cfg(""));
    assert!(err.contains("the integer right after it, `out_len` (uint16_t), is narrower than 32 bits, so it is a size only when said (len_of)"), "{err}");
    // Said, it is one.
    let m = bind(
        &h,
        &cfg("[functions.f.params]\nout_len = \"len_of(out)\"\n"),
    );
    assert!(matches!(
        m.functions[0].params[1].role,
        crate::model::Role::Len { .. }
    ));
    let h = header(vec![func(1, "g", void(), &[("data", cptr(u8t()))])]);
    assert!(bind_err(&h, &cfg("")).contains(
        "input pointer `data` (const uint8_t *) of `g` has no size: no parameter follows it"
    ));
}
