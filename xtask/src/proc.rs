//! Running commands and the emulator from the xtask.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub type Result<T = ()> = std::result::Result<T, String>;

/// The workspace root (the xtask lives one level below it).
pub fn root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).to_path_buf()
}

/// Runs a command to completion, inheriting stdio; an error names the command.
pub fn exec(cmd: &mut Command) -> Result {
    let shown = format!("{cmd:?}");
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

/// Whether a command runs and exits 0, output discarded.
pub fn succeeds(cmd: &mut Command) -> bool {
    cmd.stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// A command's stdout, if it runs and exits 0.
pub fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.stderr(Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

pub fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(root());
    c
}

/// A child process killed when dropped, so no test run leaves servers behind.
pub struct Server {
    pub child: Child,
    pub url: String,
}

impl Server {
    /// The exit status, if the process has ended.
    pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts a built emulator binary on a free port and waits for its `listening on URL` line.
pub fn start_emulator(binary: &Path, extra: &[&str]) -> Result<Server> {
    let mut args = vec!["--port", "0"];
    args.extend_from_slice(extra);
    start_listening(binary, &args)
}

/// Starts a server binary that prints `listening on URL` as its first line, and waits for it.
pub fn start_listening(binary: &Path, args: &[&str]) -> Result<Server> {
    let mut child = Command::new(binary)
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut lines = BufReader::new(stdout);
    let mut first = String::new();
    lines
        .read_line(&mut first)
        .map_err(|e| format!("emulator: {e}"))?;
    let url = first
        .trim()
        .strip_prefix("listening on ")
        .ok_or_else(|| {
            format!(
                "{} printed {first:?} instead of 'listening on URL'",
                binary.display()
            )
        })?
        .to_owned();
    // Keep draining stdout (mail lines) so the emulator never blocks on a full pipe.
    std::thread::spawn(move || {
        let mut sink = Vec::new();
        let _ = lines.read_to_end(&mut sink);
    });
    Ok(Server { child, url })
}

/// `GET path` over plain HTTP/1.0; the status code, or `None` if nothing answered.
pub fn http_get_status(host_port: &str, path: &str) -> Option<u16> {
    let mut s = TcpStream::connect(host_port).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: {host_port}\r\n\r\n").ok()?;
    let mut buf = [0u8; 16];
    let n = s.read(&mut buf).ok()?;
    let line = std::str::from_utf8(&buf[..n]).ok()?;
    line.split(' ').nth(1)?.parse().ok()
}

/// Polls until `GET path` answers at all; returns the time it took.
pub fn wait_until_answering(host_port: &str, path: &str, limit: Duration) -> Result<Duration> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if http_get_status(host_port, path).is_some() {
            return Ok(start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    Err(format!("{host_port} did not answer within {limit:?}"))
}

/// A free loopback port (bound, then released).
pub fn free_port() -> Result<u16> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

/// Starts moto_server (Python) on a free port and waits until it answers.
pub fn start_moto() -> Result<Server> {
    let port = free_port()?;
    let child = Command::new("python3")
        .args(["-m", "moto.server", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start moto_server: {e}"))?;
    let server = Server {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    wait_until_answering(&format!("127.0.0.1:{port}"), "/", Duration::from_secs(60))?;
    Ok(server)
}
