//! `cargo xtask demo | test | bench | fuzz`: the project's only entry points, so a fresh machine needs
//! nothing but Rust. Each command installs what it is missing first (see `setup.rs`).
//! No dependencies: this builds in seconds, before anything else is there.

mod bench;
mod demo;
mod fuzz;
mod package;
mod proc;
mod serve;
mod setup;
mod test;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

  demo    set up what is missing, build and start the emulator, the protected API and the
          Yew demo app on loopback, print the URL; Ctrl-C stops everything
  test    set up what is missing, then run every check and test suite
  bench   benchmarks, numbers not pass/fail (docs/benchmarks.md): `bench browser` sets
          cognito-wasm beside amazon-cognito-identity-js and aws-jwt-verify in headless
          Chromium (SRP, token verification, cold start, bytes; target/bench/summary.json),
          `bench emulator` the emulator beside moto_server (time to ready, idle memory)
          and under load (10,000 SRP sign-ins, one core then two); no argument runs both
  fuzz    the libFuzzer targets in fuzz/ (cargo-fuzz, nightly): `fuzz [TARGET] [--seconds N]`,
          each target (json, base64, jwt_split, jwks, answers, token, allocator,
          session_record) or the one
          named for N seconds (default 600), printing the executions of each";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test::run(&args[1..]),
        Some("demo") => demo::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("fuzz") => fuzz::run(&args[1..]),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}
