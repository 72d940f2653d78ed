//! `CognitoClient`'s TypeScript declarations are generated from the registry of operations
//! (`src/api/operation.rs`): a method per operation, its parameters from the row's inputs,
//! its result from the row's answer, its doc from the variant's doc comment. The JS methods
//! themselves are defined from the same registry when the package loads, so the declarations
//! are the one part that could drift: this test regenerates their block in
//! `js/cognito_wasm.d.ts` and fails when the committed file differs. Run outside CI, it also
//! writes the new block, so `cargo test` after adding an operation updates the file (commit
//! it), as rust-analyzer's source generation tests do.

use cognito_wasm::api::operation::{Answer, Kind, Operation};

const DTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/js/cognito_wasm.d.ts");
const REGISTRY: &str = include_str!("../src/api/operation.rs");
const BEGIN: &str =
    "  // BEGIN generated from the registry (crate/tests/typescript_api.rs): do not edit\n";
const END: &str = "  // END generated\n";

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
    let mut out = String::from(BEGIN);
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
    out.push_str(END);
    out
}

#[test]
fn the_typescript_declarations_are_the_registrys() {
    let dts = std::fs::read_to_string(DTS).expect("js/cognito_wasm.d.ts");
    let (before, rest) = dts
        .split_once(BEGIN)
        .expect("cognito_wasm.d.ts has the generated block's first line");
    let (committed, after) = rest
        .split_once(END)
        .expect("cognito_wasm.d.ts has the generated block's last line");
    let want = generated();
    if format!("{BEGIN}{committed}{END}") == want {
        return;
    }
    if std::env::var_os("CI").is_none() {
        std::fs::write(DTS, format!("{before}{want}{after}")).expect("write cognito_wasm.d.ts");
        panic!("js/cognito_wasm.d.ts was out of date with the registry: updated, commit it");
    }
    panic!("js/cognito_wasm.d.ts is out of date with the registry: run `cargo test` and commit it");
}

#[test]
fn every_operation_has_a_doc() {
    for op in Operation::ALL {
        assert!(!doc(*op).is_empty(), "{op:?}");
    }
}
