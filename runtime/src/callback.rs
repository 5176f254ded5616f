//! Callbacks: a guest function-pointer parameter bound to a Rust closure for one call.
//!
//! The guest exports its function table (`__indirect_function_table`, linked with
//! `--export-table --growable-table`). Each callback parameter of each function gets one slot,
//! grown into the table the first time it is used in an instance and holding a host function of
//! the callback's core type. The pointer the guest receives is that slot's index.
//!
//! Closures borrow the caller's state (`FnMut + Send`, not `'static`), which a host function
//! stored in the table cannot hold without `unsafe`. So a call with callbacks runs the guest on a
//! helper thread (scoped, with the stack `max_wasm_stack` needs): the host function sends each
//! callback's arguments (scalars, and copies of what its pointers point to, bounds-checked) to
//! the calling thread, which runs the closure and sends back the result and the contents of
//! output slices. Between calls the slots have no link: a guest that kept the pointer and calls
//! it later traps ("called after the call that passed it returned").
//!
//! A panic in a closure is caught on the calling thread; the host function then returns an
//! error, which traps out of the guest (its frame is abandoned), and the call returns
//! [`Error::Callback`] after the instance is wiped and re-created, as after any trap.
//! Re-entrancy cannot happen: the method holds `&mut self`, so a closure cannot call the same
//! object (the borrow checker refuses it).

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex, PoisonError};

use wasmtime::{Caller, Extern, Func, FuncType, Ref, Table, Val, ValType};

use crate::frame::Elem;
use crate::{Call, Error};

/// The name of the guest's exported function table.
pub const TABLE: &str = "__indirect_function_table";

/// How one C parameter of a callback reaches the closure (the generator's `CbParam`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CbKind {
    /// An integer carried by an `i32`.
    I32,
    /// An integer carried by an `i64`.
    I64,
    /// A `float`.
    F32,
    /// A `double`.
    F64,
    /// The `void *` context: not passed to the closure.
    User,
    /// The count of a slice (an `i64` when `true`): not passed (the slice carries it).
    Len(bool),
    /// `const T *` to one element of `size` bytes: read and passed as a value.
    Value(u32),
    /// `const T *` of `count` elements of `size` bytes (`count`: the callback parameter index
    /// holding it): read and passed as a slice. NULL with a count of 0 is empty.
    In(u32, usize),
    /// `T *` of `count` elements of `size` bytes: the closure gets zeroed elements (`None` for
    /// NULL), written back to guest memory after it returns.
    Out(u32, usize),
}

impl CbKind {
    fn core(self) -> ValType {
        match self {
            CbKind::I64 | CbKind::Len(true) => ValType::I64,
            CbKind::F32 => ValType::F32,
            CbKind::F64 => ValType::F64,
            _ => ValType::I32,
        }
    }
}

/// The static description of one callback parameter (generated as a `static`).
#[derive(Debug)]
pub struct CallbackSpec {
    /// (function index, parameter index): the slot's identity within an instance.
    pub key: (usize, usize),
    /// The callback's C parameters.
    pub params: &'static [CbKind],
    /// Its core result type: `I32`, `I64`, `F32`, `F64` as [`CbKind`], `None` for `void`.
    pub result: Option<CbKind>,
    /// `callback `cmp` of `sort_i32``, for messages.
    pub what: &'static str,
}

/// One value the host function passes to the calling thread.
#[derive(Debug)]
enum CbVal {
    Int(i64),
    F32(f32),
    F64(f64),
    Bytes(Vec<u8>),
    /// An output slice: its guest address and zeroed bytes (`None`: NULL).
    Out(Option<(u32, Vec<u8>)>),
}

/// The arguments of one callback invocation, taken in C order by the generated adapter.
#[derive(Debug)]
pub struct CbArgs {
    vals: std::vec::IntoIter<CbVal>,
    /// Output slices given back by the adapter: (guest address, bytes).
    outs: Vec<(u32, Vec<u8>)>,
    /// Addresses of the output slices taken, in order (`None`: NULL).
    out_addrs: Vec<Option<u32>>,
}

/// Integers a callback parameter can be: the C value is the low bits of the core value.
pub trait CbInt: Sized {
    /// The C value from the core value's bits.
    fn from_core(v: i64) -> Self;
}

macro_rules! cb_int {
    ($($t:ty),*) => {$(
        impl CbInt for $t {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            fn from_core(v: i64) -> Self { v as $t }
        }
    )*};
}
cb_int!(i8, u8, i16, u16, i32, u32, i64, u64);

impl CbInt for bool {
    fn from_core(v: i64) -> Self {
        v & 0xff != 0
    }
}

impl CbArgs {
    fn next(&mut self) -> CbVal {
        // The generated adapter takes exactly the values the spec gives.
        self.vals.next().unwrap_or(CbVal::Int(0))
    }

    /// The next integer argument.
    pub fn int<T: CbInt>(&mut self) -> T {
        match self.next() {
            CbVal::Int(v) => T::from_core(v),
            _ => T::from_core(0),
        }
    }

    /// The next `float` argument.
    pub fn f32(&mut self) -> f32 {
        match self.next() {
            CbVal::F32(v) => v,
            _ => 0.0,
        }
    }

    /// The next `double` argument.
    pub fn f64(&mut self) -> f64 {
        match self.next() {
            CbVal::F64(v) => v,
            _ => 0.0,
        }
    }

    /// The next pointer argument read as one element of `T`.
    pub fn value<T: Elem>(&mut self) -> T {
        self.slice::<T>().first().copied().unwrap_or_default()
    }

    /// The next input slice.
    pub fn slice<T: Elem>(&mut self) -> Vec<T> {
        match self.next() {
            CbVal::Bytes(b) => T::decode_vec(&b),
            _ => Vec::new(),
        }
    }

    /// The next output slice (zeroed; `None` when the guest passed NULL); give it back with
    /// [`CbArgs::put_out`] after the closure ran.
    pub fn out<T: Elem>(&mut self) -> Option<Vec<T>> {
        match self.next() {
            CbVal::Out(Some((addr, bytes))) => {
                self.out_addrs.push(Some(addr));
                Some(T::decode_vec(&bytes))
            }
            _ => {
                self.out_addrs.push(None);
                None
            }
        }
    }

    /// Gives back the output slice taken by the matching [`CbArgs::out`] (in the same order).
    pub fn put_out<T: Elem>(&mut self, v: Option<Vec<T>>) {
        let addr = self.out_addrs.get(self.outs.len()).copied().flatten();
        if let (Some(addr), Some(v)) = (addr, v) {
            let mut bytes = vec![0u8; v.len() * T::SIZE];
            T::encode(&v, &mut bytes);
            self.outs.push((addr, bytes));
        } else {
            self.outs.push((0, Vec::new()));
        }
    }
}

/// A closure's result as the callback's core result.
#[derive(Debug, Clone, Copy)]
pub struct CbResult(Option<Val>);

macro_rules! cb_result {
    ($($t:ty => $v:ident, $conv:expr);* $(;)?) => {$(
        impl From<$t> for CbResult {
            fn from(x: $t) -> Self {
                let f: fn($t) -> Val = $conv;
                CbResult(Some(f(x)))
            }
        }
    )*};
}
cb_result! {
    i8 => I32, |x| Val::I32(i32::from(x));
    u8 => I32, |x| Val::I32(i32::from(x));
    i16 => I32, |x| Val::I32(i32::from(x));
    u16 => I32, |x| Val::I32(i32::from(x));
    i32 => I32, Val::I32;
    u32 => I32, |x| Val::I32(i32::from_le_bytes(x.to_le_bytes()));
    i64 => I64, Val::I64;
    u64 => I64, |x| Val::I64(i64::from_le_bytes(x.to_le_bytes()));
    bool => I32, |x| Val::I32(i32::from(x));
    f32 => F32, |x| Val::F32(x.to_bits());
    f64 => F64, |x| Val::F64(x.to_bits());
}

impl From<()> for CbResult {
    fn from((): ()) -> Self {
        CbResult(None)
    }
}

/// The closure adapter the generated code passes for one callback.
pub type Adapter<'a> = &'a mut (dyn FnMut(&mut CbArgs) -> CbResult + Send);

/// A request from the guest thread: which slot, with what arguments.
struct Request {
    key: (usize, usize),
    vals: Vec<CbVal>,
}

/// The reply: the result and output slices, or why the callback failed.
type Reply = Result<(CbResult, Vec<(u32, Vec<u8>)>), String>;

/// The link between the host functions in the table and the call in flight.
struct Link {
    requests: Sender<Request>,
    replies: Receiver<Reply>,
}

/// Per-instance callback state: the exported table and the slots grown into it.
#[derive(Default)]
pub(crate) struct Slots {
    table: Option<Table>,
    indices: HashMap<(usize, usize), u32>,
    link: Arc<Mutex<Option<Link>>>,
}

impl Slots {
    /// The state of a new instance (`table`: its exported function table, if any).
    pub(crate) fn new(table: Option<Table>) -> Self {
        Slots {
            table,
            ..Slots::default()
        }
    }
}

/// A guest error inside a callback (the message of the trap it becomes).
fn guest_err(what: &str, msg: String) -> wasmtime::Error {
    wasmtime::Error::msg(format!("{what}: {msg}"))
}

/// Reads the host values of one invocation from the raw core values.
fn read_args(
    caller: &mut Caller<'_, crate::wasi::Host>,
    spec: &CallbackSpec,
    raw: &[Val],
) -> wasmtime::Result<Vec<CbVal>> {
    let memory = match caller.get_export("memory") {
        Some(Extern::Memory(m)) => m,
        _ => return Err(guest_err(spec.what, "the guest has no memory".into())),
    };
    let int = |v: &Val| match v {
        Val::I32(x) => i64::from(*x),
        Val::I64(x) => *x,
        _ => 0,
    };
    let count = |k: usize| u32::try_from(int(&raw[k]) & 0xffff_ffff).unwrap_or(0);
    let mut out = Vec::new();
    for (kind, v) in spec.params.iter().zip(raw) {
        let addr = u32::try_from(int(v) & 0xffff_ffff).unwrap_or(0);
        let read = |caller: &Caller<'_, crate::wasi::Host>, n: u64| -> wasmtime::Result<Vec<u8>> {
            let range = usize::try_from(addr)
                .ok()
                .zip(usize::try_from(n).ok())
                .and_then(|(a, n)| Some(a..a.checked_add(n)?));
            range
                .and_then(|r| memory.data(caller).get(r).map(<[u8]>::to_vec))
                .ok_or_else(|| {
                    guest_err(
                        spec.what,
                        format!("the guest passed {n} bytes at {addr:#x}, outside its memory"),
                    )
                })
        };
        out.push(match *kind {
            CbKind::I32 | CbKind::I64 => CbVal::Int(int(v)),
            CbKind::F32 => CbVal::F32(v.unwrap_f32()),
            CbKind::F64 => CbVal::F64(v.unwrap_f64()),
            CbKind::User | CbKind::Len(_) => continue,
            CbKind::Value(size) => CbVal::Bytes(read(caller, u64::from(size))?),
            CbKind::In(size, k) | CbKind::Out(size, k) => {
                let n = u64::from(count(k)) * u64::from(size);
                let is_out = matches!(kind, CbKind::Out(..));
                match (addr, is_out) {
                    (0, true) => CbVal::Out(None),
                    (0, false) if n == 0 => CbVal::Bytes(Vec::new()),
                    (0, false) => {
                        return Err(guest_err(
                            spec.what,
                            format!("the guest passed NULL with a count of {}", count(k)),
                        ))
                    }
                    (_, true) => CbVal::Out(Some((addr, {
                        read(caller, n)?;
                        vec![0; usize::try_from(n).unwrap_or(0)]
                    }))),
                    (_, false) => CbVal::Bytes(read(caller, n)?),
                }
            }
        });
    }
    Ok(out)
}

/// The host function of one slot: forwards each invocation to the call in flight.
fn host_func(
    caller: &mut Caller<'_, crate::wasi::Host>,
    spec: &'static CallbackSpec,
    link: &Mutex<Option<Link>>,
    raw: &[Val],
    results: &mut [Val],
) -> wasmtime::Result<()> {
    let guard = link.lock().unwrap_or_else(PoisonError::into_inner);
    let Some(link) = guard.as_ref() else {
        return Err(guest_err(
            spec.what,
            "called after the call that passed it returned (the guest kept the function pointer); \
             callbacks are valid only during their call"
                .into(),
        ));
    };
    let vals = read_args(caller, spec, raw)?;
    link.requests
        .send(Request {
            key: spec.key,
            vals,
        })
        .map_err(|_| guest_err(spec.what, "the call has ended".into()))?;
    let (result, outs) = link
        .replies
        .recv()
        .map_err(|_| guest_err(spec.what, "the call has ended".into()))?
        .map_err(|msg| guest_err(spec.what, msg))?;
    drop(guard);
    let memory = match caller.get_export("memory") {
        Some(Extern::Memory(m)) => m,
        _ => return Err(guest_err(spec.what, "the guest has no memory".into())),
    };
    for (addr, bytes) in outs {
        let start = usize::try_from(addr).unwrap_or(usize::MAX);
        let dst = start
            .checked_add(bytes.len())
            .and_then(|end| memory.data_mut(&mut *caller).get_mut(start..end));
        match dst {
            Some(dst) => dst.copy_from_slice(&bytes),
            None if bytes.is_empty() => {}
            None => return Err(guest_err(spec.what, "output slice outside memory".into())),
        }
    }
    if let (Some(slot), Some(v)) = (results.first_mut(), result.0) {
        *slot = v;
    }
    Ok(())
}

/// The message of a caught panic.
fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}

impl Call<'_> {
    /// The table index of each callback's slot in this instance, grown into the guest's exported
    /// table the first time. [`Error::Load`] when the guest does not export a growable table.
    pub fn callback_slots(&mut self, specs: &[&'static CallbackSpec]) -> Result<Vec<u32>, Error> {
        let mut out = Vec::with_capacity(specs.len());
        for &spec in specs {
            if let Some(&i) = self.callbacks.indices.get(&spec.key) {
                out.push(i);
                continue;
            }
            let table = self.callbacks.table.ok_or_else(|| {
                Error::Load(format!(
                    "the guest does not export its function table (`{TABLE}`), which callbacks need: \
                     link it with `wasm-ld --export-table --growable-table`"
                ))
            })?;
            let ty = FuncType::new(
                self.store.engine(),
                spec.params.iter().map(|k| k.core()),
                spec.result.map(CbKind::core),
            );
            let link = Arc::clone(&self.callbacks.link);
            let func = Func::new(&mut *self.store, ty, move |mut caller, raw, results| {
                host_func(&mut caller, spec, &link, raw, results)
            });
            let index = table
                .grow(&mut *self.store, 1, Ref::Func(Some(func)))
                .ok()
                .and_then(|i| u32::try_from(i).ok())
                .ok_or_else(|| {
                    Error::Load(format!(
                        "cannot add {} to the guest's function table: link it with `wasm-ld --growable-table`",
                        spec.what
                    ))
                })?;
            self.callbacks.indices.insert(spec.key, index);
            out.push(index);
        }
        Ok(out)
    }

    /// Calls the export `func` like [`Call::invoke`], with `callbacks` (each spec and its
    /// closure adapter) live for the duration: the guest runs on a helper thread, the closures
    /// on this one (see the module doc). A panicking closure makes it [`Error::Callback`].
    pub fn invoke_callbacks<P, R>(
        &mut self,
        func: &wasmtime::TypedFunc<P, R>,
        params: P,
        callbacks: &mut [(&'static CallbackSpec, Adapter<'_>)],
    ) -> Result<R, Error>
    where
        P: wasmtime::WasmParams + Send,
        R: wasmtime::WasmResults + Send,
    {
        self.seal()?;
        let (requests, incoming) = channel::<Request>();
        let (replies, answers) = channel::<Reply>();
        let link = Arc::clone(&self.callbacks.link);
        *link.lock().unwrap_or_else(PoisonError::into_inner) = Some(Link {
            requests,
            replies: answers,
        });
        let function = self.function;
        let stack = self
            .max_wasm_stack
            .saturating_add(crate::stack::HOST_MARGIN);
        let store = &mut *self.store;
        let mut failure: Option<String> = None;
        let outcome = std::thread::scope(|scope| {
            let guest_link = Arc::clone(&link);
            let thread = std::thread::Builder::new()
                .name("wasm-bind-callbacks".into())
                .stack_size(stack)
                .spawn_scoped(scope, move || {
                    let r = func.call(&mut *store, params);
                    // Ends the loop below (the last sender is dropped) and voids the slots.
                    *guest_link.lock().unwrap_or_else(PoisonError::into_inner) = None;
                    r
                });
            let thread = match thread {
                Ok(t) => t,
                Err(e) => {
                    *link.lock().unwrap_or_else(PoisonError::into_inner) = None;
                    return Err(Error::Host {
                        function,
                        message: format!("could not start the thread that runs the guest: {e}"),
                    });
                }
            };
            while let Ok(req) = incoming.recv() {
                let reply = match callbacks.iter_mut().find(|(s, _)| s.key == req.key) {
                    None => Err("called outside the call that passed it".to_string()),
                    Some((spec, adapter)) => {
                        let mut args = CbArgs {
                            vals: req.vals.into_iter(),
                            outs: Vec::new(),
                            out_addrs: Vec::new(),
                        };
                        match catch_unwind(AssertUnwindSafe(|| adapter(&mut args))) {
                            Ok(r) => Ok((r, args.outs)),
                            Err(p) => {
                                let msg = format!("{} panicked: {}", spec.what, panic_message(&*p));
                                failure.get_or_insert(msg.clone());
                                Err(msg)
                            }
                        }
                    }
                };
                if replies.send(reply).is_err() {
                    break;
                }
            }
            thread
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p))
                .map_err(|e| Error::from_call(function, e))
        });
        match (outcome, failure) {
            (Err(_), Some(message)) => Err(Error::Callback { function, message }),
            (r, _) => r,
        }
    }
}
