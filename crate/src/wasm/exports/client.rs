//! `CognitoClient`'s core: the registry's operations, by their position in
//! [`Operation::ALL`]. The driver asks for a request, fetches it, and hands the answer back;
//! every rule (inputs, SECRET_HASH, the answer's reading, the error's name) is the registry's.

use crate::prelude::*;

use super::errors::{err, invalid_input};
use super::mailbox::{call, free, split, text};
use super::options::{response, Options};
use crate::api::operation::{Answer, Spec};
use crate::api::{self, ClientConfig, CodeDelivery, Operation, Requests, SignInResult, Tokens};
use crate::error::Error;
use crate::json::{self, ObjectWriter, Value};

/// `CognitoClientOptions`' members (a `CognitoSession`'s options have them too).
pub(super) const CLIENT_OPTIONS: [&str; 6] = [
    "userPoolId",
    "clientId",
    "clientSecret",
    "endpoint",
    "timeoutMs",
    "srpWorker",
];

/// A client for the options (`CognitoClientOptions`, JSON) in the inbox; sends nothing.
/// Replies `handle \n pool name \n endpoint`.
#[export_name = "cw_client_new"]
pub extern "C" fn client_new() -> u32 {
    call(|inbox, o| {
        let options = Options::read("CognitoClient options", text(inbox)?, &[&CLIENT_OPTIONS])?;
        options.opt_bool("srpWorker")?;
        options.opt_count("timeoutMs")?;
        let config = ClientConfig {
            user_pool_id: options.req_str("userPoolId")?,
            client_id: options.req_str("clientId")?,
            client_secret: options.opt_str("clientSecret")?,
            endpoint: options.opt_str("endpoint")?,
        };
        let requests = Requests::new(config).map_err(err)?;
        let described = concat(&[requests.pool_name(), "\n", requests.endpoint()]);
        let handle = o.clients.add(requests);
        Ok(concat(&[&handle, "\n", &described]))
    })
}

/// The registry's operations, in order, a line each: the method's name, then ` step` for a
/// step of a method the driver writes itself (the SRP sign-in's).
#[export_name = "cw_operations"]
pub extern "C" fn operations() -> u32 {
    call(|_, _| {
        let mut out = String::new();
        for op in Operation::ALL {
            let spec = op.spec();
            out.push_str(spec.method);
            out.push_str(if spec.step { " step\n" } else { "\n" });
        }
        Ok(out)
    })
}

/// The most bytes of an answer the core reads ([`crate::api::MAX_ANSWER_BYTES`], which
/// bounds a JWKS too): the driver hands a longer body over as its first this-plus-one
/// characters, which the core refuses by length alone, as it would the whole, so that a
/// huge body does not grow the module's memory (which never shrinks) by its size.
#[export_name = "cw_max_answer_bytes"]
pub extern "C" fn max_answer_bytes() -> usize {
    crate::api::MAX_ANSWER_BYTES
}

fn operation(index: u32) -> Result<Operation, String> {
    Operation::from_index(index).ok_or_else(|| err(Error::Platform("no such operation".into())))
}

/// The request of operation `op` (its index), the inbox being its arguments (a JSON list):
/// `X-Amz-Target \n body`.
#[export_name = "cw_client_request"]
pub extern "C" fn client_request(client: u32, op: u32) -> u32 {
    call(|inbox, o| {
        let operation = operation(op)?;
        let args = match json::parse(text(inbox)?) {
            Ok(Value::Array(args)) => args,
            Ok(_) => return Err(invalid_input(&["arguments must be a list"])),
            Err(e) => return Err(invalid_input(&["arguments: ", &e.message()])),
        };
        let request = o
            .clients
            .get(client)?
            .request(operation, &args)
            .map_err(err)?;
        Ok(concat(&[&request.target(), "\n", &request.body]))
    })
}

/// The answer to operation `op`'s request as the method's result (JSON), the inbox being
/// `kind \n body`, as `response` reads them with `status`.
#[export_name = "cw_client_answer"]
pub extern "C" fn client_answer(client: u32, op: u32, status: u32) -> u32 {
    call(|inbox, o| {
        o.clients.get(client)?;
        let (kind, body) = split(inbox)?;
        answer(operation(op)?.spec(), status, kind, body)
    })
}

fn answer(spec: &Spec, status: u32, kind: &str, body: &str) -> Result<String, String> {
    let status = u16::try_from(status).map_err(|_| invalid_input(&["an HTTP status"]))?;
    let w = response(status, kind, body)
        .and_then(|r| api::read_answer(spec.target, &r))
        .map_err(err)?;
    let json = match spec.answer {
        Answer::Nothing => "null".into(),
        Answer::SignUp => {
            let r = api::read_sign_up(&w).map_err(err)?;
            let delivery = r.code_delivery.map(code_delivery_json);
            ObjectWriter::new()
                .bool("userConfirmed", r.user_confirmed)
                .string("userSub", &r.user_sub)
                .opt_raw("codeDelivery", delivery.as_deref())
                .finish()
        }
        Answer::CodeDelivery => code_delivery_json(api::read_code_delivery(&w).map_err(err)?),
        Answer::CodeDeliveries => {
            let mut list = String::from("[");
            for d in api::read_code_deliveries(&w).map_err(err)? {
                if list.len() > 1 {
                    list.push(',');
                }
                list.push_str(&code_delivery_json(d));
            }
            list.push(']');
            list
        }
        Answer::SignIn => sign_in_json(api::read_sign_in(&w).map_err(err)?, false),
        Answer::SrpStart => sign_in_json(api::read_srp_start(&w).map_err(err)?, true),
        Answer::Tokens => tokens_json(api::read_refresh(&w).map_err(err)?),
        Answer::User => {
            let u = api::read_user(&w).map_err(err)?;
            let attributes: json::Object = u.attributes.into_iter().collect();
            ObjectWriter::new()
                .string("username", &u.username)
                .raw("attributes", &Value::Object(attributes).to_json())
                .finish()
        }
    };
    Ok(json)
}

fn code_delivery_json(c: CodeDelivery) -> String {
    ObjectWriter::new()
        .opt_string("destination", c.destination.as_deref())
        .opt_string("deliveryMedium", c.delivery_medium.as_deref())
        .opt_string("attributeName", c.attribute_name.as_deref())
        .finish()
}

fn tokens_json(t: Tokens) -> String {
    ObjectWriter::new()
        .string("idToken", &t.id_token)
        .string("accessToken", &t.access_token)
        .opt_string("refreshToken", t.refresh_token.as_deref())
        .int("expiresIn", t.expires_in.min(i64::MAX as u64) as i64)
        .string("tokenType", &t.token_type)
        .finish()
}

/// `kind` is "tokens", "challenge", or (after the first step of an SRP sign-in) "verifier":
/// PASSWORD_VERIFIER, which the driver answers with a password claim. The challenge is what
/// a challenge's answer takes back.
fn sign_in_json(result: SignInResult, srp: bool) -> String {
    match result {
        SignInResult::Tokens(t) => ObjectWriter::new()
            .string("kind", "tokens")
            .raw("tokens", &tokens_json(t)),
        SignInResult::Challenge(c) => {
            let kind = if srp && c.name == "PASSWORD_VERIFIER" {
                "verifier"
            } else {
                "challenge"
            };
            ObjectWriter::new()
                .string("kind", kind)
                .raw("challenge", &c.to_json())
        }
    }
    .finish()
}

/// Forgets a client.
#[export_name = "cw_client_free"]
pub extern "C" fn client_free(client: u32) {
    free(|o| o.clients.free(client));
}
