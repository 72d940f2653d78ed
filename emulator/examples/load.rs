//! The emulator under load, for `cargo xtask bench emulator`: N users signed up (SignUp, then
//! AdminConfirmSignUp) and then signed in with SRP (InitiateAuth USER_SRP_AUTH,
//! RespondToAuthChallenge, the client side computed by the library's `srp` module), over C
//! concurrent keep-alive connections; then ListUsers, paginated, must hold each user exactly
//! once. (`/health` is timed meanwhile by the xtask, from a process of normal priority.)
//!
//! ```sh
//! cargo run --release -p cognito-emulator --example load -- URL [--users N] [--connections C]
//! ```
//!
//! Prints one flat JSON object of numbers on stdout (latencies in milliseconds, nearest rank),
//! which the xtask reads key by key; progress goes to stderr. An example of the emulator's
//! rather than part of the xtask, which stays std-only: it needs an HTTP client and the
//! library, the emulator's dev-dependencies.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use cognito_wasm::srp::{self, PasswordVerifier, SrpClient};
use serde_json::{json, Value};

const PASSWORD: &str = "Correct-Horse-9";
const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";
/// The operations timed, as they are named in the output.
const OPERATIONS: [&str; 5] = [
    "SignUp",
    "AdminConfirmSignUp",
    "InitiateAuth",
    "RespondToAuthChallenge",
    "sign-in",
];

type Result<T> = std::result::Result<T, String>;

fn main() {
    match run() {
        Ok(report) => println!("{report}"),
        Err(e) => {
            eprintln!("load: {e}");
            std::process::exit(1);
        }
    }
}

struct Args {
    url: String,
    users: usize,
    connections: usize,
}

fn parse_args() -> Result<Args> {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .ok_or("usage: load URL [--users N] [--connections C]")?;
    let (mut users, mut connections) = (10_000, 100);
    while let Some(flag) = args.next() {
        let value: usize = args
            .next()
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("{flag} needs a number"))?;
        match flag.as_str() {
            "--users" => users = value,
            "--connections" => connections = value.max(1),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(Args {
        url: url.trim_end_matches('/').to_owned(),
        users,
        connections,
    })
}

/// One keep-alive connection to the emulator.
struct Connection {
    agent: ureq::Agent,
    url: String,
}

impl Connection {
    fn new(url: &str) -> Connection {
        Connection {
            agent: ureq::AgentBuilder::new()
                .max_idle_connections(1)
                .timeout(Duration::from_secs(120))
                .build(),
            url: url.to_owned(),
        }
    }

    /// Calls an operation (with the admin header, harmless on the others); a 200's JSON.
    fn call(&self, op: &str, body: &Value) -> Result<Value> {
        let answer = self
            .agent
            .post(&format!("{}/", self.url))
            .set("Content-Type", "application/x-amz-json-1.1")
            .set("X-Amz-Target", &format!("{TARGET_PREFIX}{op}"))
            .set("X-Cognito-Emulator-Admin", "1")
            .send_string(&body.to_string());
        match answer {
            Ok(r) => r.into_json().map_err(|e| format!("{op}: {e}")),
            Err(ureq::Error::Status(status, r)) => Err(format!(
                "{op}: {status} {}",
                r.into_string().unwrap_or_default()
            )),
            Err(e) => Err(format!("{op}: {e}")),
        }
    }
}

/// Latencies by operation, from every connection.
#[derive(Default)]
struct Timings(Mutex<BTreeMap<&'static str, Vec<f64>>>);

impl Timings {
    fn add(&self, op: &'static str, took: Duration) {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(op).or_default().push(took.as_secs_f64() * 1000.0);
    }

    fn timed<T>(&self, op: &'static str, f: impl FnOnce() -> Result<T>) -> Result<T> {
        let start = Instant::now();
        let out = f()?;
        self.add(op, start.elapsed());
        Ok(out)
    }
}

fn run() -> Result<String> {
    let args = parse_args()?;
    let admin = Connection::new(&args.url);
    let pool = admin.call("CreateUserPool", &json!({ "PoolName": "load" }))?;
    let pool_id = pool["UserPool"]["Id"]
        .as_str()
        .ok_or("no pool id")?
        .to_owned();
    let client = admin.call(
        "CreateUserPoolClient",
        &json!({ "UserPoolId": pool_id, "ClientName": "load",
                 "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] }),
    )?;
    let client_id = client["UserPoolClient"]["ClientId"]
        .as_str()
        .ok_or("no client id")?
        .to_owned();
    let srp_pool = pool_id
        .split_once('_')
        .map_or(&*pool_id, |(_, n)| n)
        .to_owned();
    let name = |i: usize| format!("user{i:06}");
    let timings = Timings::default();

    let sign_up_s = phase(&args, "sign-up", |conn, i| {
        let body = json!({ "ClientId": client_id, "Username": name(i), "Password": PASSWORD });
        timings.timed("SignUp", || conn.call("SignUp", &body))?;
        let body = json!({ "UserPoolId": pool_id, "Username": name(i) });
        timings.timed("AdminConfirmSignUp", || {
            conn.call("AdminConfirmSignUp", &body)
        })?;
        Ok(())
    })?;
    let sign_in_s = phase(&args, "SRP sign-in", |conn, i| {
        let start = Instant::now();
        sign_in_srp(conn, &timings, &client_id, &srp_pool, &name(i))?;
        timings.add("sign-in", start.elapsed());
        Ok(())
    })?;

    // Every user exactly once: none lost, none twice.
    let listed = list_users(&admin, &pool_id)?;
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for user in &listed {
        let username = user["Username"].as_str().ok_or("a user without a name")?;
        *counts.entry(username.to_owned()).or_default() += 1;
    }
    let lost = (0..args.users)
        .filter(|&i| !counts.contains_key(&name(i)))
        .count();
    let duplicated = counts.values().filter(|&&n| n > 1).count();
    let unexpected = counts.len() + lost - args.users;

    let timings = timings.0.into_inner().unwrap_or_else(|p| p.into_inner());
    let mut out = json!({
        "users": args.users,
        "connections": args.connections,
        "sign_up_seconds": sign_up_s,
        "sign_in_seconds": sign_in_s,
        "sign_ups_per_s": args.users as f64 / sign_up_s,
        "sign_ins_per_s": args.users as f64 / sign_in_s,
        "listed": listed.len(),
        "lost": lost,
        "duplicated": duplicated,
        "unexpected": unexpected,
    });
    for op in OPERATIONS {
        let mut v = timings.get(op).cloned().unwrap_or_default();
        v.sort_by(f64::total_cmp);
        for (name, q) in [("p50", 0.5), ("p99", 0.99), ("max", 1.0)] {
            out[format!("{op}_{name}_ms")] = json!(quantile(&v, q));
        }
    }
    Ok(out.to_string())
}

/// Runs `each` for users 0..N over C connections, each on its own thread; the seconds taken.
fn phase(
    args: &Args,
    what: &str,
    each: impl Fn(&Connection, usize) -> Result<()> + Sync,
) -> Result<f64> {
    let next = AtomicUsize::new(0);
    let start = Instant::now();
    let failures: Vec<String> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..args.connections)
            .map(|_| {
                s.spawn(|| {
                    let conn = Connection::new(&args.url);
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= args.users {
                            return None;
                        }
                        if let Err(e) = each(&conn, i) {
                            return Some(e);
                        }
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .filter_map(|w| w.join().unwrap_or(Some("a worker panicked".into())))
            .collect()
    });
    let took = start.elapsed().as_secs_f64();
    eprintln!("load: {what}: {} users in {took:.1} s", args.users);
    match failures.first() {
        None => Ok(took),
        Some(e) => Err(format!(
            "{what}: {} connections failed, first: {e}",
            failures.len()
        )),
    }
}

/// InitiateAuth USER_SRP_AUTH, then RespondToAuthChallenge with the password claim.
fn sign_in_srp(
    conn: &Connection,
    timings: &Timings,
    client_id: &str,
    srp_pool: &str,
    username: &str,
) -> Result<()> {
    let client = SrpClient::new().map_err(|e| e.to_string())?;
    let body = json!({ "AuthFlow": "USER_SRP_AUTH", "ClientId": client_id,
                       "AuthParameters": { "USERNAME": username, "SRP_A": client.public_hex() } });
    let challenge = timings.timed("InitiateAuth", || conn.call("InitiateAuth", &body))?;
    let p = &challenge["ChallengeParameters"];
    let get = |k: &str| {
        p[k].as_str()
            .ok_or_else(|| format!("no {k} in {challenge}"))
    };
    let (block, user_id) = (get("SECRET_BLOCK")?, get("USER_ID_FOR_SRP")?);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| e.to_string())?;
    let timestamp = srp::timestamp(now.as_secs());
    let verifier = PasswordVerifier {
        srp_b: get("SRP_B")?,
        salt: get("SALT")?,
        secret_block: block,
        user_id_for_srp: user_id,
    };
    let claim = client
        .password_claim(srp_pool, PASSWORD, &verifier, &timestamp)
        .map_err(|e| e.to_string())?;
    let body = json!({ "ChallengeName": "PASSWORD_VERIFIER", "ClientId": client_id,
                       "ChallengeResponses": { "USERNAME": user_id, "TIMESTAMP": timestamp,
                           "PASSWORD_CLAIM_SECRET_BLOCK": block,
                           "PASSWORD_CLAIM_SIGNATURE": claim } });
    let answer = timings.timed("RespondToAuthChallenge", || {
        conn.call("RespondToAuthChallenge", &body)
    })?;
    match answer["AuthenticationResult"]["IdToken"].as_str() {
        Some(_) => Ok(()),
        None => Err(format!("no tokens: {answer}")),
    }
}

/// ListUsers, every page.
fn list_users(conn: &Connection, pool_id: &str) -> Result<Vec<Value>> {
    let mut users = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut body = json!({ "UserPoolId": pool_id, "Limit": 60 });
        if let Some(t) = &token {
            body["PaginationToken"] = json!(t);
        }
        let page = conn.call("ListUsers", &body)?;
        users.extend(page["Users"].as_array().into_iter().flatten().cloned());
        match page["PaginationToken"].as_str() {
            Some(t) if !t.is_empty() => token = Some(t.to_owned()),
            _ => return Ok(users),
        }
    }
}

/// The `q` quantile of sorted latencies, nearest rank (0 for none).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => 0.0,
        n => sorted[((n as f64 * q).ceil() as usize).clamp(1, n) - 1],
    }
}
