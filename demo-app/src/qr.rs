//! The QR code of an authenticator app's `otpauth://` URI, drawn as SVG: one path of the dark
//! modules (each a 1×1 square), a white quiet zone of four modules around them, as the QR
//! standard asks, so phone cameras find it on any page background.

use qrcodegen::{QrCode, QrCodeEcc};

/// Modules of white around the code.
const QUIET: i32 = 4;

/// The SVG of `text`'s QR code (error correction M: the URI fits a small code), or `None`
/// when the text is too long for any QR code (an otpauth URI never is).
pub fn svg(text: &str, label: &str) -> Option<String> {
    let code = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let size = code.size();
    let mut path = String::new();
    for y in 0..size {
        for x in 0..size {
            if code.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + QUIET, y + QUIET));
            }
        }
    }
    let side = size + 2 * QUIET;
    // `label` is the page's own text; escaped all the same, as it lands in markup.
    let label = label
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;");
    Some(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" class="qr" role="img" aria-label="{label}" shape-rendering="crispEdges" data-modules="{size}"><rect width="{side}" height="{side}" fill="#fff"/><path d="{path}" fill="#000"/></svg>"##
    ))
}
