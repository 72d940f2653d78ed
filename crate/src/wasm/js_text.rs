//! A JS value as text, for messages: what fetch and WebCrypto reject with can be anything.

use crate::prelude::*;

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

#[wasm_bindgen]
extern "C" {
    /// JS's `String(value)`: what a person would read for it.
    #[wasm_bindgen(catch, js_name = String)]
    fn js_string(value: &JsValue) -> Result<String, JsValue>;
}

/// A JS value as text, for messages. Never throws: a rejected promise may carry anything
/// (even an object whose `toString` throws).
pub(crate) fn js_text(value: &JsValue) -> String {
    match value.as_string() {
        Some(s) => s,
        None => js_string(value).unwrap_or_else(|_| "a value that cannot be shown".into()),
    }
}
