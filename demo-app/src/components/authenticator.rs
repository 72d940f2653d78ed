//! An authenticator app's new key, as the user takes it: the QR code to scan, and the key
//! itself to type (grouped by four, as apps show it) or the link to open on this device.

use yew::prelude::*;

use crate::qr;

/// What the app lists the account under.
pub const ISSUER: &str = "cognito-wasm demo";

#[derive(Properties, PartialEq)]
pub struct AuthenticatorKeyProps {
    /// AssociateSoftwareToken's `SecretCode` (base32).
    pub secret: AttrValue,
    /// Who the key is for (the username).
    pub account: AttrValue,
}

#[function_component]
pub fn AuthenticatorKey(props: &AuthenticatorKeyProps) -> Html {
    let uri = cognito_wasm::totp_uri(ISSUER, &props.account, &props.secret);
    let label = format!("QR code of the authenticator app key for {}", props.account);
    let picture = qr::svg(&uri, &label)
        .map(|svg| Html::from_html_unchecked(AttrValue::from(svg)))
        .unwrap_or_default();
    let grouped: Vec<String> = props
        .secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    html! {
        <div class="authenticator" id="authenticator-key">
            <div class="qr-frame">{ picture }</div>
            <div>
                <p>
                    { "Scan the code with an authenticator app (Google Authenticator, 1Password, \
                       Authy, …), or type the key:" }
                </p>
                <p><code id="totp-secret" data-secret={props.secret.clone()}>{ grouped.join(" ") }</code></p>
                <p class="hint">
                    <a id="totp-uri" href={uri}>{ "Open it in an authenticator app on this device" }</a>
                    { ". Then enter the six-digit code the app shows." }
                </p>
            </div>
        </div>
    }
}
