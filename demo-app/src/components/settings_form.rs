//! Step 1: where to talk to. Edits take effect on "Use these settings", so a half-typed URL
//! never starts requests; the warning about a client secret shows as soon as one is typed.

use yew::prelude::*;

use crate::components::field::Field;
use crate::env::{Backend, Env};
use crate::settings::{Settings, StorageChoice, PRACTICAL_SPA_CLIENT};

#[derive(Properties, PartialEq)]
pub struct SettingsFormProps {
    pub env: Env,
    pub on_apply: Callback<Settings>,
}

#[function_component]
pub fn SettingsForm(props: &SettingsFormProps) -> Html {
    let applied = &props.env.settings;
    let endpoint = use_state(|| applied.endpoint.clone());
    let pool_id = use_state(|| applied.pool_id.clone());
    let client_id = use_state(|| applied.client_id.clone());
    let client_secret = use_state(|| applied.client_secret.clone());
    let api_url = use_state(|| applied.api_url.clone());
    let storage = use_state(|| applied.storage);

    let draft = Settings {
        endpoint: (*endpoint).clone(),
        pool_id: (*pool_id).clone(),
        client_id: (*client_id).clone(),
        client_secret: (*client_secret).clone(),
        api_url: (*api_url).clone(),
        storage: *storage,
    }
    .normalised();
    let pending = draft != **applied;

    let fill = {
        let (endpoint, pool_id, client_id, client_secret, api_url, storage) = (
            endpoint.clone(),
            pool_id.clone(),
            client_id.clone(),
            client_secret.clone(),
            api_url.clone(),
            storage.clone(),
        );
        move |s: &Settings| {
            endpoint.set(s.endpoint.clone());
            pool_id.set(s.pool_id.clone());
            client_id.set(s.client_id.clone());
            client_secret.set(s.client_secret.clone());
            api_url.set(s.api_url.clone());
            storage.set(s.storage);
        }
    };
    let onsubmit = {
        let (on_apply, draft, fill) = (props.on_apply.clone(), draft.clone(), fill.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            fill(&draft);
            on_apply.emit(draft.clone());
        })
    };
    let practical = {
        let (on_apply, fill) = (props.on_apply.clone(), fill.clone());
        Callback::from(move |_: MouseEvent| {
            let s = Settings::practical();
            fill(&s);
            on_apply.emit(s);
        })
    };
    let no_secret = {
        let (client_id, client_secret) = (client_id.clone(), client_secret.clone());
        Callback::from(move |_: MouseEvent| {
            client_id.set(PRACTICAL_SPA_CLIENT.into());
            client_secret.set(String::new());
        })
    };

    let backend = match props.env.backend {
        Backend::Checking => html! {
            <p class="backend">{ "Looking for the local emulator…" }</p>
        },
        Backend::Emulator => html! {
            <p class="backend emulator" id="backend">
                <strong>{ "Local emulator" }</strong>
                { " found at " }<code>{ &applied.endpoint }</code>
                { ": the mailbox is on and the password rules are the pool's own." }
            </p>
        },
        Backend::Cognito => html! {
            <p class="backend cognito" id="backend">
                <strong>{ "Amazon Cognito" }</strong>
                if applied.endpoint().is_some() {
                    { " (no local emulator answered at that endpoint)" }
                }
                { ": real email, Cognito's default password rules, no mailbox here." }
            </p>
        },
    };
    let endpoint_hint = html! {
        <>
            { "Empty for real Cognito (" }
            <code>{ "https://cognito-idp.{region}.amazonaws.com/" }</code>{ ")." }
        </>
    };
    let api_hint = html! {
        <>{ "Step 6 calls " }<code>{ "GET {this}/api/videos" }</code>{ "." }</>
    };
    let on_storage = {
        let storage = storage.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            storage.set(StorageChoice::from_key(&select.value()));
        })
    };
    let storage_label = |c: StorageChoice| match c {
        StorageChoice::Memory => "This tab's memory: signed out at reload",
        StorageChoice::Session => "sessionStorage: kept across reloads of this tab",
        StorageChoice::Local => "localStorage: kept across reloads and shared by tabs",
    };

    html! {
        <section aria-labelledby="settings-title">
            <h2 id="settings-title">{ "1. Settings" }</h2>
            <form id="settings-form" {onsubmit}>
                <Field
                    id="endpoint" label="Cognito endpoint" value={endpoint}
                    kind="url" inputmode="url" hint={endpoint_hint}
                />
                <Field
                    id="pool-id" label="User pool id" value={pool_id}
                    required=true placeholder="us-east-1_AbC123xyz"
                />
                <Field id="client-id" label="App client id" value={client_id} required=true />
                <Field
                    id="client-secret" label="Client secret (optional)"
                    value={client_secret.clone()} autocomplete="off"
                    hint={html! {
                        "Never saved: after a reload only the practical's own secret comes back."
                    }}
                />
                if !client_secret.trim().is_empty() {
                    <p class="warning" id="secret-warning">
                        <strong>{ "Warning: " }</strong>
                        { "anyone who opens this page can read the client secret; real web apps \
                           use a client without a secret. The practical uses one, so this demo \
                           supports it." }
                    </p>
                }
                <Field
                    id="api-url" label="Demo API base URL" value={api_url}
                    kind="url" inputmode="url" hint={api_hint}
                />
                <div class="field">
                    <label for="session-storage">{ "Keep the session in" }</label>
                    <select id="session-storage" onchange={on_storage}
                        aria-describedby="session-storage-hint">
                        { for StorageChoice::ALL.into_iter().map(|c| html! {
                            <option value={c.key()} selected={c == *storage}>
                                { storage_label(c) }
                            </option>
                        }) }
                    </select>
                    <p class="hint" id="session-storage-hint">
                        { "A stored refresh token can be read by any script of this origin \
                           (an XSS hole, a bad dependency): memory is the safe default." }
                    </p>
                </div>
                <div class="buttons">
                    <button type="submit" id="apply-settings">{ "Use these settings" }</button>
                    <button type="button" class="secondary" onclick={practical}>
                        { "The practical's defaults" }
                    </button>
                    <button type="button" class="secondary" onclick={no_secret}>
                        { "Use the client without a secret" }
                    </button>
                </div>
                if pending {
                    <p class="info" id="settings-pending">
                        { "Edited: press “Use these settings” to use them." }
                    </p>
                }
            </form>
            { backend }
        </section>
    }
}
