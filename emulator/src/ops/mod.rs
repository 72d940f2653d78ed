//! The Cognito operations, one module per family. Each takes the parsed request and answers a
//! JSON value or a Cognito error; HTTP is `http.rs`'s business. This file dispatches them and
//! runs the ones that compute; what the families share is in modules of its own beside them
//! (`request`, `app_client`, `codes`, `client_metadata`, `credentials`), so no family imports
//! the dispatcher.

mod admin;
mod app_client;
mod attributes;
mod auth;
mod challenge;
mod client_metadata;
mod codes;
mod credentials;
mod mfa;
mod pools;
mod refresh;
mod request;
mod session;
mod signup;
mod software_token;
mod totp;
mod user;

use std::sync::Arc;

use serde_json::Value;

use crate::error::{ApiError, ApiResult};
use crate::state::App;
use request::parse;

pub use mfa::set_user_pool_mfa_config;
pub use pools::{create_user_pool, create_user_pool_client};

/// Whether an operation needs the admin header (`access::ADMIN_HEADER`): every operation
/// AWS signs with IAM credentials, which a web page cannot, except DescribeUserPool, whose
/// answer holds no secret and no user (the demo reads the pool's password policy with it
/// from the page).
pub fn requires_admin(op: &str) -> bool {
    matches!(
        op,
        "CreateUserPool"
            | "CreateUserPoolClient"
            | "DescribeUserPoolClient"
            | "AdminGetUser"
            | "AdminConfirmSignUp"
            | "AdminDeleteUser"
            | "ListUsers"
            | "SetUserPoolMfaConfig"
            | "GetUserPoolMfaConfig"
            | "AdminCreateUser"
            | "AdminSetUserPassword"
            | "AdminSetUserMFAPreference"
    )
}

/// Runs one operation. `op` is the part of `X-Amz-Target` after the service name.
pub async fn dispatch(app: &Arc<App>, op: &str, body: Value) -> ApiResult<Value> {
    match op {
        "CreateUserPool" => pools::create_user_pool(app, parse(body)?),
        "CreateUserPoolClient" => pools::create_user_pool_client(app, parse(body)?),
        "DescribeUserPool" => pools::describe_user_pool(app, parse(body)?),
        "DescribeUserPoolClient" => pools::describe_user_pool_client(app, parse(body)?),
        "AdminGetUser" => admin::admin_get_user(app, parse(body)?),
        "AdminConfirmSignUp" => admin::admin_confirm_sign_up(app, parse(body)?),
        "AdminDeleteUser" => admin::admin_delete_user(app, parse(body)?),
        "ListUsers" => admin::list_users(app, parse(body)?),
        "SetUserPoolMfaConfig" => mfa::set_user_pool_mfa_config(app, parse(body)?),
        "GetUserPoolMfaConfig" => mfa::get_user_pool_mfa_config(app, parse(body)?),
        "AdminSetUserMFAPreference" => mfa::admin_set_user_mfa_preference(app, parse(body)?),
        "AdminCreateUser" => {
            let req = parse(body)?;
            compute(app, move |app| admin::admin_create_user(app, req)).await
        }
        "AdminSetUserPassword" => {
            let req = parse(body)?;
            compute(app, move |app| admin::admin_set_user_password(app, req)).await
        }
        "SignUp" => {
            let req = parse(body)?;
            compute(app, move |app| signup::sign_up(app, req)).await
        }
        "ConfirmSignUp" => signup::confirm_sign_up(app, parse(body)?),
        "ResendConfirmationCode" => signup::resend_confirmation_code(app, parse(body)?),
        "ForgotPassword" => signup::forgot_password(app, parse(body)?),
        "ConfirmForgotPassword" => {
            let req = parse(body)?;
            compute(app, move |app| signup::confirm_forgot_password(app, req)).await
        }
        "InitiateAuth" => {
            let req = parse(body)?;
            let keys = app.keys().await?;
            compute(app, move |app| auth::initiate_auth(app, &keys, req)).await
        }
        "GetTokensFromRefreshToken" => {
            let req = parse(body)?;
            let keys = app.keys().await?;
            compute(app, move |app| {
                refresh::get_tokens_from_refresh_token(app, &keys, req)
            })
            .await
        }
        "RespondToAuthChallenge" => {
            let req = parse(body)?;
            let keys = app.keys().await?;
            compute(app, move |app| {
                auth::respond_to_auth_challenge(app, &keys, req)
            })
            .await
        }
        "ChangePassword" => {
            let req = parse(body)?;
            let keys = app.keys().await?;
            compute(app, move |app| user::change_password(app, &keys, req)).await
        }
        "GetUser"
        | "GlobalSignOut"
        | "DeleteUser"
        | "UpdateUserAttributes"
        | "GetUserAttributeVerificationCode"
        | "VerifyUserAttribute"
        | "DeleteUserAttributes"
        | "AssociateSoftwareToken"
        | "VerifySoftwareToken"
        | "SetUserMFAPreference" => {
            let keys = app.keys().await?;
            match op {
                "AssociateSoftwareToken" => {
                    software_token::associate_software_token(app, &keys, parse(body)?)
                }
                "VerifySoftwareToken" => {
                    software_token::verify_software_token(app, &keys, parse(body)?)
                }
                "SetUserMFAPreference" => mfa::set_user_mfa_preference(app, &keys, parse(body)?),
                "GetUser" => user::get_user(app, &keys, parse(body)?),
                "GlobalSignOut" => user::global_sign_out(app, &keys, parse(body)?),
                "UpdateUserAttributes" => {
                    attributes::update_user_attributes(app, &keys, parse(body)?)
                }
                "GetUserAttributeVerificationCode" => {
                    attributes::get_user_attribute_verification_code(app, &keys, parse(body)?)
                }
                "VerifyUserAttribute" => {
                    attributes::verify_user_attribute(app, &keys, parse(body)?)
                }
                "DeleteUserAttributes" => {
                    attributes::delete_user_attributes(app, &keys, parse(body)?)
                }
                "DeleteUser" => user::delete_user(app, &keys, parse(body)?),
                // Only the names above reach here; a name added there without an arm here
                // must not fall into another operation.
                _ => Err(unknown_operation(op)),
            }
        }
        "RevokeToken" => user::revoke_token(app, parse(body)?),
        _ => Err(unknown_operation(op)),
    }
}

/// Runs an operation that computes (SRP's modular exponentiations, RSA signatures: a few
/// milliseconds) on tokio's blocking pool at a lower priority, once one of [`App::compute`]'s
/// permits is free. The operation itself takes the lock only to read and to commit (`state.rs`).
async fn compute<F>(app: &Arc<App>, operation: F) -> ApiResult<Value>
where
    F: FnOnce(&App) -> ApiResult<Value> + Send + 'static,
{
    let _permit = app
        .compute
        .acquire()
        .await
        .map_err(|e| ApiError::internal(format!("no compute permit: {e}")))?;
    let app = Arc::clone(app);
    tokio::task::spawn_blocking(move || {
        lower_priority();
        operation(&app)
    })
    .await
    .map_err(|e| ApiError::internal(format!("the operation failed: {e}")))?
}

/// Lowers the calling thread's priority (nice 10), once per thread: the threads that compute
/// then yield the core to the runtime's workers whenever a request comes in, so `/health`
/// answers in milliseconds even with every core computing (measured on one core, its p99
/// went from 26 ms to 8 ms, and throughput did not drop). Linux only; elsewhere a no-op.
fn lower_priority() {
    thread_local!(static LOWERED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
    if LOWERED.with(|lowered| lowered.replace(true)) {
        return;
    }
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority takes no pointer; on Linux, `who` 0 with PRIO_PROCESS is the calling
    // thread. A failure (not allowed) leaves the priority as it was, which is harmless.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}

fn unknown_operation(op: &str) -> ApiError {
    ApiError::new(
        "UnknownOperationException",
        format!("Unknown operation {op}: the emulator does not implement it"),
    )
}
