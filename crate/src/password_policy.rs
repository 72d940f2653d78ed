//! A user pool's password policy: the rules Cognito enforces on SignUp, ChangePassword and
//! ConfirmForgotPassword. Apps show them as the user types (fewer round trips ending in
//! InvalidPasswordException); the emulator enforces them with this same code.

use crate::prelude::*;

/// The characters Cognito counts as symbols (the space included).
pub const SYMBOLS: &str = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";

/// A pool's password policy (DescribeUserPool's `Policies.PasswordPolicy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordPolicy {
    /// Minimum length in characters.
    pub minimum_length: usize,
    /// At least one uppercase letter.
    pub require_uppercase: bool,
    /// At least one lowercase letter.
    pub require_lowercase: bool,
    /// At least one digit.
    pub require_numbers: bool,
    /// At least one of [`SYMBOLS`].
    pub require_symbols: bool,
}

impl Default for PasswordPolicy {
    /// Cognito's policy for a new pool: 8 characters, upper, lower, number and symbol.
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

/// One rule of a policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordRule {
    /// At least this many characters.
    MinimumLength(usize),
    /// An uppercase letter.
    Uppercase,
    /// A lowercase letter.
    Lowercase,
    /// A digit.
    Number,
    /// One of [`SYMBOLS`].
    Symbol,
}

impl PasswordRule {
    /// Whether `password` meets this rule.
    pub fn is_met(self, password: &str) -> bool {
        let has = |f: fn(char) -> bool| password.chars().any(f);
        match self {
            PasswordRule::MinimumLength(n) => password.chars().count() >= n,
            PasswordRule::Uppercase => has(char::is_uppercase),
            PasswordRule::Lowercase => has(char::is_lowercase),
            PasswordRule::Number => has(|c| c.is_ascii_digit()),
            PasswordRule::Symbol => has(|c| SYMBOLS.contains(c)),
        }
    }
}

impl PasswordPolicy {
    /// The rules in force, the length first.
    pub fn rules(&self) -> Vec<PasswordRule> {
        let mut rules = vec![PasswordRule::MinimumLength(self.minimum_length)];
        for (on, rule) in [
            (self.require_uppercase, PasswordRule::Uppercase),
            (self.require_lowercase, PasswordRule::Lowercase),
            (self.require_numbers, PasswordRule::Number),
            (self.require_symbols, PasswordRule::Symbol),
        ] {
            if on {
                rules.push(rule);
            }
        }
        rules
    }

    /// The first rule `password` breaks, if any.
    pub fn first_unmet(&self, password: &str) -> Option<PasswordRule> {
        self.rules().into_iter().find(|r| !r.is_met(password))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_follow_the_policy() {
        let p = PasswordPolicy::default();
        assert_eq!(p.first_unmet("Correct-Horse-9"), None);
        assert_eq!(
            p.first_unmet("Short-9"),
            Some(PasswordRule::MinimumLength(8))
        );
        assert_eq!(
            p.first_unmet("correct-horse-9"),
            Some(PasswordRule::Uppercase)
        );
        assert_eq!(
            p.first_unmet("CORRECT-HORSE-9"),
            Some(PasswordRule::Lowercase)
        );
        assert_eq!(p.first_unmet("Correct-Horse-x"), Some(PasswordRule::Number));
        assert_eq!(p.first_unmet("CorrectHorse9"), Some(PasswordRule::Symbol));
        assert_eq!(
            p.first_unmet("Correct Horse 9"),
            None,
            "a space is a symbol"
        );
        let lax = PasswordPolicy {
            minimum_length: 6,
            require_uppercase: false,
            require_lowercase: false,
            require_numbers: false,
            require_symbols: false,
        };
        assert_eq!(lax.rules(), vec![PasswordRule::MinimumLength(6)]);
        assert_eq!(
            lax.first_unmet("ééééé"),
            Some(PasswordRule::MinimumLength(6))
        );
        assert_eq!(lax.first_unmet("éééééé"), None, "characters, not bytes");
    }
}
