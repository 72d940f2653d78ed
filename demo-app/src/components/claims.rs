//! A token's verified claims as a table: one row per claim, times as local dates (with the
//! raw Unix seconds beside them, since that is what the token holds).

use std::rc::Rc;

use cognito_wasm::{ClaimValue, Claims};
use wasm_bindgen::JsValue;
use yew::prelude::*;

use crate::time;

/// Claims that hold Unix seconds.
const TIME_CLAIMS: [&str; 4] = ["exp", "iat", "auth_time", "nbf"];

#[derive(Properties, PartialEq)]
pub struct ClaimsTableProps {
    pub id: AttrValue,
    pub title: AttrValue,
    pub claims: Rc<Claims>,
}

#[function_component]
pub fn ClaimsTable(props: &ClaimsTableProps) -> Html {
    let rows = props.claims.iter().map(|(name, value)| {
        html! {
            <tr>
                <th scope="row"><code>{ name }</code></th>
                <td>{ cell(name, value) }</td>
            </tr>
        }
    });
    html! {
        <table class="claims" id={props.id.clone()}>
            <caption>{ props.title.clone() }</caption>
            <thead>
                <tr><th scope="col">{ "Claim" }</th><th scope="col">{ "Value" }</th></tr>
            </thead>
            <tbody>{ for rows }</tbody>
        </table>
    }
}

fn cell(name: &str, value: &ClaimValue) -> Html {
    match value {
        ClaimValue::Number(n) if TIME_CLAIMS.contains(&name) => {
            let secs = value.as_i64().unwrap_or_default() as f64;
            let iso = js_sys::Date::new(&JsValue::from_f64(secs * 1000.0)).to_iso_string();
            html! {
                <>
                    <time datetime={String::from(iso)}>{ time::local_datetime(secs) }</time>
                    { " " }<span class="raw">{ n.clone() }</span>
                </>
            }
        }
        ClaimValue::String(s) => html! { s.clone() },
        ClaimValue::Array(items) => items
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
            .collect::<Vec<_>>()
            .join(", ")
            .into(),
        other => other.to_string().into(),
    }
}
