//! `cargo xtask fuzz [TARGET] [--seconds N]`: the libFuzzer targets in fuzz/ (cargo-fuzz,
//! nightly), one at a time, each for N seconds (default 600), printing how many inputs each
//! ran. `cargo xtask test` runs them briefly (`short`) as one of its steps.
//!
//! The committed seeds (fuzz/corpus/TARGET) are read, never written: libFuzzer writes the
//! inputs it finds into the first corpus directory it is given, so that is a directory of
//! our own under target/fuzz-corpus (kept between long runs, so they build on each other).
//! Built without a sanitizer: the fuzzed code is safe Rust (the allocator's `unsafe` is
//! fuzzed over a simulated memory), so AddressSanitizer would only slow it; debug assertions
//! and overflow checks are on (cargo-fuzz's default).

use std::process::Command;
use std::time::Instant;

use crate::proc::{exec, root, Result};
use crate::setup::{self, step};

/// Every target, in the order they run.
pub const TARGETS: &[&str] = &[
    "json",
    "base64",
    "jwt_split",
    "jwks",
    "answers",
    "token",
    "allocator",
    "session_record",
];

/// Inputs longer than this are not tried: every document here is a few KB.
const MAX_LEN: &str = "-max_len=8192";

pub fn run(args: &[String]) -> Result {
    let mut seconds = 600;
    let mut targets = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seconds" => {
                seconds = args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .ok_or("--seconds takes a whole number")?;
            }
            t if TARGETS.contains(&t) => targets.push(t),
            other => return Err(format!("no fuzz target {other:?}; they are {TARGETS:?}")),
        }
    }
    if targets.is_empty() {
        targets = TARGETS.to_vec();
    }
    fuzz(&targets, seconds, &root().join("target/fuzz-corpus"))
}

/// `cargo xtask test`'s step: each target for a few seconds over the committed seeds, what
/// it finds kept in a scratch directory emptied first.
pub fn short() -> Result {
    let scratch = root().join("target/fuzz-scratch");
    let _ = std::fs::remove_dir_all(&scratch);
    fuzz(TARGETS, 5, &scratch)
}

fn fuzz(targets: &[&str], seconds: u64, found: &std::path::Path) -> Result {
    setup::cargo_fuzz()?;
    step("building the fuzz targets (nightly, libFuzzer)");
    exec(fuzz_cmd().args(["build", "--sanitizer", "none"]))?;
    let mut report = Vec::new();
    for target in targets {
        step(&format!("fuzzing {target} for {seconds} s"));
        let out = found.join(target);
        std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
        let started = Instant::now();
        let output = fuzz_cmd()
            .args(["run", "--sanitizer", "none", target])
            .arg(&out)
            .arg(format!("corpus/{target}"))
            .args(["--", MAX_LEN, &format!("-max_total_time={seconds}")])
            .output()
            .map_err(|e| format!("cannot run cargo fuzz: {e}"))?;
        let log = String::from_utf8_lossy(&output.stderr);
        // libFuzzer's last line: `Done 123456 runs in 10 second(s)`.
        let runs = log
            .lines()
            .rev()
            .find_map(|l| l.strip_prefix("Done ")?.split(' ').next())
            .unwrap_or("?")
            .to_owned();
        if !output.status.success() {
            eprintln!("{log}");
            return Err(format!(
                "fuzz target {target} failed after {:.0?} (the input is in fuzz/artifacts/{target})",
                started.elapsed()
            ));
        }
        println!("{target}: {runs} executions in {seconds} s");
        report.push(format!("{target:>10}: {runs} executions"));
    }
    println!("\n{}", report.join("\n"));
    Ok(())
}

/// `cargo +nightly fuzz` in fuzz/, with our target directory.
fn fuzz_cmd() -> Command {
    let mut c = Command::new("cargo");
    c.args(["+nightly", "fuzz"])
        .current_dir(root().join("fuzz"));
    // A cargo of the stable toolchain (the xtask's) must not pin the nightly one's rustc.
    c.env_remove("RUSTC").env_remove("CARGO");
    c
}
