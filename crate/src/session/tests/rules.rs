//! The rules both APIs share (a pair of tokens, what a refresh's failure means), that no
//! token is ever printed, and the stored record.

use super::*;

#[test]
fn what_a_refresh_error_means_for_the_session() {
    let cognito = |exception| Error::Cognito {
        exception,
        message: String::new(),
        status: 400,
    };
    for refused in [
        cognito(CognitoException::NotAuthorized),
        cognito(CognitoException::RefreshTokenReuse),
    ] {
        assert_eq!(RefreshFailure::of(&refused), RefreshFailure::Refused);
    }
    for transient in [
        cognito(CognitoException::TooManyRequests),
        cognito(CognitoException::InternalError),
        cognito(CognitoException::Unknown("SomeNewException".into())),
        Error::Network("offline".into()),
        Error::Timeout,
        Error::InvalidInput("a bug of ours, not the token's".into()),
    ] {
        assert_eq!(RefreshFailure::of(&transient), RefreshFailure::Network);
    }
    let fetch = VerifyError::JwksFetch("offline".into());
    assert_eq!(
        RefreshFailure::of_verification(&fetch),
        RefreshFailure::Network
    );
    let forged = VerifyError::InvalidSignature;
    assert_eq!(
        RefreshFailure::of_verification(&forged),
        RefreshFailure::Refused
    );
    // Every rule of the verifier but the few that say nothing of the tokens.
    let refused = VerifyError::NAMES
        .iter()
        .filter(|n| RefreshFailure::of_name(n) == RefreshFailure::Refused)
        .count();
    assert_eq!(refused, VerifyError::NAMES.len() - 4);
}

fn claims<'a>(
    token_use: &'a str,
    sub: &'a str,
    user: &'a str,
    iat: Option<i64>,
) -> TokenClaims<'a> {
    TokenClaims {
        token_use,
        sub,
        username: Some(user),
        client_id: "app",
        exp: 1_800_003_600,
        iat,
    }
}

#[test]
fn a_pair_of_tokens_is_one_users_id_and_access_tokens() {
    let pair = |id, access| {
        let tokens = ["id".to_owned(), "access".to_owned()];
        VerifiedTokens::pair(tokens, Some("r".into()), [id, access], "app")
    };
    let iat = Some(1_800_000_000);
    let v = pair(
        claims("id", "s", "alice", None),
        claims("access", "s", "alice", iat),
    )
    .unwrap();
    assert_eq!(
        (v.username.as_str(), v.issued_at, v.expires_at),
        ("alice", 1.8e9, 1.8e9 + 3600.0)
    );
    let swapped = pair(
        claims("access", "s", "alice", iat),
        claims("id", "s", "alice", iat),
    );
    assert_eq!(
        swapped.unwrap_err().name(),
        "CognitoJwtInvalidTokenUseError"
    );
    // Another app client of the pool (which the verifier may also accept).
    let other = TokenClaims {
        client_id: "other-app",
        ..claims("access", "s", "alice", iat)
    };
    let e = pair(claims("id", "s", "alice", iat), other).unwrap_err();
    assert_eq!(e.name(), "CognitoJwtInvalidClientIdError");
    for (id, access) in [
        (
            claims("id", "s", "alice", iat),
            claims("access", "t", "alice", iat),
        ),
        (
            claims("id", "s", "alice", iat),
            claims("access", "s", "bob", iat),
        ),
        (claims("id", "s", "", iat), claims("access", "s", "", iat)),
        (
            claims("id", "s", "alice", iat),
            claims("access", "s", "alice", None),
        ),
    ] {
        assert_eq!(pair(id, access).unwrap_err().name(), "JwtInvalidClaimError");
    }
    // From a payload, the username claim of its kind.
    let payload = crate::json::parse_object(
        r#"{"token_use":"id","sub":"s","cognito:username":"alice","username":"x","exp":5,"iat":1}"#,
    )
    .unwrap();
    let c = TokenClaims::of_payload(&payload);
    assert_eq!(
        (c.token_use, c.sub, c.username, c.exp, c.iat),
        ("id", "s", Some("alice"), 5, Some(1))
    );
    assert_eq!(c.client_id, "", "an ID token's client is its aud");
}

#[test]
fn nothing_prints_a_token() {
    let mut s = signed_in();
    let printed = [
        format!("{s:?}"),
        format!("{:?}", tokens(1, Some("refresh-1"), IAT)),
        format!("{:?}", s.next(IAT, true).unwrap()),
        format!(
            "{:?}",
            StoredSession::parse(&StoredSession::record(s.current().unwrap()))
        ),
    ];
    for p in printed {
        for secret in ["id-1", "access-1", "refresh-1"] {
            assert!(!p.contains(secret), "{p}");
        }
    }
}

#[test]
fn a_record_reads_back_what_was_stored() {
    let mut s = session();
    s.sign_in(tokens(1, Some("refresh-\"1\""), IAT), IAT - 1.2346)
        .unwrap();
    let t = s.current().unwrap().clone();
    let stored = StoredSession::parse(&StoredSession::record(&t)).unwrap();
    assert_eq!(
        stored,
        StoredSession {
            id_token: "id-1".into(),
            access_token: "access-1".into(),
            refresh_token: "refresh-\"1\"".into(),
            clock_drift_ms: -1235,
        }
    );
    let back = stored.verified("alice".into(), t.expires_at, t.issued_at);
    assert_eq!(back.clock_drift, -1.235);
    assert!(back.same_as(&t));
    // And the same record again.
    assert_eq!(StoredSession::record(&back), StoredSession::record(&t));
    assert_eq!(
        storage_key("us-east-1_AbC123xyz", "4tq8a9c1"),
        "cognito-wasm.us-east-1_AbC123xyz.4tq8a9c1"
    );
}

#[test]
fn a_record_that_is_not_ours_is_refused() {
    let good = r#"{"v":1,"idToken":"i","accessToken":"a","refreshToken":"r","clockDriftMs":5}"#;
    assert!(StoredSession::parse(good).is_ok());
    let unreadable = |text: &str| match StoredSession::parse(text) {
        Err(SessionError::UnreadableRecord(why)) => why,
        other => panic!("{text}: {other:?}"),
    };
    assert_eq!(
        unreadable(&good.replace("\"v\":1", "\"v\":2")),
        "another version"
    );
    assert_eq!(
        unreadable(&good.replace("\"v\":1", "\"v\":1.0")),
        "another version"
    );
    assert_eq!(unreadable(&good.replace("\"v\":1,", "")), "another version");
    let extra = good.replace("\"v\":1,", "\"v\":1,\"deviceKey\":\"d\",");
    assert_eq!(unreadable(&extra), "a member of another version");
    assert_eq!(unreadable(&good.replace("\"i\"", "\"\"")), "idToken");
    assert_eq!(unreadable(&good.replace("\"a\"", "7")), "accessToken");
    assert_eq!(
        unreadable(&good.replace(",\"refreshToken\":\"r\"", "")),
        "refreshToken"
    );
    assert_eq!(unreadable(&good.replace("5}", "\"5\"}")), "clockDriftMs");
    assert_eq!(unreadable(&good.replace("5}", "5.5}")), "clockDriftMs");
    assert_eq!(unreadable(&good.replace("5}", "5e0}")), "clockDriftMs");
    let far = MAX_CLOCK_DRIFT_MS as i64;
    let drift = |ms: i64| good.replace("5}", &format!("{ms}}}"));
    assert!(StoredSession::parse(&drift(far)).is_ok());
    assert!(StoredSession::parse(&drift(-far)).is_ok());
    assert_eq!(unreadable(&drift(far + 1)), "clockDriftMs");
    assert_eq!(unreadable(&drift(-far - 1)), "clockDriftMs");
    assert_eq!(unreadable(&good[..good.len() - 1]), "not JSON");
    assert_eq!(unreadable("[]"), "not JSON");
    // A duplicate member is not JSON we read (the parser is strict).
    assert_eq!(unreadable(&good.replace("{", r#"{"v":1,"#)), "not JSON");
    let huge = good.replace("\"i\"", &format!("\"{}\"", "i".repeat(MAX_TOKEN_BYTES + 1)));
    assert_eq!(unreadable(&huge), "idToken");
    let huger = good.replace("\"i\"", &format!("\"{}\"", "i".repeat(4 * MAX_TOKEN_BYTES)));
    assert_eq!(unreadable(&huger), "longer than any session");
    // Visible ASCII only: a line break would end a line of the npm package's text (its
    // username after the refresh token could then be chosen by whoever wrote the storage).
    for odd in ["x\\nadmin", "x y", "x\\u0000", "é"] {
        let text = good.replace("\"r\"", &format!("\"{odd}\""));
        assert_eq!(unreadable(&text), "refreshToken", "{odd}");
    }
    let acij = |refresh: &'static str| {
        StoredSession::from_acij("c", move |k: &str| {
            Some(
                if k.ends_with("LastAuthUser") {
                    "u"
                } else if k.ends_with("refreshToken") {
                    refresh
                } else {
                    "t"
                }
                .to_owned(),
            )
        })
    };
    assert!(acij("r").is_some());
    assert!(acij("r\nadmin").is_none());
}
