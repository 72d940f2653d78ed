//! Which keys, signatures, clocks and URLs the verifier trusts (issue 13's key rules), one
//! test each, with the helpers of `tests/mod.rs`.

use super::*;

#[test]
fn an_exponent_of_1_is_refused() {
    // With e = 1 every "signature" equal to the padded digest verifies: a forger's key.
    assert_eq!(
        refused_with_jwk(
            main_jwk_with("e", json!("AQ")),
            &Jwt::id().sign(),
            "JwkValidationError"
        ),
        VerifyError::JwkInvalidKey(
            "RSA exponent must be odd, at least 3 and at most 4294967295".into()
        )
    );
}

#[test]
fn an_exponent_above_2_to_the_32_is_refused() {
    let e = refused_with_jwk(
        main_jwk_with("e", json!(b64(&[1, 0, 0, 0, 1]))),
        &Jwt::id().sign(),
        "JwkValidationError",
    );
    assert!(matches!(e, VerifyError::JwkInvalidKey(_)), "{e:?}");
}

#[test]
fn a_modulus_above_8192_bits_is_refused_before_its_import() {
    let v = verifier_serving(config(), &[main_jwk_with("n", json!(b64(&[0xff; 1025])))]);
    assert_eq!(
        refusal(&v, &Jwt::id().sign(), "JwkValidationError"),
        VerifyError::JwkInvalidKey("RSA modulus of 8200 bits; 2048 to 8192 required".into())
    );
    assert_eq!(v.platform().imports.get(), 0);
}

#[test]
fn a_signature_of_another_length_than_the_modulus_never_reaches_the_platform() {
    let v = verifier(config());
    let good = Jwt::id().sign();
    accepted(&v, &good);
    let checked = v.platform().verifies.get();
    let signature = Base64UrlUnpadded::decode_vec(good.rsplit_once('.').unwrap().1).unwrap();
    assert_eq!(signature.len(), 256);
    // A leading zero byte leaves the number the same: a lenient platform may accept it.
    let longer = [&[0][..], &signature].concat();
    let shorter = &signature[1..];
    for forged in [b64(&longer), b64(shorter), b64(&[])] {
        let token = replace_part(&good, 2, &forged);
        assert_eq!(
            refusal(&v, &token, "JwtInvalidSignatureError"),
            VerifyError::InvalidSignature
        );
    }
    assert_eq!(
        v.platform().verifies.get(),
        checked,
        "the platform was asked"
    );
}

#[test]
fn a_kid_kept_with_a_new_modulus_no_longer_verifies_with_the_old_key() {
    let v = verifier(config());
    accepted(&v, &Jwt::id().sign());
    // The pool's JWKS now lists the same kid with another key.
    v.platform().serve(jwks(&[jwk(KID, &keys().other)]));
    block_on(v.prefetch()).unwrap();
    refusal(&v, &Jwt::id().sign(), "JwtInvalidSignatureError");
    accepted(&v, &Jwt::id().sign_with(&keys().other));
    assert_eq!(v.platform().imports.get(), 2);
}

#[test]
fn a_clock_that_is_not_a_finite_number_decides_nothing() {
    for now in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let v = verifier(config());
        v.platform().clock.set(now);
        let e = refusal(&v, &Jwt::id().sign(), "PlatformError");
        assert_eq!(
            e,
            VerifyError::Platform("platform: the clock is not a finite number".into()),
            "{now}"
        );
    }
    // An expired token stays expired whatever the clock's fault.
    let v = verifier(config());
    v.platform().clock.set(f64::NAN);
    refusal(&v, &Jwt::id().claim("exp", NOW - 1).sign(), "PlatformError");
}

#[test]
fn issuer_and_jwks_uri_must_be_https_unless_on_this_machine() {
    for (issuer, jwks_uri) in [
        (
            Some("http://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123xyz"),
            None,
        ),
        (None, Some("http://example.com/jwks.json")),
        (Some("http://localhost@evil.example/pool"), None),
        (None, Some("ftp://example.com/jwks.json")),
    ] {
        let e = config_error(VerifierConfig {
            issuer: issuer.map(Into::into),
            jwks_uri: jwks_uri.map(Into::into),
            ..config()
        });
        assert!(matches!(e, VerifyError::InvalidConfig(_)), "{e:?}");
        assert_eq!(e.name(), "InvalidInputError");
        assert!(e.message().contains("https://"), "{}", e.message());
    }
    for (issuer, jwks_uri) in [
        ("http://localhost:9229/us-east-1_AbC123xyz", None),
        ("http://127.0.0.1:9229/us-east-1_AbC123xyz", None),
        (ISSUER, Some("http://[::1]:9229/jwks.json")),
    ] {
        Verifier::new(
            VerifierConfig {
                issuer: Some(issuer.into()),
                jwks_uri: jwks_uri.map(Into::into),
                ..config()
            },
            TestPlatform::serving(jwks(&[])),
        )
        .unwrap_or_else(|e| panic!("{issuer}: {e}"));
    }
}
