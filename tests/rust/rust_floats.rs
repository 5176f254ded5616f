//! Floating point through the generated Rust bindings of tests/headers/shape_floats.h (guest:
//! tests/headers/shape_floats.c): `f32` / `f64` scalars and returns, slices, fixed arrays, outputs,
//! in/out slices, out-scalars and structs with float fields. Expected values are computed in Rust
//! with the same IEEE operations in the same order; pass-through functions are compared bit for
//! bit on every input, NaN payloads (signaling ones included), infinities, -0.0 and subnormals.

mod native_guest;

mod floats {
    bindgen_macro::wasm_bind!("headers/shape_floats.h", name = "ShapeFloats");
}

use floats::{FlPoint, FlWrap, ShapeFloats};
use wasm_bind_rt::Error;

/// One build per test process (the tests run in parallel and share it).
fn guest() -> ShapeFloats {
    static WASM: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    let wasm = WASM.get_or_init(|| native_guest::build("shape_floats"));
    ShapeFloats::from_bytes(wasm).expect("the guest loads")
}

/// xorshift64*, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Every kind of double: specials, any bit pattern (NaN payloads), subnormals, ordinary.
    fn f64(&mut self) -> f64 {
        const SPECIAL: [u64; 10] = [
            0,
            1 << 63,
            0x7FF0_0000_0000_0000,
            0xFFF0_0000_0000_0000,
            0x7FF8_0000_0000_0000,
            0x7FF8_DEAD_BEEF_0001,
            0x7FF4_0000_0000_0001,
            1,
            0x800F_FFFF_FFFF_FFFF,
            0x7FEF_FFFF_FFFF_FFFF,
        ];
        match self.next() % 10 {
            0 | 1 => f64::from_bits(SPECIAL[(self.next() % 10) as usize]),
            2 => f64::from_bits(self.next()),
            3 => f64::from_bits(self.next() & 0x800F_FFFF_FFFF_FFFF),
            _ => (self.next() % 2_000_000) as f64 / 7.0 - 142_857.0,
        }
    }

    fn f32(&mut self) -> f32 {
        match self.next() % 4 {
            0 => f32::from_bits(self.next() as u32),
            _ => self.f64() as f32,
        }
    }
}

/// Bit-identical, or both NaN (arithmetic on a NaN: the propagated payload is the CPU's choice).
fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

#[test]
fn scalars_and_returns_pass_bit_exactly() {
    let mut g = guest();
    let mut r = Rng(1);
    for _ in 0..300 {
        let (a, b, x, y) = (r.f64(), r.f64(), r.f32(), r.f32());
        assert!(same(g.fl_add(a, b).unwrap(), a + b), "{a} + {b}");
        assert!(same(f64::from(g.fl_addf(x, y).unwrap()), f64::from(x + y)));
        assert!(same(
            g.fl_mix(-3, a, x, 7).unwrap(),
            -3.0 * a + f64::from(x) - 7.0
        ));
        // pass-through: every bit, signaling NaNs included
        assert_eq!(g.fl_identity(a).unwrap().to_bits(), a.to_bits());
        assert_eq!(g.fl_identityf(x).unwrap().to_bits(), x.to_bits());
        assert_eq!(g.fl_bits(a).unwrap(), a.to_bits());
        assert_eq!(g.fl_bitsf(x).unwrap(), x.to_bits());
        let raw = r.next();
        assert_eq!(g.fl_from_bits(raw).unwrap().to_bits(), raw);
        assert_eq!(g.fl_from_bitsf(raw as u32).unwrap().to_bits(), raw as u32);
    }
    assert_eq!(
        g.fl_bitsf(f32::from_bits(0x7F80_0001)).unwrap(),
        0x7F80_0001
    );
    assert_eq!(g.fl_add(-0.0, -0.0).unwrap().to_bits(), (-0.0f64).to_bits());
}

#[test]
fn slices_arrays_outputs_and_out_scalars() {
    let mut g = guest();
    let mut r = Rng(2);
    for k in 0..100 {
        let xs: Vec<f64> = (0..k % 23).map(|_| r.f64()).collect();
        let sum = xs.iter().fold(0.0, |s, v| s + v);
        assert!(same(g.fl_sum(&xs).unwrap(), sum));
        let fs: Vec<f32> = xs.iter().map(|&v| v as f32).collect();
        let sumf = fs.iter().fold(0.0f32, |s, v| s + v);
        assert!(same(f64::from(g.fl_sumf(&fs).unwrap()), f64::from(sumf)));
        let factor = r.f64();
        let mut buf = xs.clone();
        g.fl_scale(&mut buf, factor).unwrap();
        for (b, x) in buf.iter().zip(&xs) {
            assert!(same(*b, x * factor));
        }
        // FL_DIM sizes the arrays in the header, so it is a `usize` (no `as usize`)
        let (mut a, mut b) = ([0.0; ShapeFloats::FL_DIM], [0.0; ShapeFloats::FL_DIM]);
        for (x, y) in a.iter_mut().zip(b.iter_mut()) {
            (*x, *y) = (r.f64(), r.f64());
        }
        let want = [
            a[1] * b[2] - a[2] * b[1],
            a[2] * b[0] - a[0] * b[2],
            a[0] * b[1] - a[1] * b[0],
        ];
        let got = g.fl_cross(&a, &b).unwrap();
        assert!(got.iter().zip(&want).all(|(g, w)| same(*g, *w)));
    }
    assert_eq!(g.fl_stats(&[1.0, 2.0, 3.0, 4.0]).unwrap(), (2.5, 1.25, 0));
    assert_eq!(g.fl_fill(4, 0.5).unwrap(), vec![0.0, 0.5, 1.0, 1.5]);
    let raw: Vec<f32> = [0x7FC0_0123u32, 0x7F80_0001, 0xFFC0_DEAD, 1, 0x8000_0000]
        .iter()
        .map(|&b| f32::from_bits(b))
        .collect();
    let copied = g.fl_copy(&raw, raw.len()).unwrap();
    let bits = |v: &[f32]| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&copied), bits(&raw));
}

#[test]
fn structs_with_float_fields() {
    let mut g = guest();
    let p = FlPoint {
        x: 1.5,
        y: -2.0,
        weight: 0.25,
    };
    let q = FlPoint {
        x: 4.0,
        y: 0.5,
        weight: 8.0,
    };
    assert_eq!(
        g.fl_point_dot(p, q).unwrap(),
        (1.5 * 4.0 + -2.0 * 0.5) * 0.25 * 8.0
    );
    let nan = f64::from_bits(0x7FF4_0000_0000_0001);
    assert_eq!(g.fl_wrap_twice(FlWrap { value: -0.75 }).unwrap(), -1.5);
    assert!(g.fl_wrap_twice(FlWrap { value: nan }).unwrap().is_nan());
}

#[test]
fn an_output_longer_than_wasm32_is_an_argument_error() {
    let mut g = guest();
    // 2**30 + 1 floats = 4 GiB + 4 bytes: refused before any allocation, and the object stays usable
    let e = g.fl_fill((1 << 30) + 1, 1.0).unwrap_err();
    assert!(matches!(e, Error::Argument { .. }), "{e}");
    assert_eq!(g.fl_sum(&[1.5, 2.5]).unwrap(), 4.0);
}
