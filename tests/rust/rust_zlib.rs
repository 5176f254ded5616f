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

/// A fresh empty directory under the system temp directory, for one test.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir =
        std::env::temp_dir().join(format!("wasm-bind-rust-zlib-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn zlib_in(dir: &std::path::Path) -> Zlib {
    let wasi = wasm_bind_rt::Wasi::default().dir_rw(dir, "/data");
    Zlib::with_options(&wasm_bind_rt::Options::default().wasi(wasi)).unwrap()
}

extern "C" fn native_zalloc(
    _: libz_sys::voidpf,
    items: libz_sys::uInt,
    size: libz_sys::uInt,
) -> libz_sys::voidpf {
    let n = usize::try_from(items).unwrap() * usize::try_from(size).unwrap() + 16;
    let layout = std::alloc::Layout::from_size_align(n, 16).unwrap();
    // SAFETY: a non-zero size; the first 16 bytes keep the size for native_zfree.
    unsafe {
        let p = std::alloc::alloc(layout);
        assert!(!p.is_null());
        p.cast::<usize>().write(n);
        p.add(16).cast()
    }
}

extern "C" fn native_zfree(_: libz_sys::voidpf, p: libz_sys::voidpf) {
    // SAFETY: `p` came from native_zalloc, 16 bytes past a block whose size is stored there.
    unsafe {
        let base = p.cast::<u8>().sub(16);
        let n = base.cast::<usize>().read();
        std::alloc::dealloc(base, std::alloc::Layout::from_size_align(n, 16).unwrap());
    }
}

/// Runs the native zlib's inflate or deflate (windowBits 31: the gzip format) over `input`.
fn native_gzip_stream(input: &[u8], compress: bool) -> Vec<u8> {
    // SAFETY: next_in / next_out point into live buffers of the lengths given, and the stream is
    // ended before returning.
    unsafe {
        let mut s = libz_sys::z_stream {
            next_in: input.as_ptr().cast_mut(),
            avail_in: u32::try_from(input.len()).unwrap(),
            total_in: 0,
            next_out: std::ptr::null_mut(),
            avail_out: 0,
            total_out: 0,
            msg: std::ptr::null_mut(),
            state: std::ptr::null_mut(),
            zalloc: native_zalloc,
            zfree: native_zfree,
            opaque: std::ptr::null_mut(),
            data_type: 0,
            adler: 0,
            reserved: 0,
        };
        let size = i32::try_from(std::mem::size_of::<libz_sys::z_stream>()).unwrap();
        let version = libz_sys::zlibVersion();
        let init = if compress {
            libz_sys::deflateInit2_(&mut s, 6, libz_sys::Z_DEFLATED, 31, 8, 0, version, size)
        } else {
            libz_sys::inflateInit2_(&mut s, 31, version, size)
        };
        assert_eq!(init, libz_sys::Z_OK);
        let mut out = Vec::new();
        let mut buf = vec![0u8; 1 << 16];
        loop {
            s.next_out = buf.as_mut_ptr();
            s.avail_out = u32::try_from(buf.len()).unwrap();
            let rc = if compress {
                libz_sys::deflate(&mut s, libz_sys::Z_FINISH)
            } else {
                libz_sys::inflate(&mut s, libz_sys::Z_NO_FLUSH)
            };
            let produced = buf.len() - usize::try_from(s.avail_out).unwrap();
            out.extend_from_slice(&buf[..produced]);
            if rc == libz_sys::Z_STREAM_END {
                break;
            }
            assert_eq!(rc, libz_sys::Z_OK);
        }
        if compress {
            libz_sys::deflateEnd(&mut s);
        } else {
            libz_sys::inflateEnd(&mut s);
        }
        out
    }
}

#[test]
fn gz_files_round_trip_with_the_native_zlib() {
    let dir = scratch("gz");
    let mut z = zlib_in(&dir);
    let data = rust_common::bytes(3, 150_000);
    let f = z.gzopen("/data/guest.gz", "wb").unwrap();
    assert_eq!(
        usize::try_from(z.gzwrite(&f, &data).unwrap()).unwrap(),
        data.len()
    );
    f.close(&mut z).unwrap();
    assert!(f.is_closed());
    assert!(matches!(
        z.gzwrite(&f, b"more"),
        Err(wasm_bind_rt::Error::Handle { .. })
    ));
    let file = std::fs::read(dir.join("guest.gz")).unwrap();
    assert_eq!(native_gzip_stream(&file, false), data);

    std::fs::write(dir.join("native.gz"), native_gzip_stream(&data, true)).unwrap();
    let f = z.gzopen("/data/native.gz", "rb").unwrap();
    let mut back = Vec::new();
    loop {
        let chunk = z.gzread(&f, 65536).unwrap();
        if chunk.is_empty() {
            break;
        }
        back.extend_from_slice(&chunk);
    }
    assert_eq!(back, data);
    assert_eq!(z.gzeof(&f).unwrap(), 1);
    drop(f); // freed (gzclose) at the next call
    let g = z.gzopen("/data/dropped.gz", "wb").unwrap();
    z.gzputs(&g, "dropped, not closed\n").unwrap();
    drop(g);
    assert!(!z.zlibVersion().unwrap().is_empty()); // the next call runs gzclose first
    let file = std::fs::read(dir.join("dropped.gz")).unwrap();
    assert_eq!(native_gzip_stream(&file, false), b"dropped, not closed\n");
}

#[test]
fn gz_open_outside_the_grant_or_missing_is_a_status_error() {
    let dir = scratch("gz-deny");
    let mut z = zlib_in(&dir);
    for path in ["/data/missing.gz", "/etc/passwd", "/data/../../etc/passwd"] {
        assert!(
            matches!(
                z.gzopen(path, "rb"),
                Err(wasm_bind_rt::Error::Status { status: 0, .. })
            ),
            "{path}"
        );
    }
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
