//! Per-call buffer layout: every buffer of one wrapper call in one block (the instance's
//! scratch block for a small frame, else one arena allocation).
//!
//! A wrapper reserves one [`Slot`] per buffer parameter in a [`Frame`] (offsets 8-byte
//! aligned), asks the guest for the whole frame once ([`crate::Call::alloc`]), and gets a
//! [`Block`] that turns each slot into a guest pointer.

use crate::Error;

/// The element types a buffer may hold, with their little-endian wasm32 encoding.
pub trait Elem: Copy + Default + 'static {
    /// Size in bytes in guest memory.
    const SIZE: usize;
    /// Encodes `src` into `dst` (`dst.len() == src.len() * SIZE`).
    fn encode(src: &[Self], dst: &mut [u8]);
    /// Decodes `src` into `dst` (`src.len() == dst.len() * SIZE`).
    fn decode(src: &[u8], dst: &mut [Self]);
    /// Decodes `src` into a new vector.
    #[inline]
    fn decode_vec(src: &[u8]) -> Vec<Self> {
        let mut out = vec![Self::default(); src.len() / Self::SIZE];
        Self::decode(src, &mut out);
        out
    }
}

impl Elem for u8 {
    const SIZE: usize = 1;
    #[inline]
    fn encode(src: &[u8], dst: &mut [u8]) {
        dst.copy_from_slice(src);
    }
    #[inline]
    fn decode(src: &[u8], dst: &mut [u8]) {
        dst.copy_from_slice(src);
    }
    #[inline]
    fn decode_vec(src: &[u8]) -> Vec<u8> {
        src.to_vec()
    }
}

macro_rules! le_elem {
    ($($t:ty),*) => {$(
        impl Elem for $t {
            const SIZE: usize = std::mem::size_of::<$t>();
            #[inline]
            fn encode(src: &[$t], dst: &mut [u8]) {
                for (chunk, v) in dst.chunks_exact_mut(Self::SIZE).zip(src) {
                    chunk.copy_from_slice(&v.to_le_bytes());
                }
            }
            #[inline]
            fn decode(src: &[u8], dst: &mut [$t]) {
                for (chunk, v) in src.chunks_exact(Self::SIZE).zip(dst) {
                    let mut bytes = [0u8; std::mem::size_of::<$t>()];
                    bytes.copy_from_slice(chunk);
                    *v = <$t>::from_le_bytes(bytes);
                }
            }
        }
    )*};
}
le_elem!(i8, u16, i16, u32, i32, u64, i64, f32, f64);

/// The layout of one call's buffers: a running size, 8-byte aligned per slot.
#[derive(Debug, Clone, Copy)]
pub struct Frame {
    function: &'static str,
    size: u32,
}

/// One buffer's place in a [`Frame`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    offset: u32,
    bytes: u32,
}

impl Slot {
    /// The buffer's size in bytes.
    #[inline]
    pub fn bytes(self) -> u32 {
        self.bytes
    }
}

/// A frame allocated in the guest: its base pointer, already checked to lie in linear memory.
#[derive(Debug, Clone, Copy)]
pub struct Block {
    pub(crate) base: u32,
}

impl Block {
    /// The guest pointer of `slot` (in bounds: the whole frame was checked at allocation).
    #[inline]
    pub fn ptr(self, slot: Slot) -> u32 {
        self.base.saturating_add(slot.offset)
    }
}

impl Frame {
    /// An empty frame for a call of `function` (named in errors).
    #[inline]
    pub fn new(function: &'static str) -> Frame {
        Frame { function, size: 0 }
    }

    /// Total size in bytes.
    #[inline]
    pub fn size(&self) -> u32 {
        self.size
    }

    /// Reserves room for `count` elements of `T` for the parameter `what`, 8-byte aligned.
    #[inline]
    pub fn slot<T: Elem>(&mut self, count: usize, what: &str) -> Result<Slot, Error> {
        self.slot_aligned::<T>(count, 8, what)
    }

    /// Reserves room for `count` elements of `T` for the parameter `what` at the frame's end
    /// rounded up to `align` (a power of two, at least 8): the layout rule of the generator's
    /// call plan (`bindgen_core::plan::layout`).
    #[inline]
    pub fn slot_aligned<T: Elem>(
        &mut self,
        count: usize,
        align: u32,
        what: &str,
    ) -> Result<Slot, Error> {
        let too_big = || Error::Argument {
            function: self.function,
            message: format!("`{what}` has {count} elements: too large for 32-bit guest memory"),
        };
        let bytes = count
            .checked_mul(T::SIZE)
            .and_then(|b| u32::try_from(b).ok())
            .ok_or_else(too_big)?;
        let mask = align.max(8) - 1;
        let offset = self
            .size
            .checked_add(mask)
            .map(|s| s & !mask)
            .ok_or_else(too_big)?;
        self.size = offset.checked_add(bytes).ok_or_else(too_big)?;
        Ok(Slot { offset, bytes })
    }

    #[inline]
    pub(crate) fn function(&self) -> &'static str {
        self.function
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_8_aligned_and_sized() {
        let mut f = Frame::new("f");
        let a = f.slot::<u8>(3, "a").unwrap();
        let b = f.slot::<u32>(3, "b").unwrap();
        let c = f.slot::<u8>(0, "c").unwrap();
        assert_eq!((a.offset, a.bytes), (0, 3));
        assert_eq!((b.offset, b.bytes), (8, 12));
        assert_eq!((c.offset, c.bytes), (24, 0));
        assert_eq!(f.size(), 24);
    }

    #[test]
    fn aligned_slots_round_the_offset_up() {
        let mut f = Frame::new("f");
        f.slot::<u8>(4, "a").unwrap();
        let b = f.slot_aligned::<u8>(100, 16, "b").unwrap();
        assert_eq!(b.offset, 16);
        let c = f.slot::<u8>(1, "c").unwrap();
        assert_eq!(c.offset, 120);
    }

    #[test]
    fn oversized_slot_is_an_argument_error() {
        let mut f = Frame::new("f");
        let err = f.slot::<u64>(usize::MAX / 4, "big").unwrap_err();
        assert!(
            matches!(err, Error::Argument { function: "f", .. }),
            "{err}"
        );
        f.slot::<u8>(u32::MAX as usize - 4, "a").unwrap();
        assert!(f.slot::<u8>(16, "b").is_err());
    }

    #[test]
    fn encoding_is_little_endian() {
        let mut bytes = [0u8; 8];
        i32::encode(&[1, -2], &mut bytes);
        assert_eq!(bytes, [1, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff]);
        assert_eq!(i32::decode_vec(&bytes), vec![1, -2]);
    }
}
