//! The registry of operations: one row per Cognito call the client makes, the one place that
//! says what it is called (in Cognito and in the JS API), what it takes, what authorises it,
//! how its body is built and what it answers.
//!
//! Everything else is derived from a row: the request (the crate builds every body from
//! it), the JS package's dispatch and its `CognitoClient` methods (the driver
//! defines one per row at `init`), the TypeScript declarations (generated from the rows and
//! the variants' docs, and checked, by `crate/tests/js_api.rs`), and the reading of
//! the answer ([`Answer`]). [`Operation::spec`] is an exhaustive `match`: a new operation does
//! not compile until it has its row. [`Client`](super::Client)'s typed methods are a few lines
//! each over the same row.

/// Declares the enum and the list of all its variants from one list.
macro_rules! operations {
    ($($(#[doc = $doc:literal])* $name:ident,)*) => {
        /// A Cognito operation the client sends. The docs of each variant are also the docs
        /// of the JS method (see the module).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Operation {
            $($(#[doc = $doc])* $name,)*
        }

        impl Operation {
            /// Every operation, in order: the JS package names them by their position here.
            pub const ALL: &'static [Operation] = &[$(Operation::$name),*];
        }
    };
}

operations! {
    /// Registers a user. `attributes`: `email`, `custom:...`, ... as name-value pairs.
    SignUp,
    /// Confirms a sign-up with the code Cognito sent.
    ConfirmSignUp,
    /// Sends the sign-up confirmation code again (the old one stops working).
    ResendConfirmationCode,
    /// Signs in with USER_PASSWORD_AUTH: the password goes to Cognito (over TLS). The app client
    /// must allow the flow; SRP keeps the password on the device.
    SignInPassword,
    /// USER_SRP_AUTH's first step, with SRP_A: part of the SRP sign-in. The password is checked
    /// here (an empty one fails before any work) and never sent.
    SignInSrp,
    /// The answer to PASSWORD_VERIFIER, the password claim: part of the SRP sign-in.
    PasswordVerifier,
    /// Answers a challenge of a sign-in (MFA, a new password, ...). `responses` must include
    /// USERNAME; SECRET_HASH is added.
    RespondToChallenge,
    /// Answers a sign-in's challenge with what the user gives: the new password
    /// (NEW_PASSWORD_REQUIRED, with `attributes` for the required ones still missing), the code
    /// (SMS_MFA, EMAIL_OTP, SOFTWARE_TOKEN_MFA), the factor chosen (SELECT_MFA_TYPE), or
    /// nothing (MFA_SETUP, once `verifySoftwareToken` has verified an app with the challenge's
    /// session: pass the challenge with the session it returned). The session, USERNAME and
    /// SECRET_HASH are the library's business.
    ConfirmSignIn,
    /// A new authenticator-app (TOTP) key: `secretCode` (base32, for the `otpauth://` URI of a
    /// QR code). With the access token of a signed-in user, or with MFA_SETUP's `session`,
    /// which the answer renews.
    AssociateSoftwareToken,
    /// Verifies the authenticator app with one of its codes (`friendlyDeviceName` names it).
    /// With the access token, or with MFA_SETUP's `session`: the answer's `session` then
    /// answers the challenge (`confirmSignIn`).
    VerifySoftwareToken,
    /// The signed-in user's MFA choices, per factor (`totp`, `sms`, `email`): ENABLED (its
    /// preference left as it is), PREFERRED, NOT_PREFERRED (enabled, not preferred) or
    /// DISABLED; a factor left out is left as it is.
    SetUserMfaPreference,
    /// New ID and access tokens from a refresh token. With a client secret, `username` (the
    /// user's username, or `sub` in alias pools) is needed for SECRET_HASH.
    Refresh,
    /// New ID and access tokens from a refresh token, and a new refresh token when the app
    /// client rotates them (which only this call does); works without rotation too. Sends the
    /// client secret itself when there is one, as the API requires.
    GetTokensFromRefreshToken,
    /// The signed-in user's username and attributes.
    GetUser,
    /// Signs the user out everywhere: every refresh token and the access tokens minted from
    /// them stop working (ID tokens stay valid for verifiers until they expire).
    GlobalSignOut,
    /// Revokes one refresh token and the access tokens minted from it (sign-out of this device).
    /// Sends the client secret itself when there is one, as the API requires.
    RevokeToken,
    /// Starts a password reset: Cognito sends a code to the verified email or phone.
    ForgotPassword,
    /// Finishes a password reset with the code and the new password.
    ConfirmForgotPassword,
    /// Changes the signed-in user's password.
    ChangePassword,
    /// Changes the signed-in user's attributes (a blank value deletes one). A new email or
    /// phone number is sent a code; in a pool that requires verification before an update,
    /// the old value stays, verified, until `verifyUserAttribute` confirms the new one.
    /// Answers where the codes went.
    UpdateUserAttributes,
    /// Sends a code to verify the signed-in user's email or phone number (`attributeName`).
    GetUserAttributeVerificationCode,
    /// Verifies the signed-in user's email or phone number with the code Cognito sent.
    VerifyUserAttribute,
    /// Deletes attributes of the signed-in user (not required or immutable ones).
    DeleteUserAttributes,
    /// Deletes the signed-in user: the account and every session end.
    DeleteUser,
}

/// What an operation is: its row in the registry.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// The method of the JS API, and the operation's name in messages: `signUp`.
    pub method: &'static str,
    /// Cognito's name: the request's `X-Amz-Target` is
    /// `AWSCognitoIdentityProviderService.{target}`.
    pub target: &'static str,
    /// What the caller gives, in order.
    pub inputs: &'static [Input],
    /// What authorises the call.
    pub auth: Auth,
    /// How the body is built from the inputs.
    pub body: Body,
    /// Whether the call takes `ClientMetadata` (for the pool's Lambda triggers): then it is
    /// one more, optional input after the others.
    pub client_metadata: bool,
    /// What the answer is.
    pub answer: Answer,
    /// A step of a method made of several calls (the SRP sign-in), not a method of its own.
    pub step: bool,
}

/// One input of an operation.
#[derive(Debug, Clone, Copy)]
pub struct Input {
    /// Its name in the JS API (`accessToken`), and in messages.
    pub name: &'static str,
    /// What it is.
    pub kind: Kind,
    /// The member of the body (or of `AuthParameters`) it is sent as; `""` for an input that
    /// is not sent as it is (the password of an SRP sign-in; the inputs of [`Body::Custom`]).
    pub member: &'static str,
    /// Whether it may be left out (or `null`).
    pub optional: bool,
}

/// The kind of an input, as the caller gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A string that must not be empty.
    Text,
    /// A string the library computed (SRP_A): passed on unchecked.
    Computed,
    /// Name-value pairs (`Record<string, string>`), sent as `[{"Name", "Value"}]`.
    Attributes,
    /// Names (`string[]`).
    Names,
    /// Name-value pairs sent as an object (challenge responses).
    Map,
    /// A sign-in's challenge, as the sign-in returned it.
    Challenge,
}

/// What authorises an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// The app client, by `ClientId`; with a client secret, `SECRET_HASH` of the username.
    SecretHash,
    /// The user's access token, one of the inputs (no client id).
    AccessToken,
    /// The app client, by `ClientId` and, when it has one, its secret itself (RevokeToken).
    ClientSecret,
}

/// How a body is built.
#[derive(Debug, Clone, Copy)]
pub enum Body {
    /// The inputs as members, with what [`Auth`] adds.
    Members,
    /// InitiateAuth with this `AuthFlow`: the inputs are `AuthParameters`, with SECRET_HASH.
    AuthParameters(&'static str),
    /// Built by a function of its own in the crate's request builder (the inputs' `member`s
    /// are then unused).
    Custom(Custom),
}

/// The bodies built by hand: challenge answers and the refresh, whose inputs are not simply
/// members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Custom {
    /// PASSWORD_VERIFIER's answer from the challenge, the timestamp and the claim.
    PasswordVerifier,
    /// RespondToAuthChallenge with the caller's responses.
    RespondToChallenge,
    /// RespondToAuthChallenge with the user's answer, under the challenge's own key.
    ConfirmSignIn,
    /// SetUserMFAPreference's settings from a word per factor.
    MfaPreference,
    /// InitiateAuth's REFRESH_TOKEN_AUTH: the username is only hashed.
    Refresh,
}

/// [`MAX_ANSWER_BYTES`] in MiB, written once for the constant and its error's message.
macro_rules! max_answer_mib {
    () => {
        1
    };
}
pub(super) use max_answer_mib;

/// The longest answer read, in bytes (1 MiB): a longer 2xx body is refused as
/// [`Error::MalformedResponse`](crate::Error::MalformedResponse) before it is parsed (and a
/// longer error body is not parsed: its exception is then the `x-amzn-errortype` header's),
/// so that no answer costs more than this much work and memory. Cognito's answers are
/// under a few KB; the largest, GetUser's, holds at most about fifty custom and twenty
/// standard attributes of up to 2048 characters each, some 150 KB. This is several times
/// that.
pub const MAX_ANSWER_BYTES: usize = max_answer_mib!() * 1024 * 1024;

/// What an operation answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Nothing (`{}`).
    Nothing,
    /// [`SignUpResult`](super::SignUpResult).
    SignUp,
    /// Where a code went: [`CodeDelivery`](super::CodeDelivery).
    CodeDelivery,
    /// Where codes went: a list of [`CodeDelivery`](super::CodeDelivery).
    CodeDeliveries,
    /// Tokens or the next challenge: [`SignInResult`](super::SignInResult).
    SignIn,
    /// The first answer of an SRP sign-in: PASSWORD_VERIFIER, checked to carry what the
    /// password claim needs (or tokens, or another challenge).
    SrpStart,
    /// New tokens: [`Tokens`](super::Tokens).
    Tokens,
    /// A user: [`User`](super::User).
    User,
    /// An authenticator app's key and the challenge's next session:
    /// [`SoftwareToken`](super::SoftwareToken).
    SoftwareToken,
}

/// An input of a row: a struct literal, so that the rows' slices of inputs are constants
/// (promoted to statics, where a `const fn`'s result would not be).
macro_rules! input {
    ($name:literal, $kind:ident, $member:literal) => {
        Input {
            name: $name,
            kind: Kind::$kind,
            member: $member,
            optional: false,
        }
    };
    (optional $name:literal, $kind:ident, $member:literal) => {
        Input {
            name: $name,
            kind: Kind::$kind,
            member: $member,
            optional: true,
        }
    };
}

const USERNAME: Input = input!("username", Text, "Username");
const CODE: Input = input!("code", Text, "ConfirmationCode");
const ACCESS_TOKEN: Input = input!("accessToken", Text, "AccessToken");
const ATTRIBUTE_NAME: Input = input!("attributeName", Text, "AttributeName");
/// The software-token calls take the access token or MFA_SETUP's session (Cognito refuses
/// both, and neither).
const OPTIONAL_ACCESS_TOKEN: Input = input!(optional "accessToken", Text, "AccessToken");
const SESSION: Input = input!(optional "session", Text, "Session");

/// A row's defaults: a plain call about a user, no ClientMetadata, nothing answered.
const CALL: Spec = Spec {
    method: "",
    target: "",
    inputs: &[],
    auth: Auth::SecretHash,
    body: Body::Members,
    client_metadata: false,
    answer: Answer::Nothing,
    step: false,
};

/// A call authorised by the user's access token.
const WITH_TOKEN: Spec = Spec {
    auth: Auth::AccessToken,
    ..CALL
};

impl Operation {
    /// The operation's row (a static: a table of them, not code that builds one).
    pub const fn spec(self) -> &'static Spec {
        match self {
            Operation::SignUp => &Spec {
                method: "signUp",
                target: "SignUp",
                inputs: &[
                    USERNAME,
                    input!("password", Text, "Password"),
                    input!(optional "attributes", Attributes, "UserAttributes"),
                ],
                client_metadata: true,
                answer: Answer::SignUp,
                ..CALL
            },
            Operation::ConfirmSignUp => &Spec {
                method: "confirmSignUp",
                target: "ConfirmSignUp",
                inputs: &[USERNAME, CODE],
                client_metadata: true,
                ..CALL
            },
            Operation::ResendConfirmationCode => &Spec {
                method: "resendConfirmationCode",
                target: "ResendConfirmationCode",
                inputs: &[USERNAME],
                client_metadata: true,
                answer: Answer::CodeDelivery,
                ..CALL
            },
            Operation::SignInPassword => &Spec {
                method: "signInPassword",
                target: "InitiateAuth",
                inputs: &[
                    input!("username", Text, "USERNAME"),
                    input!("password", Text, "PASSWORD"),
                ],
                body: Body::AuthParameters("USER_PASSWORD_AUTH"),
                client_metadata: true,
                answer: Answer::SignIn,
                ..CALL
            },
            Operation::SignInSrp => &Spec {
                method: "signInSrp",
                target: "InitiateAuth",
                inputs: &[
                    input!("username", Text, "USERNAME"),
                    input!("password", Text, ""),
                    input!("srpA", Computed, "SRP_A"),
                ],
                body: Body::AuthParameters("USER_SRP_AUTH"),
                client_metadata: true,
                answer: Answer::SrpStart,
                step: true,
                ..CALL
            },
            Operation::PasswordVerifier => &Spec {
                method: "passwordVerifier",
                target: "RespondToAuthChallenge",
                inputs: &[
                    input!("challenge", Challenge, ""),
                    input!("timestamp", Text, ""),
                    input!("signature", Text, ""),
                ],
                body: Body::Custom(Custom::PasswordVerifier),
                client_metadata: true,
                answer: Answer::SignIn,
                step: true,
                ..CALL
            },
            Operation::RespondToChallenge => &Spec {
                method: "respondToChallenge",
                target: "RespondToAuthChallenge",
                inputs: &[
                    input!("name", Text, ""),
                    input!(optional "session", Text, ""),
                    input!("responses", Map, ""),
                ],
                body: Body::Custom(Custom::RespondToChallenge),
                client_metadata: true,
                answer: Answer::SignIn,
                ..CALL
            },
            Operation::ConfirmSignIn => &Spec {
                method: "confirmSignIn",
                target: "RespondToAuthChallenge",
                inputs: &[
                    input!("challenge", Challenge, ""),
                    input!(optional "answer", Text, ""),
                    input!(optional "attributes", Map, ""),
                ],
                body: Body::Custom(Custom::ConfirmSignIn),
                client_metadata: true,
                answer: Answer::SignIn,
                ..CALL
            },
            Operation::AssociateSoftwareToken => &Spec {
                method: "associateSoftwareToken",
                target: "AssociateSoftwareToken",
                inputs: &[OPTIONAL_ACCESS_TOKEN, SESSION],
                answer: Answer::SoftwareToken,
                ..WITH_TOKEN
            },
            Operation::VerifySoftwareToken => &Spec {
                method: "verifySoftwareToken",
                target: "VerifySoftwareToken",
                inputs: &[
                    OPTIONAL_ACCESS_TOKEN,
                    SESSION,
                    input!("code", Text, "UserCode"),
                    input!(optional "friendlyDeviceName", Text, "FriendlyDeviceName"),
                ],
                answer: Answer::SoftwareToken,
                ..WITH_TOKEN
            },
            Operation::SetUserMfaPreference => &Spec {
                method: "setUserMfaPreference",
                target: "SetUserMFAPreference",
                inputs: &[
                    ACCESS_TOKEN,
                    input!(optional "totp", Text, ""),
                    input!(optional "sms", Text, ""),
                    input!(optional "email", Text, ""),
                ],
                body: Body::Custom(Custom::MfaPreference),
                ..WITH_TOKEN
            },
            Operation::Refresh => &Spec {
                method: "refresh",
                target: "InitiateAuth",
                inputs: &[
                    input!("refreshToken", Text, ""),
                    input!(optional "username", Text, ""),
                ],
                body: Body::Custom(Custom::Refresh),
                client_metadata: true,
                answer: Answer::Tokens,
                ..CALL
            },
            Operation::GetTokensFromRefreshToken => &Spec {
                method: "getTokensFromRefreshToken",
                target: "GetTokensFromRefreshToken",
                inputs: &[input!("refreshToken", Text, "RefreshToken")],
                auth: Auth::ClientSecret,
                client_metadata: true,
                answer: Answer::Tokens,
                ..CALL
            },
            Operation::GetUser => &Spec {
                method: "getUser",
                target: "GetUser",
                inputs: &[ACCESS_TOKEN],
                answer: Answer::User,
                ..WITH_TOKEN
            },
            Operation::GlobalSignOut => &Spec {
                method: "globalSignOut",
                target: "GlobalSignOut",
                inputs: &[ACCESS_TOKEN],
                ..WITH_TOKEN
            },
            Operation::RevokeToken => &Spec {
                method: "revokeToken",
                target: "RevokeToken",
                inputs: &[input!("refreshToken", Text, "Token")],
                auth: Auth::ClientSecret,
                ..CALL
            },
            Operation::ForgotPassword => &Spec {
                method: "forgotPassword",
                target: "ForgotPassword",
                inputs: &[USERNAME],
                client_metadata: true,
                answer: Answer::CodeDelivery,
                ..CALL
            },
            Operation::ConfirmForgotPassword => &Spec {
                method: "confirmForgotPassword",
                target: "ConfirmForgotPassword",
                inputs: &[USERNAME, CODE, input!("newPassword", Text, "Password")],
                client_metadata: true,
                ..CALL
            },
            Operation::ChangePassword => &Spec {
                method: "changePassword",
                target: "ChangePassword",
                inputs: &[
                    ACCESS_TOKEN,
                    input!("previousPassword", Text, "PreviousPassword"),
                    input!("proposedPassword", Text, "ProposedPassword"),
                ],
                ..WITH_TOKEN
            },
            Operation::UpdateUserAttributes => &Spec {
                method: "updateUserAttributes",
                target: "UpdateUserAttributes",
                inputs: &[
                    ACCESS_TOKEN,
                    input!("attributes", Attributes, "UserAttributes"),
                ],
                client_metadata: true,
                answer: Answer::CodeDeliveries,
                ..WITH_TOKEN
            },
            Operation::GetUserAttributeVerificationCode => &Spec {
                method: "getUserAttributeVerificationCode",
                target: "GetUserAttributeVerificationCode",
                inputs: &[ACCESS_TOKEN, ATTRIBUTE_NAME],
                client_metadata: true,
                answer: Answer::CodeDelivery,
                ..WITH_TOKEN
            },
            Operation::VerifyUserAttribute => &Spec {
                method: "verifyUserAttribute",
                target: "VerifyUserAttribute",
                inputs: &[ACCESS_TOKEN, ATTRIBUTE_NAME, input!("code", Text, "Code")],
                ..WITH_TOKEN
            },
            Operation::DeleteUserAttributes => &Spec {
                method: "deleteUserAttributes",
                target: "DeleteUserAttributes",
                inputs: &[
                    ACCESS_TOKEN,
                    input!("attributeNames", Names, "UserAttributeNames"),
                ],
                ..WITH_TOKEN
            },
            Operation::DeleteUser => &Spec {
                method: "deleteUser",
                target: "DeleteUser",
                inputs: &[ACCESS_TOKEN],
                ..WITH_TOKEN
            },
        }
    }

    /// The operation at `index` in [`Operation::ALL`] (how the JS package names one).
    pub fn from_index(index: u32) -> Option<Operation> {
        Operation::ALL.get(index as usize).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_consistent() {
        for (i, op) in Operation::ALL.iter().enumerate() {
            let s = op.spec();
            assert_eq!(Operation::from_index(i as u32), Some(*op));
            assert!(!s.method.is_empty() && !s.target.is_empty(), "{op:?}");
            let others = Operation::ALL.iter().filter(|o| **o != *op);
            assert!(
                others.clone().all(|o| o.spec().method != s.method),
                "{op:?}: method names are unique"
            );
            match s.body {
                Body::Members | Body::AuthParameters(_) => {
                    for input in s.inputs {
                        // Only the SRP password is not sent as a member.
                        assert!(
                            !input.member.is_empty() || *op == Operation::SignInSrp,
                            "{op:?}: {} has no member",
                            input.name
                        );
                        // The kinds the generic builder writes (a challenge or a map
                        // would be dropped).
                        assert!(
                            matches!(
                                input.kind,
                                Kind::Text | Kind::Computed | Kind::Attributes | Kind::Names
                            ),
                            "{op:?}: {} cannot be a member",
                            input.name
                        );
                    }
                    // SECRET_HASH is computed over the username the body sends.
                    if s.auth == Auth::SecretHash {
                        let user = match s.body {
                            Body::AuthParameters(_) => "USERNAME",
                            _ => "Username",
                        };
                        assert!(
                            s.inputs.iter().any(|i| i.member == user && !i.optional),
                            "{op:?}: SECRET_HASH needs a required {user}"
                        );
                    }
                }
                Body::Custom(_) => {}
            }
            if s.auth == Auth::AccessToken {
                assert_eq!(s.inputs.first().map(|i| i.member), Some("AccessToken"));
            }
            if let Body::AuthParameters(_) = s.body {
                assert_eq!(
                    s.auth,
                    Auth::SecretHash,
                    "{op:?}: SECRET_HASH in AuthParameters"
                );
            }
        }
        assert_eq!(Operation::from_index(Operation::ALL.len() as u32), None);
    }
}
