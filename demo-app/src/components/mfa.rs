//! Part of step 5: two-factor sign-in for the signed-in user. Set up an authenticator app
//! (AssociateSoftwareToken, its key as a QR code, VerifySoftwareToken with a code of it), and
//! choose the second factor the next sign-in asks for (SetUserMFAPreference): none, the app,
//! or a code by email (or text message, for a user with a phone number). What Cognito has
//! is read back with GetUser (UserMFASettingList, PreferredMfaSetting).

use std::rc::Rc;

use cognito_wasm::User;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::authenticator::AuthenticatorKey;
use crate::components::field::Field;
use crate::components::focus;
use crate::components::status::{run, ActionButton, Status, StatusLine};
use crate::env::Env;
use crate::session::Session;

/// The name VerifySoftwareToken gives the app.
const DEVICE_NAME: &str = "cognito-wasm demo";
/// The choice of no second factor.
const NONE: &str = "NONE";

#[derive(Properties, PartialEq)]
pub struct MfaProps {
    pub env: Env,
    pub session: Rc<Session>,
}

#[function_component]
pub fn Mfa(props: &MfaProps) -> Html {
    let status = use_state(Status::default);
    // What GetUser last said.
    let user = use_state(|| None::<Rc<User>>);
    // A key associated and waiting for its first code.
    let secret = use_state(|| None::<String>);
    let code = use_state(String::new);
    let choice = use_state(|| None::<String>);
    let access = props.session.tokens.access_token.clone();
    let settings = props.env.settings.clone();

    // Reads the user's MFA settings (at first, and after each change).
    let reload = {
        let (user, choice, settings, access) = (
            user.clone(),
            choice.clone(),
            settings.clone(),
            access.clone(),
        );
        move || {
            let (user, choice, settings, access) = (
                user.clone(),
                choice.clone(),
                settings.clone(),
                access.clone(),
            );
            async move {
                let me = settings.client()?.get_user(&access).await?;
                choice.set(Some(
                    me.preferred_mfa.clone().unwrap_or_else(|| NONE.into()),
                ));
                user.set(Some(Rc::new(me)));
                Ok::<_, crate::errors::Failure>(())
            }
        }
    };
    {
        let (status, reload) = (status.clone(), reload.clone());
        use_effect_with(access.clone(), move |_| {
            run(&status, async move {
                reload().await?;
                Ok(Status::Idle)
            });
        });
    }

    let start = {
        let (status, secret, settings, access) = (
            status.clone(),
            secret.clone(),
            settings.clone(),
            access.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let (secret, settings, access) = (secret.clone(), settings.clone(), access.clone());
            run(&status, async move {
                let key = settings
                    .client()?
                    .associate_software_token(Some(&access), None)
                    .await?;
                secret.set(key.secret_code);
                Ok(Status::Info(
                    "A new key: add it to your authenticator app, then enter the code it shows."
                        .into(),
                ))
            });
        })
    };
    let verify = {
        let (status, secret, code, settings, access) = (
            status.clone(),
            secret.clone(),
            code.clone(),
            settings.clone(),
            access.clone(),
        );
        let reload = reload.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (secret, settings, access, reload) = (
                secret.clone(),
                settings.clone(),
                access.clone(),
                reload.clone(),
            );
            let given = code.trim().to_owned();
            let code = code.clone();
            run(&status, async move {
                let client = settings.client()?;
                client
                    .verify_software_token(Some(&access), None, &given, Some(DEVICE_NAME))
                    .await?;
                client
                    .set_user_mfa_preference(&access, Some("PREFERRED"), None, None)
                    .await?;
                secret.set(None);
                code.set(String::new());
                reload().await?;
                Ok(Status::Done(
                    "Your authenticator app is set up and preferred: the next sign-in asks \
                     for its code."
                        .into(),
                ))
            });
        })
    };
    let save = {
        let (status, choice, settings, access) = (
            status.clone(),
            choice.clone(),
            settings.clone(),
            access.clone(),
        );
        let (reload, user) = (reload.clone(), user.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let chosen = (*choice).clone().unwrap_or_else(|| NONE.into());
            let has_app = (user.as_ref())
                .is_some_and(|u| u.mfa_settings.iter().any(|f| f == "SOFTWARE_TOKEN_MFA"));
            let (settings, access, reload) = (settings.clone(), access.clone(), reload.clone());
            run(&status, async move {
                // The chosen factor preferred; the others off, but for a verified app, which
                // stays enabled (not preferred) so that choosing it again needs no new key.
                // Nothing more: every factor off.
                let word = |factor: &str| {
                    Some(if chosen == factor {
                        "PREFERRED"
                    } else if chosen != NONE && factor == "SOFTWARE_TOKEN_MFA" && has_app {
                        "NOT_PREFERRED"
                    } else {
                        "DISABLED"
                    })
                };
                settings
                    .client()?
                    .set_user_mfa_preference(
                        &access,
                        word("SOFTWARE_TOKEN_MFA"),
                        word("SMS_MFA"),
                        word("EMAIL_OTP"),
                    )
                    .await?;
                reload().await?;
                Ok(Status::Done(if chosen == NONE {
                    "No second factor: the next sign-in needs the password alone (unless the \
                     pool requires MFA)."
                        .into()
                } else {
                    format!(
                        "Saved: the next sign-in asks for {}.",
                        factor_words(&chosen).to_lowercase()
                    )
                }))
            });
        })
    };

    // The code field, once the key it is for is shown (after the render that shows it).
    use_effect_with(secret.is_some(), |shown| {
        if *shown {
            focus("mfa-code");
        }
    });
    let busy = status.busy();
    let me = (*user).clone();
    let enabled: Vec<String> = me
        .as_ref()
        .map(|u| u.mfa_settings.clone())
        .unwrap_or_default();
    let has_phone = me
        .as_ref()
        .is_some_and(|u| u.attribute("phone_number").is_some());
    let now = match me.as_ref() {
        None => "Reading your settings…".to_owned(),
        Some(u) if u.mfa_settings.is_empty() => {
            "No second factor: you sign in with your password alone.".into()
        }
        Some(u) => format!(
            "Enabled: {}. Preferred: {}.",
            u.mfa_settings
                .iter()
                .map(|f| factor_words(f))
                .collect::<Vec<_>>()
                .join(", "),
            u.preferred_mfa
                .as_deref()
                .map(factor_words)
                .unwrap_or_else(|| "none".into())
        ),
    };
    let option = |value: &'static str, hint: &'static str, available: bool| {
        let choice_state = choice.clone();
        let onchange = Callback::from(move |e: Event| {
            if e.target_unchecked_into::<HtmlInputElement>().checked() {
                choice_state.set(Some(value.into()));
            }
        });
        let id = format!("mfa-choice-{value}");
        html! {
            <div class="check">
                <input
                    type="radio" name="mfa-choice" id={id.clone()} value={value}
                    checked={choice.as_deref() == Some(value)} disabled={!available} {onchange}
                />
                <label for={id}>{ factor_words(value) }</label>
                <small class="hint">{ hint }</small>
            </div>
        }
    };

    html! {
        <section class="mfa" id="mfa" aria-labelledby="mfa-title">
            <h3 id="mfa-title">{ "Two-factor sign-in" }</h3>
            <p id="mfa-now">{ now }</p>
            if let Some(key) = &*secret {
                <AuthenticatorKey secret={key.clone()} account={props.session.username()} />
                <form id="mfa-verify-form" onsubmit={verify}>
                    <Field
                        id="mfa-code" label="Code from the app" value={code.clone()} required=true
                        autocomplete="one-time-code" inputmode="numeric"
                    />
                    <ActionButton id="mfa-verify" label="Verify the app" {busy} />
                </form>
            } else {
                <ActionButton
                    id="mfa-setup" label="Set up an authenticator app" secondary=true
                    onclick={start} {busy}
                />
            }
            <form id="mfa-choice-form" onsubmit={save}>
                <fieldset>
                    <legend>{ "What the next sign-in asks after the password" }</legend>
                    { option(NONE, "", true) }
                    { option(
                        "SOFTWARE_TOKEN_MFA", "Set up an app above first.",
                        enabled.iter().any(|f| f == "SOFTWARE_TOKEN_MFA"),
                    ) }
                    { option("EMAIL_OTP", "Asked only where the pool offers email codes.", true) }
                    if has_phone {
                        { option("SMS_MFA", "Asked only where the pool offers text messages.", true) }
                    }
                </fieldset>
                <ActionButton id="mfa-save" label="Save" secondary=true disabled={busy || me.is_none()} />
            </form>
            <StatusLine id="mfa-status" status={(*status).clone()} />
        </section>
    }
}

/// A factor in words.
pub fn factor_words(name: &str) -> String {
    match name {
        NONE => "Nothing more".into(),
        "SOFTWARE_TOKEN_MFA" => "A code of my authenticator app".into(),
        "EMAIL_OTP" => "A code by email".into(),
        "SMS_MFA" => "A code by text message".into(),
        other => other.into(),
    }
}
