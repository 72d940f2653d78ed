//! The practical as a Yew single-page app, on cognito-wasm: settings, sign-up with the pool's
//! password rules, confirmation, sign-in (SRP or password), the verified token claims, a
//! session that survives a reload (if the settings store it), refreshes by itself and follows
//! other tabs, sign-out here or everywhere, and a call to a protected API with the access
//! token. Against the local emulator by default (with a mailbox of the codes it "sent", and a
//! button that skips 55 minutes on its clock), against a real pool when the settings say so.
//!
//! Layout: `app` owns the state that crosses steps (settings, session, the prefilled
//! usernames and codes); `components/` holds one component per step; `session` is the
//! Cognito side (the library's `SessionClient` on the page's clock); `net` the page's own
//! `fetch`, which `emulator` and `api` use; `errors` turns error names into plain words.
//!
//! Passwords are never stored or logged; tokens are kept where the settings say (this tab's
//! memory by default), never logged.
//!
//! Browser-only: natively the crate is empty, so workspace-wide native builds skip Yew.
#![cfg(target_arch = "wasm32")]

mod api;
mod app;
mod components;
mod emulator;
mod env;
mod errors;
mod net;
mod policy;
mod qr;
mod session;
mod settings;
mod time;

use wasm_bindgen::prelude::*;

/// Mounts the app on `#app` (the host page shows a loading note there until then).
#[wasm_bindgen(start)]
pub fn start() {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => {
            // Replace the "Loading…" note instead of appending after it.
            root.set_inner_html("");
            yew::Renderer::<app::App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<app::App>::new().render();
        }
    }
}
