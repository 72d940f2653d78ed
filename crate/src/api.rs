//! The Cognito user-pool client: the calls a browser app makes, over the host's HTTP.
//!
//! Split in two so the rules exist once: [`Requests`] builds each operation's request and
//! the `read_*` functions read its answer, with no I/O; [`Client`] sends them over a
//! [`Platform`], and the JS package's driver sends them with `fetch` (no futures in its wasm).
//!
//! Every call is one POST of Cognito's JSON 1.1 protocol, unsigned (these operations need no
//! AWS credentials). SECRET_HASH is added wherever Cognito wants it when a client secret is
//! configured. Nothing here logs or stores tokens or passwords.

use crate::prelude::*;

use crate::error::{CognitoException, Error};
use crate::json::{self, Object, ObjectWriter, Value};
use crate::platform::{HttpResponse, Platform};
use crate::secret_hash::secret_hash;
use crate::srp::PasswordVerifier;
#[cfg(feature = "std")]
use crate::srp::{self, SrpClient};

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

impl core::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
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
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CodeDelivery {
    /// `a***@e***`.
    pub destination: Option<String>,
    /// `EMAIL` or `SMS`.
    pub delivery_medium: Option<String>,
    /// `email` or `phone_number`.
    pub attribute_name: Option<String>,
}

/// The answer to a sign-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignUpResult {
    /// Whether the user is confirmed already (a pre-sign-up trigger can do that).
    pub user_confirmed: bool,
    /// The new user's `sub`.
    pub user_sub: String,
    /// Where the confirmation code went, if one was sent.
    pub code_delivery: Option<CodeDelivery>,
}

/// The tokens of a signed-in session.
#[derive(Clone, PartialEq, Eq)]
pub struct Tokens {
    /// The ID token (JWT): who the user is.
    pub id_token: String,
    /// The access token (JWT): what the user may call.
    pub access_token: String,
    /// The refresh token (opaque); absent in the answer to a refresh.
    pub refresh_token: Option<String>,
    /// Seconds the access token is valid for.
    pub expires_in: u64,
    /// `Bearer`.
    pub token_type: String,
}

impl core::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Tokens are credentials: never print them.
        f.debug_struct("Tokens")
            .field("expires_in", &self.expires_in)
            .field("token_type", &self.token_type)
            .finish_non_exhaustive()
    }
}

/// A challenge the library cannot answer by itself (MFA, a new password, ...): the caller
/// answers it with [`Client::respond_to_challenge`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    /// `SMS_MFA`, `SOFTWARE_TOKEN_MFA`, `NEW_PASSWORD_REQUIRED`, ...
    pub name: String,
    /// The session to send back with the answer.
    pub session: Option<String>,
    /// The challenge's parameters, as sent.
    pub parameters: Pairs,
}

impl Challenge {
    /// The parameter `name`.
    pub fn parameter(&self, name: &str) -> Option<&str> {
        lookup(&self.parameters, name)
    }
}

/// Name-value pairs in the order Cognito sent them (challenge parameters, user attributes):
/// a handful each, so a list serves as well as a map, in fewer bytes of wasm.
pub type Pairs = Vec<(String, String)>;

/// The value for `name` in `pairs`.
pub fn lookup<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// The username.
    pub username: String,
    /// Attributes (`sub`, `email`, `email_verified`, `custom:...`), as sent.
    pub attributes: Pairs,
}

impl User {
    /// The attribute `name`.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        lookup(&self.attributes, name)
    }
}

// Reading Cognito's answers. A member that is absent or null is absent; one of the wrong
// type makes the answer malformed (nothing is guessed).

fn wrong(key: &str, problem: &str) -> Error {
    let mut m = String::from(key);
    m.push_str(problem);
    Error::malformed(m)
}

fn opt_str(o: &Object, key: &str) -> Result<Option<String>, Error> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(wrong(key, " is not a string")),
    }
}

fn req_str(o: &Object, key: &str) -> Result<String, Error> {
    opt_str(o, key)?.ok_or_else(|| wrong(key, " is missing"))
}

fn opt_obj<'a>(o: &'a Object, key: &str) -> Result<Option<&'a Object>, Error> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(inner)) => Ok(Some(inner)),
        Some(_) => Err(wrong(key, " is not an object")),
    }
}

fn string_pairs(o: &Object, key: &str) -> Result<Pairs, Error> {
    let mut pairs = Pairs::new();
    if let Some(inner) = opt_obj(o, key)? {
        for (k, v) in inner.iter() {
            let v = v.as_str().ok_or_else(|| wrong(k, " is not a string"))?;
            pairs.push((k.clone(), v.to_owned()));
        }
    }
    Ok(pairs)
}

fn code_delivery(o: &Object) -> Result<Option<CodeDelivery>, Error> {
    opt_obj(o, "CodeDeliveryDetails")?
        .map(|d| {
            Ok(CodeDelivery {
                destination: opt_str(d, "Destination")?,
                delivery_medium: opt_str(d, "DeliveryMedium")?,
                attribute_name: opt_str(d, "AttributeName")?,
            })
        })
        .transpose()
}

/// InitiateAuth's and RespondToAuthChallenge's answer: tokens or the next challenge.
pub fn read_sign_in(o: &Object) -> Result<SignInResult, Error> {
    if let Some(r) = opt_obj(o, "AuthenticationResult")? {
        let expires_in = match r.get("ExpiresIn") {
            Some(v) => v
                .as_i64()
                .and_then(|n| u64::try_from(n).ok())
                .ok_or_else(|| wrong("ExpiresIn", " is not a count of seconds"))?,
            None => return Err(wrong("ExpiresIn", " is missing")),
        };
        return Ok(SignInResult::Tokens(Tokens {
            id_token: req_str(r, "IdToken")?,
            access_token: req_str(r, "AccessToken")?,
            refresh_token: opt_str(r, "RefreshToken")?,
            expires_in,
            token_type: req_str(r, "TokenType")?,
        }));
    }
    match opt_str(o, "ChallengeName")? {
        Some(name) => Ok(SignInResult::Challenge(Challenge {
            name,
            session: opt_str(o, "Session")?,
            parameters: string_pairs(o, "ChallengeParameters")?,
        })),
        None => Err(Error::malformed(
            "neither AuthenticationResult nor ChallengeName",
        )),
    }
}

/// One request to Cognito, built but not sent: what [`Client`] posts, and what the JS
/// package's driver posts with `fetch` (so the rules live once, here, and the wasm holds no
/// futures). The body may hold a password: `Debug` shows only the operation.
#[derive(Clone)]
pub struct Request {
    /// `SignUp`, `InitiateAuth`, ...: the `X-Amz-Target` is [`Request::target`].
    pub operation: &'static str,
    /// The JSON body.
    pub body: String,
}

impl Request {
    fn new(operation: &'static str, body: ObjectWriter) -> Request {
        Request {
            operation,
            body: body.finish(),
        }
    }

    /// `AWSCognitoIdentityProviderService.{operation}`.
    pub fn target(&self) -> String {
        concat(&["AWSCognitoIdentityProviderService.", self.operation])
    }
}

impl core::fmt::Debug for Request {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Request")
            .field("operation", &self.operation)
            .finish_non_exhaustive()
    }
}

/// Reads an answer to `operation`: the JSON object of a 2xx, else Cognito's exception (from
/// the body's `__type` or `code`, or the `x-amzn-errortype` header).
pub fn read_answer(operation: &str, response: &HttpResponse) -> Result<Object, Error> {
    if (200..300).contains(&response.status) {
        return json::parse_object(&response.body).map_err(|e| {
            let mut m = String::from(operation);
            m.push_str(": ");
            m.push_str(&e.message());
            Error::malformed(m)
        });
    }
    let parsed = json::parse_object(&response.body).unwrap_or_default();
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
        None => {
            let status = json::itoa(response.status.into());
            Err(Error::malformed(concat(&[
                operation,
                ": HTTP ",
                &status,
                " without an error type",
            ])))
        }
    }
}

/// SignUp's answer.
pub fn read_sign_up(w: &Object) -> Result<SignUpResult, Error> {
    Ok(SignUpResult {
        user_confirmed: w
            .get("UserConfirmed")
            .and_then(Value::as_bool)
            .ok_or_else(|| wrong("UserConfirmed", " is missing or not a boolean"))?,
        user_sub: req_str(w, "UserSub")?,
        code_delivery: code_delivery(w)?,
    })
}

/// The answer of ResendConfirmationCode and ForgotPassword: where the code went.
pub fn read_code_delivery(w: &Object) -> Result<CodeDelivery, Error> {
    Ok(code_delivery(w)?.unwrap_or_default())
}

/// The answer to a USER_SRP_AUTH InitiateAuth: PASSWORD_VERIFIER's challenge, with the
/// parameters the password claim needs checked here (their absence is the server's fault, a
/// MalformedResponseError), or whatever else Cognito answered (tokens, another challenge).
pub fn read_srp_start(w: &Object) -> Result<SignInResult, Error> {
    let result = read_sign_in(w)?;
    if let SignInResult::Challenge(c) = &result {
        if c.name == "PASSWORD_VERIFIER" {
            c.password_verifier()?;
        }
    }
    Ok(result)
}

/// The answer to a refresh: tokens (Cognito sends no new refresh token).
pub fn read_refresh(w: &Object) -> Result<Tokens, Error> {
    match read_sign_in(w)? {
        SignInResult::Tokens(t) => Ok(t),
        SignInResult::Challenge(c) => {
            let mut m = String::from("a refresh answered with the challenge ");
            m.push_str(&c.name);
            Err(Error::malformed(m))
        }
    }
}

/// GetUser's answer.
pub fn read_user(w: &Object) -> Result<User, Error> {
    let mut attributes = Pairs::new();
    match w.get("UserAttributes") {
        None | Some(Value::Null) => {}
        Some(Value::Array(list)) => {
            for a in list {
                let a = a
                    .as_object()
                    .ok_or_else(|| wrong("UserAttributes", " holds a non-object"))?;
                attributes.push((
                    req_str(a, "Name")?,
                    opt_str(a, "Value")?.unwrap_or_default(),
                ));
            }
        }
        Some(_) => return Err(wrong("UserAttributes", " is not a list")),
    }
    Ok(User {
        username: req_str(w, "Username")?,
        attributes,
    })
}

impl Challenge {
    /// PASSWORD_VERIFIER's parameters, as the password claim reads them.
    pub fn password_verifier(&self) -> Result<PasswordVerifier<'_>, Error> {
        let get = |k: &'static str| {
            self.parameter(k)
                .ok_or_else(|| wrong(k, " is missing from PASSWORD_VERIFIER"))
        };
        Ok(PasswordVerifier {
            srp_b: get("SRP_B")?,
            salt: get("SALT")?,
            secret_block: get("SECRET_BLOCK")?,
            user_id_for_srp: get("USER_ID_FOR_SRP")?,
        })
    }
}

/// Splits `us-east-1_AbC123xyz` into region and pool name, refusing other shapes.
pub fn parse_pool_id(pool_id: &str) -> Result<(&str, &str), Error> {
    let bad = || {
        Error::invalid_input(concat(&[
            "user pool id ",
            &json::quoted(pool_id),
            " is not of the form region_Name, e.g. us-east-1_AbC123xyz",
        ]))
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
        Err(Error::invalid_input(concat(&[what, " must not be empty"])))
    } else {
        Ok(value)
    }
}

/// The requests of one app client, built without I/O: the rules of each operation (which
/// members, SECRET_HASH, what must not be empty). [`Client`] sends them.
#[derive(Debug, Clone)]
pub struct Requests {
    config: ClientConfig,
    pool_name: String,
    endpoint: String,
}

impl Requests {
    /// Checks the configuration's shape.
    pub fn new(config: ClientConfig) -> Result<Requests, Error> {
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
                return Err(Error::invalid_input(concat(&[
                    "endpoint ",
                    &json::quoted(e),
                    " must be an http:// or https:// URL",
                ])))
            }
            None => concat(&["https://cognito-idp.", region, ".amazonaws.com/"]),
        };
        Ok(Requests {
            pool_name: pool_name.to_owned(),
            endpoint,
            config,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The URL requests go to.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The pool's name (after the region), which SRP hashes.
    pub fn pool_name(&self) -> &str {
        &self.pool_name
    }

    /// SECRET_HASH for `username`, when the client has a secret.
    fn secret_hash(&self, username: &str) -> Option<String> {
        self.config
            .client_secret
            .as_deref()
            .map(|s| secret_hash(s, username, &self.config.client_id))
    }

    /// `{"ClientId": ..., "Username": ..., "SecretHash": ...}`, the start of most bodies.
    fn for_user(&self, username: &str) -> ObjectWriter {
        ObjectWriter::new()
            .string("ClientId", &self.config.client_id)
            .string("Username", username)
            .opt_string("SecretHash", self.secret_hash(username).as_deref())
    }

    /// Registers a user. `attributes`: `("email", "a@example.com")`, `("custom:x", "1")`, ...
    pub fn sign_up(
        &self,
        username: &str,
        password: &str,
        attributes: &[(String, String)],
    ) -> Result<Request, Error> {
        non_empty("username", username)?;
        non_empty("password", password)?;
        let mut attrs = String::from("[");
        for (name, value) in attributes {
            non_empty("attribute name", name)?;
            if attrs.len() > 1 {
                attrs.push(',');
            }
            let attr = ObjectWriter::new()
                .string("Name", name)
                .string("Value", value);
            attrs.push_str(&attr.finish());
        }
        attrs.push(']');
        let body = self
            .for_user(username)
            .string("Password", password)
            .raw("UserAttributes", &attrs);
        Ok(Request::new("SignUp", body))
    }

    /// Confirms a sign-up with the code Cognito sent.
    pub fn confirm_sign_up(&self, username: &str, code: &str) -> Result<Request, Error> {
        non_empty("username", username)?;
        non_empty("confirmation code", code)?;
        let body = self.for_user(username).string("ConfirmationCode", code);
        Ok(Request::new("ConfirmSignUp", body))
    }

    /// Sends the sign-up confirmation code again.
    pub fn resend_confirmation_code(&self, username: &str) -> Result<Request, Error> {
        non_empty("username", username)?;
        Ok(Request::new(
            "ResendConfirmationCode",
            self.for_user(username),
        ))
    }

    /// InitiateAuth with `params` (which must not name SECRET_HASH: it is added here).
    fn initiate_auth(
        &self,
        flow: &str,
        params: ObjectWriter,
        hash_username: Option<&str>,
    ) -> Request {
        let hash = hash_username.and_then(|u| self.secret_hash(u));
        let params = params.opt_string("SECRET_HASH", hash.as_deref());
        let body = ObjectWriter::new()
            .string("AuthFlow", flow)
            .string("ClientId", &self.config.client_id)
            .raw("AuthParameters", &params.finish());
        Request::new("InitiateAuth", body)
    }

    /// `USER_PASSWORD_AUTH`: the password goes to Cognito (over TLS).
    pub fn sign_in_password(&self, username: &str, password: &str) -> Result<Request, Error> {
        non_empty("username", username)?;
        non_empty("password", password)?;
        let params = ObjectWriter::new()
            .string("USERNAME", username)
            .string("PASSWORD", password);
        Ok(self.initiate_auth("USER_PASSWORD_AUTH", params, Some(username)))
    }

    /// `USER_SRP_AUTH`'s first step, with `srp_a` from [`crate::srp::SrpClient::public_hex`]. The
    /// password is not sent; it is checked here so that an empty one fails before any call.
    pub fn sign_in_srp(
        &self,
        username: &str,
        password: &str,
        srp_a: &str,
    ) -> Result<Request, Error> {
        non_empty("username", username)?;
        non_empty("password", password)?;
        let params = ObjectWriter::new()
            .string("USERNAME", username)
            .string("SRP_A", srp_a);
        Ok(self.initiate_auth("USER_SRP_AUTH", params, Some(username)))
    }

    /// The answer to PASSWORD_VERIFIER: the claim's `signature`, made at `timestamp`.
    pub fn password_verifier(
        &self,
        challenge: &Challenge,
        timestamp: &str,
        signature: &str,
    ) -> Result<Request, Error> {
        let verifier = challenge.password_verifier()?;
        // Answer as the USERNAME Cognito named in the challenge (the user id SRP hashed is
        // USER_ID_FOR_SRP, which real Cognito also accepts here; moto accepts only USERNAME).
        let answer_as = challenge
            .parameter("USERNAME")
            .unwrap_or(verifier.user_id_for_srp);
        let responses = vec![
            ("USERNAME".to_owned(), answer_as.to_owned()),
            (
                "PASSWORD_CLAIM_SECRET_BLOCK".to_owned(),
                verifier.secret_block.to_owned(),
            ),
            ("TIMESTAMP".to_owned(), timestamp.to_owned()),
            ("PASSWORD_CLAIM_SIGNATURE".to_owned(), signature.to_owned()),
        ];
        self.respond_to_challenge("PASSWORD_VERIFIER", challenge.session.as_deref(), responses)
    }

    /// Answers a challenge. `USERNAME` must be among `responses`; SECRET_HASH is added.
    pub fn respond_to_challenge(
        &self,
        name: &str,
        session: Option<&str>,
        responses: Pairs,
    ) -> Result<Request, Error> {
        non_empty("challenge name", name)?;
        // Into the object first: a name given twice counts once (the last), for the hash too.
        let mut responses: Object = responses.into_iter().collect();
        let username = responses
            .get("USERNAME")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::invalid_input("challenge responses need USERNAME"))?;
        if let Some(hash) = self.secret_hash(username) {
            responses.insert("SECRET_HASH", hash);
        }
        let body = ObjectWriter::new()
            .string("ChallengeName", name)
            .string("ClientId", &self.config.client_id)
            .raw("ChallengeResponses", &Value::Object(responses).to_json())
            .opt_string("Session", session);
        Ok(Request::new("RespondToAuthChallenge", body))
    }

    /// New ID and access tokens from a refresh token. With a client secret, `username` (the
    /// user's username, or `sub` in alias pools) is needed for SECRET_HASH.
    pub fn refresh(&self, refresh_token: &str, username: Option<&str>) -> Result<Request, Error> {
        non_empty("refresh token", refresh_token)?;
        if self.config.client_secret.is_some() && username.is_none_or(str::is_empty) {
            return Err(Error::invalid_input(
                "a client with a secret needs the username to refresh (for SECRET_HASH)",
            ));
        }
        let params = ObjectWriter::new().string("REFRESH_TOKEN", refresh_token);
        Ok(self.initiate_auth("REFRESH_TOKEN_AUTH", params, username))
    }

    /// The signed-in user's username and attributes.
    pub fn get_user(&self, access_token: &str) -> Result<Request, Error> {
        non_empty("access token", access_token)?;
        let body = ObjectWriter::new().string("AccessToken", access_token);
        Ok(Request::new("GetUser", body))
    }

    /// Signs the user out everywhere.
    pub fn global_sign_out(&self, access_token: &str) -> Result<Request, Error> {
        non_empty("access token", access_token)?;
        let body = ObjectWriter::new().string("AccessToken", access_token);
        Ok(Request::new("GlobalSignOut", body))
    }

    /// Revokes one refresh token. Sends the client secret itself when there is one, as the
    /// API requires.
    pub fn revoke_token(&self, refresh_token: &str) -> Result<Request, Error> {
        non_empty("refresh token", refresh_token)?;
        let body = ObjectWriter::new()
            .string("Token", refresh_token)
            .string("ClientId", &self.config.client_id)
            .opt_string("ClientSecret", self.config.client_secret.as_deref());
        Ok(Request::new("RevokeToken", body))
    }

    /// Starts a password reset.
    pub fn forgot_password(&self, username: &str) -> Result<Request, Error> {
        non_empty("username", username)?;
        Ok(Request::new("ForgotPassword", self.for_user(username)))
    }

    /// Finishes a password reset with the code and the new password.
    pub fn confirm_forgot_password(
        &self,
        username: &str,
        code: &str,
        new_password: &str,
    ) -> Result<Request, Error> {
        non_empty("username", username)?;
        non_empty("confirmation code", code)?;
        non_empty("new password", new_password)?;
        let body = self
            .for_user(username)
            .string("ConfirmationCode", code)
            .string("Password", new_password);
        Ok(Request::new("ConfirmForgotPassword", body))
    }

    /// Changes the signed-in user's password.
    pub fn change_password(
        &self,
        access_token: &str,
        previous: &str,
        proposed: &str,
    ) -> Result<Request, Error> {
        non_empty("access token", access_token)?;
        non_empty("previous password", previous)?;
        non_empty("proposed password", proposed)?;
        let body = ObjectWriter::new()
            .string("AccessToken", access_token)
            .string("PreviousPassword", previous)
            .string("ProposedPassword", proposed);
        Ok(Request::new("ChangePassword", body))
    }
}

/// A Cognito user-pool client on a host [`Platform`]: [`Requests`] sent, answers read.
pub struct Client<P> {
    requests: Requests,
    platform: P,
}

impl<P: Platform> Client<P> {
    /// A client; checks the configuration's shape (nothing is sent).
    pub fn new(config: ClientConfig, platform: P) -> Result<Client<P>, Error> {
        Ok(Client {
            requests: Requests::new(config)?,
            platform,
        })
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

    /// The request builder underneath.
    pub fn requests(&self) -> &Requests {
        &self.requests
    }

    /// One Cognito operation: POST, then the answer's object or Cognito's exception.
    async fn send(&self, request: Result<Request, Error>) -> Result<Object, Error> {
        let request = request?;
        let response = self
            .platform
            .post_json(self.endpoint(), &request.target(), request.body)
            .await?;
        read_answer(request.operation, &response)
    }

    /// Registers a user. `attributes`: `("email", "a@example.com")`, `("custom:x", "1")`, ...
    pub async fn sign_up(
        &self,
        username: &str,
        password: &str,
        attributes: &[(String, String)],
    ) -> Result<SignUpResult, Error> {
        read_sign_up(
            &self
                .send(self.requests.sign_up(username, password, attributes))
                .await?,
        )
    }

    /// Confirms a sign-up with the code Cognito sent.
    pub async fn confirm_sign_up(&self, username: &str, code: &str) -> Result<(), Error> {
        self.send(self.requests.confirm_sign_up(username, code))
            .await
            .map(drop)
    }

    /// Sends the sign-up confirmation code again (the old one stops working).
    pub async fn resend_confirmation_code(&self, username: &str) -> Result<CodeDelivery, Error> {
        read_code_delivery(
            &self
                .send(self.requests.resend_confirmation_code(username))
                .await?,
        )
    }

    /// Signs in with `USER_PASSWORD_AUTH`: the password goes to Cognito (over TLS). The app
    /// client must allow the flow. [`Client::sign_in_srp`] keeps the password on the device.
    pub async fn sign_in_password(
        &self,
        username: &str,
        password: &str,
    ) -> Result<SignInResult, Error> {
        read_sign_in(
            &self
                .send(self.requests.sign_in_password(username, password))
                .await?,
        )
    }

    /// Signs in with `USER_SRP_AUTH`: proves the password without sending it. The
    /// arithmetic runs on the caller's thread (a few milliseconds on a desktop).
    #[cfg(feature = "std")] // random numbers: see `SrpClient::new`
    pub async fn sign_in_srp(&self, username: &str, password: &str) -> Result<SignInResult, Error> {
        let srp = SrpClient::new()?;
        let first = self
            .send(
                self.requests
                    .sign_in_srp(username, password, &srp.public_hex()),
            )
            .await?;
        let challenge = match read_srp_start(&first)? {
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
        let answer = self
            .send(
                self.requests
                    .password_verifier(&challenge, &timestamp, &signature),
            )
            .await?;
        read_sign_in(&answer)
    }

    /// Answers a challenge. `USERNAME` must be among `responses`; SECRET_HASH is added.
    pub async fn respond_to_challenge(
        &self,
        name: &str,
        session: Option<&str>,
        responses: Pairs,
    ) -> Result<SignInResult, Error> {
        let request = self.requests.respond_to_challenge(name, session, responses);
        read_sign_in(&self.send(request).await?)
    }

    /// New ID and access tokens from a refresh token. With a client secret, `username` (the
    /// user's username, or `sub` in alias pools) is needed for SECRET_HASH.
    pub async fn refresh(
        &self,
        refresh_token: &str,
        username: Option<&str>,
    ) -> Result<Tokens, Error> {
        read_refresh(
            &self
                .send(self.requests.refresh(refresh_token, username))
                .await?,
        )
    }

    /// The signed-in user's username and attributes.
    pub async fn get_user(&self, access_token: &str) -> Result<User, Error> {
        read_user(&self.send(self.requests.get_user(access_token)).await?)
    }

    /// Signs the user out everywhere: every refresh token and the access tokens minted from
    /// them stop working with Cognito (ID tokens stay valid for verifiers until they expire).
    pub async fn global_sign_out(&self, access_token: &str) -> Result<(), Error> {
        self.send(self.requests.global_sign_out(access_token))
            .await
            .map(drop)
    }

    /// Revokes one refresh token and the access tokens minted from it (sign-out of this
    /// device). Sends the client secret itself when there is one, as the API requires.
    pub async fn revoke_token(&self, refresh_token: &str) -> Result<(), Error> {
        self.send(self.requests.revoke_token(refresh_token))
            .await
            .map(drop)
    }

    /// Starts a password reset: Cognito sends a code to the verified email or phone.
    pub async fn forgot_password(&self, username: &str) -> Result<CodeDelivery, Error> {
        read_code_delivery(&self.send(self.requests.forgot_password(username)).await?)
    }

    /// Finishes a password reset with the code and the new password.
    pub async fn confirm_forgot_password(
        &self,
        username: &str,
        code: &str,
        new_password: &str,
    ) -> Result<(), Error> {
        self.send(
            self.requests
                .confirm_forgot_password(username, code, new_password),
        )
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
        self.send(
            self.requests
                .change_password(access_token, previous, proposed),
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
