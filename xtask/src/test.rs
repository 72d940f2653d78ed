//! `cargo xtask test`: installs what is missing, then runs every check and suite, cheapest
//! first, and keeps going after a failure so one run shows everything that is wrong.

use std::process::Command;

use crate::proc::{cargo, exec, root, start_emulator, start_listening, start_moto, Result, Server};
use crate::setup::{self, step};

type Step = (&'static str, Box<dyn Fn() -> Result>);

fn cargo_step(name: &'static str, args: &'static [&'static str]) -> Step {
    (name, Box::new(move || exec(cargo().args(args))))
}

/// `cargo xtask test [WORD...]`: every step, or only those whose name contains one of the
/// words (`cargo xtask test browser "end to end"`), for a quicker loop while working.
pub fn run(args: &[String]) -> Result {
    step("setting up (only what is missing)");
    setup::for_tests()?;
    let mut steps = all_steps();
    if !args.is_empty() {
        steps.retain(|(name, _)| args.iter().any(|a| name.contains(a.as_str())));
        if steps.is_empty() {
            return Err(format!("no step's name contains any of {args:?}"));
        }
    }
    run_all(steps)
}

fn all_steps() -> Vec<Step> {
    vec![
        cargo_step("rustfmt", &["fmt", "--all", "--check"]),
        cargo_step(
            "clippy -D warnings",
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        ),
        cargo_step(
            "clippy for wasm32",
            &[
                "clippy",
                "-p",
                "cognito-wasm",
                "-p",
                "demo-app",
                "--target",
                "wasm32-unknown-unknown",
                "--",
                "-D",
                "warnings",
            ],
        ),
        cargo_step(
            "clippy for the npm package's core (wasm32, no_std)",
            &[
                "clippy",
                "-p",
                "cognito-wasm",
                "--target",
                "wasm32-unknown-unknown",
                "--no-default-features",
                "--features",
                "js",
                "--",
                "-D",
                "warnings",
            ],
        ),
        cargo_step(
            "clippy for wasm32 with rust-rsa (RS256 without WebCrypto, Rust API)",
            &[
                "clippy",
                "-p",
                "cognito-wasm",
                "--target",
                "wasm32-unknown-unknown",
                "--features",
                "rust-rsa",
                "--",
                "-D",
                "warnings",
            ],
        ),
        ("cargo doc (public API, warnings denied)", Box::new(docs)),
        (
            "cargo package: the library crates as crates.io gets them, built from the package",
            Box::new(package),
        ),
        (
            "build: the npm package (crate/pkg, www/pkg) and the Yew demo (www/demo, wasm-pack)",
            Box::new(crate::demo::build_web),
        ),
        cargo_step(
            "cargo test: unit, emulator over HTTP, SRP and SECRET_HASH against ACIJ and Python",
            &["test", "--workspace"],
        ),
        // After the unit tests (a parser bug is clearer there first), before the slow suites:
        // each libFuzzer target for 5 s over the committed seeds (about a minute with the
        // build); `cargo xtask fuzz` runs them for minutes.
        (
            "fuzz (short): each libFuzzer target for 5 s over fuzz/corpus",
            Box::new(crate::fuzz::short),
        ),
        (
            "interop: amazon-cognito-identity-js and boto3 against the emulator",
            Box::new(interop),
        ),
        (
            "browser: wasm-pack test --headless --chrome against the emulator and moto_server",
            Box::new(browser),
        ),
        (
            "end to end: the demo app and www/practical.html in headless Chromium (playwright-core)",
            Box::new(e2e),
        ),
        (
            "bundlers: the packed npm package in esbuild, webpack 5, Vite (build and dev server), Node, and tsc --strict",
            Box::new(bundlers),
        ),
    ]
}

fn run_all(steps: Vec<Step>) -> Result {
    let total = steps.len();
    let mut failed = Vec::new();
    for (name, f) in steps {
        step(name);
        if let Err(e) = f() {
            eprintln!("FAILED: {name}: {e}");
            failed.push(name);
        }
    }
    println!();
    for name in &failed {
        println!("failed: {name}");
    }
    println!(
        "xtask: {} passed, {} failed",
        total - failed.len(),
        failed.len()
    );
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("{} of {total} steps failed", failed.len()))
    }
}

/// The library crates packaged together, so that each is verified against the others as
/// packaged (a temporary local registry) and from the cache: no crates.io access.
///
/// Cargo takes a registry crate of a given name and version to be immutable: it reuses an
/// extraction of the temporary registry's crates in `$CARGO_HOME/registry/src`, and the
/// build of them in target/debug, from an earlier run. Today's `cognito-wasm` would then be
/// verified against an older `cognito-wasm-modp 0.1.0` (seen: an old `pow` signature failing
/// the build). So our sub-crates' extractions, archives and debug builds go first; nothing
/// else is touched (the workspace's own build of them is seconds to redo).
fn package() -> Result {
    const OURS: [&str; 6] = [
        "cognito-wasm-encoding-",
        "cognito-wasm-modp-",
        "cognito_wasm_encoding-",
        "cognito_wasm_modp-",
        "libcognito_wasm_encoding-",
        "libcognito_wasm_modp-",
    ];
    let ours = |name: &str| OURS.iter().any(|p| name.starts_with(p));
    let debug = root().join("target/debug");
    for dir in [debug.join(".fingerprint"), debug.join("deps")] {
        remove_matching(&dir, ours)?;
    }
    if let Some(home) = crate::package::cargo_home() {
        for kind in ["src", "cache"] {
            let indexes = std::fs::read_dir(home.join("registry").join(kind));
            for index in indexes.into_iter().flatten().flatten() {
                remove_matching(&index.path(), ours)?;
            }
        }
    }
    exec(cargo().args([
        "package",
        "-p",
        "cognito-wasm-encoding",
        "-p",
        "cognito-wasm-modp",
        "-p",
        "cognito-wasm",
        "--allow-dirty",
        "--offline",
    ]))
}

/// Removes the files and folders in `dir` whose names `pick` picks (none if `dir` is absent).
fn remove_matching(dir: &std::path::Path, pick: impl Fn(&str) -> bool) -> Result {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if pick(&entry.file_name().to_string_lossy()) {
            let path = entry.path();
            let removed = if path.is_dir() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
            removed.map_err(|e| format!("removing {}: {e}", path.display()))?;
        }
    }
    Ok(())
}

fn docs() -> Result {
    // As docs.rs builds them (crate/Cargo.toml's [package.metadata.docs.rs]): the features
    // `native` and `serde`, natively and for wasm32.
    for target in [None, Some("wasm32-unknown-unknown")] {
        let mut cmd = cargo();
        cmd.args([
            "doc",
            "--no-deps",
            "-p",
            "cognito-wasm",
            "-p",
            "cognito-wasm-encoding",
            "-p",
            "cognito-wasm-modp",
        ])
        .args(["--features", "cognito-wasm/native,cognito-wasm/serde"])
        .env("RUSTDOCFLAGS", "-D warnings");
        if let Some(t) = target {
            cmd.args(["--target", t]);
        }
        exec(&mut cmd)?;
    }
    Ok(())
}

/// The library in headless Chromium against both servers, whose URLs the tests get at compile
/// time (the browser has no environment).
fn browser() -> Result {
    let emulator = practical_emulator()?;
    let moto = start_moto()?;
    exec(
        Command::new("wasm-pack")
            .args(["test", "--headless", "--chrome", "crate"])
            .current_dir(root())
            .env("PATH", setup::path_with_tools())
            .env("CHROMEDRIVER", "/usr/bin/chromedriver")
            .env("COGNITO_EMULATOR_ENDPOINT", &emulator.url)
            .env("MOTO_ENDPOINT", &moto.url),
    )
}

/// Pages in real Chromium, driven like a person would (needs www/pkg and www/demo from the
/// build step), against the emulator, moto_server (the JS API's practical) and the protected
/// demo API.
fn e2e() -> Result {
    let emulator = practical_emulator()?;
    let moto = start_moto()?;
    exec(cargo().args(["build", "-p", "demo-api"]))?;
    let api = start_listening(
        &root().join("target/debug/demo-api"),
        &["--port", "0", "--emulator", &emulator.url],
    )?;
    exec(
        Command::new("node")
            .args(["--test", "tests/e2e/"])
            .current_dir(root())
            .env("COGNITO_ENDPOINT", &emulator.url)
            .env("MOTO_ENDPOINT", &moto.url)
            .env("DEMO_API", &api.url),
    )
}

/// The packed npm package where users put it (tests/bundlers/bundlers.test.mjs), against the
/// emulator.
fn bundlers() -> Result {
    let emulator = practical_emulator()?;
    exec(
        Command::new("node")
            .args(["--test", "tests/bundlers/"])
            .current_dir(root())
            .env("COGNITO_ENDPOINT", &emulator.url),
    )
}

/// A fresh debug emulator seeded with the practical's pool.
fn practical_emulator() -> Result<Server> {
    exec(cargo().args(["build", "-p", "cognito-emulator"]))?;
    let config = root().join("emulator/practical.json");
    start_emulator(
        &root().join("target/debug/cognito-emulator"),
        &["--quiet", "--config", &config.to_string_lossy()],
    )
}

/// Independent clients against the emulator, so it speaks Cognito and not only our dialect.
fn interop() -> Result {
    exec(cargo().args(["build", "-p", "cognito-emulator"]))?;
    let emulator = start_emulator(&root().join("target/debug/cognito-emulator"), &["--quiet"])?;
    let dir = root().join("tests/interop");
    let node = exec(
        Command::new("node")
            .args(["--test", "acij.test.mjs"])
            .current_dir(&dir)
            .env("COGNITO_ENDPOINT", &emulator.url),
    );
    let python = exec(
        Command::new("python3")
            .args(["-m", "pytest", "-q", "test_boto3.py"])
            .current_dir(&dir)
            .env("COGNITO_ENDPOINT", &emulator.url),
    );
    node.and(python)
}
