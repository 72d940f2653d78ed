//! `cargo xtask bench [browser|emulator]`: numbers, not pass/fail; no argument runs both parts.
//!
//! - browser: cognito-wasm beside its anchors (amazon-cognito-identity-js, aws-jwt-verify) in
//!   one headless Chromium: SRP sign-in compute, token verification with a cached JWKS, cold
//!   start, package bytes (xtask/bench/browser.mjs; target/bench/summary.json). See
//!   docs/benchmarks.md.
//! - emulator: the emulator beside moto_server, time from spawn to the first HTTP answer and
//!   resident memory after a second idle, same run; then the emulator under load, on one core
//!   and on two (`emulator_load.rs`) (target/bench/emulator.json).

mod emulator_load;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::proc::{cargo, exec, free_port, root, start_emulator, wait_until_answering, Result};
use crate::setup::{self, python_deps, step};

const RUNS: usize = 5;

/// The issuer Cognito gives tokens of us-east-1 pools: the emulator signs with it (through
/// `--public-url`) so aws-jwt-verify, which derives the issuer from the pool id, accepts them.
const AWS_PUBLIC_URL: &str = "https://cognito-idp.us-east-1.amazonaws.com";

pub fn run(args: &[String]) -> Result {
    let (browser, emulator) = match args {
        [] => (true, true),
        [a] if a == "browser" => (true, false),
        [a] if a == "emulator" => (false, true),
        _ => {
            return Err(format!(
                "usage: cargo xtask bench [browser|emulator] (got {:?})",
                args.join(" ")
            ))
        }
    };
    if browser {
        browser_bench()?;
    }
    if emulator {
        emulator_bench()?;
    }
    Ok(())
}

/// Ours beside the anchors in headless Chromium (xtask/bench/browser.mjs), with a real ID
/// token from the release emulator.
fn browser_bench() -> Result {
    step("setting up (only what is missing)");
    setup::for_builds()?;
    setup::chromium()?;
    setup::npm_deps(&root().join("xtask/bench"))?;
    step("building the package (release)");
    crate::package::build()?;
    step("building the emulator (release)");
    exec(cargo().args(["build", "--release", "-p", "cognito-emulator"]))?;
    let config = root().join("emulator/practical.json");
    let emulator = start_emulator(
        &root().join("target/release/cognito-emulator"),
        &[
            "--quiet",
            "--config",
            &config.to_string_lossy(),
            "--public-url",
            AWS_PUBLIC_URL,
        ],
    )?;
    step("cognito-wasm beside amazon-cognito-identity-js and aws-jwt-verify, headless Chromium");
    exec(
        Command::new("node")
            .arg("xtask/bench/browser.mjs")
            .current_dir(root())
            .env("EMULATOR_URL", &emulator.url)
            .env("WWW_DIR", root().join("www"))
            .env("OUT_DIR", root().join("target/bench")),
    )
}

/// The emulator beside moto_server (time to ready and idle memory), then under load.
fn emulator_bench() -> Result {
    step("building the emulator (release)");
    exec(cargo().args(["build", "--release", "-p", "cognito-emulator"]))?;
    python_deps(
        &root().join("tests/interop/requirements.txt"),
        &["moto.server"],
    )?;

    let emulator = root().join("target/release/cognito-emulator");
    let ours = measure("cognito-emulator", |port| {
        Command::new(&emulator)
            .args(["--port", &port.to_string(), "--quiet"])
            .stdout(Stdio::null())
            .spawn()
    })?;
    let moto = measure("moto_server", |port| {
        Command::new("python3")
            .args(["-m", "moto.server", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
    })?;

    println!("\n| server | ready (median of {RUNS}) | idle RSS (median) |");
    println!("|---|---|---|");
    for m in [&ours, &moto] {
        println!("| {} | {:.1} ms | {:.1} MB |", m.name, m.ready_ms, m.rss_mb);
    }
    println!(
        "\nemulator vs moto_server: {:.0}x faster to ready, {:.1}x less memory",
        moto.ready_ms / ours.ready_ms,
        moto.rss_mb / ours.rss_mb
    );
    let load = emulator_load::run()?;
    let out = root().join("target/bench");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let json = format!(
        "{{\n  \"emulator_ready_ms\": {:.2},\n  \"emulator_rss_mb\": {:.2},\n  \"moto_ready_ms\": {:.2},\n  \"moto_rss_mb\": {:.2},\n  \"runs\": {RUNS},\n  \"load\": {load}\n}}\n",
        ours.ready_ms, ours.rss_mb, moto.ready_ms, moto.rss_mb
    );
    write(&out.join("emulator.json"), &json)
}

fn write(path: &Path, text: &str) -> Result {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}

struct Measured {
    name: &'static str,
    ready_ms: f64,
    rss_mb: f64,
}

struct Killed(Child);
impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn measure(name: &'static str, spawn: impl Fn(u16) -> std::io::Result<Child>) -> Result<Measured> {
    step(&format!("{name}: {RUNS} starts"));
    let mut ready = Vec::new();
    let mut rss = Vec::new();
    for _ in 0..RUNS {
        let port = free_port()?;
        let child = Killed(spawn(port).map_err(|e| format!("{name}: {e}"))?);
        let took =
            wait_until_answering(&format!("127.0.0.1:{port}"), "/", Duration::from_secs(30))?;
        std::thread::sleep(Duration::from_secs(1));
        let kb = rss_kb(child.0.id()).ok_or_else(|| format!("{name}: no RSS in /proc"))?;
        println!(
            "  ready {:.1} ms, RSS {:.1} MB",
            ms(took),
            kb as f64 / 1024.0
        );
        ready.push(ms(took));
        rss.push(kb as f64 / 1024.0);
    }
    Ok(Measured {
        name,
        ready_ms: median(&mut ready),
        rss_mb: median(&mut rss),
    })
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}
