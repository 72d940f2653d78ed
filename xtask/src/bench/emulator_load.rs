//! The release emulator under load, on one core and then on two: `cargo xtask bench emulator`
//! runs `emulator/examples/load.rs` (N SRP sign-ups and sign-ins over 100 connections, then
//! ListUsers: none lost, none twice) against it, and times `GET /health` meanwhile from here.
//!
//! The emulator is pinned with `taskset` (`-c 0`, then `-c 0,1`); the load generator runs on
//! the same two cores at nice 10 (it computes the client side of every SRP sign-in, about as
//! much as the emulator's side), the `/health` probe here at normal priority, as a client on
//! another machine would be. The figures are the emulator's on a shared machine, not alone.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::proc::{cargo, exec, root, start_listening, Result};
use crate::setup::step;

/// Users signed up and then signed in, per run.
pub const USERS: usize = 10_000;
/// Concurrent keep-alive connections of the load generator.
pub const CONNECTIONS: usize = 100;
/// The runs: a label and the CPUs the emulator may use.
const RUNS: [(&str, &str); 2] = [("1 core", "0"), ("2 cores", "0,1")];
/// The operations load.rs times, as it names them, and as the table shows them.
const OPERATIONS: [(&str, &str); 5] = [
    ("SignUp", "SignUp"),
    ("AdminConfirmSignUp", "AdminConfirmSignUp"),
    ("InitiateAuth", "InitiateAuth (USER_SRP_AUTH)"),
    ("RespondToAuthChallenge", "RespondToAuthChallenge"),
    ("sign-in", "whole SRP sign-in (both calls + client)"),
];

/// One run's figures: the load generator's flat JSON and the probe's latencies.
struct Run {
    label: &'static str,
    cpus: &'static str,
    load: String,
    health: Vec<f64>,
}

impl Run {
    /// A number of load.rs's flat output.
    fn get(&self, key: &str) -> f64 {
        json_number(&self.load, key).unwrap_or(f64::NAN)
    }
}

/// Runs both configurations, prints the table, and answers the `"load"` member of
/// emulator.json.
pub fn run() -> Result<String> {
    step("building the emulator and its load generator (release)");
    exec(cargo().args([
        "build",
        "--release",
        "-p",
        "cognito-emulator",
        "--bin",
        "cognito-emulator",
        "--example",
        "load",
    ]))?;
    let release = root().join("target/release");
    let mut runs = Vec::new();
    for (label, cpus) in RUNS {
        step(&format!(
            "load: {USERS} SRP sign-ups and sign-ins over {CONNECTIONS} connections, emulator on {label} (taskset -c {cpus})"
        ));
        runs.push(one_run(&release, label, cpus)?);
    }
    let runs = runs;
    print_table(&runs);
    for r in &runs {
        if r.get("lost") != 0.0 || r.get("duplicated") != 0.0 || r.get("unexpected") != 0.0 {
            return Err(format!("{}: users lost or duplicated: {}", r.label, r.load));
        }
    }
    let members: Vec<String> = runs
        .iter()
        .map(|r| {
            let mut health = r.health.clone();
            health.sort_by(f64::total_cmp);
            format!(
                "    {{\"emulator\": \"{}\", \"taskset\": \"{}\", \"health_probes\": {}, \"health_p50_ms\": {:.3}, \"health_p99_ms\": {:.3}, \"health_max_ms\": {:.3},\n     \"load\": {}}}",
                r.label,
                r.cpus,
                health.len(),
                quantile(&health, 0.5),
                quantile(&health, 0.99),
                quantile(&health, 1.0),
                r.load
            )
        })
        .collect();
    Ok(format!(
        "{{\n    \"note\": \"load generator (SRP client side) at nice 10 on the same 2 cores; /health probed every 10 ms at normal priority\",\n    \"runs\": [\n{}\n    ]\n  }}",
        members.join(",\n")
    ))
}

fn one_run(release: &Path, label: &'static str, cpus: &'static str) -> Result<Run> {
    let emulator = release.join("cognito-emulator");
    let emulator = emulator.to_string_lossy();
    let server = start_listening(
        Path::new("taskset"),
        &["-c", cpus, &emulator, "--port", "0", "--quiet"],
    )?;
    let address = server
        .url
        .strip_prefix("http://")
        .unwrap_or(&server.url)
        .to_owned();
    let stop = AtomicBool::new(false);
    let (load, health) = std::thread::scope(|s| {
        let probe = s.spawn(|| probe_health(&address, &stop));
        let load = Command::new("nice")
            .args(["-n", "10"])
            .arg(release.join("examples/load"))
            .args([
                &server.url,
                "--users",
                &USERS.to_string(),
                "--connections",
                &CONNECTIONS.to_string(),
            ])
            .stderr(Stdio::inherit())
            .output();
        stop.store(true, Ordering::Relaxed);
        let health = probe
            .join()
            .unwrap_or_else(|_| Err("the probe panicked".into()));
        (load, health)
    });
    let load = load.map_err(|e| format!("cannot run the load generator: {e}"))?;
    if !load.status.success() {
        return Err(format!("the load generator failed ({})", load.status));
    }
    Ok(Run {
        label,
        cpus,
        load: String::from_utf8_lossy(&load.stdout).trim().to_owned(),
        health: health?,
    })
}

/// `GET /health` every 10 ms on one keep-alive connection until `stop`: the latencies, in ms.
fn probe_health(address: &str, stop: &AtomicBool) -> Result<Vec<f64>> {
    let stream = TcpStream::connect(address).map_err(|e| format!("probe: {e}"))?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    let mut reader = BufReader::new(stream.try_clone().map_err(|e| e.to_string())?);
    let mut writer = stream;
    let request = format!("GET /health HTTP/1.1\r\nHost: {address}\r\n\r\n");
    let mut took = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        let start = Instant::now();
        writer
            .write_all(request.as_bytes())
            .map_err(|e| format!("probe: {e}"))?;
        read_response(&mut reader)?;
        took.push(start.elapsed().as_secs_f64() * 1000.0);
        std::thread::sleep(Duration::from_millis(10));
    }
    Ok(took)
}

/// Reads one HTTP/1.1 response with a Content-Length (the emulator's are), failing on any
/// status but 200.
fn read_response(reader: &mut impl BufRead) -> Result {
    let mut line = String::new();
    let mut length = 0;
    let mut status_ok = None;
    loop {
        line.clear();
        if reader.read_line(&mut line).map_err(|e| e.to_string())? == 0 {
            return Err("probe: the emulator closed the connection".into());
        }
        let header = line.trim_end();
        if status_ok.is_none() {
            status_ok = Some(header.starts_with("HTTP/1.1 200"));
        } else if header.is_empty() {
            break;
        } else if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().map_err(|_| "probe: bad length")?;
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).map_err(|e| e.to_string())?;
    match status_ok {
        Some(true) => Ok(()),
        _ => Err(format!("probe: /health answered {line:?}")),
    }
}

fn print_table(runs: &[Run]) {
    let header: Vec<String> = runs
        .iter()
        .map(|r| format!("emulator on {}", r.label))
        .collect();
    println!(
        "\n| {USERS} users, {CONNECTIONS} connections | {} |",
        header.join(" | ")
    );
    println!("|---|{}", "---:|".repeat(runs.len()));
    let row = |name: &str, cell: &dyn Fn(&Run) -> String| {
        let cells: Vec<String> = runs.iter().map(cell).collect();
        println!("| {name} | {} |", cells.join(" | "));
    };
    row("sign-ups per second (SignUp + AdminConfirmSignUp)", &|r| {
        format!("{:.0} /s", r.get("sign_ups_per_s"))
    });
    row("SRP sign-ins per second", &|r| {
        format!("{:.1} /s", r.get("sign_ins_per_s"))
    });
    for (key, name) in OPERATIONS {
        row(&format!("{name}, p50 / p99"), &|r| {
            format!(
                "{:.1} / {:.1} ms",
                r.get(&format!("{key}_p50_ms")),
                r.get(&format!("{key}_p99_ms"))
            )
        });
    }
    row("GET /health meanwhile, p50 / p99 (max)", &|r| {
        let mut h = r.health.clone();
        h.sort_by(f64::total_cmp);
        format!(
            "{:.2} / {:.2} ms ({:.0} ms)",
            quantile(&h, 0.5),
            quantile(&h, 0.99),
            quantile(&h, 1.0)
        )
    });
    row("ListUsers after: listed / lost / duplicated", &|r| {
        format!(
            "{} / {} / {}",
            r.get("listed"),
            r.get("lost"),
            r.get("duplicated")
        )
    });
    println!(
        "\nThe load generator (the client side of each SRP sign-in, as much work as the \
         emulator's) runs at nice 10 on the same 2 cores: these are the emulator's figures on \
         a shared machine. /health is probed every 10 ms from here, at normal priority."
    );
}

/// The `q` quantile of sorted values, nearest rank (0 for none).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => 0.0,
        n => sorted[((n as f64 * q).ceil() as usize).clamp(1, n) - 1],
    }
}

/// The number after `"key":` in load.rs's output, a flat object of numbers (so no parser is
/// needed in the std-only xtask).
fn json_number(json: &str, key: &str) -> Option<f64> {
    let rest = &json[json.find(&format!("\"{key}\":"))? + key.len() + 3..];
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || "+-.eE".contains(c)))
        .unwrap_or(rest.len());
    rest[..end].parse().ok()
}
