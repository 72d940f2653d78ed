//! The pool's password rules, checked as the user types so that a sign-up is not a guessing
//! game. On the emulator the real policy comes from DescribeUserPool; a real pool's needs AWS
//! credentials to read, so there we show Cognito's defaults.

use serde_json::Value;

pub use cognito_wasm::password_policy::PasswordPolicy;
use cognito_wasm::password_policy::PasswordRule;

/// One rule and whether a password meets it.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    pub text: String,
    pub met: bool,
}

/// From DescribeUserPool's `UserPool.Policies.PasswordPolicy` (missing members: off, as
/// Cognito treats them; a missing length: Cognito's minimum of 6).
pub fn from_describe(answer: &Value) -> Option<PasswordPolicy> {
    let p = answer
        .get("UserPool")?
        .get("Policies")?
        .get("PasswordPolicy")?;
    let flag = |k: &str| p.get(k).and_then(Value::as_bool).unwrap_or(false);
    Some(PasswordPolicy {
        minimum_length: p
            .get("MinimumLength")
            .and_then(Value::as_u64)
            .map_or(6, |n| n.min(256) as usize),
        require_uppercase: flag("RequireUppercase"),
        require_lowercase: flag("RequireLowercase"),
        require_numbers: flag("RequireNumbers"),
        require_symbols: flag("RequireSymbols"),
    })
}

/// The rules in force, each checked against `password` (with the library's own rules, the
/// ones the emulator enforces).
pub fn check(policy: &PasswordPolicy, password: &str) -> Vec<Rule> {
    policy
        .rules()
        .into_iter()
        .map(|rule| Rule {
            text: match rule {
                PasswordRule::MinimumLength(n) => format!("At least {n} characters"),
                PasswordRule::Uppercase => "An uppercase letter".into(),
                PasswordRule::Lowercase => "A lowercase letter".into(),
                PasswordRule::Number => "A number".into(),
                PasswordRule::Symbol => "A symbol, e.g. ! @ # - _".into(),
            },
            met: rule.is_met(password),
        })
        .collect()
}
