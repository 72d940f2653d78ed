//! Admin operations: CreateUserPool, CreateUserPoolClient, DescribeUserPool(Client),
//! AdminGetUser, AdminConfirmSignUp, AdminDeleteUser, ListUsers.

use serde_json::{json, Value};

use crate::common::*;

fn attr<'v>(attrs: &'v Value, name: &str) -> Option<&'v str> {
    attrs.as_array()?.iter().find(|a| a["Name"] == name)?["Value"].as_str()
}

#[test]
fn create_user_pool_id_shape() {
    let emu = shared();
    let name = unique("shape");
    let pool = emu.create_pool(json!({ "PoolName": name }));
    let id = pool["Id"].as_str().expect("UserPool.Id");
    let rest = id
        .strip_prefix("us-east-1_")
        .unwrap_or_else(|| panic!("pool id {id:?}"));
    assert_eq!(
        rest.len(),
        9,
        "pool id {id:?}: 9 characters after the region"
    );
    assert!(
        rest.chars().all(|c| c.is_ascii_alphanumeric()),
        "pool id {id:?}"
    );
    assert_eq!(pool["Name"], json!(name));
    // Two pools never share an id.
    let other = emu.create_pool(json!({}));
    assert_ne!(other["Id"], pool["Id"]);
}

#[test]
fn create_user_pool_client_id_shape_and_secret() {
    let emu = shared();
    let pool = emu.create_pool(json!({}));
    let pool_id = pool["Id"].as_str().unwrap();

    let public = emu.create_client(pool_id, json!({ "ClientName": "public" }));
    let id = public["ClientId"].as_str().expect("ClientId");
    assert_eq!(id.len(), 26, "client id {id:?}");
    assert!(
        id.chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase()),
        "client id {id:?} must be lowercase alphanumerics"
    );
    assert!(
        public.get("ClientSecret").is_none_or(Value::is_null),
        "no secret unless asked: {public}"
    );
    assert_eq!(public["UserPoolId"], json!(pool_id));
    assert_eq!(public["ClientName"], json!("public"));

    let secret = emu.create_client(
        pool_id,
        json!({ "ClientName": "confidential", "GenerateSecret": true }),
    );
    let s = secret["ClientSecret"]
        .as_str()
        .expect("ClientSecret when GenerateSecret");
    assert!(s.len() >= 32, "a secret of some length: {s:?}");
    assert_ne!(secret["ClientId"], public["ClientId"]);
}

#[test]
fn describe_user_pool() {
    let emu = shared();
    let name = unique("describe");
    let pool = emu.create_pool(json!({ "PoolName": name }));
    let id = pool["Id"].as_str().unwrap();
    let v = emu.ok("DescribeUserPool", json!({ "UserPoolId": id }));
    assert_eq!(v["UserPool"]["Id"], json!(id));
    assert_eq!(v["UserPool"]["Name"], json!(name));
}

#[test]
fn describe_user_pool_client_and_defaults() {
    let emu = shared();
    let pool = emu.create_pool(json!({}));
    let pool_id = pool["Id"].as_str().unwrap();
    let created = emu.create_client(pool_id, json!({ "GenerateSecret": true }));
    let client_id = created["ClientId"].as_str().unwrap();
    let v = emu.ok(
        "DescribeUserPoolClient",
        json!({ "UserPoolId": pool_id, "ClientId": client_id }),
    );
    let c = &v["UserPoolClient"];
    assert_eq!(c["ClientId"], json!(client_id));
    assert_eq!(c["UserPoolId"], json!(pool_id));
    assert_eq!(c["ClientSecret"], created["ClientSecret"]);
    // Defaults when no ExplicitAuthFlows are given, as Cognito.
    let mut flows: Vec<String> = c["ExplicitAuthFlows"]
        .as_array()
        .unwrap_or_else(|| panic!("ExplicitAuthFlows in {c}"))
        .iter()
        .map(|f| f.as_str().unwrap().to_string())
        .collect();
    flows.sort();
    assert_eq!(
        flows,
        [
            "ALLOW_CUSTOM_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
            "ALLOW_USER_SRP_AUTH"
        ]
    );
    assert_eq!(c["PreventUserExistenceErrors"], json!("ENABLED"), "{c}");
}

#[test]
fn describe_client_keeps_given_flows() {
    let emu = shared();
    let app = emu.public_app();
    let v = emu.ok(
        "DescribeUserPoolClient",
        json!({ "UserPoolId": app.pool_id, "ClientId": app.client_id }),
    );
    let mut flows: Vec<&str> = v["UserPoolClient"]["ExplicitAuthFlows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    flows.sort();
    assert_eq!(
        flows,
        [
            "ALLOW_REFRESH_TOKEN_AUTH",
            "ALLOW_USER_PASSWORD_AUTH",
            "ALLOW_USER_SRP_AUTH"
        ]
    );
}

#[test]
fn unknown_pool_is_resource_not_found() {
    let emu = shared();
    emu.err(
        "DescribeUserPool",
        json!({ "UserPoolId": "us-east-1_Nope12345" }),
        "ResourceNotFoundException",
    );
    emu.err(
        "CreateUserPoolClient",
        json!({ "UserPoolId": "us-east-1_Nope12345", "ClientName": "x" }),
        "ResourceNotFoundException",
    );
    emu.err(
        "AdminGetUser",
        json!({ "UserPoolId": "us-east-1_Nope12345", "Username": "x" }),
        "ResourceNotFoundException",
    );
    emu.err(
        "ListUsers",
        json!({ "UserPoolId": "us-east-1_Nope12345" }),
        "ResourceNotFoundException",
    );
    emu.err(
        "DescribeUserPoolClient",
        json!({ "UserPoolId": "us-east-1_Nope12345", "ClientId": "abcdefghijklmnopqrstuvwxyz" }),
        "ResourceNotFoundException",
    );
}

#[test]
fn unknown_client_is_resource_not_found() {
    let emu = shared();
    let pool = emu.create_pool(json!({}));
    let pool_id = pool["Id"].as_str().unwrap();
    emu.err(
        "DescribeUserPoolClient",
        json!({ "UserPoolId": pool_id, "ClientId": "abcdefghijklmnopqrstuvwxyz" }),
        "ResourceNotFoundException",
    );
    // User operations with an unknown client id.
    let app = App {
        emu,
        pool_id: pool_id.to_string(),
        pool_name: String::new(),
        client_id: "abcdefghijklmnopqrstuvwxyz".into(),
        secret: None,
    };
    emu.err(
        "SignUp",
        app.sign_up_body("ghost", PASSWORD, "ghost@example.com"),
        "ResourceNotFoundException",
    );
    emu.err(
        "InitiateAuth",
        app.password_auth_body("ghost", PASSWORD),
        "ResourceNotFoundException",
    );
}

#[test]
fn admin_get_user_unconfirmed_then_admin_confirm() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("adm");
    let sub = app.sign_up(&user, PASSWORD).unwrap()["UserSub"]
        .as_str()
        .unwrap()
        .to_string();

    let v = app.admin_get_user(&user).unwrap();
    assert_eq!(v["Username"], json!(user));
    assert_eq!(v["UserStatus"], json!("UNCONFIRMED"), "{v}");
    assert_eq!(v["Enabled"], json!(true), "{v}");
    assert_eq!(
        attr(&v["UserAttributes"], "email"),
        Some(email_of(&user).as_str()),
        "{v}"
    );
    assert_eq!(attr(&v["UserAttributes"], "sub"), Some(sub.as_str()), "{v}");

    emu.ok(
        "AdminConfirmSignUp",
        json!({ "UserPoolId": app.pool_id, "Username": user }),
    );
    let v = app.admin_get_user(&user).unwrap();
    assert_eq!(v["UserStatus"], json!("CONFIRMED"), "{v}");
    // And the user can now sign in.
    let tokens = app.tokens(&user, PASSWORD);
    assert!(tokens["AccessToken"].is_string());
}

#[test]
fn admin_get_user_is_case_insensitive_and_unknown_is_user_not_found() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("case");
    app.sign_up(&user, PASSWORD).unwrap();
    let v = app.admin_get_user(&user.to_ascii_uppercase()).unwrap();
    assert_eq!(v["Username"], json!(user));
    let e = app.admin_get_user("nobody-at-all").unwrap_err();
    assert_api_error(&e, "UserNotFoundException", "AdminGetUser unknown");
    emu.err(
        "AdminConfirmSignUp",
        json!({ "UserPoolId": app.pool_id, "Username": "nobody-at-all" }),
        "UserNotFoundException",
    );
    emu.err(
        "AdminDeleteUser",
        json!({ "UserPoolId": app.pool_id, "Username": "nobody-at-all" }),
        "UserNotFoundException",
    );
}

#[test]
fn admin_delete_user() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("del");
    app.confirmed_user(&user, PASSWORD);
    emu.ok(
        "AdminDeleteUser",
        json!({ "UserPoolId": app.pool_id, "Username": user }),
    );
    assert_api_error(
        &app.admin_get_user(&user).unwrap_err(),
        "UserNotFoundException",
        "after delete",
    );
    let e = app.password_auth(&user, PASSWORD).unwrap_err();
    assert_api_error(
        &e,
        "NotAuthorizedException",
        "sign-in after AdminDeleteUser",
    );
    // The name is free again.
    app.sign_up(&user, PASSWORD)
        .expect("sign up again after delete");
}

#[test]
fn list_users() {
    let emu = shared();
    let app = emu.public_app();
    let v = emu.ok("ListUsers", json!({ "UserPoolId": app.pool_id }));
    assert_eq!(v["Users"], json!([]), "a new pool has no users: {v}");

    let a = unique("list-a");
    let b = unique("list-b");
    app.confirmed_user(&a, PASSWORD);
    app.sign_up(&b, PASSWORD).unwrap();
    let users = list_all_users(emu, &app.pool_id);
    assert_eq!(users.len(), 2, "{users:?}");
    let find = |name: &str| {
        users
            .iter()
            .find(|u| u["Username"] == name)
            .cloned()
            .unwrap()
    };
    assert_eq!(find(&a)["UserStatus"], json!("CONFIRMED"));
    assert_eq!(find(&b)["UserStatus"], json!("UNCONFIRMED"));
    assert_eq!(
        attr(&find(&a)["Attributes"], "email"),
        Some(email_of(&a).as_str())
    );

    // Another pool's users do not show.
    let other = emu.public_app();
    assert_eq!(list_all_users(emu, &other.pool_id).len(), 0);
}

/// ListUsers following PaginationToken.
pub fn list_all_users(emu: &Emulator, pool_id: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..100 {
        let mut body = json!({ "UserPoolId": pool_id });
        if let Some(t) = &token {
            body["PaginationToken"] = json!(t);
        }
        let v = emu.ok("ListUsers", body);
        out.extend(v["Users"].as_array().expect("Users").iter().cloned());
        match v["PaginationToken"].as_str() {
            Some(t) if !t.is_empty() => token = Some(t.to_string()),
            _ => return out,
        }
    }
    panic!("ListUsers pagination does not end");
}
