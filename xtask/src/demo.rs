//! `cargo xtask demo`: everything a new user needs to walk through the practical in a browser,
//! without an AWS account: the emulator with the practical's pool, the protected API, and the
//! Yew app, all on loopback. Ctrl-C stops them all (they share the terminal's signal).

use std::process::Command;

use crate::proc::{cargo, exec, root, Result, Server};
use crate::setup::{self, step};

pub const EMULATOR_PORT: u16 = 9229;
pub const API_PORT: u16 = 9230;
pub const WEB_PORT: u16 = 8080;

pub fn run(args: &[String]) -> Result {
    if let Some(a) = args.first() {
        return Err(format!("cargo xtask demo takes no arguments (got {a})"));
    }
    step("setting up (only what is missing)");
    setup::for_builds()?;
    step("building the emulator and the API server (release)");
    exec(cargo().args([
        "build",
        "--release",
        "-p",
        "cognito-emulator",
        "-p",
        "demo-api",
    ]))?;
    step("building the demo app and the library package (release wasm)");
    build_web()?;

    let emulator_url = format!("http://127.0.0.1:{EMULATOR_PORT}");
    let mut emulator = spawn(
        "cognito-emulator",
        Command::new(root().join("target/release/cognito-emulator"))
            .args(["--port", &EMULATOR_PORT.to_string(), "--config"])
            .arg(root().join("emulator/practical.json")),
    )?;
    let mut api = spawn(
        "demo-api",
        Command::new(root().join("target/release/demo-api")).args([
            "--port",
            &API_PORT.to_string(),
            "--emulator",
            &emulator_url,
        ]),
    )?;
    let web = crate::serve::spawn(root().join("www"), WEB_PORT)?;
    println!(
        "\n  The demo:              http://127.0.0.1:{web}/\n  \
         The plain-JS practical: http://127.0.0.1:{web}/practical.html\n  \
         Local Cognito:          {emulator_url}  (codes it \"sends\" are in the app's Mailbox)\n  \
         Protected API:          http://127.0.0.1:{API_PORT}/api/videos\n\n\
         Stop with Ctrl-C.\n"
    );
    // Wait for the first child to end (Ctrl-C ends them all); the others are killed on drop.
    loop {
        std::thread::sleep(std::time::Duration::from_millis(500));
        for s in [&mut emulator, &mut api] {
            if let Some(status) = s.exited() {
                return Err(format!("{} stopped ({status})", s.url));
            }
        }
    }
}

fn spawn(name: &str, cmd: &mut Command) -> Result<Server> {
    let child = cmd
        .spawn()
        .map_err(|e| format!("cannot start {name}: {e}"))?;
    Ok(Server {
        child,
        url: name.to_owned(),
    })
}

/// The Yew app into www/demo and the library package into www/pkg (for practical.html).
pub fn build_web() -> Result {
    exec(
        Command::new("wasm-pack")
            .args([
                "build",
                "--release",
                "--target",
                "web",
                "--no-typescript",
                "--out-dir",
                "../www/demo",
                "demo-app",
            ])
            .current_dir(root())
            .env("PATH", setup::path_with_tools()),
    )?;
    crate::package::build()
}
