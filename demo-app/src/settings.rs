//! Where the app talks to: the Cognito endpoint, pool, app client (and secret), and the demo
//! API. Defaults are the practical's: the local emulator's seeded pool and its web client
//! *with* a secret, as the practical has it.
//!
//! Saved to localStorage without the secret: a secret in storage outlives the tab and is
//! readable by any script of the origin. The practical's own secret is public (it is in this
//! page's source), so it comes back with its client; any other secret is typed again.

use cognito_wasm::wasm::WebPlatform;
use cognito_wasm::{Client, ClientConfig};
use serde_json::{json, Value};

use crate::errors::Failure;

pub const DEFAULT_ENDPOINT: &str = "http://127.0.0.1:9229";
pub const PRACTICAL_POOL: &str = "us-east-1_Practical";
pub const PRACTICAL_WEB_CLIENT: &str = "practicalwebclientsecret01";
/// Not a secret: the emulator's seeded demo client, published in emulator/practical.json.
pub const PRACTICAL_WEB_SECRET: &str = "localdemosecretnotforproductionuseanywhere000000001";
pub const PRACTICAL_SPA_CLIENT: &str = "practicalspaclientnosecret";
pub const DEFAULT_API: &str = "http://127.0.0.1:9230";

/// Milliseconds before a Cognito call gives up.
pub const TIMEOUT_MS: u32 = 10_000;

const STORAGE_KEY: &str = "cognito-wasm-demo/settings";

/// Where the session is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorageChoice {
    /// This tab's memory: gone at reload, out of reach of scripts once the page closes.
    Memory,
    /// `sessionStorage`: survives a reload, ends with the tab.
    Session,
    /// `localStorage`: survives the browser, shared by the origin's tabs.
    Local,
}

impl StorageChoice {
    pub const ALL: [StorageChoice; 3] = [
        StorageChoice::Memory,
        StorageChoice::Session,
        StorageChoice::Local,
    ];

    /// Its value in the form and in the saved settings.
    pub fn key(self) -> &'static str {
        match self {
            StorageChoice::Memory => "memory",
            StorageChoice::Session => "sessionStorage",
            StorageChoice::Local => "localStorage",
        }
    }

    pub fn from_key(key: &str) -> StorageChoice {
        StorageChoice::ALL
            .into_iter()
            .find(|c| c.key() == key)
            .unwrap_or(StorageChoice::Memory)
    }
}

/// The settings in force (trimmed; empty strings mean "not set").
#[derive(Clone, PartialEq)]
pub struct Settings {
    /// Cognito endpoint; empty for real Cognito (`https://cognito-idp.{region}.amazonaws.com/`).
    pub endpoint: String,
    pub pool_id: String,
    pub client_id: String,
    /// Empty for a client without a secret.
    pub client_secret: String,
    /// Base URL of the demo API (`GET {api_url}/api/videos`).
    pub api_url: String,
    /// Where the session is kept.
    pub storage: StorageChoice,
}

// Hand-written so a secret never reaches a log through `{:?}`.
impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("endpoint", &self.endpoint)
            .field("pool_id", &self.pool_id)
            .field("client_id", &self.client_id)
            .field("has_secret", &self.secret().is_some())
            .field("api_url", &self.api_url)
            .field("storage", &self.storage)
            .finish()
    }
}

impl Settings {
    /// The practical's: local emulator, seeded pool, web client with its secret.
    pub fn practical() -> Settings {
        Settings {
            endpoint: DEFAULT_ENDPOINT.into(),
            pool_id: PRACTICAL_POOL.into(),
            client_id: PRACTICAL_WEB_CLIENT.into(),
            client_secret: PRACTICAL_WEB_SECRET.into(),
            api_url: DEFAULT_API.into(),
            storage: StorageChoice::Memory,
        }
    }

    /// Every field trimmed, trailing slashes off the URLs.
    pub fn normalised(self) -> Settings {
        let url = |s: String| s.trim().trim_end_matches('/').to_owned();
        Settings {
            endpoint: url(self.endpoint),
            pool_id: self.pool_id.trim().to_owned(),
            client_id: self.client_id.trim().to_owned(),
            client_secret: self.client_secret.trim().to_owned(),
            api_url: url(self.api_url),
            storage: self.storage,
        }
    }

    pub fn secret(&self) -> Option<&str> {
        Some(self.client_secret.as_str()).filter(|s| !s.is_empty())
    }

    pub fn endpoint(&self) -> Option<&str> {
        Some(self.endpoint.as_str()).filter(|s| !s.is_empty())
    }

    /// Whether `other` names the same pool, client and storage as ours (else a session from
    /// it is not ours).
    pub fn same_cognito(&self, other: &Settings) -> bool {
        self.endpoint == other.endpoint
            && self.pool_id == other.pool_id
            && self.client_id == other.client_id
            && self.client_secret == other.client_secret
            && self.storage == other.storage
    }

    /// The Cognito client's configuration.
    pub fn client_config(&self) -> ClientConfig {
        ClientConfig {
            user_pool_id: self.pool_id.clone(),
            client_id: self.client_id.clone(),
            client_secret: self.secret().map(str::to_owned),
            endpoint: self.endpoint().map(str::to_owned),
        }
    }

    /// A Cognito client for these settings (checks their shape; sends nothing).
    pub fn client(&self) -> Result<Client<WebPlatform>, Failure> {
        Ok(Client::new(
            self.client_config(),
            WebPlatform::new(TIMEOUT_MS),
        )?)
    }

    /// From localStorage, else the practical's.
    pub fn load() -> Settings {
        let saved = storage()
            .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
            .and_then(|text| serde_json::from_str::<Value>(&text).ok());
        let Some(saved) = saved else {
            return Settings::practical();
        };
        let field = |k: &str, default: &str| {
            saved
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or(default)
                .to_owned()
        };
        let client_id = field("clientId", PRACTICAL_WEB_CLIENT);
        let client_secret = if client_id == PRACTICAL_WEB_CLIENT {
            PRACTICAL_WEB_SECRET.to_owned()
        } else {
            String::new()
        };
        Settings {
            endpoint: field("endpoint", DEFAULT_ENDPOINT),
            pool_id: field("poolId", PRACTICAL_POOL),
            client_id,
            client_secret,
            api_url: field("apiUrl", DEFAULT_API),
            storage: StorageChoice::from_key(&field("storage", "memory")),
        }
    }

    /// To localStorage, without the secret. Storage may be off (private modes): then the
    /// settings simply last as long as the page.
    pub fn save(&self) {
        let saved = json!({
            "endpoint": self.endpoint,
            "poolId": self.pool_id,
            "clientId": self.client_id,
            "apiUrl": self.api_url,
            "storage": self.storage.key(),
        });
        if let Some(s) = storage() {
            let _ = s.set_item(STORAGE_KEY, &saved.to_string());
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}
