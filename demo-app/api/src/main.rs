//! `demo-api`: one protected route, as the practical's last step asks. Its flags and startup;
//! the routes are in lib.rs, where the tests serve them too. See README.md.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use cognito_wasm::native::NativePlatform;
use cognito_wasm::{TokenUse, Verifier, VerifierConfig};

struct Args {
    port: u16,
    pool: String,
    clients: Vec<String>,
    emulator: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        port: 9230,
        pool: "us-east-1_Practical".into(),
        clients: Vec::new(),
        emulator: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--port" => args.port = value()?.parse().map_err(|e| format!("--port: {e}"))?,
            "--user-pool-id" => args.pool = value()?,
            "--client-id" => args.clients.push(value()?),
            "--emulator" => args.emulator = Some(value()?.trim_end_matches('/').to_owned()),
            other => {
                return Err(format!(
                    "unknown argument {other} (see demo-app/api/README.md)"
                ))
            }
        }
    }
    if args.clients.is_empty() {
        args.clients = vec![
            "practicalwebclientsecret01".into(),
            "practicalspaclientnosecret".into(),
        ];
    }
    Ok(args)
}

/// What the verifier accepts: the pool's access tokens for these clients, with 5 s of clock
/// skew; with `--emulator`, the emulator's issuer (and so its JWKS).
fn verifier_config(args: &Args) -> VerifierConfig {
    VerifierConfig {
        grace_seconds: 5,
        issuer: args.emulator.as_ref().map(|e| format!("{e}/{}", args.pool)),
        ..VerifierConfig::new(&args.pool, &args.clients, Some(TokenUse::Access))
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> std::process::ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("demo-api: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    demo_api::install_panic_hook();
    let config = verifier_config(&args);
    let verifier = match Verifier::new(config, NativePlatform::new(Duration::from_secs(3))) {
        Ok(v) => Arc::new(v),
        Err(e) => {
            eprintln!("demo-api: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let listener =
        match tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], args.port))).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("demo-api: cannot listen on port {}: {e}", args.port);
                return std::process::ExitCode::FAILURE;
            }
        };
    match listener.local_addr() {
        Ok(addr) => println!("listening on http://{addr}"),
        Err(e) => eprintln!("demo-api: {e}"),
    }
    let served = axum::serve(listener, demo_api::app(verifier))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
    match served {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("demo-api: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
