//! The arena layout of one call: which parameters get a region of the per-call block, in which
//! order, aligned how. Every back end places the regions by this one rule.
//!
//! Rule: the wrapper makes one arena allocation per call. Fixed-size regions (`T x[N]`, single
//! scalars, structs passed by value or filled through a pointer) come first, in C order, at constant offsets; variable-size
//! regions follow in C order (parameters, then the slices that struct fields point to). Each
//! region starts at the end of the previous one rounded up to its alignment (8 bytes, enough for
//! any C scalar; 16 for scratch memory; a struct's own alignment when larger), and each region's
//! size counts as rounded up to 8. A call with any region gets a block of at least 8 bytes, so
//! that every pointer it passes is a real address even when all regions are empty.

use crate::ir::Prim;
use crate::model::{FieldRole, FnBinding, Model, Role, StructAbi};

/// The smallest block a call with regions allocates.
pub const MIN_BLOCK: u32 = 8;

/// The alignment of ordinary regions.
pub const REGION_ALIGN: u32 = 8;

/// The alignment of scratch regions.
pub const SCRATCH_ALIGN: u32 = 16;

/// Whose memory a region is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// The parameter at this index.
    Param(usize),
    /// The slice a pointer field of a struct passed by value points to.
    Field {
        /// The struct parameter's index.
        param: usize,
        /// The pointer field's index in the struct.
        field: usize,
    },
}

/// How many bytes a region holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    /// A constant number of bytes.
    Fixed(u32),
    /// `count` elements of `elem` (their byte size is `elem.size().max(1)` each).
    Elems {
        /// Where the element count comes from.
        count: Count,
        /// The element type.
        elem: Prim,
    },
}

/// Where a variable region's element count comes from (known before the call).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    /// The value of the length parameter at this index (a `Len`, or an `InOutScalar` set from an
    /// input's length).
    LenParam(usize),
    /// The encoded length of the string parameter at this index, plus its terminating NUL.
    StrWithNul(usize),
    /// The value the wrapper computes for the parameter at this index (an `OutExpr` count, a
    /// scratch byte size).
    Computed(usize),
    /// The element count of the host slice in field `field` of struct parameter `param`.
    FieldLen {
        /// The struct parameter's index.
        param: usize,
        /// The field's index.
        field: usize,
    },
}

/// One region of the per-call block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// Whose region it is.
    pub owner: Owner,
    /// Its size.
    pub size: Size,
    /// Its alignment in bytes (8, 16, or a larger struct alignment).
    pub align: u32,
    /// Its offset when it is in the fixed prefix (known at generation time); `None`: the end of
    /// the previous region rounded up to `align`, known only at run time.
    pub fixed_offset: Option<u32>,
}

/// The regions of `f`'s block, in layout order (see the module doc).
pub fn regions(model: &Model, f: &FnBinding) -> Vec<Region> {
    let mut fixed = Vec::new();
    let mut var = Vec::new();
    let mut field_slices = Vec::new();
    for (i, p) in f.params.iter().enumerate() {
        let owner = Owner::Param(i);
        let Some((size, align)) = param_region(model, i, &p.role, &mut field_slices) else {
            continue;
        };
        match size {
            Size::Fixed(_) => fixed.push((owner, size, align)),
            Size::Elems { .. } => var.push((owner, size, align)),
        }
    }
    let mut out = Vec::with_capacity(fixed.len() + var.len() + field_slices.len());
    let mut end: u64 = 0;
    for (owner, size, align) in fixed {
        let Size::Fixed(bytes) = size else { continue };
        let offset = end.div_ceil(u64::from(align)) * u64::from(align);
        end = offset + align_up(u64::from(bytes), REGION_ALIGN);
        out.push(Region {
            owner,
            size,
            align,
            fixed_offset: u32::try_from(offset).ok(),
        });
    }
    for (owner, size, align) in var.into_iter().chain(field_slices) {
        out.push(Region {
            owner,
            size,
            align,
            fixed_offset: None,
        });
    }
    out
}

/// The size and alignment of parameter `i`'s region, or `None` when it has none in the block;
/// an indirect struct's slice fields are added to `field_slices`.
fn param_region(
    model: &Model,
    i: usize,
    role: &Role,
    field_slices: &mut Vec<(Owner, Size, u32)>,
) -> Option<(Size, u32)> {
    let elems = |count, elem| Size::Elems { count, elem };
    Some(match role {
        r if r.fixed_count().is_some() => {
            let elem = r.elem().unwrap_or(Prim::U8);
            (
                Size::Fixed(
                    r.fixed_count()
                        .unwrap_or(0)
                        .saturating_mul(elem.size().max(1)),
                ),
                REGION_ALIGN,
            )
        }
        Role::OutScalar { prim }
        | Role::InOutScalar { prim, .. }
        | Role::FilledBy { prim, .. }
        | Role::Capacity { prim, .. } => (Size::Fixed(prim.size()), REGION_ALIGN),
        // `T **pp`: one wasm32 pointer.
        Role::OwnedOut(_) => (Size::Fixed(4), REGION_ALIGN),
        Role::StructIn { struct_name } => match model.find_struct(struct_name) {
            Some(s) if s.abi == StructAbi::Indirect => {
                for (k, field) in s.fields.iter().enumerate() {
                    if let FieldRole::InSlice { elem, .. } = field.role {
                        let count = Count::FieldLen { param: i, field: k };
                        field_slices.push((
                            Owner::Field { param: i, field: k },
                            elems(count, elem),
                            REGION_ALIGN,
                        ));
                    }
                }
                (Size::Fixed(s.size), s.align.max(REGION_ALIGN))
            }
            _ => return None,
        },
        Role::OutStruct { struct_name, .. } => match model.find_struct(struct_name) {
            Some(s) => (Size::Fixed(s.size), s.align.max(REGION_ALIGN)),
            None => return None,
        },
        Role::InSlice { elem, len } | Role::OutBuf { elem, len } | Role::InOutBuf { elem, len } => {
            (elems(Count::LenParam(*len), *elem), REGION_ALIGN)
        }
        Role::InStr => (elems(Count::StrWithNul(i), Prim::Char), REGION_ALIGN),
        Role::OutExpr { elem, .. } => (elems(Count::Computed(i), *elem), REGION_ALIGN),
        Role::Scratch { .. } => (elems(Count::Computed(i), Prim::U8), SCRATCH_ALIGN),
        _ => return None,
    })
}

/// The end of the fixed prefix of `regions` (where the first variable region may start, before
/// its own alignment).
pub fn fixed_end(regions: &[Region]) -> u32 {
    regions
        .iter()
        .filter_map(|r| match (r.fixed_offset, r.size) {
            (Some(o), Size::Fixed(n)) => {
                Some(o.saturating_add(align_up(u64::from(n), REGION_ALIGN) as u32))
            }
            _ => None,
        })
        .max()
        .unwrap_or(0)
}

/// `n` rounded up to a multiple of `align`.
pub fn align_up(n: u64, align: u32) -> u64 {
    n.div_ceil(u64::from(align)) * u64::from(align)
}

/// Offsets and block size for concrete region sizes in bytes (`sizes[k]` for `regions[k]`): the
/// rule every back end implements, for tests and `--explain`. `None` when the block would not
/// fit in 32 bits.
pub fn place(regions: &[Region], sizes: &[u64]) -> Option<(Vec<u32>, u32)> {
    let mut end: u64 = 0;
    let mut offsets = Vec::with_capacity(regions.len());
    for (r, &n) in regions.iter().zip(sizes) {
        let offset = align_up(end, r.align);
        offsets.push(u32::try_from(offset).ok()?);
        end = offset.checked_add(align_up(n, REGION_ALIGN))?;
    }
    let block = if regions.is_empty() {
        0
    } else {
        end.max(u64::from(MIN_BLOCK))
    };
    Some((offsets, u32::try_from(block).ok()?))
}
