"""boto3 (botocore) against the emulator, mostly with a client that has a secret.

Why: botocore is AWS's own, independently written client of the Cognito JSON protocol (its
service model, serializer and error parser), and it is what backend code uses. This file
checks that the emulator answers it as Cognito would, and that it is strict where moto and
cognito-local are lenient: SECRET_HASH (computed here exactly as AWS documents), and
ExplicitAuthFlows; and that botocore's shapes for account self-service (UpdateUserAttributes
with ClientMetadata, VerifyUserAttribute, DeleteUserAttributes, GetUserAttributeVerificationCode,
DeleteUser, UserAttributeUpdateSettings) are the ones the emulator reads and answers.

Run (emulator already running; `pip install -r tests/interop/requirements.txt`):
    COGNITO_ENDPOINT=http://127.0.0.1:PORT python3 -m pytest tests/interop/test_boto3.py
"""
import base64
import hashlib
import hmac
import json
import os
import secrets
import time
import urllib.parse
import urllib.request

import boto3
import pyotp
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


# The header the emulator wants on its own routes and on the admin operations (which AWS signs
# with IAM credentials; the emulator checks for this header instead).
ADMIN_HEADER = "X-Cognito-Emulator-Admin"


def emulator_get(path: str):
    """GET one of the emulator's own routes."""
    request = urllib.request.Request(f"{ENDPOINT}{path}", headers={ADMIN_HEADER: "1"})
    return urllib.request.urlopen(request, timeout=10)


def add_admin_header(request, **_):
    request.headers[ADMIN_HEADER] = "1"


def outbox_code(username: str, pool_id: str, kind: str) -> str:
    """The last code of `kind` the emulator "sent" to `username`."""
    query = urllib.parse.urlencode({"username": username, "pool_id": pool_id})
    with emulator_get(f"/_emulator/outbox?{query}") as resp:
        entries = [e for e in json.load(resp) if e["kind"] == kind]
    assert entries, f"no {kind} message for {username} in the outbox"
    return entries[-1]["code"]


@pytest.fixture(scope="module")
def idp():
    client = boto3.client(
        "cognito-idp",
        endpoint_url=ENDPOINT,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
        # Fail fast: an error is the answer under test, never something to retry.
        config=Config(retries={"total_max_attempts": 1}),
    )
    client.meta.events.register("before-send.cognito-idp.*", add_admin_header)
    return client


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


def test_refresh_token_rotation_with_get_tokens_from_refresh_token(idp, app):
    """boto3's own model of RefreshTokenRotation and GetTokensFromRefreshToken: a rotating
    client answers a new refresh token, the old one is then refused as reused (no grace)."""
    client = idp.create_user_pool_client(
        UserPoolId=app["pool_id"],
        ClientName="rotating",
        GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"],
        RefreshTokenRotation={"Feature": "ENABLED", "RetryGracePeriodSeconds": 0},
    )["UserPoolClient"]
    assert client["RefreshTokenRotation"] == {"Feature": "ENABLED", "RetryGracePeriodSeconds": 0}
    rotating = {**app, "client_id": client["ClientId"], "secret": client["ClientSecret"]}
    username = new_username("rotate")
    sign_up(idp, rotating, username)
    idp.admin_confirm_sign_up(UserPoolId=app["pool_id"], Username=username)
    first = password_auth(
        idp, rotating, username, SECRET_HASH=secret_hash(rotating["secret"], username, rotating["client_id"])
    )["AuthenticationResult"]["RefreshToken"]

    def get_tokens(refresh_token):
        return idp.get_tokens_from_refresh_token(
            ClientId=rotating["client_id"], ClientSecret=rotating["secret"], RefreshToken=refresh_token
        )["AuthenticationResult"]

    result = get_tokens(first)
    assert result["RefreshToken"] != first
    assert idp.get_user(AccessToken=result["AccessToken"])["Username"] == username
    with pytest.raises(ClientError) as excinfo:
        get_tokens(first)
    assert error_code(excinfo) == "RefreshTokenReuseException"
    assert get_tokens(result["RefreshToken"])["RefreshToken"]


def outbox_message(username: str, pool_id: str, kind: str) -> dict:
    """The last message of `kind` the emulator "sent" to `username`, whole."""
    query = urllib.parse.urlencode({"username": username, "pool_id": pool_id})
    with emulator_get(f"/_emulator/outbox?{query}") as resp:
        entries = [e for e in json.load(resp) if e["kind"] == kind]
    assert entries, f"no {kind} message for {username} in the outbox"
    return entries[-1]


def client_metadata_records(username: str) -> list:
    query = urllib.parse.urlencode({"username": username})
    with emulator_get(f"/_emulator/client-metadata?{query}") as resp:
        return json.load(resp)


def attributes(idp, access_token: str) -> dict:
    return {a["Name"]: a["Value"] for a in idp.get_user(AccessToken=access_token)["UserAttributes"]}


def test_account_self_service(idp, app, user):
    """Update the email (with ClientMetadata), verify it with the code from the outbox, delete an
    attribute, ask a code for a missing one, delete the user: all through botocore."""
    signed_in = password_auth(idp, app, user, SECRET_HASH=secret_hash(app["secret"], user, app["client_id"]))
    token = signed_in["AuthenticationResult"]["AccessToken"]
    new_email = f"moved-{user}@example.org"
    metadata = {"source": "boto3", "step": "update"}

    resp = idp.update_user_attributes(
        AccessToken=token,
        UserAttributes=[{"Name": "email", "Value": new_email}, {"Name": "given_name", "Value": "Ada"}],
        ClientMetadata=metadata,
    )
    [details] = resp["CodeDeliveryDetailsList"]
    assert details["DeliveryMedium"] == "EMAIL"
    assert details["AttributeName"] == "email"
    assert details["Destination"] != new_email and "*" in details["Destination"]
    before = attributes(idp, token)
    assert before["email"] == new_email
    assert before["email_verified"] == "false"
    assert before["given_name"] == "Ada"

    message = outbox_message(user, app["pool_id"], "verify_attribute")
    assert message["destination"] == new_email
    assert message["medium"] == "EMAIL" and message["attribute"] == "email"
    assert message["client_metadata"] == metadata
    [record] = [r for r in client_metadata_records(user) if r["operation"] == "UpdateUserAttributes"]
    assert record["client_metadata"] == metadata and record["pool_id"] == app["pool_id"]

    wrong = "".join(str((int(d) + 1) % 10) for d in message["code"])
    with pytest.raises(ClientError) as e:
        idp.verify_user_attribute(AccessToken=token, AttributeName="email", Code=wrong)
    assert error_code(e) == "CodeMismatchException"
    idp.verify_user_attribute(AccessToken=token, AttributeName="email", Code=message["code"])
    after = attributes(idp, token)
    assert after["email"] == new_email
    assert after["email_verified"] == "true"

    idp.delete_user_attributes(AccessToken=token, UserAttributeNames=["given_name"])
    assert "given_name" not in attributes(idp, token)
    with pytest.raises(ClientError) as e:
        idp.delete_user_attributes(AccessToken=token, UserAttributeNames=["email"])
    assert error_code(e) == "InvalidParameterException"  # required in this pool

    with pytest.raises(ClientError) as e:
        idp.get_user_attribute_verification_code(AccessToken=token, AttributeName="phone_number")
    assert error_code(e) == "InvalidParameterException"

    idp.delete_user(AccessToken=token)
    with pytest.raises(ClientError) as e:
        idp.get_user(AccessToken=token)
    assert error_code(e) == "NotAuthorizedException"
    with pytest.raises(ClientError) as e:
        idp.admin_get_user(UserPoolId=app["pool_id"], Username=user)
    assert error_code(e) == "UserNotFoundException"


def test_email_change_waits_for_its_code(idp):
    """UserAttributeUpdateSettings as botocore serializes it: the old email stays until the code."""
    pool = idp.create_user_pool(
        PoolName=f"boto3-verify-first-{secrets.token_hex(4)}",
        AutoVerifiedAttributes=["email"],
        Schema=[{"Name": "email", "Required": True, "AttributeDataType": "String", "Mutable": True}],
        UserAttributeUpdateSettings={"AttributesRequireVerificationBeforeUpdate": ["email"]},
    )["UserPool"]
    described = idp.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]
    assert described["UserAttributeUpdateSettings"] == {"AttributesRequireVerificationBeforeUpdate": ["email"]}
    client_id = idp.create_user_pool_client(
        UserPoolId=pool["Id"], ClientName="public", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    username = new_username("later")
    old_email = f"{username}@example.com"
    idp.sign_up(ClientId=client_id, Username=username, Password=PASSWORD,
                UserAttributes=[{"Name": "email", "Value": old_email}])
    idp.confirm_sign_up(ClientId=client_id, Username=username,
                        ConfirmationCode=outbox_code(username, pool["Id"], "confirm_sign_up"))
    token = idp.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                              AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD})["AuthenticationResult"]["AccessToken"]

    new_email = f"new-{username}@example.com"
    idp.update_user_attributes(AccessToken=token, UserAttributes=[{"Name": "email", "Value": new_email}])
    pending = attributes(idp, token)
    assert pending["email"] == old_email and pending["email_verified"] == "true"
    code = outbox_message(username, pool["Id"], "verify_attribute")
    assert code["destination"] == new_email
    idp.verify_user_attribute(AccessToken=token, AttributeName="email", Code=code["code"])
    done = attributes(idp, token)
    assert done["email"] == new_email and done["email_verified"] == "true"


def test_an_authenticator_app_with_pyotp(idp):
    """A software token associated and verified with pyotp's codes (RFC 6238, as every
    authenticator app computes them), then preferred, as GetUser reports."""
    pool = idp.create_user_pool(
        PoolName=f"boto3-mfa-{secrets.token_hex(4)}",
        AutoVerifiedAttributes=["email"],
        Schema=[{"Name": "email", "Required": True, "AttributeDataType": "String", "Mutable": True}],
    )["UserPool"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool["Id"], ClientName="spa", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    config = idp.set_user_pool_mfa_config(
        UserPoolId=pool["Id"],
        MfaConfiguration="OPTIONAL",
        SoftwareTokenMfaConfiguration={"Enabled": True},
    )
    assert config["MfaConfiguration"] == "OPTIONAL"
    assert idp.get_user_pool_mfa_config(UserPoolId=pool["Id"])["SoftwareTokenMfaConfiguration"] == {"Enabled": True}

    username = new_username("totp")
    idp.sign_up(
        ClientId=client_id,
        Username=username,
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": f"{username}@example.com"}],
    )
    idp.confirm_sign_up(
        ClientId=client_id,
        Username=username,
        ConfirmationCode=outbox_code(username, pool["Id"], "confirm_sign_up"),
    )
    auth = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
    )
    access = auth["AuthenticationResult"]["AccessToken"]

    secret = idp.associate_software_token(AccessToken=access)["SecretCode"]
    totp = pyotp.TOTP(secret)
    wrong = f"{(int(totp.now()) + 1) % 1_000_000:06d}"
    with pytest.raises(ClientError) as excinfo:
        idp.verify_software_token(AccessToken=access, UserCode=wrong, FriendlyDeviceName="phone")
    assert error_code(excinfo) == "EnableSoftwareTokenMFAException"
    verified = idp.verify_software_token(AccessToken=access, UserCode=totp.now(), FriendlyDeviceName="phone")
    assert verified["Status"] == "SUCCESS"

    idp.set_user_mfa_preference(
        AccessToken=access, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    me = idp.get_user(AccessToken=access)
    assert me["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]
    assert me["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"


def test_new_password_then_mfa_setup_then_a_software_token_sign_in(idp):
    """An administrator's user, as boto3 walks it: NEW_PASSWORD_REQUIRED at the first sign-in
    (the temporary password from the outbox), MFA_SETUP straight after (the pool requires
    MFA) with the authenticator app associated and verified through the challenge's Session,
    then SOFTWARE_TOKEN_MFA at the next sign-in, every code pyotp's; SECRET_HASH throughout."""
    pool = idp.create_user_pool(
        PoolName=f"boto3-challenges-{secrets.token_hex(4)}",
        Schema=[{"Name": "name", "Required": True, "AttributeDataType": "String", "Mutable": True}],
    )["UserPool"]
    client = idp.create_user_pool_client(
        UserPoolId=pool["Id"],
        ClientName="backend",
        GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]
    client_id, secret = client["ClientId"], client["ClientSecret"]
    idp.set_user_pool_mfa_config(
        UserPoolId=pool["Id"], MfaConfiguration="ON", SoftwareTokenMfaConfiguration={"Enabled": True}
    )
    username = new_username("invited")
    created = idp.admin_create_user(
        UserPoolId=pool["Id"],
        Username=username,
        UserAttributes=[{"Name": "email", "Value": f"{username}@example.com"}],
        DesiredDeliveryMediums=["EMAIL"],
    )
    assert created["User"]["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    temporary = outbox_code(username, pool["Id"], "admin_create_user")
    hashed = {"USERNAME": username, "SECRET_HASH": secret_hash(secret, username, client_id)}

    def respond(name, session, **answers):
        return idp.respond_to_auth_challenge(
            ClientId=client_id, ChallengeName=name, Session=session, ChallengeResponses={**hashed, **answers}
        )

    first = idp.initiate_auth(
        ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={**hashed, "PASSWORD": temporary}
    )
    assert first["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    assert json.loads(first["ChallengeParameters"]["requiredAttributes"]) == ["userAttributes.name"]
    with pytest.raises(ClientError) as excinfo:
        respond("NEW_PASSWORD_REQUIRED", first["Session"], NEW_PASSWORD="weak", **{"userAttributes.name": "Ada"})
    assert error_code(excinfo) == "InvalidPasswordException"
    setup = respond(
        "NEW_PASSWORD_REQUIRED", first["Session"], NEW_PASSWORD="Another-Pass-42", **{"userAttributes.name": "Ada"}
    )
    assert setup["ChallengeName"] == "MFA_SETUP"
    assert json.loads(setup["ChallengeParameters"]["MFAS_CAN_SETUP"]) == ["SOFTWARE_TOKEN_MFA"]

    associated = idp.associate_software_token(Session=setup["Session"])
    totp = pyotp.TOTP(associated["SecretCode"])
    verified = idp.verify_software_token(
        Session=associated["Session"], UserCode=totp.now(), FriendlyDeviceName="phone"
    )
    assert verified["Status"] == "SUCCESS"
    done = respond("MFA_SETUP", verified["Session"])
    assert done["AuthenticationResult"]["AccessToken"]
    me = idp.get_user(AccessToken=done["AuthenticationResult"]["AccessToken"])
    assert me["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"

    again = idp.initiate_auth(
        ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={**hashed, "PASSWORD": "Another-Pass-42"}
    )
    assert again["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    wrong = f"{(int(totp.now()) + 500_000) % 1_000_000:06d}"
    with pytest.raises(ClientError) as excinfo:
        respond("SOFTWARE_TOKEN_MFA", again["Session"], SOFTWARE_TOKEN_MFA_CODE=wrong)
    assert error_code(excinfo) == "CodeMismatchException"
    # The code of now verified the app, and a code is good once (RFC 6238, 5.2): the next
    # step's code, which the window takes, signs in.
    code = totp.at(time.time() + 30)
    signed_in = respond("SOFTWARE_TOKEN_MFA", again["Session"], SOFTWARE_TOKEN_MFA_CODE=code)
    assert signed_in["AuthenticationResult"]["IdToken"]
    with pytest.raises(ClientError) as excinfo:
        respond("SOFTWARE_TOKEN_MFA", again["Session"], SOFTWARE_TOKEN_MFA_CODE=code)
    assert error_code(excinfo) == "NotAuthorizedException"
    third = idp.initiate_auth(
        ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={**hashed, "PASSWORD": "Another-Pass-42"}
    )
    with pytest.raises(ClientError) as excinfo:
        respond("SOFTWARE_TOKEN_MFA", third["Session"], SOFTWARE_TOKEN_MFA_CODE=code)
    assert error_code(excinfo) == "CodeMismatchException"
