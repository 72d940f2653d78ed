//! The pool's password rules, checked as the user types so that a sign-up is not a guessing
//! game. On the emulator the real policy comes from DescribeUserPool; a real pool's needs AWS
//! credentials to read, so there we show Cognito's defaults.

use serde_json::Value;

/// Cognito's symbol set for password policies (space counts too).
pub const SYMBOLS: &str = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";

/// A pool's password policy.
#[derive(Clone, Debug, PartialEq)]
pub struct PasswordPolicy {
    pub minimum_length: u32,
    pub require_uppercase: bool,
    pub require_lowercase: bool,
    pub require_numbers: bool,
    pub require_symbols: bool,
}

impl Default for PasswordPolicy {
    /// Cognito's defaults for a new pool.
    fn default() -> Self {
        PasswordPolicy {
            minimum_length: 8,
            require_uppercase: true,
            require_lowercase: true,
            require_numbers: true,
            require_symbols: true,
        }
    }
}

/// One rule and whether a password meets it.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    pub text: String,
    pub met: bool,
}

impl PasswordPolicy {
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
                .map_or(6, |n| n.min(256) as u32),
            require_uppercase: flag("RequireUppercase"),
            require_lowercase: flag("RequireLowercase"),
            require_numbers: flag("RequireNumbers"),
            require_symbols: flag("RequireSymbols"),
        })
    }

    /// The rules in force, each checked against `password` (as the emulator checks them).
    pub fn check(&self, password: &str) -> Vec<Rule> {
        let has = |f: fn(char) -> bool| password.chars().any(f);
        let mut rules = vec![Rule {
            text: format!("At least {} characters", self.minimum_length),
            met: password.chars().count() >= self.minimum_length as usize,
        }];
        let optional = [
            (
                self.require_uppercase,
                "An uppercase letter",
                has(char::is_uppercase),
            ),
            (
                self.require_lowercase,
                "A lowercase letter",
                has(char::is_lowercase),
            ),
            (
                self.require_numbers,
                "A number",
                has(|c| c.is_ascii_digit()),
            ),
            (
                self.require_symbols,
                "A symbol, e.g. ! @ # - _",
                has(|c| SYMBOLS.contains(c)),
            ),
        ];
        for (on, text, met) in optional {
            if on {
                rules.push(Rule {
                    text: text.to_owned(),
                    met,
                });
            }
        }
        rules
    }
}
