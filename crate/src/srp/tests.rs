//! SRP against ACIJ's formats, client against server, and what is refused.

use super::client::decode_secret_block;
use super::*;

#[test]
fn pad_follows_acij_padhex() {
    assert_eq!(pad(&[]), vec![0]);
    assert_eq!(pad(&[0, 0]), vec![0]);
    assert_eq!(pad(&[0x7f]), vec![0x7f]);
    assert_eq!(pad(&[0x80]), vec![0, 0x80]);
    assert_eq!(pad(&[0, 0, 0xff, 1]), vec![0, 0xff, 1]);
    assert_eq!(pad_hex("abc").unwrap(), "0abc");
    assert_eq!(pad_hex("0").unwrap(), "00");
    assert_eq!(pad_hex("8").unwrap(), "08");
    assert_eq!(pad_hex("80").unwrap(), "0080");
    assert_eq!(pad_hex("000f").unwrap(), "0f");
    assert!(pad_hex("xyz").is_err());
    assert!(pad_hex("").is_err());
}

#[test]
fn timestamp_is_acij_format() {
    assert_eq!(timestamp(0), "Thu Jan 1 00:00:00 UTC 1970");
    // 2022-02-14T09:05:07Z
    assert_eq!(timestamp(1_644_829_507), "Mon Feb 14 09:05:07 UTC 2022");
    // 2024-02-29T23:59:59Z, a leap day
    assert_eq!(timestamp(1_709_251_199), "Thu Feb 29 23:59:59 UTC 2024");
    // 2000-03-01T00:00:00Z
    assert_eq!(timestamp(951_868_800), "Wed Mar 1 00:00:00 UTC 2000");
}

#[test]
fn client_and_server_agree_and_a_wrong_password_does_not() {
    let salt = from_hex("salt", "9a3f").unwrap();
    let v = verifier("AbC123xyz", "alice", "Correct-Horse-9", &salt);
    let server = SrpServer::new(&v).unwrap();
    let client = SrpClient::new().unwrap();
    let block = b"secret block";
    let challenge_block = base64::encode(block, Alphabet::Standard);
    let ch = PasswordVerifier {
        srp_b: &server.public_hex(),
        salt: "9a3f",
        secret_block: &challenge_block,
        user_id_for_srp: "alice",
    };
    let ts = timestamp(1_700_000_000);
    let a = client.public_hex();
    let sig = client
        .password_claim("AbC123xyz", "Correct-Horse-9", &ch, &ts)
        .unwrap();
    let ok = |a: &str, sig: &str| {
        server
            .verify_claim(a, "AbC123xyz", "alice", block, &ts, sig)
            .unwrap()
    };
    assert!(ok(&a, &sig));
    // Each claim takes its own client: `password_claim` consumes it.
    let other = SrpClient::new().unwrap();
    let other_a = other.public_hex();
    let wrong = other
        .password_claim("AbC123xyz", "Correct-Horse-8", &ch, &ts)
        .unwrap();
    assert!(!ok(&other_a, &wrong));
}

#[test]
fn secret_blocks_in_either_base64_alphabet_are_read() {
    assert_eq!(decode_secret_block("+/8=").unwrap(), vec![0xfb, 0xff]);
    assert_eq!(decode_secret_block("-_8").unwrap(), vec![0xfb, 0xff]);
    assert_eq!(decode_secret_block("-_8=").unwrap(), vec![0xfb, 0xff]);
    assert_eq!(
        decode_secret_block("db0d5399-12a0-47ac-97fe-83cae6a6b879")
            .unwrap()
            .len(),
        27
    );
    assert_eq!(
        decode_secret_block("not base64!"),
        Err(SrpError::Malformed("SECRET_BLOCK"))
    );
}

#[test]
fn zero_values_are_refused() {
    let client = SrpClient::with_secret(&[7]).unwrap();
    let n = modp::N_HEX;
    for b in ["0", "00", n] {
        assert_eq!(
            client.premaster_secret("p", "u", "pw", b, "01"),
            Err(SrpError::IllegalParameter("SRP_B"))
        );
    }
    assert_eq!(
        client.premaster_secret("p", "u", "pw", "zz", "01"),
        Err(SrpError::Malformed("SRP_B"))
    );
    let too_long = "1".repeat(800);
    assert_eq!(
        client.premaster_secret("p", "u", "pw", &too_long, "01"),
        Err(SrpError::Malformed("SRP_B"))
    );
    let server = SrpServer::with_secret(&[5], &[9]).unwrap();
    assert_eq!(
        server.session_key(n),
        Err(SrpError::IllegalParameter("SRP_A"))
    );
    assert_eq!(client.public_hex(), "80");
}
