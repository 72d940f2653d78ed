//! Installs what the tests, the demo and the benchmarks need, when it is missing, and touches
//! the network only then: a second run on a set-up machine is offline. Every tool comes from a
//! package registry by name (crates.io, npm, PyPI, Debian), because tools that download their
//! own binaries (wasm-pack's wasm-bindgen download, playwright's browsers) fail offline.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::proc::{cargo, exec, output, root, succeeds, Result};

/// The wasm-pack release we build with.
const WASM_PACK_VERSION: &str = "0.15.1";

/// The cargo-fuzz release the fuzz targets are built with.
const CARGO_FUZZ_VERSION: &str = "0.13.2";

pub fn step(name: &str) {
    println!("\n==> {name}");
}

/// What building the wasm packages needs (`cargo xtask demo`).
pub fn for_builds() -> Result {
    wasm_target()?;
    wasm_pack()?;
    wasm_bindgen()?;
    npm_tools()
}

/// Everything `cargo xtask test` needs.
pub fn for_tests() -> Result {
    for_builds()?;
    chromium()?;
    npm_deps(&root().join("tests/interop"))?;
    npm_deps(&root().join("tests/e2e"))?;
    npm_deps(&root().join("tests/bundlers"))?;
    python_deps(
        &root().join("tests/interop/requirements.txt"),
        &["boto3", "pytest", "moto.server", "pyotp"],
    )?;
    Ok(())
}

pub fn wasm_target() -> Result {
    let installed = output(Command::new("rustup").args(["target", "list", "--installed"]));
    match installed {
        Some(list) if list.lines().any(|l| l.trim() == "wasm32-unknown-unknown") => Ok(()),
        Some(_) => {
            step("installing the wasm32-unknown-unknown target");
            exec(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
        }
        None => {
            // No rustup (a distribution's Rust): trust the toolchain, the build will say.
            Ok(())
        }
    }
}

fn cargo_install(krate: &str, version: &str) -> Result {
    step(&format!(
        "installing {krate} {version} (a few minutes, once)"
    ));
    // --locked builds what the release was tested with; when the registry no longer has a
    // locked dependency (yanked), fall back to a fresh resolution rather than fail.
    let locked = cargo()
        .args(["install", krate, "--version", version, "--locked"])
        .status()
        .is_ok_and(|s| s.success());
    if locked {
        return Ok(());
    }
    println!("{krate}: --locked failed, retrying with a fresh resolution");
    exec(cargo().args(["install", krate, "--version", version]))
}

pub fn wasm_pack() -> Result {
    let have = output(Command::new("wasm-pack").arg("--version")).unwrap_or_default();
    if have.contains(WASM_PACK_VERSION) {
        return Ok(());
    }
    cargo_install("wasm-pack", WASM_PACK_VERSION)
}

/// The `wasm-bindgen` version in Cargo.lock: the CLI must match the library exactly.
pub fn locked_wasm_bindgen() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_owned());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen".into())
}

pub fn wasm_bindgen() -> Result {
    let want = locked_wasm_bindgen()?;
    let have = output(Command::new("wasm-bindgen").arg("--version")).unwrap_or_default();
    if have.split_whitespace().nth(1) == Some(want.as_str()) {
        return Ok(());
    }
    cargo_install("wasm-bindgen-cli", &want)
}

/// What `cargo xtask fuzz` needs: a nightly toolchain (libFuzzer's instrumentation) and
/// cargo-fuzz.
pub fn cargo_fuzz() -> Result {
    let toolchains = output(Command::new("rustup").args(["toolchain", "list"]));
    if toolchains.is_some_and(|list| !list.lines().any(|l| l.starts_with("nightly"))) {
        step("installing the nightly toolchain (for cargo fuzz)");
        exec(Command::new("rustup").args([
            "toolchain",
            "install",
            "nightly",
            "--profile",
            "minimal",
        ]))?;
    }
    let have = output(Command::new("cargo").args(["fuzz", "--version"])).unwrap_or_default();
    if have.contains(CARGO_FUZZ_VERSION) {
        return Ok(());
    }
    cargo_install("cargo-fuzz", CARGO_FUZZ_VERSION)
}

fn is_root() -> bool {
    output(Command::new("id").arg("-u")).is_some_and(|u| u.trim() == "0")
}

fn apt_install(packages: &[&str]) -> Result {
    step(&format!("installing {} (apt)", packages.join(" ")));
    let sudo = if is_root() { None } else { Some("sudo") };
    let apt = |args: &[&str]| {
        let mut c = Command::new(sudo.unwrap_or("apt-get"));
        if sudo.is_some() {
            c.arg("apt-get");
        }
        c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        c
    };
    exec(&mut apt(&["update", "-q"]))?;
    exec(apt(&["install", "-y", "-q"]).args(packages))
}

pub fn chromium() -> Result {
    if Path::new("/usr/bin/chromium").exists() && Path::new("/usr/bin/chromedriver").exists() {
        return Ok(());
    }
    apt_install(&["chromium", "chromium-driver"])
}

/// Where our npm-installed tools live (binaryen's wasm-opt).
fn tools_bin() -> PathBuf {
    root().join("xtask/tools/node_modules/.bin")
}

/// A wasm-opt that reads what today's Rust emits: npm's binaryen, not Debian's (too old), and
/// esbuild. wasm-pack finds wasm-opt through PATH, so we put it first (see
/// `path_with_tools`).
pub fn npm_tools() -> Result {
    npm_deps(&root().join("xtask/tools"))
}

/// One of our npm tools (wasm-opt, esbuild), for the package (the demo's wasm-opt is found
/// by wasm-pack through PATH).
pub fn tool(name: &str) -> PathBuf {
    tools_bin().join(name)
}

/// PATH with our tools first, for child processes.
pub fn path_with_tools() -> String {
    let old = std::env::var("PATH").unwrap_or_default();
    format!("{}:{old}", tools_bin().display())
}

/// `npm ci` in `dir` unless node_modules already matches package-lock.json.
pub fn npm_deps(dir: &Path) -> Result {
    let lock = std::fs::read(dir.join("package-lock.json"))
        .map_err(|e| format!("{}: {e}", dir.join("package-lock.json").display()))?;
    let stamp = dir.join("node_modules/.xtask-lock");
    if std::fs::read(&stamp).is_ok_and(|s| s == lock) {
        return Ok(());
    }
    step(&format!("npm ci in {}", dir.display()));
    exec(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(dir),
    )?;
    std::fs::write(&stamp, lock).map_err(|e| format!("{}: {e}", stamp.display()))
}

/// `pip install -r requirements` unless every module imports already.
pub fn python_deps(requirements: &Path, modules: &[&str]) -> Result {
    let probe = format!("import {}", modules.join(", "));
    if succeeds(Command::new("python3").args(["-c", &probe])) {
        return Ok(());
    }
    step(&format!("pip install -r {}", requirements.display()));
    exec(
        Command::new("python3")
            .args(["-m", "pip", "install", "-q", "-r"])
            .arg(requirements),
    )
}
