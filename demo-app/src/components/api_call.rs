//! Step 6: call the protected API, with the access token or without one, and show what it
//! answered: the HTTP status and the JSON.

use yew::prelude::*;

use crate::api::{self, ApiAnswer};
use crate::components::status::{run, ActionButton, Status, StatusLine};
use crate::env::Env;

#[derive(Properties, PartialEq)]
pub struct ApiCallProps {
    pub env: Env,
    /// The session's access token, if signed in.
    pub access_token: Option<AttrValue>,
}

#[function_component]
pub fn ApiCall(props: &ApiCallProps) -> Html {
    let status = use_state(Status::default);
    let answer = use_state(|| None::<ApiAnswer>);
    // Which button started the running call: with the token or without.
    let with_token = use_state(|| true);

    let call = |send_token: bool| {
        let (status, answer, with_token) = (status.clone(), answer.clone(), with_token.clone());
        let api_url = props.env.settings.api_url.clone();
        let token = props.access_token.clone().filter(|_| send_token);
        Callback::from(move |_: MouseEvent| {
            if status.busy() {
                return;
            }
            with_token.set(send_token);
            answer.set(None);
            let (api_url, token, answer) = (api_url.clone(), token.clone(), answer.clone());
            run(&status, async move {
                let a = api::videos(&api_url, token.as_deref()).await?;
                answer.set(Some(a));
                Ok(Status::Idle)
            });
        })
    };
    let busy = status.busy();
    let url = format!("{}/api/videos", props.env.settings.api_url);

    html! {
        <section aria-labelledby="api-title">
            <h2 id="api-title">{ "6. Call the protected API" }</h2>
            <p>
                <code>{ format!("GET {url}") }</code>{ " with the header " }
                <code>{ "Authorization: Bearer <access token>" }</code>
                { ". The API verifies the token itself and answers only with a valid one." }
            </p>
            if props.access_token.is_none() {
                <p class="hint" id="api-no-session">
                    { "You are not signed in, so both calls go without a token." }
                </p>
            }
            <div class="buttons">
                <ActionButton
                    id="api-call" label="Call the protected API" onclick={call(true)}
                    busy={busy && *with_token} disabled={busy}
                />
                <ActionButton
                    id="api-call-anonymous" label="Call it without a token" secondary=true
                    onclick={call(false)} busy={busy && !*with_token} disabled={busy}
                />
            </div>
            <div aria-live="polite">
                if let Some(a) = &*answer { <Answer answer={a.clone()} /> }
            </div>
            <StatusLine id="api-status" status={(*status).clone()} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct AnswerProps {
    answer: ApiAnswer,
}

#[function_component]
fn Answer(props: &AnswerProps) -> Html {
    let a = &props.answer;
    let outcome = if a.status == 200 { "ok" } else { "refused" };
    let how = if a.with_token {
        "with the access token"
    } else {
        "without a token"
    };
    let summary = match a.status {
        200 => {
            let videos = a.videos();
            let plural = if videos.len() == 1 { "" } else { "s" };
            let items = videos
                .into_iter()
                .map(|(id, title)| html! { <li key={id}>{ title }</li> });
            html! {
                <>
                    <p class="ok">
                        { "The API knows you as " }
                        <strong id="api-username">{ a.username().unwrap_or("?") }</strong>
                        { format!(" and lists {} video{plural}:", items.len()) }
                    </p>
                    <ul>{ for items }</ul>
                </>
            }
        }
        401 => html! {
            <p class="refused">
                { "The API refused the call: " }{ a.reason().unwrap_or("no reason given") }
            </p>
        },
        503 => html! {
            <p class="refused">
                { "The API cannot check tokens right now (it cannot fetch the pool's keys); \
                   try again in a few seconds." }
            </p>
        },
        _ => html! { <p class="refused">{ "The API answered with an unexpected status." }</p> },
    };
    html! {
        <div class="api-answer" id="api-answer">
            <p class={classes!("http-status", outcome)} id="api-http-status">
                { format!("HTTP {} {}", a.status, a.status_text) }
                <small>{ format!(" ({how})") }</small>
            </p>
            { summary }
            <pre id="api-json">{ a.pretty() }</pre>
        </div>
    }
}
