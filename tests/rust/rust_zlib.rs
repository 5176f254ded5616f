//! zlib as a libc guest (libz-sys =1.1.33's bundled zlib, built by `wasm-bind guest --wasi` in
//! guests/build.sh, bound from its unmodified zlib.h + guests/zlib/zlib.toml) against the same
//! zlib built natively by libz-sys (`static` feature), on random data, and compress / uncompress
//! round trips (capacity in, count out). Needs `bash guests/build.sh`.

mod rust_common;

use bindgen_macro::wasm_bind;

wasm_bind!(
    "../target/guests/zlib/zlib.h",
    config = "../guests/zlib/zlib.toml",
    wasm = "../target/guests/zlib/zlib.wasm"
);

fn native_crc32(start: u32, data: &[u8]) -> u32 {
    let len = libz_sys::uInt::try_from(data.len()).unwrap();
    // SAFETY: `data` is a live slice of `len` bytes; crc32 only reads it.
    let v = unsafe { libz_sys::crc32(libz_sys::uLong::from(start), data.as_ptr(), len) };
    u32::try_from(v).unwrap()
}

fn native_adler32(start: u32, data: &[u8]) -> u32 {
    let len = libz_sys::uInt::try_from(data.len()).unwrap();
    // SAFETY: as above.
    let v = unsafe { libz_sys::adler32(libz_sys::uLong::from(start), data.as_ptr(), len) };
    u32::try_from(v).unwrap()
}

#[test]
fn checksums_match_native_zlib_on_random_data() {
    let mut z = Zlib::new().unwrap();
    for i in 0..200u64 {
        let n = [0, 1, 7, 64, 1000, 65537, 300_000][usize::try_from(i % 7).unwrap()];
        let data = rust_common::bytes(i, n);
        let start = u32::try_from(i * 2_654_435_761 % (1 << 32)).unwrap();
        assert_eq!(z.crc32(start, &data).unwrap(), native_crc32(start, &data));
        assert_eq!(z.crc32_z(start, &data).unwrap(), native_crc32(start, &data));
        assert_eq!(
            z.adler32(start, &data).unwrap(),
            native_adler32(start, &data)
        );
        assert_eq!(
            z.adler32_z(start, &data).unwrap(),
            native_adler32(start, &data)
        );
    }
}

#[test]
fn combine_bound_and_version_match_native_zlib() {
    let mut z = Zlib::new().unwrap();
    let (a, b) = (rust_common::bytes(1, 3000), rust_common::bytes(2, 4100));
    let mut ab = a.clone();
    ab.extend_from_slice(&b);
    let len_b = i32::try_from(b.len()).unwrap();
    assert_eq!(
        z.crc32_combine(native_crc32(0, &a), native_crc32(0, &b), len_b)
            .unwrap(),
        native_crc32(0, &ab)
    );
    assert_eq!(
        z.adler32_combine(native_adler32(1, &a), native_adler32(1, &b), len_b)
            .unwrap(),
        native_adler32(1, &ab)
    );
    for n in [0u32, 1, 1000, 1 << 20] {
        // zlib.h's documented bound (libz-sys does not declare compressBound).
        let want = n + (n >> 12) + (n >> 14) + (n >> 25) + 13;
        assert_eq!(z.compressBound(n).unwrap(), want);
    }
    // SAFETY: zlibVersion returns a static NUL-terminated string.
    let native = unsafe { std::ffi::CStr::from_ptr(libz_sys::zlibVersion()) };
    assert_eq!(z.zlibVersion().unwrap(), native.to_str().unwrap());
}

/// compress / compress2 / uncompress: `uLongf *destLen` is capacity in, count out
/// (`capacity(dest)` in the config). Python's zlib cross-checks the streams in
/// tests/python/test_zlib_guest.py; here the guest inflates what it deflated.
#[test]
fn compress_round_trips_and_capacity_errors() {
    let mut z = Zlib::new().unwrap();
    for i in 0..40u64 {
        let n = [0, 1, 100, 4096, 70_000][usize::try_from(i % 5).unwrap()];
        let data = if i % 2 == 0 {
            rust_common::bytes(i, n)
        } else {
            vec![b'a'; n]
        };
        let level = [-1, 0, 1, 6, 9][usize::try_from(i % 5).unwrap()];
        let packed = z.compress2(&data, level).unwrap();
        let bound = z.compressBound(u32::try_from(n).unwrap()).unwrap();
        assert!(packed.len() <= usize::try_from(bound).unwrap());
        assert_eq!(z.uncompress(n, &packed).unwrap(), data);
        let packed = z.compress(&data).unwrap();
        assert_eq!(z.uncompress(n + 100, &packed).unwrap(), data);
    }
    let data = b"hello, hello, hello".repeat(50);
    let packed = z.compress(&data).unwrap();
    match z.uncompress(data.len() - 1, &packed) {
        Err(wasm_bind_rt::Error::Status { status: -5, .. }) => {}
        other => panic!("expected Z_BUF_ERROR, got {other:?}"),
    }
    match z.uncompress(100, b"not zlib data") {
        Err(wasm_bind_rt::Error::Status { status: -3, .. }) => {}
        other => panic!("expected Z_DATA_ERROR, got {other:?}"),
    }
    assert_eq!(z.uncompress(data.len(), &packed).unwrap(), data);
}
