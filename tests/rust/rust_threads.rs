//! Threads: one binding object shared behind a `Mutex` (the struct is `Send`), and one object
//! per thread; every result is checked. 8 threads x 10,000 calls each way (debug build).

mod rust_common;

use std::sync::{Arc, Mutex};

use bindgen_macro::wasm_bind;

wasm_bind!("hostile/hostile.h");

const THREADS: u64 = 8;
const CALLS: u64 = 10_000;

fn wasm() -> Vec<u8> {
    wat::parse_file(rust_common::repo_root().join("tests/hostile/good.wat")).unwrap()
}

fn mix(key: &[u8; 32], message: &[u8]) -> [u8; 32] {
    let x = message.iter().fold(0u8, |a, b| a ^ b);
    key.map(|k| k ^ x)
}

/// Call `i` of thread `t`: inputs that differ per call, so a mixed-up result is caught.
fn check(obj: &mut Hostile, t: u64, i: u64) {
    let key: [u8; 32] = rust_common::array(t * CALLS + i);
    let message = rust_common::bytes(i ^ (t << 32), (i % 97) as usize);
    assert_eq!(
        obj.hostile_mix(&key, &message).unwrap(),
        mix(&key, &message),
        "thread {t} call {i}"
    );
    if i.is_multiple_of(16) {
        let n = (i % 200) as usize;
        let want: Vec<u8> = (0..n)
            .map(|j| if message.is_empty() { 0 } else { message[j % message.len()] } ^ (j as u8))
            .collect();
        assert_eq!(obj.hostile_hash(n, &message).unwrap(), want);
    }
}

#[test]
fn one_object_behind_a_mutex() {
    let shared = Arc::new(Mutex::new(Hostile::from_bytes(&wasm()).unwrap()));
    let workers: Vec<_> = (0..THREADS)
        .map(|t| {
            let shared = Arc::clone(&shared);
            std::thread::spawn(move || {
                for i in 0..CALLS {
                    check(&mut shared.lock().unwrap(), t, i);
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    assert_eq!(shared.lock().unwrap().__wb_generation(), 0);
}

#[test]
fn one_object_per_thread() {
    let wasm = Arc::new(wasm());
    let workers: Vec<_> = (0..THREADS)
        .map(|t| {
            let wasm = Arc::clone(&wasm);
            std::thread::spawn(move || {
                let mut obj = Hostile::from_bytes(&wasm).unwrap();
                for i in 0..CALLS {
                    check(&mut obj, t, i);
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
}
