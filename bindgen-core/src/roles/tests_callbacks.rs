//! Unit tests of callback parameters (`roles::callbacks`): what each callback parameter becomes,
//! the hidden `void *` context, and the reasons a callback is refused. Wording asserted.

use crate::ir::{CType, FnSig, Prim};
use crate::model::{CallbackSig, CbParam, Decision, Role};

use super::tests::{bind, cfg, cptr, func, header, int, ptr, roles, size_t, u8t, void};

fn f64t() -> CType {
    CType::Prim {
        prim: Prim::F64,
        typedef: None,
    }
}

fn u32t() -> CType {
    CType::Prim {
        prim: Prim::U32,
        typedef: None,
    }
}

fn fnptr(ret: CType, params: Vec<CType>) -> CType {
    CType::FnPtr(Box::new(FnSig {
        ret,
        params,
        variadic: false,
        spelling: "cb_t".into(),
    }))
}

fn callback(role: &Role) -> &CallbackSig {
    match role {
        Role::Callback(sig) => sig,
        other => panic!("expected a callback, got {other:?}"),
    }
}

/// `int run(callback_t f, void *user)` with `f` of the given signature.
fn bind_one(cb: CType) -> Result<crate::model::Model, String> {
    let h = header(vec![func(
        1,
        "run",
        int(),
        &[("f", cb), ("user", ptr(void()))],
    )]);
    super::bind(&h, &cfg("")).map_err(|e| e.to_string())
}

#[test]
fn nlopt_style_objective_hides_count_and_context() {
    // double f(unsigned n, const double *x, double *grad, void *data)
    let m = bind_one(fnptr(
        f64t(),
        vec![u32t(), cptr(f64t()), ptr(f64t()), ptr(void())],
    ))
    .unwrap();
    let r = roles(&m, 0);
    let sig = callback(&r[0]);
    assert_eq!(
        sig.params,
        [
            CbParam::Len(Prim::U32),
            CbParam::InSlice {
                elem: Prim::F64,
                len: 0
            },
            CbParam::OutSlice {
                elem: Prim::F64,
                len: 0
            },
            CbParam::User,
        ]
    );
    assert_eq!(sig.ret, Some(Prim::F64));
    assert_eq!(sig.core_text(), "i32,i32,i32,i32->f64");
    assert_eq!(r[1], Role::CallbackUser { callback: 0 });
    assert_eq!(
        m.functions[0].params[1].decided_by,
        Decision::Rule("callback-context")
    );
    assert_eq!(m.functions[0].args(), [0], "the context is not an argument");
    assert_eq!(
        sig.describe(),
        "(const double[arg1], double[arg1] to fill (written back)) -> double"
    );
}

#[test]
fn pointers_without_a_count_are_one_value_and_counts_after_a_pointer_pair() {
    // int cmp(const int *a, const int *b); uint32_t each(const uint8_t *p, size_t n)
    let h = header(vec![
        func(
            1,
            "sort",
            void(),
            &[("cmp", fnptr(int(), vec![cptr(int()), cptr(int())]))],
        ),
        func(
            2,
            "each",
            void(),
            &[("f", fnptr(u32t(), vec![cptr(u8t()), size_t()]))],
        ),
    ]);
    let m = bind(&h, &cfg(""));
    let cmp = roles(&m, 0);
    assert_eq!(
        callback(&cmp[0]).params,
        [CbParam::Value(Prim::I32), CbParam::Value(Prim::I32)]
    );
    let each = roles(&m, 1);
    assert_eq!(
        callback(&each[0]).params,
        [
            CbParam::InSlice {
                elem: Prim::U8,
                len: 1
            },
            CbParam::Len(Prim::U32)
        ]
    );
}

#[test]
fn refusals_name_the_parameter_and_the_reason() {
    let skipped = |cb: CType| {
        let m = bind_one(cb).unwrap();
        assert!(m.functions.is_empty());
        m.skipped[0].reason.clone()
    };
    // qsort's comparator: the element size is not in its signature
    assert_eq!(
        skipped(fnptr(int(), vec![cptr(void()), cptr(void())])),
        "parameter `f` (callback `cb_t`): parameter 1 (`const void *`) has no count beside it, so the size of what it points to is unknown"
    );
    // a writable pointer with no count
    assert!(skipped(fnptr(void(), vec![ptr(int())]))
        .contains("parameter 1 (`int32_t *`) is a pointer the callback could write with no count"));
    // a callback taking a callback
    assert!(skipped(fnptr(void(), vec![fnptr(void(), vec![])])).contains("is not supported"));
    // a struct return
    assert!(skipped(fnptr(CType::Struct { name: "s".into() }, vec![]))
        .contains("returns `s`; a callback may return void, an integer or a float"));
    // two contexts
    assert_eq!(
        skipped(fnptr(void(), vec![ptr(void()), ptr(void())])),
        "parameter `f` (callback `cb_t`): it has more than one `void *` context parameter"
    );
    // variadic
    let mut variadic = FnSig {
        ret: void(),
        params: vec![int()],
        variadic: true,
        spelling: "cb_t".into(),
    };
    assert!(skipped(CType::FnPtr(Box::new(variadic.clone()))).contains("variadic callbacks"));
    variadic.variadic = false;
    variadic.params.push(ptr(void()));
    assert!(bind_one(CType::FnPtr(Box::new(variadic))).is_ok());
    // cubature's vectorized integrand: `x` holds ndim * npt doubles, not npt (nor ndim)
    assert_eq!(
        skipped(fnptr(
            int(),
            vec![u32t(), size_t(), cptr(f64t()), ptr(void()), u32t(), ptr(f64t())]
        )),
        "parameter `f` (callback `cb_t`): parameter 3 (`const double *`) has two integer parameters \
         beside it (1 and 2): its element count could be either one or their product (a vectorized \
         callback's `ndim * npt`), so it is not guessed"
    );
    // the same after the pointer
    assert!(skipped(fnptr(void(), vec![cptr(f64t()), size_t(), u32t()]))
        .contains("parameter 1 (`const double *`) has two integer parameters beside it (2 and 3)"));
    // cubature's scalar integrand stays bound: x counted by ndim, fval by fdim
    let m = bind_one(fnptr(
        int(),
        vec![u32t(), cptr(f64t()), ptr(void()), u32t(), ptr(f64t())],
    ))
    .unwrap();
    assert_eq!(
        callback(&roles(&m, 0)[0]).params,
        vec![
            CbParam::Len(Prim::U32),
            CbParam::InSlice {
                elem: Prim::F64,
                len: 0
            },
            CbParam::User,
            CbParam::Len(Prim::U32),
            CbParam::OutSlice {
                elem: Prim::F64,
                len: 3
            },
        ]
    );
    // a context in the callback, but no `void *` beside it in the outer function
    let h = header(vec![func(
        1,
        "progress",
        void(),
        &[
            ("cb", fnptr(void(), vec![ptr(void()), int()])),
            ("n", int()),
        ],
    )]);
    let m = bind(&h, &cfg(""));
    assert_eq!(
        m.skipped[0].reason,
        "parameter `cb` (callback `cb_t`): its `void *` context has no `void *` parameter right beside \
         the callback to pass it, so nothing says what the guest passes there"
    );
}
