#!/usr/bin/env python3
"""SECRET_HASH reference values from Python's standard library alone.

Why: the Rust crate computes SECRET_HASH; this script computes it independently, with the
formula AWS documents ("Computing secret hash values" in the Cognito developer guide):

    SECRET_HASH = Base64(HMAC_SHA256(key = client secret, message = username + client id))

Invocation (stdin: JSON array, stdout: JSON array of the same length, in order):

    python3 tests/interop/secret_hash.py <<< '[{"secret": "s", "username": "u", "client_id": "c"}]'

Strings are encoded as UTF-8.
"""
import base64
import hashlib
import hmac
import json
import sys


def secret_hash(secret: str, username: str, client_id: str) -> str:
    digest = hmac.new(
        secret.encode("utf-8"),
        (username + client_id).encode("utf-8"),
        hashlib.sha256,
    ).digest()
    return base64.b64encode(digest).decode("ascii")


def main() -> None:
    cases = json.load(sys.stdin)
    if not isinstance(cases, list):
        raise SystemExit("stdin must be a JSON array")
    out = [secret_hash(c["secret"], c["username"], c["client_id"]) for c in cases]
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
