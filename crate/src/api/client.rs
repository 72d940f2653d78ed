//! [`Client`]: the registry's operations as typed async methods, sent over a [`Platform`].
//! Each method is its operation's inputs as JSON values, [`Requests::request`], one POST, and
//! the typed reading of the answer; the docs of each operation are on [`Operation`].

use crate::prelude::*;

#[cfg(feature = "std")]
use super::answers::read_srp_start;
use super::answers::{
    read_answer, read_code_deliveries, read_code_delivery, read_refresh, read_sign_in,
    read_sign_up, read_software_token, read_user,
};
use super::operation::Operation;
use super::requests::Requests;
use super::types::{
    Challenge, ClientConfig, CodeDelivery, Pairs, SignInResult, SignUpResult, SoftwareToken,
    Tokens, User,
};
use crate::error::Error;
use crate::json::{Object, Value};
use crate::platform::Platform;
#[cfg(feature = "std")]
use crate::srp::{self, SrpClient};

/// A Cognito user-pool client on a host [`Platform`]: one async method per operation.
///
/// ```no_run
/// # #[cfg(not(target_arch = "wasm32"))] // the native platform
/// # mod example {
/// use cognito_wasm::{Client, ClientConfig, NativePlatform, SignInResult};
///
/// # async fn demo() -> Result<(), cognito_wasm::Error> {
/// let client = Client::new(
///     ClientConfig {
///         user_pool_id: "us-east-1_AbC123xyz".into(),
///         client_id: "4tq8a9c1h2e3f4g5h6i7j8k9l0".into(),
///         // With a client secret, SECRET_HASH goes with every call that needs it.
///         client_secret: None,
///         ..ClientConfig::default()
///     },
///     NativePlatform::default(),
/// )?;
/// let email = [("email".to_owned(), "alice@example.com".to_owned())];
/// let signed_up = client.sign_up("alice", "Correct-Horse-9", &email).await?;
/// println!("code sent to {:?}", signed_up.code_delivery);
/// client.confirm_sign_up("alice", "123456").await?;
/// if let SignInResult::Tokens(tokens) = client.sign_in_srp("alice", "Correct-Horse-9").await? {
///     let me = client.get_user(&tokens.access_token).await?;
///     assert_eq!(me.attribute("email"), Some("alice@example.com"));
/// }
/// # Ok(())
/// # }
/// # }
/// ```
pub struct Client<P> {
    requests: Requests,
    platform: P,
    /// ClientMetadata for the calls that take it (see [`Client::with_client_metadata`]).
    metadata: Option<Pairs>,
}

/// Name-value pairs as a JSON object.
fn object(pairs: &[(String, String)]) -> Value {
    Value::Object(
        pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect(),
    )
}

/// A challenge names the user it was asked of: Cognito leaves USERNAME out of most
/// challenges after the first, and [`Client::confirm_sign_in`] answers as it. (The JS
/// package's driver does the same in `client.js`.)
fn naming(result: SignInResult, username: &str) -> SignInResult {
    match result {
        SignInResult::Challenge(mut c) if c.parameter("USERNAME").is_none() => {
            c.parameters.push(("USERNAME".into(), username.into()));
            SignInResult::Challenge(c)
        }
        other => other,
    }
}

/// The access token or MFA_SETUP's session, as the software-token calls take them.
fn token_or_session(access_token: Option<&str>, session: Option<&str>) -> [Value; 2] {
    [access_token.into(), session.into()]
}

impl<P: Platform> Client<P> {
    /// A client; checks the configuration's shape (nothing is sent).
    pub fn new(config: ClientConfig, platform: P) -> Result<Client<P>, Error> {
        Ok(Client {
            requests: Requests::new(config)?,
            platform,
            metadata: None,
        })
    }

    /// This client sending `metadata` as `ClientMetadata` with every call that takes it
    /// (sign-up, sign-in, codes, attribute updates: see [`Operation`]), for the pool's
    /// Lambda triggers: `client.with_client_metadata(m).sign_up(...)`.
    pub fn with_client_metadata(&self, metadata: Pairs) -> Client<&P> {
        Client {
            requests: self.requests.clone(),
            platform: &self.platform,
            metadata: Some(metadata),
        }
    }

    /// The host platform.
    pub fn platform(&self) -> &P {
        &self.platform
    }

    /// The configuration.
    pub fn config(&self) -> &ClientConfig {
        self.requests.config()
    }

    /// The URL requests go to.
    pub fn endpoint(&self) -> &str {
        self.requests.endpoint()
    }

    /// One operation: its request for `inputs` (and this client's ClientMetadata when the
    /// operation takes one), one POST, then the answer's object or Cognito's exception.
    async fn call(&self, operation: Operation, mut inputs: Vec<Value>) -> Result<Object, Error> {
        let spec = operation.spec();
        if let (true, Some(metadata)) = (spec.client_metadata, &self.metadata) {
            inputs.resize(spec.inputs.len(), Value::Null);
            inputs.push(object(metadata));
        }
        let request = self.requests.request(operation, &inputs)?;
        let response = self
            .platform
            .post_json(self.endpoint(), &request.target(), request.body)
            .await?;
        read_answer(spec.target, &response)
    }

    /// [`Operation::SignUp`]. `attributes`: `("email", "a@example.com")`, `("custom:x", "1")`.
    pub async fn sign_up(
        &self,
        username: &str,
        password: &str,
        attributes: &[(String, String)],
    ) -> Result<SignUpResult, Error> {
        let inputs = vec![username.into(), password.into(), object(attributes)];
        read_sign_up(&self.call(Operation::SignUp, inputs).await?)
    }

    /// [`Operation::ConfirmSignUp`].
    pub async fn confirm_sign_up(&self, username: &str, code: &str) -> Result<(), Error> {
        let inputs = vec![username.into(), code.into()];
        self.call(Operation::ConfirmSignUp, inputs).await.map(drop)
    }

    /// [`Operation::ResendConfirmationCode`].
    pub async fn resend_confirmation_code(&self, username: &str) -> Result<CodeDelivery, Error> {
        let inputs = vec![username.into()];
        read_code_delivery(&self.call(Operation::ResendConfirmationCode, inputs).await?)
    }

    /// [`Operation::SignInPassword`]. [`Client::sign_in_srp`] keeps the password on the device.
    pub async fn sign_in_password(
        &self,
        username: &str,
        password: &str,
    ) -> Result<SignInResult, Error> {
        let inputs = vec![username.into(), password.into()];
        let result = read_sign_in(&self.call(Operation::SignInPassword, inputs).await?)?;
        Ok(naming(result, username))
    }

    /// Signs in with `USER_SRP_AUTH`: proves the password without sending it
    /// ([`Operation::SignInSrp`], then [`Operation::PasswordVerifier`]). The arithmetic runs
    /// on the caller's thread (a few milliseconds on a desktop).
    #[cfg(feature = "std")] // random numbers: see `SrpClient::new`
    #[cfg_attr(docsrs, doc(cfg(feature = "std")))]
    pub async fn sign_in_srp(&self, username: &str, password: &str) -> Result<SignInResult, Error> {
        let srp = SrpClient::new()?;
        let inputs = vec![username.into(), password.into(), srp.public_hex().into()];
        let challenge = match read_srp_start(&self.call(Operation::SignInSrp, inputs).await?)? {
            SignInResult::Challenge(c) if c.name == "PASSWORD_VERIFIER" => c,
            other => return Ok(other),
        };
        let timestamp = srp::timestamp(self.platform.now().max(0.0) as u64);
        let signature = srp.password_claim(
            self.requests.pool_name(),
            password,
            &challenge.password_verifier()?,
            &timestamp,
        )?;
        // What comes next names the user as the claim did (Cognito's username for an alias or
        // another case of it, which SECRET_HASH must be over), as the JS driver does.
        let answered_as = (challenge.parameter("USERNAME"))
            .or_else(|| challenge.parameter("USER_ID_FOR_SRP"))
            .unwrap_or(username)
            .to_owned();
        let inputs = vec![challenge.to_value()?, timestamp.into(), signature.into()];
        let result = read_sign_in(&self.call(Operation::PasswordVerifier, inputs).await?)?;
        Ok(naming(result, &answered_as))
    }

    /// [`Operation::RespondToChallenge`].
    pub async fn respond_to_challenge(
        &self,
        name: &str,
        session: Option<&str>,
        responses: Pairs,
    ) -> Result<SignInResult, Error> {
        let user = super::types::lookup(&responses, "USERNAME").map(str::to_owned);
        let inputs = vec![name.into(), session.into(), object(&responses)];
        let result = read_sign_in(&self.call(Operation::RespondToChallenge, inputs).await?)?;
        Ok(match user {
            Some(user) => naming(result, &user),
            None => result,
        })
    }

    /// [`Operation::ConfirmSignIn`]: `answer` is the new password, the code or the factor
    /// chosen (`None` for MFA_SETUP); `attributes` the required attributes a new password
    /// comes with. [`Challenge::step`] says which.
    pub async fn confirm_sign_in(
        &self,
        challenge: &Challenge,
        answer: Option<&str>,
        attributes: &[(String, String)],
    ) -> Result<SignInResult, Error> {
        let inputs = vec![challenge.to_value()?, answer.into(), object(attributes)];
        let result = read_sign_in(&self.call(Operation::ConfirmSignIn, inputs).await?)?;
        let user = challenge
            .parameter("USERNAME")
            .or_else(|| challenge.parameter("USER_ID_FOR_SRP"));
        Ok(match user {
            Some(user) => naming(result, user),
            None => result,
        })
    }

    /// [`Operation::AssociateSoftwareToken`]: with a signed-in user's access token, or with
    /// MFA_SETUP's session (exactly one).
    pub async fn associate_software_token(
        &self,
        access_token: Option<&str>,
        session: Option<&str>,
    ) -> Result<SoftwareToken, Error> {
        let inputs = token_or_session(access_token, session).to_vec();
        read_software_token(&self.call(Operation::AssociateSoftwareToken, inputs).await?)
    }

    /// [`Operation::VerifySoftwareToken`]: the answer's `session` (with MFA_SETUP's session)
    /// answers the challenge: [`Client::confirm_sign_in`] with the challenge carrying it.
    pub async fn verify_software_token(
        &self,
        access_token: Option<&str>,
        session: Option<&str>,
        code: &str,
        device_name: Option<&str>,
    ) -> Result<SoftwareToken, Error> {
        let mut inputs = token_or_session(access_token, session).to_vec();
        inputs.extend([code.into(), device_name.into()]);
        read_software_token(&self.call(Operation::VerifySoftwareToken, inputs).await?)
    }

    /// [`Operation::SetUserMfaPreference`]: each factor `ENABLED` (its preference left as it
    /// is), `PREFERRED`, `NOT_PREFERRED` or `DISABLED`; `None` leaves it as it is.
    pub async fn set_user_mfa_preference(
        &self,
        access_token: &str,
        totp: Option<&str>,
        sms: Option<&str>,
        email: Option<&str>,
    ) -> Result<(), Error> {
        let inputs = vec![access_token.into(), totp.into(), sms.into(), email.into()];
        self.call(Operation::SetUserMfaPreference, inputs)
            .await
            .map(drop)
    }

    /// [`Operation::Refresh`].
    pub async fn refresh(
        &self,
        refresh_token: &str,
        username: Option<&str>,
    ) -> Result<Tokens, Error> {
        let inputs = vec![refresh_token.into(), username.into()];
        read_refresh(&self.call(Operation::Refresh, inputs).await?)
    }

    /// [`Operation::GetTokensFromRefreshToken`]: the answer's `refresh_token` is the new one
    /// when the app client rotates refresh tokens, `None` otherwise.
    pub async fn get_tokens_from_refresh_token(
        &self,
        refresh_token: &str,
    ) -> Result<Tokens, Error> {
        let inputs = vec![refresh_token.into()];
        read_refresh(
            &self
                .call(Operation::GetTokensFromRefreshToken, inputs)
                .await?,
        )
    }

    /// [`Operation::GetUser`].
    pub async fn get_user(&self, access_token: &str) -> Result<User, Error> {
        read_user(
            &self
                .call(Operation::GetUser, vec![access_token.into()])
                .await?,
        )
    }

    /// [`Operation::GlobalSignOut`].
    pub async fn global_sign_out(&self, access_token: &str) -> Result<(), Error> {
        let inputs = vec![access_token.into()];
        self.call(Operation::GlobalSignOut, inputs).await.map(drop)
    }

    /// [`Operation::RevokeToken`].
    pub async fn revoke_token(&self, refresh_token: &str) -> Result<(), Error> {
        let inputs = vec![refresh_token.into()];
        self.call(Operation::RevokeToken, inputs).await.map(drop)
    }

    /// [`Operation::ForgotPassword`].
    pub async fn forgot_password(&self, username: &str) -> Result<CodeDelivery, Error> {
        let inputs = vec![username.into()];
        read_code_delivery(&self.call(Operation::ForgotPassword, inputs).await?)
    }

    /// [`Operation::ConfirmForgotPassword`].
    pub async fn confirm_forgot_password(
        &self,
        username: &str,
        code: &str,
        new_password: &str,
    ) -> Result<(), Error> {
        let inputs = vec![username.into(), code.into(), new_password.into()];
        self.call(Operation::ConfirmForgotPassword, inputs)
            .await
            .map(drop)
    }

    /// [`Operation::ChangePassword`].
    pub async fn change_password(
        &self,
        access_token: &str,
        previous: &str,
        proposed: &str,
    ) -> Result<(), Error> {
        let inputs = vec![access_token.into(), previous.into(), proposed.into()];
        self.call(Operation::ChangePassword, inputs).await.map(drop)
    }

    /// [`Operation::UpdateUserAttributes`]: where the codes for a new email or phone went.
    pub async fn update_user_attributes(
        &self,
        access_token: &str,
        attributes: &[(String, String)],
    ) -> Result<Vec<CodeDelivery>, Error> {
        let inputs = vec![access_token.into(), object(attributes)];
        read_code_deliveries(&self.call(Operation::UpdateUserAttributes, inputs).await?)
    }

    /// [`Operation::GetUserAttributeVerificationCode`].
    pub async fn get_user_attribute_verification_code(
        &self,
        access_token: &str,
        attribute_name: &str,
    ) -> Result<CodeDelivery, Error> {
        let inputs = vec![access_token.into(), attribute_name.into()];
        let operation = Operation::GetUserAttributeVerificationCode;
        read_code_delivery(&self.call(operation, inputs).await?)
    }

    /// [`Operation::VerifyUserAttribute`].
    pub async fn verify_user_attribute(
        &self,
        access_token: &str,
        attribute_name: &str,
        code: &str,
    ) -> Result<(), Error> {
        let inputs = vec![access_token.into(), attribute_name.into(), code.into()];
        self.call(Operation::VerifyUserAttribute, inputs)
            .await
            .map(drop)
    }

    /// [`Operation::DeleteUserAttributes`]: `names` like `["nickname", "custom:team"]`.
    pub async fn delete_user_attributes(
        &self,
        access_token: &str,
        names: &[String],
    ) -> Result<(), Error> {
        let names = names.iter().map(|n| Value::from(n.as_str())).collect();
        let inputs = vec![access_token.into(), Value::Array(names)];
        self.call(Operation::DeleteUserAttributes, inputs)
            .await
            .map(drop)
    }

    /// [`Operation::DeleteUser`].
    pub async fn delete_user(&self, access_token: &str) -> Result<(), Error> {
        let inputs = vec![access_token.into()];
        self.call(Operation::DeleteUser, inputs).await.map(drop)
    }
}
