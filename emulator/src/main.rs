//! `cognito-emulator`: a strict local Amazon Cognito user-pools API. See README.md.

mod access;
mod config;
mod error;
mod http;
mod ids;
mod ops;
mod state;
mod tokens;

use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;
use std::sync::Arc;

use access::Access;
use state::{App, Settings};

struct Args {
    host: IpAddr,
    port: u16,
    config: Option<String>,
    public_url: Option<String>,
    region: String,
    quiet: bool,
    /// Origins (`--cors-origin`) and hosts (`--allow-host`) allowed besides loopback ones.
    access: Access,
}

const USAGE: &str = "usage: cognito-emulator [--port N (9229; 0 = any)] [--host IP (127.0.0.1)] \
[--config FILE.json] [--public-url URL] [--region us-east-1] [--quiet] \
[--cors-origin ORIGIN]... [--allow-host HOST]...

Only pages on loopback origins (http://localhost, 127.0.0.1, [::1], any port) and on the
origins given with --cors-origin (scheme://host[:port]) may call the emulator from a browser.
It answers only requests addressed to localhost, 127.0.0.1, [::1], the --public-url's host or a
host given with --allow-host (any port), against DNS rebinding: bound to 0.0.0.0 in a container,
allow the name other containers use. /_emulator/* and the admin operations need the header
X-Cognito-Emulator-Admin: 1.";

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        host: IpAddr::from([127, 0, 0, 1]),
        port: 9229,
        config: None,
        public_url: None,
        region: "us-east-1".into(),
        quiet: false,
        access: Access::default(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--port" => args.port = value()?.parse().map_err(|e| format!("--port: {e}"))?,
            "--host" => args.host = value()?.parse().map_err(|e| format!("--host: {e}"))?,
            "--config" => args.config = Some(value()?),
            "--public-url" => args.public_url = Some(value()?.trim_end_matches('/').to_owned()),
            "--region" => args.region = value()?,
            "--quiet" => args.quiet = true,
            "--cors-origin" => args.access.add_origin(&value()?)?,
            "--allow-host" => args.access.add_host(&value()?)?,
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cognito-emulator: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(args: Args) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(SocketAddr::new(args.host, args.port))
        .await
        .map_err(|e| format!("cannot listen on {}:{}: {e}", args.host, args.port))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let base = format!("http://{addr}");
    let public_url = args.public_url.unwrap_or_else(|| base.clone());
    let mut access = args.access;
    access.add_host_of_url(&public_url);
    access.add_bound_address(args.host);
    let app = Arc::new(App::new(Settings {
        public_url,
        region: args.region,
        quiet: args.quiet,
        access,
    })?);
    let created = match &args.config {
        Some(path) => config::load(&app, path)?,
        None => Vec::new(),
    };
    // Make the signing key while we already answer requests.
    let background = app.clone();
    tokio::spawn(async move {
        if let Err(e) = background.keys().await {
            eprintln!("cognito-emulator: {e}");
        }
    });
    // The first line is the contract with scripts: `listening on URL`.
    println!("listening on {base}");
    for line in created {
        println!("{line}");
    }
    if !args.host.is_loopback() {
        eprintln!(
            "warning: {} is not a loopback address and the emulator has no credentials: \
             anyone who can reach it may use it, admin calls included",
            args.host
        );
    }
    axum::serve(listener, http::router(app))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| e.to_string())
}
