//! The npm package `cognito-wasm` in crate/pkg, and a copy in www/pkg for the pages served
//! from www/: the wasm core (cargo, then wasm-opt), the hand-written driver (crate/js, its
//! modules bundled into one file by esbuild, not minified: one request for pages that load
//! it as it is, measured 50 ms faster to start than the nine modules) and a package.json
//! made from crate/Cargo.toml.
//!
//! Neither wasm-pack nor wasm-bindgen: the core imports nothing and exports numbers only (see
//! crate/src/wasm/exports), so the driver instantiates it itself, and wasm-bindgen's runtime,
//! shims and glue were 1.5 KB of gzip for nothing (docs/benchmarks.md).

use std::path::Path;
use std::process::Command;

use crate::proc::{cargo, exec, root, Result};
use crate::setup;

/// The files of the package, besides package.json, README.md and LICENSE.
const FILES: &[&str] = &["cognito_wasm.js", "cognito_wasm.d.ts", "cognito_wasm.wasm"];

pub fn build() -> Result {
    let pkg = root().join("crate/pkg");
    // Afresh: a file of an older build (another name) must not ship or be served.
    if pkg.exists() {
        std::fs::remove_dir_all(&pkg).map_err(|e| format!("{}: {e}", pkg.display()))?;
    }
    std::fs::create_dir_all(&pkg).map_err(|e| format!("{}: {e}", pkg.display()))?;
    // The core without `std` (see the `std` feature in crate/Cargo.toml), its panic
    // locations' paths made short and the same on every machine.
    exec(
        cargo()
            .args([
                "build",
                "--release",
                "-p",
                "cognito-wasm",
                "--target",
                "wasm32-unknown-unknown",
                "--no-default-features",
                "--features",
                "js",
            ])
            .env("CARGO_ENCODED_RUSTFLAGS", remapped_paths()),
    )?;
    let built = root().join("target/wasm32-unknown-unknown/release/cognito_wasm.wasm");
    // wasm-opt reads the features (SIMD) from the module's target_features section, which
    // then goes, with the producers section: browsers need neither. `--converge` repeats the
    // passes while they shrink the module: 122 B gzip less (measured at 68e7460; -Oz gave
    // nothing more, and `--low-memory-unused`'s 324 B would rest on the stack never
    // reaching its last KB, which nothing checks).
    exec(
        Command::new(setup::tool("wasm-opt"))
            .arg(&built)
            .args([
                "-O",
                "--converge",
                "--strip-producers",
                "--strip-target-features",
                "-o",
            ])
            .arg(pkg.join("cognito_wasm.wasm")),
    )?;
    let js = root().join("crate/js");
    exec(
        Command::new(setup::tool("esbuild"))
            .arg(js.join("cognito_wasm.js"))
            .args([
                "--bundle",
                "--format=esm",
                "--log-level=warning",
                "--banner:js=// cognito-wasm's JS driver, bundled from its modules in crate/js (their comments are there).",
            ])
            .arg(format!("--outfile={}", pkg.join("cognito_wasm.js").display())),
    )?;
    copy(
        &js.join("cognito_wasm.d.ts"),
        &pkg.join("cognito_wasm.d.ts"),
    )?;
    copy(&root().join("crate/README.md"), &pkg.join("README.md"))?;
    copy(&root().join("crate/LICENSE"), &pkg.join("LICENSE"))?;
    let manifest = package_json()?;
    std::fs::write(pkg.join("package.json"), manifest).map_err(|e| format!("package.json: {e}"))?;
    let www = root().join("www/pkg");
    if www.exists() {
        std::fs::remove_dir_all(&www).map_err(|e| format!("{}: {e}", www.display()))?;
    }
    copy_tree(&pkg, &www)
}

/// The first `name = "value"` line of a Cargo.toml, unquoted (the xtask has no TOML parser:
/// these manifests' fields are one line each).
fn toml_field(file: &str, name: &str) -> Result<String> {
    let toml = std::fs::read_to_string(root().join(file)).map_err(|e| format!("{file}: {e}"))?;
    toml.lines()
        .find_map(|l| l.strip_prefix(name)?.trim_start().strip_prefix('='))
        .map(|v| v.trim().trim_matches('"').to_owned())
        .ok_or_else(|| format!("{file} has no {name}"))
}

/// Cargo's home: `$CARGO_HOME`, else `~/.cargo`.
pub fn cargo_home() -> Option<std::path::PathBuf> {
    std::env::var("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|_| std::env::var("HOME").map(|h| Path::new(&h).join(".cargo")))
        .ok()
}

/// `--remap-path-prefix` flags for the paths a wasm keeps (the panic locations of bounds
/// checks): this checkout, the registry's sources, the toolchain's library. Machine paths
/// have no place in a shipped file, and the short ones are 80 bytes less of gzip.
fn remapped_paths() -> String {
    let mut flags = vec![format!("--remap-path-prefix={}=.", root().display())];
    if let Some(home) = cargo_home() {
        let sources = home.join("registry/src");
        for index in std::fs::read_dir(&sources).into_iter().flatten().flatten() {
            flags.push(format!(
                "--remap-path-prefix={}=crates",
                index.path().display()
            ));
        }
    }
    let rustc = Command::new("rustc").arg("-vV").output().ok();
    let version = rustc.map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
    if let Some(hash) = version
        .as_deref()
        .and_then(|v| v.lines().find_map(|l| l.strip_prefix("commit-hash: ")))
    {
        flags.push(format!("--remap-path-prefix=/rustc/{hash}=rust"));
    }
    // The encoded form (flags apart by 0x1f): a path may hold a space.
    flags.join("\x1f")
}

/// package.json, its facts from the manifests: the version, description and keywords from
/// crate/Cargo.toml, the license and repository from the workspace's.
fn package_json() -> Result<String> {
    let field = |name: &str| toml_field("crate/Cargo.toml", name);
    let repository = toml_field("Cargo.toml", "repository")?;
    let keywords = field("keywords")?;
    let list = |items: &[&str]| {
        let quoted: Vec<String> = items.iter().map(|i| quote(i)).collect();
        format!("[{}]", quoted.join(", "))
    };
    let keywords: Vec<&str> = keywords
        .trim_matches(|c| c == '[' || c == ']')
        .split(',')
        .map(|k| k.trim().trim_matches('"'))
        .collect();
    Ok(format!(
        r#"{{
  "name": "cognito-wasm",
  "version": {version},
  "description": {description},
  "license": {license},
  "repository": {{ "type": "git", "url": {repository} }},
  "keywords": {keywords},
  "homepage": {homepage},
  "bugs": {{ "url": {bugs} }},
  "type": "module",
  "main": "cognito_wasm.js",
  "module": "cognito_wasm.js",
  "types": "cognito_wasm.d.ts",
  "exports": {{
    ".": {{ "types": "./cognito_wasm.d.ts", "default": "./cognito_wasm.js" }},
    "./cognito_wasm.wasm": "./cognito_wasm.wasm",
    "./package.json": "./package.json"
  }},
  "sideEffects": false,
  "engines": {{ "node": ">=20.16" }},
  "files": {files}
}}
"#,
        version = quote(&field("version")?),
        license = quote(&toml_field("Cargo.toml", "license")?),
        repository = quote(&format!("git+{repository}.git")),
        homepage = quote(&format!("{repository}/tree/main/crate#readme")),
        bugs = quote(&format!("{repository}/issues")),
        description = quote(&field("description")?),
        keywords = list(&keywords),
        files = list(FILES),
    ))
}

/// A JSON string of plain text (no control characters in Cargo.toml's fields).
fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn copy(from: &Path, to: &Path) -> Result {
    std::fs::copy(from, to)
        .map(drop)
        .map_err(|e| format!("{}: {e}", from.display()))
}

/// `cp -r from to`.
pub fn copy_tree(from: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let (path, target) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type().map_err(|e| e.to_string())?.is_dir() {
            copy_tree(&path, &target)?;
        } else {
            copy(&path, &target)?;
        }
    }
    Ok(())
}
