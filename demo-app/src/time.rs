//! Times for people: claims carry Unix seconds, tables show local dates.

use std::cell::Cell;

use wasm_bindgen::JsValue;

thread_local! {
    /// Seconds the page's clock runs ahead of the browser's: on the emulator, as far as its
    /// clock was moved ("skip 55 minutes"), which every tab and every reload reads again.
    static SKIPPED: Cell<f64> = const { Cell::new(0.0) };
}

/// Seconds since the epoch: the browser's clock, or on the emulator, the emulator's.
pub fn now() -> f64 {
    js_sys::Date::now() / 1000.0 + SKIPPED.with(Cell::get)
}

/// Sets the page's clock to `emulator_now`, the emulator's time (same machine: what differs
/// is only what its clock was moved by).
pub fn align(emulator_now: f64) {
    let skipped = (emulator_now - js_sys::Date::now() / 1000.0).max(0.0);
    SKIPPED.with(|s| s.set(skipped));
}

/// `2026-11-27 14:03:09`, local time. Written out instead of `toLocaleString` so every
/// browser shows the same shape.
pub fn local_datetime(epoch_seconds: f64) -> String {
    let d = js_sys::Date::new(&JsValue::from_f64(epoch_seconds * 1000.0));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes(),
        d.get_seconds()
    )
}

/// `14:03:09`, local time.
pub fn local_time(epoch_seconds: f64) -> String {
    local_datetime(epoch_seconds)
        .split_once(' ')
        .map(|(_, t)| t.to_owned())
        .unwrap_or_default()
}

/// `59:58`, or `1:02:03` past an hour.
pub fn countdown(seconds: i64) -> String {
    let s = seconds.max(0);
    let (h, m, s) = (s / 3600, s / 60 % 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}
