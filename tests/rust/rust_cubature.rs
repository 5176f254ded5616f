//! cubature (issue 14's proof) through `wasm_bind!`: Steven G. Johnson's adaptive
//! multidimensional integration from the PyPI sdist cubature==0.18.8 (guests/locate_cubature.py),
//! built as a libc guest by `wasm-bind guest --wasi` (guests/build.sh) and bound from its
//! unmodified cubature.h + guests/cubature/cubature.toml, with closures as integrands. Each
//! integral is checked against its closed form within the reported error estimate and, bit for
//! bit, against the same cubature compiled natively (tests/python/test_cubature.py runs it through
//! ctypes on the same integrands; its results are recorded below as f64 bit patterns, with the
//! integrand call counts). Needs `bash guests/build.sh`.

use bindgen_macro::wasm_bind;
use wasm_bind_rt::Error;

wasm_bind!(
    "../target/guests/cubature/cubature.h",
    config = "../guests/cubature/cubature.toml",
    wasm = "../target/guests/cubature/cubature.wasm"
);

/// ∫_a^b exp(-t²) dt.
fn gauss_1d(a: f64, b: f64) -> f64 {
    std::f64::consts::PI.sqrt() / 2.0 * (erf(b) - erf(a))
}

/// erf by its Maclaurin series (|x| <= 2 here: 60 terms are far below 1e-16).
fn erf(x: f64) -> f64 {
    let (mut term, mut sum) = (x, x);
    for n in 1..60 {
        let n = f64::from(n);
        term *= -x * x / n;
        sum += term / (2.0 * n + 1.0);
    }
    2.0 / std::f64::consts::PI.sqrt() * sum
}

type Integrand = fn(&[f64]) -> Vec<f64>;

/// One integral: the integrand, its box, the closed form per component, and per algorithm
/// (hcubature, pcubature) native cubature's values (f64 bits) and integrand call count.
struct Case {
    name: &'static str,
    f: Integrand,
    lo: &'static [f64],
    hi: &'static [f64],
    exact: fn() -> Vec<f64>,
    native: [(&'static [u64], usize); 2],
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "gaussian-3d",
            f: |x| vec![(-(x[0] * x[0] + x[1] * x[1] + x[2] * x[2])).exp()],
            lo: &[-1.0, 0.0, -0.5],
            hi: &[2.0, 1.0, 0.5],
            exact: || vec![gauss_1d(-1.0, 2.0) * gauss_1d(0.0, 1.0) * gauss_1d(-0.5, 0.5)],
            native: [
                (&[0x3ff1_f4f3_2223_27e9], 126_423),
                (&[0x3ff1_f4f3_2223_272c], 9537),
            ],
        },
        Case {
            name: "cosines-2d",
            f: |x| vec![x[0].cos() * (2.0 * x[1]).cos()],
            lo: &[0.0, 0.0],
            hi: &[1.0, 2.0],
            exact: || vec![1f64.sin() * 4f64.sin() / 2.0],
            native: [
                (&[0xbfd4_60e3_bb5d_c5a3], 6919),
                (&[0xbfd4_60e3_bb5d_c59b], 561),
            ],
        },
        Case {
            name: "vector-2d",
            f: |x| vec![x[0] * x[1], (x[0] + x[1]).exp()],
            lo: &[0.0, 0.0],
            hi: &[1.0, 1.0],
            exact: || vec![0.25, (std::f64::consts::E - 1.0).powi(2)],
            native: [
                (&[0x3fd0_0000_0000_0000, 0x4007_9eb4_5b81_0c52], 1071),
                (&[0x3fd0_0000_0000_0001, 0x4007_9eb4_5b81_0c8e], 289),
            ],
        },
        Case {
            name: "cosines-4d",
            f: |x| vec![x.iter().fold(1.0, |p, t| p * t.cos())],
            lo: &[0.0; 4],
            hi: &[1.0; 4],
            exact: || vec![1f64.sin().powi(4)],
            native: [
                (&[0x3fe0_0b34_d4f9_66dd], 196_707),
                (&[0x3fe0_0b34_d4f9_77d2], 83_521),
            ],
        },
    ]
}

fn check(algo: usize) {
    let mut m = Cubature::new().unwrap();
    for case in cases() {
        let exact = (case.exact)();
        let fdim = u32::try_from(exact.len()).unwrap();
        let mut calls = 0usize;
        let integrand = |x: &[f64], fval: Option<&mut [f64]>| {
            calls += 1;
            assert_eq!(x.len(), case.lo.len());
            let fval = fval.expect("fval is never NULL");
            fval.copy_from_slice(&(case.f)(x));
            0
        };
        let norm = ErrorNorm::ERROR_INDIVIDUAL.into();
        let (val, err) = if algo == 0 {
            m.hcubature(fdim, integrand, case.lo, case.hi, 0, 0.0, 1e-9, norm)
        } else {
            m.pcubature(fdim, integrand, case.lo, case.hi, 0, 0.0, 1e-9, norm)
        }
        .unwrap();
        let (bits, native_calls) = case.native[algo];
        let got: Vec<u64> = val.iter().map(|v| v.to_bits()).collect();
        assert_eq!(got, bits, "{} algo {algo}: {val:?}", case.name);
        assert_eq!(calls, native_calls, "{} algo {algo}", case.name);
        for k in 0..exact.len() {
            let tol = err[k].max(1e-15 * exact[k].abs());
            assert!(
                (val[k] - exact[k]).abs() <= tol,
                "{} algo {algo}[{k}]: {} vs {} (err {})",
                case.name,
                val[k],
                exact[k],
                err[k]
            );
            assert!(err[k] <= 1e-9 * val[k].abs() * 1.0001);
        }
    }
}

#[test]
fn hcubature_matches_native_and_closed_forms() {
    check(0);
}

#[test]
fn pcubature_matches_native_and_closed_forms() {
    check(1);
}

#[test]
fn every_error_norm_is_accepted_and_converges() {
    let mut m = Cubature::new().unwrap();
    for norm in [
        ErrorNorm::ERROR_INDIVIDUAL,
        ErrorNorm::ERROR_PAIRED,
        ErrorNorm::ERROR_L2,
        ErrorNorm::ERROR_L1,
        ErrorNorm::ERROR_LINF,
    ] {
        let (val, err) = m
            .hcubature(
                2,
                |x, fval| {
                    let fval = fval.unwrap();
                    fval[0] = x[0].powi(3);
                    fval[1] = (x[0] + x[1]).cos();
                    0
                },
                &[0.0, 0.0],
                &[1.0, 2.0],
                0,
                0.0,
                1e-7,
                norm.into(),
            )
            .unwrap();
        let exact = [0.5, 1f64.cos() + 2f64.cos() - 3f64.cos() - 1.0];
        for k in 0..2 {
            assert!((val[k] - exact[k]).abs() <= err[k] + 1e-15, "{norm:?} {k}");
        }
    }
}

#[test]
fn a_panicking_integrand_is_an_error_and_the_object_recovers() {
    let mut m = Cubature::new().unwrap();
    let mut seen = 0;
    let err = m
        .hcubature(
            1,
            |x, fval| {
                seen += 1;
                assert!(seen < 50, "integrand gave up");
                fval.unwrap()[0] = (-50.0 * (x[0] * x[0] + x[1] * x[1])).exp();
                0
            },
            &[0.0, 0.0],
            &[1.0, 1.0],
            0,
            0.0,
            1e-12,
            0,
        )
        .unwrap_err();
    match &err {
        Error::Callback { function, message } => {
            assert_eq!(*function, "hcubature");
            assert!(message.contains("integrand gave up"), "{message}");
        }
        other => panic!("expected Error::Callback, got {other:?}"),
    }
    assert_eq!(seen, 50);
    // a nonzero integrand return stops cubature: its nonzero status
    let status = m.pcubature(1, |_, _| 1, &[0.0], &[1.0], 0, 0.0, 1e-6, 0);
    assert!(matches!(status, Err(Error::Status { .. })), "{status:?}");
    let (val, _) = m
        .pcubature(
            1,
            |_, fval| {
                fval.unwrap()[0] = 2.0;
                0
            },
            &[0.0],
            &[3.0],
            0,
            0.0,
            1e-6,
            0,
        )
        .unwrap();
    assert_eq!(val, [6.0]);
    // mismatched box corners are refused before the call
    assert!(m
        .hcubature(1, |_, _| 0, &[0.0, 0.0], &[1.0], 0, 0.0, 1e-6, 0)
        .is_err());
}
