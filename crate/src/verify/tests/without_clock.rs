//! `Verifier::verify_without_clock`: every rule but the platform clock's, for a session that
//! judges expiry on its own drift-corrected clock.

use super::*;

fn without_clock(token: &str) -> Result<Claims, VerifyError> {
    block_on(warmed_up().verify_without_clock(token))
}

#[test]
fn expired_or_early_tokens_pass_without_the_clock_and_fail_with_it() {
    for jwt in [
        Jwt::id().claim("exp", NOW - 3600).claim("iat", NOW - 7200),
        Jwt::access()
            .claim("exp", NOW - 3600)
            .claim("iat", NOW - 7200),
        // Issued an hour "in the future": a device clock an hour behind Cognito's.
        Jwt::id().claim("iat", NOW + 3600).claim("exp", NOW + 7200),
    ] {
        let token = jwt.sign();
        assert!(check(&warmed_up(), &token).is_err());
        let claims = without_clock(&token).expect("verified without the clock");
        assert!(claims.exp > claims.iat.unwrap_or(0));
    }
}

#[test]
fn every_other_rule_still_holds_without_the_clock() {
    let forged = replace_part(&Jwt::id().sign(), 2, &b64(&[0u8; 256]));
    assert_eq!(
        without_clock(&forged).unwrap_err().name(),
        "JwtInvalidSignatureError"
    );
    let issuer = Jwt::id()
        .claim("iss", "https://evil.example.com/us-east-1_x")
        .sign();
    assert_eq!(
        without_clock(&issuer).unwrap_err().name(),
        "JwtInvalidIssuerError"
    );
    let client = Jwt::id().claim("aud", "another-client").sign();
    assert_eq!(
        without_clock(&client).unwrap_err().name(),
        "CognitoJwtInvalidClientIdError"
    );
    let missing = Jwt::id().without_claim("exp").sign();
    assert_eq!(
        without_clock(&missing).unwrap_err(),
        VerifyError::InvalidClaim("exp missing".into())
    );
    let unreadable = Jwt::id().claim("iat", "yesterday").sign();
    assert_eq!(
        without_clock(&unreadable).unwrap_err().name(),
        "JwtInvalidClaimError"
    );
}

#[test]
fn without_the_clock_exp_must_come_after_iat() {
    for exp in [NOW, NOW - 1] {
        let token = Jwt::id().claim("iat", NOW).claim("exp", exp).sign();
        assert_eq!(
            without_clock(&token).unwrap_err(),
            VerifyError::InvalidClaim("exp is not after iat".into())
        );
    }
}

#[test]
fn without_the_clock_nbf_may_not_come_after_iat() {
    let token = Jwt::id().claim("iat", NOW).claim("nbf", NOW + 1).sign();
    assert_eq!(
        without_clock(&token).unwrap_err(),
        VerifyError::InvalidClaim("nbf is after iat".into())
    );
    let no_iat = Jwt::id().without_claim("iat").claim("nbf", NOW).sign();
    assert!(without_clock(&no_iat).is_err());
    without_clock(&Jwt::id().claim("iat", NOW).claim("nbf", NOW).sign()).expect("nbf = iat");
}
