//! The Cognito user-pool client: the calls a browser app makes, over the host's HTTP.
//!
//! Every call is one POST of Cognito's JSON 1.1 protocol, unsigned (these operations need no
//! AWS credentials). SECRET_HASH is added wherever Cognito wants it when a client secret is
//! configured. Nothing here logs or stores tokens or passwords.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::error::{CognitoException, Error};
use crate::platform::Platform;
use crate::secret_hash::secret_hash;
use crate::srp::{self, PasswordVerifier, SrpClient};

/// How to reach one app client of one user pool.
#[derive(Clone, Default)]
pub struct ClientConfig {
    /// `us-east-1_AbC123xyz`: the region and the SRP pool name come from it.
    pub user_pool_id: String,
    /// The app client id.
    pub client_id: String,
    /// The app client secret, if the client has one. Anyone who can read the page can read
    /// it: public web apps should use a client without a secret.
    pub client_secret: Option<String>,
    /// Another endpoint than `https://cognito-idp.{region}.amazonaws.com/` (an emulator).
    pub endpoint: Option<String>,
}

impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientConfig")
            .field("user_pool_id", &self.user_pool_id)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("endpoint", &self.endpoint)
            .finish()
    }
}

/// Where a confirmation or reset code went (masked, as Cognito reports it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct CodeDelivery {
    /// `a***@e***`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    /// `EMAIL` or `SMS`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery_medium: Option<String>,
    /// `email` or `phone_number`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute_name: Option<String>,
}

/// The answer to a sign-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignUpResult {
    /// Whether the user is confirmed already (a pre-sign-up trigger can do that).
    pub user_confirmed: bool,
    /// The new user's `sub`.
    pub user_sub: String,
    /// Where the confirmation code went, if one was sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_delivery: Option<CodeDelivery>,
}

/// The tokens of a signed-in session.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Tokens {
    /// The ID token (JWT): who the user is.
    pub id_token: String,
    /// The access token (JWT): what the user may call.
    pub access_token: String,
    /// The refresh token (opaque); absent in the answer to a refresh.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// Seconds the access token is valid for.
    pub expires_in: u64,
    /// `Bearer`.
    pub token_type: String,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Tokens are credentials: never print them.
        f.debug_struct("Tokens")
            .field("expires_in", &self.expires_in)
            .field("token_type", &self.token_type)
            .finish_non_exhaustive()
    }
}

/// A challenge the library cannot answer by itself (MFA, a new password, ...): the caller
/// answers it with [`Client::respond_to_challenge`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Challenge {
    /// `SMS_MFA`, `SOFTWARE_TOKEN_MFA`, `NEW_PASSWORD_REQUIRED`, ...
    pub name: String,
    /// The session to send back with the answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    /// The challenge's parameters.
    pub parameters: BTreeMap<String, String>,
}

/// The outcome of a sign-in: tokens, or a challenge to answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInResult {
    /// Signed in.
    Tokens(Tokens),
    /// Cognito wants more (MFA, a new password, ...).
    Challenge(Challenge),
}

/// A user as GetUser returns them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// The username.
    pub username: String,
    /// Attributes by name (`sub`, `email`, `email_verified`, `custom:...`).
    pub attributes: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireCodeDelivery {
    destination: Option<String>,
    delivery_medium: Option<String>,
    attribute_name: Option<String>,
}

impl From<WireCodeDelivery> for CodeDelivery {
    fn from(w: WireCodeDelivery) -> CodeDelivery {
        CodeDelivery {
            destination: w.destination,
            delivery_medium: w.delivery_medium,
            attribute_name: w.attribute_name,
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireAuthResult {
    id_token: String,
    access_token: String,
    refresh_token: Option<String>,
    expires_in: u64,
    token_type: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireAuthResponse {
    authentication_result: Option<WireAuthResult>,
    challenge_name: Option<String>,
    session: Option<String>,
    #[serde(default)]
    challenge_parameters: BTreeMap<String, String>,
}

impl WireAuthResponse {
    fn into_result(self) -> Result<SignInResult, Error> {
        if let Some(r) = self.authentication_result {
            return Ok(SignInResult::Tokens(Tokens {
                id_token: r.id_token,
                access_token: r.access_token,
                refresh_token: r.refresh_token,
                expires_in: r.expires_in,
                token_type: r.token_type,
            }));
        }
        match self.challenge_name {
            Some(name) => Ok(SignInResult::Challenge(Challenge {
                name,
                session: self.session,
                parameters: self.challenge_parameters,
            })),
            None => Err(Error::malformed(
                "neither AuthenticationResult nor ChallengeName",
            )),
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WireAttribute {
    name: String,
    #[serde(default)]
    value: String,
}

/// A Cognito user-pool client on a host [`Platform`].
pub struct Client<P> {
    config: ClientConfig,
    pool_name: String,
    endpoint: String,
    platform: P,
}

/// Splits `us-east-1_AbC123xyz` into region and pool name, refusing other shapes.
pub fn parse_pool_id(pool_id: &str) -> Result<(&str, &str), Error> {
    let bad = || {
        Error::invalid_input(format!(
            "user pool id {pool_id:?} is not of the form region_Name, e.g. us-east-1_AbC123xyz"
        ))
    };
    let (region, name) = pool_id.split_once('_').ok_or_else(bad)?;
    let region_ok = !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    let name_ok = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric());
    if region_ok && name_ok {
        Ok((region, name))
    } else {
        Err(bad())
    }
}

fn non_empty<'a>(what: &str, value: &'a str) -> Result<&'a str, Error> {
    if value.is_empty() {
        Err(Error::invalid_input(format!("{what} must not be empty")))
    } else {
        Ok(value)
    }
}

impl<P: Platform> Client<P> {
    /// A client; checks the configuration's shape (nothing is sent).
    pub fn new(config: ClientConfig, platform: P) -> Result<Client<P>, Error> {
        let (region, pool_name) = parse_pool_id(&config.user_pool_id)?;
        non_empty("client id", &config.client_id)?;
        if config.client_secret.as_deref() == Some("") {
            return Err(Error::invalid_input(
                "client secret must not be empty (leave it out for a client without one)",
            ));
        }
        let endpoint = match &config.endpoint {
            Some(e) if e.starts_with("http://") || e.starts_with("https://") => e.clone(),
            Some(e) => {
                return Err(Error::invalid_input(format!(
                    "endpoint {e:?} must be an http:// or https:// URL"
                )))
            }
            None => format!("https://cognito-idp.{region}.amazonaws.com/"),
        };
        Ok(Client {
            pool_name: pool_name.to_owned(),
            endpoint,
            config,
            platform,
        })
    }

    /// The host platform.
    pub fn platform(&self) -> &P {
        &self.platform
    }

    /// The configuration.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The URL requests go to.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// SECRET_HASH for `username`, when the client has a secret.
    fn secret_hash(&self, username: &str) -> Option<String> {
        self.config
            .client_secret
            .as_deref()
            .map(|s| secret_hash(s, username, &self.config.client_id))
    }

    /// One Cognito operation: POST, then the answer as `T` or Cognito's exception.
    async fn call<T: DeserializeOwned>(&self, operation: &str, body: Value) -> Result<T, Error> {
        let target = format!("AWSCognitoIdentityProviderService.{operation}");
        let response = self
            .platform
            .post_json(&self.endpoint, &target, body.to_string())
            .await?;
        if (200..300).contains(&response.status) {
            return serde_json::from_str(&response.body)
                .map_err(|e| Error::malformed(format!("{operation}: {e}")));
        }
        let parsed: Value = serde_json::from_str(&response.body).unwrap_or(Value::Null);
        let text = |k: &str| parsed.get(k).and_then(Value::as_str);
        let kind = text("__type")
            .or(text("code"))
            .or(response.error_type.as_deref());
        match kind {
            Some(kind) => Err(Error::Cognito {
                exception: CognitoException::from_type(kind),
                message: text("message")
                    .or(text("Message"))
                    .unwrap_or_default()
                    .to_owned(),
                status: response.status,
            }),
            None => Err(Error::malformed(format!(
                "{operation}: HTTP {} without an error type",
                response.status
            ))),
        }
    }

    fn with_secret_hash(&self, mut body: Value, username: &str) -> Value {
        if let (Some(hash), Some(obj)) = (self.secret_hash(username), body.as_object_mut()) {
            obj.insert("SecretHash".into(), Value::String(hash));
        }
        body
    }

    /// Registers a user. `attributes`: `("email", "a@example.com")`, `("custom:x", "1")`, ...
    pub async fn sign_up(
        &self,
        username: &str,
        password: &str,
        attributes: &[(String, String)],
    ) -> Result<SignUpResult, Error> {
        non_empty("username", username)?;
        non_empty("password", password)?;
        let mut attrs = Vec::with_capacity(attributes.len());
        for (name, value) in attributes {
            non_empty("attribute name", name)?;
            attrs.push(json!({ "Name": name, "Value": value }));
        }
        let body = self.with_secret_hash(
            json!({
                "ClientId": self.config.client_id,
                "Username": username,
                "Password": password,
                "UserAttributes": attrs,
            }),
            username,
        );
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Wire {
            user_confirmed: bool,
            user_sub: String,
            code_delivery_details: Option<WireCodeDelivery>,
        }
        let w: Wire = self.call("SignUp", body).await?;
        Ok(SignUpResult {
            user_confirmed: w.user_confirmed,
            user_sub: w.user_sub,
            code_delivery: w.code_delivery_details.map(Into::into),
        })
    }

    /// Confirms a sign-up with the code Cognito sent.
    pub async fn confirm_sign_up(&self, username: &str, code: &str) -> Result<(), Error> {
        non_empty("username", username)?;
        non_empty("confirmation code", code)?;
        let body = self.with_secret_hash(
            json!({
                "ClientId": self.config.client_id,
                "Username": username,
                "ConfirmationCode": code,
            }),
            username,
        );
        self.call::<Value>("ConfirmSignUp", body).await.map(drop)
    }

    /// Sends the sign-up confirmation code again (the old one stops working).
    pub async fn resend_confirmation_code(&self, username: &str) -> Result<CodeDelivery, Error> {
        non_empty("username", username)?;
        let body = self.with_secret_hash(
            json!({ "ClientId": self.config.client_id, "Username": username }),
            username,
        );
        self.code_delivery("ResendConfirmationCode", body).await
    }

    async fn code_delivery(&self, operation: &str, body: Value) -> Result<CodeDelivery, Error> {
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Wire {
            code_delivery_details: Option<WireCodeDelivery>,
        }
        let w: Wire = self.call(operation, body).await?;
        Ok(w.code_delivery_details.map(Into::into).unwrap_or_default())
    }

    async fn initiate_auth(
        &self,
        flow: &str,
        mut params: Map<String, Value>,
        hash_username: Option<&str>,
    ) -> Result<WireAuthResponse, Error> {
        if let Some(hash) = hash_username.and_then(|u| self.secret_hash(u)) {
            params.insert("SECRET_HASH".into(), Value::String(hash));
        }
        self.call(
            "InitiateAuth",
            json!({
                "AuthFlow": flow,
                "ClientId": self.config.client_id,
                "AuthParameters": params,
            }),
        )
        .await
    }

    /// Signs in with `USER_PASSWORD_AUTH`: the password goes to Cognito (over TLS). The app
    /// client must allow the flow. [`Client::sign_in_srp`] keeps the password on the device.
    pub async fn sign_in_password(
        &self,
        username: &str,
        password: &str,
    ) -> Result<SignInResult, Error> {
        non_empty("username", username)?;
        non_empty("password", password)?;
        let mut params = Map::new();
        params.insert("USERNAME".into(), json!(username));
        params.insert("PASSWORD".into(), json!(password));
        self.initiate_auth("USER_PASSWORD_AUTH", params, Some(username))
            .await?
            .into_result()
    }

    /// Signs in with `USER_SRP_AUTH`: proves the password without sending it.
    pub async fn sign_in_srp(&self, username: &str, password: &str) -> Result<SignInResult, Error> {
        non_empty("username", username)?;
        non_empty("password", password)?;
        let srp = SrpClient::new()?;
        let mut params = Map::new();
        params.insert("USERNAME".into(), json!(username));
        params.insert("SRP_A".into(), json!(srp.public_hex()));
        let first = self
            .initiate_auth("USER_SRP_AUTH", params, Some(username))
            .await?;
        if first.challenge_name.as_deref() != Some("PASSWORD_VERIFIER") {
            return first.into_result();
        }
        let p = &first.challenge_parameters;
        let get = |k: &'static str| {
            p.get(k)
                .map(String::as_str)
                .ok_or_else(|| Error::malformed(format!("PASSWORD_VERIFIER without {k}")))
        };
        let user_id = get("USER_ID_FOR_SRP")?;
        let challenge = PasswordVerifier {
            srp_b: get("SRP_B")?,
            salt: get("SALT")?,
            secret_block: get("SECRET_BLOCK")?,
            user_id_for_srp: user_id,
        };
        let timestamp = srp::timestamp(self.platform.now().max(0.0) as u64);
        let signature = srp.password_claim(&self.pool_name, password, &challenge, &timestamp)?;
        // Answer as the USERNAME Cognito named in the challenge (the user id SRP hashed is
        // USER_ID_FOR_SRP, which real Cognito also accepts here; moto accepts only USERNAME).
        let answer_as = p.get("USERNAME").map_or(user_id, String::as_str);
        let mut responses = BTreeMap::new();
        responses.insert("USERNAME".to_owned(), answer_as.to_owned());
        responses.insert(
            "PASSWORD_CLAIM_SECRET_BLOCK".to_owned(),
            challenge.secret_block.to_owned(),
        );
        responses.insert("TIMESTAMP".to_owned(), timestamp);
        responses.insert("PASSWORD_CLAIM_SIGNATURE".to_owned(), signature);
        self.respond_to_challenge("PASSWORD_VERIFIER", first.session.as_deref(), responses)
            .await
    }

    /// Answers a challenge. `USERNAME` must be among `responses`; SECRET_HASH is added.
    pub async fn respond_to_challenge(
        &self,
        name: &str,
        session: Option<&str>,
        mut responses: BTreeMap<String, String>,
    ) -> Result<SignInResult, Error> {
        non_empty("challenge name", name)?;
        let username = responses
            .get("USERNAME")
            .cloned()
            .ok_or_else(|| Error::invalid_input("challenge responses need USERNAME"))?;
        if let Some(hash) = self.secret_hash(&username) {
            responses.insert("SECRET_HASH".to_owned(), hash);
        }
        let mut body = json!({
            "ChallengeName": name,
            "ClientId": self.config.client_id,
            "ChallengeResponses": responses,
        });
        if let Some(s) = session {
            body["Session"] = json!(s);
        }
        self.call::<WireAuthResponse>("RespondToAuthChallenge", body)
            .await?
            .into_result()
    }

    /// New ID and access tokens from a refresh token. With a client secret, `username` (the
    /// user's username, or `sub` in alias pools) is needed for SECRET_HASH.
    pub async fn refresh(
        &self,
        refresh_token: &str,
        username: Option<&str>,
    ) -> Result<Tokens, Error> {
        non_empty("refresh token", refresh_token)?;
        if self.config.client_secret.is_some() && username.is_none_or(str::is_empty) {
            return Err(Error::invalid_input(
                "a client with a secret needs the username to refresh (for SECRET_HASH)",
            ));
        }
        let mut params = Map::new();
        params.insert("REFRESH_TOKEN".into(), json!(refresh_token));
        match self
            .initiate_auth("REFRESH_TOKEN_AUTH", params, username)
            .await?
            .into_result()?
        {
            SignInResult::Tokens(t) => Ok(t),
            SignInResult::Challenge(c) => Err(Error::malformed(format!(
                "a refresh answered with the challenge {}",
                c.name
            ))),
        }
    }

    /// The signed-in user's username and attributes.
    pub async fn get_user(&self, access_token: &str) -> Result<User, Error> {
        non_empty("access token", access_token)?;
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Wire {
            username: String,
            #[serde(default)]
            user_attributes: Vec<WireAttribute>,
        }
        let w: Wire = self
            .call("GetUser", json!({ "AccessToken": access_token }))
            .await?;
        Ok(User {
            username: w.username,
            attributes: w
                .user_attributes
                .into_iter()
                .map(|a| (a.name, a.value))
                .collect(),
        })
    }

    /// Signs the user out everywhere: every refresh token and the access tokens minted from
    /// them stop working with Cognito (ID tokens stay valid for verifiers until they expire).
    pub async fn global_sign_out(&self, access_token: &str) -> Result<(), Error> {
        non_empty("access token", access_token)?;
        self.call::<Value>("GlobalSignOut", json!({ "AccessToken": access_token }))
            .await
            .map(drop)
    }

    /// Revokes one refresh token and the access tokens minted from it (sign-out of this
    /// device). Sends the client secret itself when there is one, as the API requires.
    pub async fn revoke_token(&self, refresh_token: &str) -> Result<(), Error> {
        non_empty("refresh token", refresh_token)?;
        let mut body = json!({ "Token": refresh_token, "ClientId": self.config.client_id });
        if let Some(secret) = &self.config.client_secret {
            body["ClientSecret"] = json!(secret);
        }
        self.call::<Value>("RevokeToken", body).await.map(drop)
    }

    /// Starts a password reset: Cognito sends a code to the verified email or phone.
    pub async fn forgot_password(&self, username: &str) -> Result<CodeDelivery, Error> {
        non_empty("username", username)?;
        let body = self.with_secret_hash(
            json!({ "ClientId": self.config.client_id, "Username": username }),
            username,
        );
        self.code_delivery("ForgotPassword", body).await
    }

    /// Finishes a password reset with the code and the new password.
    pub async fn confirm_forgot_password(
        &self,
        username: &str,
        code: &str,
        new_password: &str,
    ) -> Result<(), Error> {
        non_empty("username", username)?;
        non_empty("confirmation code", code)?;
        non_empty("new password", new_password)?;
        let body = self.with_secret_hash(
            json!({
                "ClientId": self.config.client_id,
                "Username": username,
                "ConfirmationCode": code,
                "Password": new_password,
            }),
            username,
        );
        self.call::<Value>("ConfirmForgotPassword", body)
            .await
            .map(drop)
    }

    /// Changes the signed-in user's password.
    pub async fn change_password(
        &self,
        access_token: &str,
        previous: &str,
        proposed: &str,
    ) -> Result<(), Error> {
        non_empty("access token", access_token)?;
        non_empty("previous password", previous)?;
        non_empty("proposed password", proposed)?;
        self.call::<Value>(
            "ChangePassword",
            json!({
                "AccessToken": access_token,
                "PreviousPassword": previous,
                "ProposedPassword": proposed,
            }),
        )
        .await
        .map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_ids_are_checked() {
        assert_eq!(
            parse_pool_id("us-east-1_AbC123xyz").unwrap(),
            ("us-east-1", "AbC123xyz")
        );
        for bad in [
            "",
            "us-east-1",
            "_x",
            "us-east-1_",
            "US_x",
            "us-east-1_a_b",
            "eu_a-b",
        ] {
            assert_eq!(
                parse_pool_id(bad).unwrap_err().name(),
                "InvalidInputError",
                "{bad}"
            );
        }
    }
}
