//! The parts of the JS package that follow from Rust, generated here:
//!
//! - `CognitoClient`'s TypeScript declarations, from the registry of operations
//!   (`src/api/operation.rs`): a method per operation, its parameters from the row's inputs,
//!   its result from the row's answer, its doc from the variant's doc comment. (The JS methods
//!   themselves are defined from the same registry when the package loads.)
//! - The error classes, in JS and in the declarations, from the core's error names
//!   (`Error::OUR_NAMES`, `SessionError::OWN_NAMES`, `VerifyError::NAMES`,
//!   `CognitoException::known_names`).
//!
//! Each test regenerates its blocks and fails when the committed files differ. Run outside
//! CI, it also writes the new blocks, so `cargo test` after adding an operation or an error
//! updates the files (commit them), as rust-analyzer's source generation tests do.

use cognito_wasm::api::operation::{Answer, Kind, Operation};
use cognito_wasm::session::SessionError;
use cognito_wasm::{CognitoException, Error, VerifyError};

const JS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/js/");
const REGISTRY: &str = include_str!("../src/api/operation.rs");
const BEGIN: &str = "// BEGIN generated from the registry (crate/tests/js_api.rs): do not edit\n";
const BEGIN_ERRORS: &str =
    "// BEGIN generated from the core's error names (crate/tests/js_api.rs): do not edit\n";
const END: &str = "// END generated\n";

/// Each variant's doc comment, read from the registry's source: the lines of `///` before the
/// variant's name in the `operations!` list.
fn doc(op: Operation) -> Vec<String> {
    let name = format!("{op:?},");
    let list = REGISTRY
        .split_once("operations! {")
        .expect("the registry declares its operations with operations!")
        .1;
    let mut doc = Vec::new();
    for line in list.lines().map(str::trim) {
        if let Some(text) = line.strip_prefix("///") {
            doc.push(text.trim().to_owned());
        } else if line == name {
            return doc;
        } else {
            doc.clear();
        }
    }
    panic!("{op:?} has no doc comment in the registry");
}

fn ts_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Text | Kind::Computed => "string",
        Kind::Attributes | Kind::Map => "Record<string, string>",
        Kind::Names => "string[]",
        Kind::Challenge => "Challenge",
    }
}

fn ts_result(answer: Answer) -> &'static str {
    match answer {
        Answer::Nothing => "void",
        Answer::SoftwareToken => "SoftwareTokenResult",
        Answer::SignUp => "SignUpResult",
        Answer::CodeDelivery => "CodeDelivery",
        Answer::CodeDeliveries => "CodeDelivery[]",
        Answer::SignIn | Answer::SrpStart => "SignInResult",
        Answer::Tokens => "Tokens",
        Answer::User => "CognitoUser",
    }
}

/// The declarations of every operation that is a method of its own.
fn generated() -> String {
    let mut out = format!("  {BEGIN}");
    for op in Operation::ALL {
        let spec = op.spec();
        if spec.step {
            continue;
        }
        let doc = doc(*op);
        out.push_str("  /** ");
        out.push_str(&doc.join("\n   *  "));
        out.push_str(" */\n");
        // An optional input before a required one may be null or undefined, not left out.
        let last_required = spec.inputs.iter().rposition(|i| !i.optional);
        let mut params: Vec<String> = spec
            .inputs
            .iter()
            .enumerate()
            .map(|(at, i)| match i.optional {
                false => format!("{}: {}", i.name, ts_type(i.kind)),
                true if last_required.is_some_and(|r| r > at) => {
                    format!("{}: {} | null | undefined", i.name, ts_type(i.kind))
                }
                true => format!("{}?: {} | null", i.name, ts_type(i.kind)),
            })
            .collect();
        if spec.client_metadata {
            params.push("clientMetadata?: Record<string, string>".into());
        }
        out.push_str(&format!(
            "  {}({}): Promise<{}>;\n",
            spec.method,
            params.join(", "),
            ts_result(spec.answer)
        ));
    }
    out.push_str("  ");
    out.push_str(END);
    out
}

/// The block of `file` (under crate/js) from the line `begin` to the next line `end` (both
/// as indented in the file): `want` must be it. Outside CI, a block out of date is rewritten
/// (and the test still fails, so that the change is seen and committed).
fn ensure(file: &str, begin: &str, end: &str, want: &str) {
    let path = format!("{JS}{file}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let from = text
        .find(begin)
        .unwrap_or_else(|| panic!("{file} has no line {begin:?}"));
    let to = text[from..]
        .find(end)
        .map(|at| from + at + end.len())
        .unwrap_or_else(|| panic!("{file}: the generated block has no end"));
    if &text[from..to] == want {
        return;
    }
    if std::env::var_os("CI").is_none() {
        std::fs::write(&path, format!("{}{want}{}", &text[..from], &text[to..])).expect("write");
        panic!("crate/js/{file} was out of date with the Rust side: updated, commit it");
    }
    panic!("crate/js/{file} is out of date with the Rust side: run `cargo test` and commit it");
}

#[test]
fn the_typescript_declarations_are_the_registrys() {
    let (begin, end) = (format!("  {BEGIN}"), format!("  {END}"));
    ensure("cognito_wasm.d.ts", &begin, &end, &generated());
}

/// Our names, then the verifier's that are not ours, then Cognito's known exceptions.
fn error_names() -> (Vec<&'static str>, Vec<&'static str>, Vec<&'static str>) {
    let mut ours = Error::OUR_NAMES.to_vec();
    ours.extend(SessionError::OWN_NAMES);
    let verifier = VerifyError::NAMES
        .iter()
        .copied()
        .filter(|n| !ours.contains(n))
        .collect();
    (ours, verifier, CognitoException::known_names().collect())
}

/// A union type of quoted names, a line each.
fn union(name: &str, names: &[&str], open: bool) -> String {
    let mut out = format!("export type {name} =\n");
    for n in names {
        out.push_str(&format!("  | \"{n}\"\n"));
    }
    if open {
        out.push_str("  | (string & {}); // others Cognito may add\n");
    } else {
        out.pop();
        out.push_str(";\n");
    }
    out
}

/// The claim rules' errors, which extend `JwtInvalidClaimError` as aws-jwt-verify's do (so a
/// `catch` written for theirs catches ours); `JwtIssuedInFutureError` is ours, and a claim's.
const CLAIM_ERRORS: &[&str] = &[
    "CognitoJwtInvalidTokenUseError",
    "JwtExpiredError",
    "JwtNotBeforeError",
    "JwtIssuedInFutureError",
    "JwtInvalidIssuerError",
    "CognitoJwtInvalidClientIdError",
    "CognitoJwtInvalidGroupError",
];

/// The class an error of `name` extends (the verifier's names only: ours extend the base).
fn parent(name: &str) -> &'static str {
    if CLAIM_ERRORS.contains(&name) {
        "JwtInvalidClaimError"
    } else {
        "VerificationError"
    }
}

#[test]
fn the_claim_errors_are_the_verifiers() {
    let names = VerifyError::NAMES;
    let base = names.iter().position(|n| *n == "JwtInvalidClaimError");
    for n in CLAIM_ERRORS {
        // Declared after their parent, so the generated module can extend it.
        let at = names.iter().position(|m| m == n);
        assert!(at.is_some() && at > base, "{n}");
    }
}

#[test]
fn the_error_classes_are_the_cores() {
    let (ours, verifier, cognito) = error_names();
    let mut js = String::from(BEGIN_ERRORS);
    let mut exports = Vec::new();
    for n in &ours {
        js.push_str(&format!(
            "export const {n} = kind(CognitoWasmError, '{n}');\n"
        ));
        exports.push(*n);
    }
    for n in &verifier {
        let family = parent(n);
        js.push_str(&format!("export const {n} = kind({family}, '{n}');\n"));
        exports.push(*n);
    }
    js.push_str(END);
    ensure("driver/errors.js", BEGIN_ERRORS, END, &js);

    let entry = format!(
        "{BEGIN_ERRORS}export {{\n{}}} from './driver/errors.js';\n{END}",
        exports
            .iter()
            .map(|n| format!("  {n},\n"))
            .collect::<String>()
    );
    ensure("cognito_wasm.js", BEGIN_ERRORS, END, &entry);

    let mut dts = String::from(BEGIN_ERRORS);
    dts.push_str(&union("CognitoExceptionName", &cognito, true));
    dts.push_str(&union("OurErrorName", &ours, false));
    dts.push_str(&union("VerificationErrorName", &verifier, false));
    for n in &ours {
        dts.push_str(&format!(
            "export class {n} extends CognitoWasmError {{\n  readonly name: \"{n}\";\n}}\n"
        ));
    }
    let mut claims = vec!["JwtInvalidClaimError"];
    claims.extend(CLAIM_ERRORS);
    dts.push_str(&union("JwtInvalidClaimErrorName", &claims, false));
    for n in &verifier {
        // The parent's name is its own or a subclass's.
        let name = match *n {
            "JwtInvalidClaimError" => "JwtInvalidClaimErrorName".to_string(),
            _ => format!("\"{n}\""),
        };
        dts.push_str(&format!(
            "export class {n} extends {} {{\n  readonly name: {name};\n}}\n",
            parent(n)
        ));
    }
    dts.push_str(END);
    ensure("cognito_wasm.d.ts", BEGIN_ERRORS, END, &dts);
}

#[test]
fn every_operation_has_a_doc() {
    for op in Operation::ALL {
        assert!(!doc(*op).is_empty(), "{op:?}");
    }
}
