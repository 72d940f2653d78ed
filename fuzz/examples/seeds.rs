//! Writes the seeds that come from the token fixture into fuzz/corpus: its JWKS (jwks, json)
//! and its tokens (jwt_split), so the committed seeds are real RS256 tokens and a real key
//! set. `cargo run --example seeds` in fuzz/; the other seeds are written by hand.

use std::fs;
use std::path::Path;

use cognito_wasm_fuzz::fixture::fixture;

fn main() -> std::io::Result<()> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let fx = fixture();
    for dir in ["jwks", "json"] {
        fs::create_dir_all(corpus.join(dir))?;
        fs::write(corpus.join(dir).join("fixture_jwks.json"), &fx.jwks)?;
    }
    fs::create_dir_all(corpus.join("jwt_split"))?;
    for (i, (_, _, token)) in fx.tokens.iter().enumerate() {
        fs::write(
            corpus.join("jwt_split").join(format!("fixture_token_{i}")),
            token,
        )?;
    }
    Ok(())
}
