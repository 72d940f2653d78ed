"""boto3 (botocore) against the emulator, with a client that has a secret.

Why: botocore is AWS's own, independently written client of the Cognito JSON protocol (its
service model, serializer and error parser), and it is what backend code uses. This file
checks that the emulator answers it as Cognito would, and that it is strict where moto and
cognito-local are lenient: SECRET_HASH (computed here exactly as AWS documents), and
ExplicitAuthFlows.

Run (emulator already running; `pip install -r tests/interop/requirements.txt`):
    COGNITO_ENDPOINT=http://127.0.0.1:PORT python3 -m pytest tests/interop/test_boto3.py
"""
import base64
import hashlib
import hmac
import json
import os
import secrets
import urllib.parse
import urllib.request

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT = os.environ.get("COGNITO_ENDPOINT", "").rstrip("/")
PASSWORD = "Correct-Horse-9"

if not ENDPOINT:
    raise RuntimeError("set COGNITO_ENDPOINT, e.g. http://127.0.0.1:9229")


def secret_hash(secret: str, username: str, client_id: str) -> str:
    """AWS's formula: Base64(HMAC_SHA256(key=client secret, msg=username + client id))."""
    mac = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


def error_code(excinfo) -> str:
    return excinfo.value.response["Error"]["Code"]


def outbox_code(username: str, pool_id: str, kind: str) -> str:
    """The last code of `kind` the emulator "sent" to `username`."""
    query = urllib.parse.urlencode({"username": username, "pool_id": pool_id})
    with urllib.request.urlopen(f"{ENDPOINT}/_emulator/outbox?{query}", timeout=10) as resp:
        entries = [e for e in json.load(resp) if e["kind"] == kind]
    assert entries, f"no {kind} message for {username} in the outbox"
    return entries[-1]["code"]


@pytest.fixture(scope="module")
def idp():
    return boto3.client(
        "cognito-idp",
        endpoint_url=ENDPOINT,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
        # Fail fast: an error is the answer under test, never something to retry.
        config=Config(retries={"total_max_attempts": 1}),
    )


@pytest.fixture(scope="module")
def app(idp):
    """One pool (email required, auto-verified) and one client with a secret."""
    pool = idp.create_user_pool(
        PoolName=f"boto3-{secrets.token_hex(4)}",
        AutoVerifiedAttributes=["email"],
        Schema=[{"Name": "email", "Required": True, "AttributeDataType": "String", "Mutable": True}],
    )["UserPool"]
    client = idp.create_user_pool_client(
        UserPoolId=pool["Id"],
        ClientName="backend",
        GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]
    assert client["ClientSecret"]
    return {"pool_id": pool["Id"], "client_id": client["ClientId"], "secret": client["ClientSecret"]}


def new_username(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(6)}"


def sign_up(idp, app, username: str) -> dict:
    return idp.sign_up(
        ClientId=app["client_id"],
        SecretHash=secret_hash(app["secret"], username, app["client_id"]),
        Username=username,
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": f"{username}@example.com"}],
    )


@pytest.fixture
def user(idp, app):
    """A fresh, confirmed user (sign_up -> outbox code -> confirm_sign_up, all with SECRET_HASH)."""
    username = new_username("user")
    resp = sign_up(idp, app, username)
    assert resp["UserConfirmed"] is False
    idp.confirm_sign_up(
        ClientId=app["client_id"],
        SecretHash=secret_hash(app["secret"], username, app["client_id"]),
        Username=username,
        ConfirmationCode=outbox_code(username, app["pool_id"], "confirm_sign_up"),
    )
    return username


def password_auth(idp, app, username, password=PASSWORD, **extra):
    params = {"USERNAME": username, "PASSWORD": password, **extra}
    return idp.initiate_auth(ClientId=app["client_id"], AuthFlow="USER_PASSWORD_AUTH", AuthParameters=params)


def test_sign_in_with_secret_hash_and_get_user(idp, app, user):
    resp = password_auth(idp, app, user, SECRET_HASH=secret_hash(app["secret"], user, app["client_id"]))
    result = resp["AuthenticationResult"]
    for key in ("IdToken", "AccessToken", "RefreshToken"):
        assert result[key]
    assert result["ExpiresIn"] == 3600
    assert result["TokenType"] == "Bearer"

    me = idp.get_user(AccessToken=result["AccessToken"])
    assert me["Username"] == user
    attrs = {a["Name"]: a["Value"] for a in me["UserAttributes"]}
    assert attrs["email"] == f"{user}@example.com"


def test_wrong_or_missing_secret_hash_on_sign_in(idp, app, user):
    wrong = secret_hash("not-the-secret", user, app["client_id"])
    with pytest.raises(ClientError) as e:
        password_auth(idp, app, user, SECRET_HASH=wrong)
    assert error_code(e) == "NotAuthorizedException"

    with pytest.raises(ClientError) as e:
        password_auth(idp, app, user)
    assert error_code(e) == "NotAuthorizedException"


def test_sign_up_without_secret_hash(idp, app):
    username = new_username("nohash")
    with pytest.raises(ClientError) as e:
        idp.sign_up(
            ClientId=app["client_id"],
            Username=username,
            Password=PASSWORD,
            UserAttributes=[{"Name": "email", "Value": f"{username}@example.com"}],
        )
    assert error_code(e) == "NotAuthorizedException"


def test_wrong_password(idp, app, user):
    with pytest.raises(ClientError) as e:
        password_auth(idp, app, user, "Wrong-Horse-9",
                      SECRET_HASH=secret_hash(app["secret"], user, app["client_id"]))
    assert error_code(e) == "NotAuthorizedException"


def test_srp_flow_not_enabled_for_this_client(idp, app, user):
    # A well-formed SRP_A (g^a mod N with a = 1000, so g^a < N); the only fault is the flow.
    srp_a = format(pow(2, 1000), "x")
    with pytest.raises(ClientError) as e:
        idp.initiate_auth(
            ClientId=app["client_id"],
            AuthFlow="USER_SRP_AUTH",
            AuthParameters={
                "USERNAME": user,
                "SRP_A": srp_a,
                "SECRET_HASH": secret_hash(app["secret"], user, app["client_id"]),
            },
        )
    assert error_code(e) == "InvalidParameterException"
    assert "not enabled" in e.value.response["Error"]["Message"]


def test_refresh_token_auth_with_secret_hash(idp, app, user):
    first = password_auth(idp, app, user, SECRET_HASH=secret_hash(app["secret"], user, app["client_id"]))
    refresh_token = first["AuthenticationResult"]["RefreshToken"]

    resp = idp.initiate_auth(
        ClientId=app["client_id"],
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={
            "REFRESH_TOKEN": refresh_token,
            "SECRET_HASH": secret_hash(app["secret"], user, app["client_id"]),
        },
    )
    result = resp["AuthenticationResult"]
    assert result["IdToken"] and result["AccessToken"]
    assert result["ExpiresIn"] == 3600
    assert result["TokenType"] == "Bearer"
    assert idp.get_user(AccessToken=result["AccessToken"])["Username"] == user
