//! The pool's password rules, ticked off live as the user types.

use yew::prelude::*;

use crate::policy::PasswordPolicy;

#[derive(Properties, PartialEq)]
pub struct RulesProps {
    pub id: AttrValue,
    pub policy: PasswordPolicy,
    pub password: AttrValue,
    /// Where the rules come from (the pool, or Cognito's defaults).
    pub source: AttrValue,
}

/// Not a live region: announcing every keystroke would drown a screen reader. The list is
/// tied to the password input with `aria-describedby` and says "done"/"not yet" per rule.
#[function_component]
pub fn PasswordRules(props: &RulesProps) -> Html {
    let rules = crate::policy::check(&props.policy, &props.password);
    html! {
        <div class="rules" id={props.id.clone()}>
            <p class="hint">{ props.source.clone() }</p>
            <ul>
                { for rules.into_iter().map(|rule| {
                    let (class, tick, spoken) = if rule.met {
                        ("met", "✓", ": done")
                    } else {
                        ("unmet", "○", ": not yet")
                    };
                    html! {
                        <li {class}>
                            <span class="tick" aria-hidden="true">{ tick }</span>
                            { rule.text }
                            <span class="visually-hidden">{ spoken }</span>
                        </li>
                    }
                }) }
            </ul>
        </div>
    }
}
