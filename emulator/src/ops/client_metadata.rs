//! A request's `ClientMetadata`, and its record for tests (the emulator has no Lambda
//! triggers to hand it to).

use crate::state::{App, ClientMetadata, MetadataRecord, State};

/// A request's ClientMetadata when it has any member (an empty map is as good as none).
pub(super) fn metadata(given: &Option<ClientMetadata>) -> Option<&ClientMetadata> {
    given.as_ref().filter(|m| !m.is_empty())
}

/// Keeps a successful call's ClientMetadata where tests can read it (`GET
/// /_emulator/client-metadata`): Cognito hands it to the pool's Lambda triggers, and the
/// emulator has none.
pub(super) fn record_metadata(
    app: &App,
    state: &mut State,
    pool_id: &str,
    username: &str,
    operation: &'static str,
    given: &Option<ClientMetadata>,
) {
    if let Some(m) = metadata(given) {
        state.client_metadata.push(MetadataRecord {
            pool_id: pool_id.to_owned(),
            username: username.to_owned(),
            operation,
            client_metadata: m.clone(),
            received_at: app.now(),
        });
    }
}
