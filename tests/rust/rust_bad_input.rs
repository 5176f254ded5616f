//! Bad caller input through the generated bindings (tests/hostile/hostile.h over good.wat):
//! lengths that do not fit the C `size_t` (u32) or the object's `max_memory` are an
//! `Error::Argument` before any guest call, and leave guest memory exactly as it was.

mod rust_common;

use bindgen_macro::wasm_bind;
use wasm_bind_rt::{Error, Frame, Options};

wasm_bind!("hostile/hostile.h");

const KEY: [u8; 32] = *b"bad-input-test-secret-key-012345";

fn good(options: &Options) -> Hostile {
    let path = rust_common::repo_root().join("tests/hostile/good.wat");
    Hostile::from_bytes_with(&wat::parse_file(path).unwrap(), options).unwrap()
}

/// Runs `f`, which must fail with an `Error::Argument` whose message contains `expect`,
/// without the guest running: its memory is byte-for-byte what it was and it was not replaced.
fn refused_before_the_guest<T: std::fmt::Debug>(
    obj: &mut Hostile,
    expect: &str,
    f: impl FnOnce(&mut Hostile) -> Result<T, Error>,
) {
    let before = obj.__wb_memory();
    let err = f(obj).unwrap_err();
    assert!(
        matches!(&err, Error::Argument { message, .. } if message.contains(expect)),
        "{err:?}"
    );
    assert!(
        obj.__wb_memory() == before,
        "guest memory changed: the guest ran"
    );
    assert_eq!(obj.__wb_generation(), 0);
}

#[test]
fn a_length_over_u32_is_refused_before_the_guest() {
    let mut obj = good(&Options::default());
    let over = u32::MAX as usize + 1;
    refused_before_the_guest(
        &mut obj,
        "`hash_size` is 4294967296, which does not fit `u32`",
        |o| o.hostile_hash(over, b"abc"),
    );
    // A real 4 GiB + 1 input: zero pages from the allocator, never touched (the length is
    // checked before anything is read).
    let huge = vec![0u8; over];
    refused_before_the_guest(
        &mut obj,
        "`message_size` is 4294967296, which does not fit `u32`",
        |o| o.hostile_mix(&KEY, &huge),
    );
    drop(huge);
    assert_eq!(
        obj.hostile_hash(3, b"xyz").unwrap(),
        vec![b'x', b'y' ^ 1, b'z' ^ 2]
    );
}

#[test]
fn inputs_larger_than_max_memory_are_refused_before_the_guest() {
    let cap = 1 << 20;
    let mut obj = good(&Options::default().max_memory(cap));
    let secret = rust_common::bytes(11, cap as usize + 1);
    refused_before_the_guest(&mut obj, "more than max_memory (1048576 bytes)", |o| {
        o.hostile_mix(&KEY, &secret)
    });
    refused_before_the_guest(&mut obj, "more than max_memory (1048576 bytes)", |o| {
        o.hostile_hash(cap as usize, b"abc")
    });
    // Nothing of the refused input is in guest memory.
    let windows: std::collections::HashSet<&[u8]> = secret.windows(8).collect();
    assert!(!obj.__wb_memory().windows(8).any(|m| windows.contains(m)));
    // Under the cap works (the frame is 32 + 32 + message bytes).
    let fits = vec![1u8; 500_000];
    assert_eq!(obj.hostile_mix(&KEY, &fits).unwrap(), KEY);
}

#[test]
fn the_default_cap_refuses_a_300_mib_output_before_the_guest() {
    let mut obj = good(&Options::default());
    refused_before_the_guest(&mut obj, "more than max_memory (268435456 bytes)", |o| {
        o.hostile_hash(300 << 20, b"abc")
    });
}

#[test]
fn frame_and_length_helpers_refuse_what_32_bit_memory_cannot_hold() {
    let mut frame = Frame::new("f");
    for (count, size) in [(usize::MAX, 1), (u32::MAX as usize + 1, 1), (1 << 31, 2)] {
        let err = match size {
            1 => frame.slot::<u8>(count, "buf").unwrap_err(),
            _ => frame.slot::<u16>(count, "buf").unwrap_err(),
        };
        assert!(
            matches!(&err, Error::Argument { function: "f", message } if message.contains("too large for 32-bit guest memory")),
            "{err}"
        );
    }
    // Slots that fit one by one but not together.
    frame.slot::<u8>(u32::MAX as usize - 8, "a").unwrap();
    assert!(frame.slot::<u8>(16, "b").is_err());
}
