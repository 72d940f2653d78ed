//! A sign-in's challenges through the library's Rust API, natively against the emulator: the
//! typed step of each challenge (`Challenge::step`), `confirm_sign_in` answering it, the
//! software-token calls with MFA_SETUP's session and with an access token, the preference,
//! SELECT_MFA_TYPE, SMS_MFA and EMAIL_OTP; with and without a client secret.

use std::time::Duration;

use cognito_wasm::native::NativePlatform;
use cognito_wasm::session::{MemoryStorage, SessionClient, SessionConfig, SessionError};
use cognito_wasm::{totp_uri, ChallengeStep, SignInResult, Verifier, VerifierConfig};

use crate::challenges::{admin_user, flows, mfa_app, not_the_code};
use crate::code_mfa::{last_mfa, three_factor_app, user_with};
use crate::common::{shared, unique, NEW_PASSWORD, PASSWORD};
use crate::mfa::totp;
use crate::rust_api::{client, exception, run, tokens};

fn challenge(result: SignInResult) -> cognito_wasm::Challenge {
    match result {
        SignInResult::Challenge(c) => c,
        SignInResult::Tokens(_) => panic!("tokens, where a challenge was due"),
    }
}

#[test]
fn an_administrators_user_sets_up_mfa_and_signs_in_with_it() {
    let emu = shared();
    for secret in [false, true] {
        let app = mfa_app(emu, "ON", flows(secret));
        let c = client(&app);
        let user = unique("rust-invited");
        admin_user(&app, &user, "Temporary-Pass-1");

        let first = challenge(run(c.sign_in_srp(&user, "Temporary-Pass-1")).unwrap());
        match first.step().unwrap() {
            ChallengeStep::NewPasswordRequired {
                required_attributes,
                user_attributes,
            } => {
                assert_eq!(required_attributes, ["name"]);
                let email = format!("{user}@example.com");
                assert!(user_attributes.contains(&("email".into(), email)));
            }
            other => panic!("{other:?}"),
        }
        let name = [("name".to_owned(), "Ada".to_owned())];
        let weak = run(c.confirm_sign_in(&first, Some("weak"), &name));
        assert_eq!(exception(weak).name(), "InvalidPasswordException");
        let setup = challenge(run(c.confirm_sign_in(&first, Some(NEW_PASSWORD), &name)).unwrap());
        assert_eq!(
            setup.step().unwrap(),
            ChallengeStep::MfaSetup {
                allowed: vec!["SOFTWARE_TOKEN_MFA".into()]
            }
        );

        let key = run(c.associate_software_token(None, setup.session.as_deref())).unwrap();
        let secret_code = key.secret_code.expect("a key");
        let uri = totp_uri("Practical", &user, &secret_code);
        assert!(uri.starts_with("otpauth://totp/Practical:"), "{uri}");
        let now = emu.now();
        let wrong = run(c.verify_software_token(
            None,
            key.session.as_deref(),
            &not_the_code(&secret_code, now),
            None,
        ));
        assert_eq!(exception(wrong).name(), "EnableSoftwareTokenMFAException");
        let verified = run(c.verify_software_token(
            None,
            key.session.as_deref(),
            &totp(&secret_code, now),
            Some("phone"),
        ))
        .unwrap();
        let mut answered = setup.clone();
        answered.session = verified.session;
        let signed_in = tokens(run(c.confirm_sign_in(&answered, None, &[])));

        let again = challenge(run(c.sign_in_password(&user, NEW_PASSWORD)).unwrap());
        assert_eq!(again.step().unwrap(), ChallengeStep::SoftwareTokenMfa);
        let now = emu.now();
        let wrong = run(c.confirm_sign_in(&again, Some(&not_the_code(&secret_code, now)), &[]));
        assert_eq!(exception(wrong).name(), "CodeMismatchException");
        // The code of now verified the app, and a code is good once: the next step's.
        let next = totp(&secret_code, now + 30);
        tokens(run(c.confirm_sign_in(&again, Some(&next), &[])));
        let replay = run(c.confirm_sign_in(&again, Some(&next), &[]));
        assert_eq!(exception(replay).name(), "NotAuthorizedException");

        // The signed-in user's own calls.
        let access = signed_in.access_token.as_str();
        let before = run(c.get_user(access)).unwrap();
        let factor = || vec!["SOFTWARE_TOKEN_MFA".to_owned()];
        assert_eq!(before.mfa_settings, factor());
        assert_eq!(before.preferred_mfa, Some("SOFTWARE_TOKEN_MFA".into()));
        let fresh = run(c.associate_software_token(Some(access), None)).unwrap();
        let off = run(c.get_user(access)).unwrap();
        assert_eq!((off.mfa_settings.len(), off.preferred_mfa), (0, None));
        let code = totp(fresh.secret_code.as_deref().unwrap(), emu.now());
        run(c.verify_software_token(Some(access), None, &code, None)).unwrap();
        run(c.set_user_mfa_preference(access, Some("PREFERRED"), None, None)).unwrap();
        let on = run(c.get_user(access)).unwrap();
        assert_eq!(on.mfa_settings, factor());
        assert_eq!(on.preferred_mfa, Some("SOFTWARE_TOKEN_MFA".into()));
        let both = run(c.associate_software_token(Some(access), Some("s")));
        assert_eq!(both.unwrap_err().name(), "InvalidInputError");
    }
}

#[test]
fn codes_by_text_and_email_and_the_choice_between_them() {
    let emu = shared();
    let app = three_factor_app(emu);
    let c = client(&app);
    let user = user_with(&app, Some("+15555550123"));
    let signed_in = tokens(run(c.sign_in_srp(&user, PASSWORD)));
    let access = signed_in.access_token.as_str();
    run(c.set_user_mfa_preference(access, None, Some("ENABLED"), Some("ENABLED"))).unwrap();
    let me = run(c.get_user(access)).unwrap();
    assert_eq!(me.mfa_settings, ["SMS_MFA", "EMAIL_OTP"]);
    assert_eq!(me.preferred_mfa, None);

    let select = challenge(run(c.sign_in_srp(&user, PASSWORD)).unwrap());
    let allowed = vec!["SMS_MFA".to_owned(), "EMAIL_OTP".to_owned()];
    assert_eq!(
        select.step().unwrap(),
        ChallengeStep::SelectMfaType { allowed }
    );
    let sms = challenge(run(c.confirm_sign_in(&select, Some("SMS_MFA"), &[])).unwrap());
    let destination = Some("+*******0123".to_owned());
    assert_eq!(sms.step().unwrap(), ChallengeStep::SmsMfa { destination });
    let code = last_mfa(&app, &user)["code"].as_str().unwrap().to_owned();
    tokens(run(c.confirm_sign_in(&sms, Some(&code), &[])));

    run(c.set_user_mfa_preference(access, None, None, Some("PREFERRED"))).unwrap();
    let email = challenge(run(c.sign_in_password(&user, PASSWORD)).unwrap());
    match email.step().unwrap() {
        ChallengeStep::EmailOtp { destination } => {
            assert_eq!(destination, Some(format!("{}***@e***", &user[..1])))
        }
        other => panic!("{other:?}"),
    }
    let code = last_mfa(&app, &user)["code"].as_str().unwrap().to_owned();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let mismatch = run(c.confirm_sign_in(&email, Some(wrong), &[]));
    assert_eq!(exception(mismatch).name(), "CodeMismatchException");
    tokens(run(c.confirm_sign_in(&email, Some(&code), &[])));

    // A session client answers the challenge itself: the tokens start its session, verified.
    let mut verifier = VerifierConfig::new(&app.pool_id, [&app.client_id], None);
    verifier.issuer = Some(app.issuer());
    let platform = NativePlatform::new(Duration::from_secs(10));
    let verifier = Verifier::new(verifier, platform).unwrap();
    let storage = Box::new(MemoryStorage::default());
    let session = SessionClient::new(client(&app), verifier, storage, SessionConfig::default());
    let session = session.unwrap();
    let asked = match run(session.sign_in_srp(&user, PASSWORD)).unwrap() {
        SignInResult::Challenge(c) => c,
        SignInResult::Tokens(_) => panic!("tokens, where EMAIL_OTP was due"),
    };
    assert!(matches!(
        run(session.get_session(false)),
        Err(SessionError::SignedOut)
    ));
    let code = last_mfa(&app, &user)["code"].as_str().unwrap().to_owned();
    tokens(Ok(
        run(session.confirm_sign_in(&asked, Some(&code), &[])).unwrap()
    ));
    let signed_in = run(session.get_session(false)).unwrap();
    assert_eq!(signed_in.id.username.as_deref(), Some(user.as_str()));
}
