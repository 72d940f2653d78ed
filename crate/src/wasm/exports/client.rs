//! `CognitoClient`'s core: the registry's operations, by their position in
//! [`Operation::ALL`]. The driver asks for a request, fetches it, and hands the answer back;
//! every rule (inputs, SECRET_HASH, the answer's reading, the error's name) is the registry's.

use crate::prelude::*;

use super::errors::{err, invalid_input};
use super::mailbox::{call, free, split, text};
use super::options::{response, Options};
use crate::api::operation::Spec;
use crate::api::{self, shapes, ClientConfig, Operation, Requests};
use crate::error::Error;
use crate::json::{self, Value};

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
    response(status, kind, body)
        .and_then(|r| api::read_answer(spec.target, &r))
        .and_then(|w| shapes::answer(spec.answer, &w))
        .map_err(err)
}

/// Forgets a client.
#[export_name = "cw_client_free"]
pub extern "C" fn client_free(client: u32) {
    free(|o| o.clients.free(client));
}
