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
    // The core without `std` (see the `std` feature in crate/Cargo.toml).
    exec(cargo().args([
        "build",
        "--release",
        "-p",
        "cognito-wasm",
        "--target",
        "wasm32-unknown-unknown",
        "--no-default-features",
        "--features",
        "js",
    ]))?;
    let built = root().join("target/wasm32-unknown-unknown/release/cognito_wasm.wasm");
    // wasm-opt reads the features (SIMD) from the module's target_features section, which
    // then goes, with the producers section: browsers need neither.
    exec(
        Command::new(setup::tool("wasm-opt"))
            .arg(&built)
            .args(["-O", "--strip-producers", "--strip-target-features", "-o"])
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

/// package.json, its facts from the manifests: the version, description and keywords from
/// crate/Cargo.toml, the license and repository from the workspace's.
fn package_json() -> Result<String> {
    let field = |name: &str| toml_field("crate/Cargo.toml", name);
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
  "type": "module",
  "main": "cognito_wasm.js",
  "module": "cognito_wasm.js",
  "types": "cognito_wasm.d.ts",
  "files": {files}
}}
"#,
        version = quote(&field("version")?),
        license = quote(&toml_field("Cargo.toml", "license")?),
        repository = quote(&toml_field("Cargo.toml", "repository")?),
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
