//! The mailbox: the inbox a call's input is written to, the outbox its reply is read from,
//! the status each export answers, and the module's one state (the mailbox and the
//! objects of `objects.rs`).

use crate::prelude::*;

use core::cell::RefCell;

use super::errors::invalid_input;
use super::objects::Objects;

/// State in a `static`. wasm32 without the atomics feature runs one thread per instance (a
/// Web Worker is another instance with its own memory), so this is what `thread_local!`
/// would be.
pub(super) struct Local<T>(RefCell<T>);

// SAFETY: no threads (see above; the build refuses the atomics feature).
unsafe impl<T> Sync for Local<T> {}

impl<T> Local<T> {
    pub(super) const fn new(value: T) -> Local<T> {
        Local(RefCell::new(value))
    }
}

/// The module's state: the mailbox and the objects.
struct State {
    inbox: Vec<u8>,
    outbox: Vec<u8>,
    objects: Objects,
}

static STATE: Local<State> = Local::new(State {
    inbox: Vec::new(),
    outbox: Vec::new(),
    objects: Objects::new(),
});

/// What a call gives: bytes for the outbox (text, but for `verifier_verify`), or nothing
/// (2).
pub(super) enum Reply {
    Bytes(Vec<u8>),
    Nothing,
}

impl From<String> for Reply {
    fn from(text: String) -> Reply {
        Reply::Bytes(text.into_bytes())
    }
}

/// Runs one call: its input is the inbox (as text when `f` wants text), its reply goes to
/// the outbox. A call never reaches the mailbox again, so the borrow is free, unless an
/// earlier call trapped midway (a bug) and left it borrowed: then 3, which the driver reports
/// as the module having stopped.
pub(super) fn call<R: Into<Reply>>(
    f: impl FnOnce(&[u8], &mut Objects) -> Result<R, String>,
) -> u32 {
    let Ok(mut state) = STATE.0.try_borrow_mut() else {
        return 3;
    };
    let State {
        inbox,
        outbox,
        objects,
    } = &mut *state;
    let (status, reply) = match f(inbox, objects).map(Into::into) {
        Ok(Reply::Bytes(bytes)) => (0, bytes),
        Ok(Reply::Nothing) => (2, Vec::new()),
        Err(e) => (1, e.into_bytes()),
    };
    // Requests carry passwords, answers tokens, SRP its secret: zeroed once read, not left
    // in freed memory for the next allocation.
    outbox.fill(0);
    *outbox = reply;
    inbox.fill(0);
    inbox.clear();
    status
}

/// Forgets an object. Not through [`call`]: the outbox is left as it is (the driver may
/// still be reading the last reply), and when the state is busy (only after a trap, which
/// left it borrowed) nothing happens, so that a `finally` or a collected object's clean-up
/// never adds a second error to the first.
pub(super) fn free(f: impl FnOnce(&mut Objects)) {
    if let Ok(mut state) = STATE.0.try_borrow_mut() {
        f(&mut state.objects);
    }
}

/// The inbox as text. The driver writes UTF-8 (`TextEncoder`); anything else is refused.
pub(super) fn text(inbox: &[u8]) -> Result<&str, String> {
    core::str::from_utf8(inbox).map_err(|_| invalid_input(&["text that is not UTF-8"]))
}

/// The inbox's text as `first \n rest` (the first part a name the driver chose: no newline).
pub(super) fn split(inbox: &[u8]) -> Result<(&str, &str), String> {
    crate::split_at_byte(text(inbox)?, b'\n')
        .ok_or_else(|| invalid_input(&["a call without its parts"]))
}

/// Room for `len` bytes of a call's input; the driver writes them there, then calls.
#[export_name = "cw_inbox"]
pub extern "C" fn inbox(len: usize) -> *mut u8 {
    // Never borrowed here: exports do not call each other. // invariant
    let Ok(mut state) = STATE.0.try_borrow_mut() else {
        core::arch::wasm32::unreachable()
    };
    state.inbox.clear();
    state.inbox.resize(len, 0);
    state.inbox.as_mut_ptr()
}

/// Where the last call's reply is.
#[export_name = "cw_outbox"]
pub extern "C" fn outbox() -> *const u8 {
    STATE
        .0
        .try_borrow()
        .map_or(core::ptr::null(), |m| m.outbox.as_ptr())
}

/// The last call's reply's length, in bytes.
#[export_name = "cw_outbox_len"]
pub extern "C" fn outbox_len() -> usize {
    STATE.0.try_borrow().map_or(0, |m| m.outbox.len())
}
