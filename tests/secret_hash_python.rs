//! SECRET_HASH against Python's standard `hmac`, computed with the formula AWS documents.

use cognito_wasm::secret_hash;
use cognito_wasm_tests::reference;
use serde_json::{json, Value};

#[test]
fn matches_python_hmac() {
    let cases = [
        ("s3cr3t", "alice", "client123"),
        (
            "1example23456789secretsecretsecretsecret0123456789ab",
            "Bob_the_2nd",
            "1example23456789abcdefghij",
        ),
        ("k", "ünïcødé-用户", "c"),
        (
            "a-secret-longer-than-one-sha256-block-of-64-bytes-xxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "u",
            "id",
        ),
        ("", "", ""),
    ];
    let input: Vec<Value> = cases
        .iter()
        .map(|(s, u, c)| json!({"secret": s, "username": u, "client_id": c}))
        .collect();
    let python = reference("python3", &["secret_hash.py"], &Value::Array(input));
    for ((s, u, c), want) in cases.iter().zip(python.as_array().unwrap()) {
        assert_eq!(secret_hash(s, u, c), want.as_str().unwrap(), "{u}/{c}");
    }
}
