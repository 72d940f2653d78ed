//! One component per step of the practical, and the small parts they share.

pub mod account;
pub mod admin_user;
pub mod api_call;
pub mod authenticator;
pub mod challenge;
pub mod claims;
pub mod confirm;
pub mod field;
pub mod mailbox;
pub mod mfa;
pub mod reset;
pub mod rules;
pub mod session_view;
pub mod settings_form;
pub mod sign_in;
pub mod sign_up;
pub mod status;

use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

/// Moves the keyboard focus to the element with `id` (after "Use this code", to the field it
/// filled, so Enter submits its form).
pub fn focus(id: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<HtmlElement>().ok());
    if let Some(e) = element {
        let _ = e.focus();
    }
}
