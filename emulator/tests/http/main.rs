//! Black-box HTTP tests of the `cognito-emulator` binary: each test spawns or shares a running
//! emulator and talks to it over HTTP only, as a browser or an SDK would.
//!
//! Tests that do not move the clock share one emulator (each with its own pool and client);
//! tests that move the clock, reset, or need flags start their own.

mod common;

mod access;
mod account;
mod admin;
mod attributes;
mod auth;
mod challenges;
mod code_mfa;
mod concurrency;
mod expiry;
mod mfa;
mod protocol;
mod refresh;
mod rust_api;
mod rust_challenges;
mod session;
mod signup;
mod tokens;
