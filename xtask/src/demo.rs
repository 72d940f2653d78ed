//! `cargo xtask demo`: the emulator with the practical's pool, on a fixed port, until Ctrl-C.

use std::process::Command;

use crate::proc::{cargo, exec, root, Result};
use crate::setup::step;

pub const EMULATOR_PORT: &str = "9229";

pub fn run(args: &[String]) -> Result {
    if let Some(a) = args.first() {
        return Err(format!("cargo xtask demo takes no arguments (got {a})"));
    }
    step("building the emulator (release)");
    exec(cargo().args(["build", "--release", "-p", "cognito-emulator"]))?;
    let config = root().join("emulator/practical.json");
    println!(
        "\nThe local Cognito emulator, with the practical's pool (emulator/practical.json):\n\
         \n  endpoint  http://127.0.0.1:{EMULATOR_PORT}\n  outbox    http://127.0.0.1:{EMULATOR_PORT}/_emulator/outbox\n\
         \nThe Yew demo app is not built yet (issue: \"The Yew demo\"); until then, use the\n\
         endpoint with any Cognito client. Stop with Ctrl-C.\n"
    );
    exec(
        Command::new(root().join("target/release/cognito-emulator"))
            .args(["--port", EMULATOR_PORT, "--config"])
            .arg(config),
    )
}
