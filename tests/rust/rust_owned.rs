//! Library-owned handles (tests/owned_guest/owned.h + owned.toml, built by guests/build.sh):
//! handles returned and through `T **`, checked pointers passed back, destructors called once
//! (close or drop), parents kept alive and closed after their children, borrowed returns,
//! handles of another object or of an instance re-created after a trap refused. The guest counts
//! its live objects and every misuse it sees (`owned_errors`), so a double free, a child freed
//! after its parent or a stale pointer shows up as a count, not as silent corruption.

use bindgen_macro::wasm_bind;
use wasm_bind_rt::Error;

wasm_bind!(
    "../target/guests/owned/owned.h",
    config = "../tests/owned_guest/owned.toml",
    wasm = "../target/guests/owned/owned.wasm"
);

#[test]
fn bindings_and_handles_are_send_and_sync_where_they_must_be() {
    fn send<T: Send>() {}
    fn send_sync<T: Send + Sync>() {}
    send::<Owned>();
    send_sync::<Conn>();
    send_sync::<Stmt>();
}

#[test]
fn returned_handles_are_used_and_closed_once() {
    let mut m = Owned::new().unwrap();
    let c = m.conn_open(7).unwrap();
    assert_eq!(m.conn_value(&c).unwrap(), 7);
    assert_eq!(c.value(&mut m).unwrap(), 7);
    assert_eq!(m.live_conns().unwrap(), 1);
    c.close(&mut m).unwrap();
    assert!(c.is_closed());
    assert_eq!(m.live_conns().unwrap(), 0);
    c.close(&mut m).unwrap(); // double close: nothing happens
    match m.conn_value(&c) {
        Err(Error::Handle { message, .. }) => {
            assert!(
                message.contains("`c`") && message.contains("closed"),
                "{message}"
            )
        }
        other => panic!("expected Error::Handle, got {other:?}"),
    }
    assert_eq!(m.owned_errors().unwrap(), 0);
}

#[test]
fn owned_null_return_is_a_status_error() {
    let mut m = Owned::new().unwrap();
    assert!(matches!(
        m.conn_open(-1),
        Err(Error::Status { status: 0, message: Some(m), .. }) if m == "returned NULL"
    ));
}

#[test]
fn out_parameter_handles_and_failed_status_do_not_leak() {
    let mut m = Owned::new().unwrap();
    let c = m.conn_open_out(5).unwrap().expect("a connection");
    assert_eq!(m.conn_value(&c).unwrap(), 5);
    // Status 1 and no connection; status 2 with a connection the binding must still free.
    assert!(matches!(
        m.conn_open_out(-1),
        Err(Error::Status { status: 1, .. })
    ));
    assert!(matches!(
        m.conn_open_out(-2),
        Err(Error::Status { status: 2, .. })
    ));
    assert_eq!(
        m.live_conns().unwrap(),
        1,
        "the failed open's connection is freed at this call"
    );
    drop(c);
    assert_eq!(
        m.live_conns().unwrap(),
        0,
        "dropped handles are freed at the next call"
    );
    assert_eq!(m.owned_errors().unwrap(), 0);
}

#[test]
fn children_keep_their_parent_and_close_first() {
    let mut m = Owned::new().unwrap();
    let c = m.conn_open(10).unwrap();
    let s1 = m.stmt_prepare(&c, 1).unwrap().unwrap();
    let s2 = c.stmt_prepare(&mut m, 2).unwrap().unwrap();
    drop(c); // the statements keep the connection alive
    assert_eq!(m.live_conns().unwrap(), 1);
    assert_eq!(m.stmt_next(&s1).unwrap(), 11);
    assert_eq!(m.stmt_next(&s2).unwrap(), 12);
    // A borrowed return equal to a live handle is that handle.
    let parent = m.stmt_conn(&s1).unwrap().unwrap();
    assert!(!parent.is_borrowed());
    parent.close(&mut m).unwrap();
    assert!(s1.is_closed() && s2.is_closed());
    assert_eq!((m.live_conns().unwrap(), m.live_stmts().unwrap()), (0, 0));
    assert_eq!(
        m.owned_errors().unwrap(),
        0,
        "children were finalized before the parent"
    );
    assert!(matches!(m.stmt_next(&s1), Err(Error::Handle { .. })));
}

#[test]
fn dropping_children_and_parents_in_any_order_frees_children_first() {
    let mut m = Owned::new().unwrap();
    let c = m.conn_open(1).unwrap();
    let s = m.stmt_prepare(&c, 1).unwrap().unwrap();
    drop(c);
    drop(s);
    assert_eq!((m.live_conns().unwrap(), m.live_stmts().unwrap()), (0, 0));
    assert_eq!(m.owned_errors().unwrap(), 0);
}

#[test]
fn borrowed_returns_never_free() {
    let mut m = Owned::new().unwrap();
    let c = m.conn_open(3).unwrap();
    let s = m.stmt_prepare(&c, 1).unwrap().unwrap();
    let first = m.conn_next_stmt(&c, None).unwrap().unwrap();
    assert_eq!(m.stmt_next(&first).unwrap(), 4);
    assert!(m.conn_next_stmt(&c, Some(&s)).unwrap().is_none());
    let t = m.conn_token(&c).unwrap().unwrap();
    assert!(t.is_borrowed());
    assert_eq!(m.token_id(&t).unwrap(), t.id(&mut m).unwrap());
    drop(t);
    drop(first);
    assert_eq!(m.live_stmts().unwrap(), 1);
    drop(s);
    c.close(&mut m).unwrap();
    assert_eq!(m.owned_errors().unwrap(), 0);
}

#[test]
fn handles_of_another_object_are_refused() {
    let mut a = Owned::new().unwrap();
    let mut b = Owned::new().unwrap();
    let c = a.conn_open(1).unwrap();
    match b.conn_value(&c) {
        Err(Error::Handle { message, .. }) => assert!(message.contains("another"), "{message}"),
        other => panic!("expected Error::Handle, got {other:?}"),
    }
    assert!(matches!(c.close(&mut b), Err(Error::Handle { .. })));
    assert_eq!(b.owned_errors().unwrap(), 0);
}

#[test]
fn after_a_trap_old_handles_are_refused_and_never_freed_into_the_new_instance() {
    let mut m = Owned::new().unwrap();
    let c = m.conn_open(1).unwrap();
    let s = m.stmt_prepare(&c, 1).unwrap().unwrap();
    assert!(matches!(m.owned_trap(), Err(Error::Trap { .. })));
    match m.conn_value(&c) {
        Err(Error::Handle { message, .. }) => {
            assert!(message.contains("re-instantiated"), "{message}")
        }
        other => panic!("expected Error::Handle, got {other:?}"),
    }
    let fresh = m.conn_open(2).unwrap();
    drop(s);
    c.close(&mut m).unwrap(); // marked closed; nothing is called into the new instance
    drop(c);
    assert_eq!(m.live_conns().unwrap(), 1, "only the new connection lives");
    assert_eq!(m.conn_value(&fresh).unwrap(), 2);
    assert_eq!(
        m.owned_errors().unwrap(),
        0,
        "no stale pointer reached the new instance"
    );
}

#[test]
fn a_returned_handle_holds_the_guest_buffer_it_points_into() {
    let mut m = Owned::new().unwrap();
    let data: Vec<u8> = (1..=40).collect();
    let buf = m.buffer(64).unwrap();
    m.write_buffer(&buf, 0, &data).unwrap();
    let v = m.view_open(buf.span(0, data.len()).unwrap()).unwrap();
    drop(buf);
    let decoy = m.buffer(64).unwrap(); // frees what was dropped, then would take its place
    m.write_buffer(&decoy, 0, &[0xff; 64]).unwrap();
    let want: u32 = data.iter().map(|&b| u32::from(b)).sum();
    assert_eq!(m.view_sum(&v).unwrap(), want);
}

#[test]
fn a_caller_owned_handle_holds_the_guest_buffer_it_points_into() {
    let mut m = Owned::new().unwrap();
    let data: Vec<u8> = (7..27).collect();
    let mut c = Cursor::new(&mut m).unwrap();
    let buf = m.buffer(32).unwrap();
    m.write_buffer(&buf, 0, &data).unwrap();
    m.cursor_set(&mut c, buf.span(0, data.len()).unwrap())
        .unwrap();
    drop(buf);
    let decoy = m.buffer(32).unwrap();
    m.write_buffer(&decoy, 0, &[0xee; 32]).unwrap();
    let want: u32 = data.iter().map(|&b| u32::from(b)).sum();
    assert_eq!(m.cursor_sum(&c).unwrap(), want);
}

#[test]
fn without_a_handle_the_object_holds_the_buffer_passed_last() {
    let mut m = Owned::new().unwrap();
    let (first, second) = (m.buffer(8).unwrap(), m.buffer(8).unwrap());
    m.write_buffer(&first, 0, &[1; 8]).unwrap();
    m.write_buffer(&second, 0, &[2; 8]).unwrap();
    m.global_set(first.all()).unwrap();
    drop(first);
    let decoy = m.buffer(8).unwrap(); // frees what was dropped, then would take its place
    m.write_buffer(&decoy, 0, &[100; 8]).unwrap();
    assert_eq!(m.global_sum().unwrap(), 8); // still the first buffer's bytes
    m.global_set(second.all()).unwrap(); // the first is let go now
    assert_eq!(m.global_sum().unwrap(), 16);
}

/// LZ4's malloc streaming API (guests/lz4/lz4_stream.toml, target/guests/lz4stream/).
mod lz4_stream {
    use bindgen_macro::wasm_bind;
    use wasm_bind_rt::Error;

    wasm_bind!(
        "../target/guests/lz4stream/lz4.h",
        config = "../guests/lz4/lz4_stream.toml",
        wasm = "../target/guests/lz4stream/lz4.wasm"
    );

    #[test]
    fn streams_are_handles_freed_on_drop_and_close() {
        let mut m = Lz4Stream::new().unwrap();
        let s = m.LZ4_createStream().unwrap();
        m.LZ4_resetStream_fast(&s).unwrap();
        s.close(&mut m).unwrap();
        assert!(matches!(
            m.LZ4_resetStream_fast(&s),
            Err(Error::Handle { .. })
        ));
        let before = m.__wb_memory().len();
        for _ in 0..2000 {
            let s = m.LZ4_createStream().unwrap(); // 16 KiB each, freed at the next call
            drop(s);
        }
        let _d = m.LZ4_createStreamDecode().unwrap();
        assert!(m.__wb_memory().len() - before < 4 << 20);
    }

    /// Blocks that repeat each other (so a linked stream references earlier blocks) plus noise.
    fn blocks(seed: u64, n: usize) -> Vec<Vec<u8>> {
        let mut x = seed;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let base: Vec<u8> = (0..20_000).map(|_| next() as u8).collect();
        (0..n)
            .map(|_| {
                let cut = next() as usize % base.len();
                let len = 1000 + next() as usize % 30_000;
                let mut b: Vec<u8> = base[cut..].iter().chain(&base[..cut]).copied().collect();
                b.truncate(len);
                b.extend((0..next() % 300).map(|_| next() as u8));
                b
            })
            .collect()
    }

    #[test]
    fn a_linked_stream_in_a_guest_buffer_round_trips() {
        const BLOCK: usize = 64 * 1024;
        let mut m = Lz4Stream::new().unwrap();
        let blocks = blocks(0x9e37_79b9, 10);
        let stream = m.LZ4_createStream().unwrap();
        let ring = m.buffer(2 * BLOCK).unwrap();
        let (mut off, mut compressed) = (0, Vec::new());
        for b in &blocks {
            if off + b.len() > ring.len() {
                off = 0;
            }
            m.write_buffer(&ring, off, b).unwrap();
            let span = ring.span(off, b.len()).unwrap();
            compressed.push(m.LZ4_compress_fast_continue(&stream, span, 1).unwrap());
            off += b.len();
        }
        // Each block decodes with the previous 64 KiB of output as its dictionary (copied per call).
        let mut history: Vec<u8> = Vec::new();
        for (b, c) in blocks.iter().zip(&compressed) {
            let dict = &history[history.len().saturating_sub(BLOCK)..];
            let out = m.LZ4_decompress_safe_usingDict(c, b.len(), dict).unwrap();
            assert_eq!(&out, b);
            history.extend_from_slice(b);
        }
        // Linked for real: later blocks reference earlier ones.
        let independent: usize = blocks[1..]
            .iter()
            .map(|b| m.LZ4_compress_default(b).unwrap().len())
            .sum();
        let linked: usize = compressed[1..].iter().map(Vec::len).sum();
        assert!(linked * 10 < independent * 8, "{linked} vs {independent}");
        // And it decodes block by block into a guest buffer, matches copied from earlier output.
        let decoder = m.LZ4_createStreamDecode().unwrap();
        let out = m.buffer(history.len()).unwrap();
        let mut at = 0;
        for (b, c) in blocks.iter().zip(&compressed) {
            let n = m
                .LZ4_decompress_safe_continue(&decoder, c, out.span(at, b.len()).unwrap())
                .unwrap();
            assert_eq!(n as usize, b.len());
            assert_eq!(&m.read_buffer(&out, at, b.len()).unwrap(), b);
            at += b.len();
        }
    }

    #[test]
    fn guest_buffers_are_checked_and_wiped_when_dropped() {
        let mut m = Lz4Stream::new().unwrap();
        let mut other = Lz4Stream::new().unwrap();
        let stream = m.LZ4_createStream().unwrap();
        let buf = m.buffer(64).unwrap();
        assert!(matches!(buf.span(60, 5), Err(Error::Argument { .. })));
        assert!(matches!(
            m.write_buffer(&buf, 60, b"too long"),
            Err(Error::Argument { .. })
        ));
        assert!(matches!(
            m.read_buffer(&buf, 65, 0),
            Err(Error::Argument { .. })
        ));
        let foreign = other.buffer(8).unwrap();
        let err = m
            .LZ4_compress_fast_continue(&stream, foreign.all(), 1)
            .unwrap_err();
        assert!(err.to_string().contains("another binding object"), "{err}");
        assert!(matches!(
            m.write_buffer(&foreign, 0, b"x"),
            Err(Error::Argument { .. })
        ));
        let marker = b"kept-secret-0123456789";
        m.write_buffer(&buf, 3, marker).unwrap();
        assert_eq!(m.read_buffer(&buf, 3, marker.len()).unwrap(), marker);
        let seen = |mem: &[u8]| mem.windows(marker.len()).any(|w| w == marker);
        assert!(seen(&m.__wb_memory()));
        drop(buf);
        m.LZ4_resetStream_fast(&stream).unwrap(); // the next call frees (and wipes) it
        assert!(!seen(&m.__wb_memory()));
    }

    #[test]
    fn a_stream_holds_the_buffer_it_points_into() {
        let mut m = Lz4Stream::new().unwrap();
        let stream = m.LZ4_createStream().unwrap();
        let block = b"held-by-the-stream-0123456789abcdef-held-by-the-stream".repeat(4);
        let seen = |mem: &[u8]| mem.windows(block.len()).any(|w| w == &block[..]);
        let ring = m.buffer(4096).unwrap();
        m.write_buffer(&ring, 0, &block).unwrap();
        m.LZ4_compress_fast_continue(&stream, ring.span(0, block.len()).unwrap(), 1)
            .unwrap();
        drop(ring);
        m.LZ4_resetStream_fast(&stream).unwrap(); // frees what was dropped: not the held ring
        assert!(
            seen(&m.__wb_memory()),
            "the stream's history was freed under it"
        );
        stream.close(&mut m).unwrap(); // lets go of the ring: freed (and wiped) at the next call
        let _next = m.LZ4_createStream().unwrap();
        assert!(!seen(&m.__wb_memory()));
    }

    #[test]
    fn a_block_linked_to_the_previous_one_decodes_with_it_as_dictionary() {
        let mut m = Lz4Stream::new().unwrap();
        let previous = b"ABCDEFGHIJKLMNOP";
        // A block of a linked stream, by the LZ4 block format: a match of 12 bytes at offset 16
        // (into the previous block), then the 5 final literals.
        let block = [0x08, 0x10, 0x00, 0x50, b'x', b'y', b'z', b'w', b'v'];
        let out = m
            .LZ4_decompress_safe_usingDict(&block, 64, previous)
            .unwrap();
        assert_eq!(out, b"ABCDEFGHIJKLxyzwv");
        // Alone it references memory before its start: malformed.
        assert!(matches!(
            m.LZ4_decompress_safe(&block, 64),
            Err(Error::Status { .. })
        ));
    }
}
