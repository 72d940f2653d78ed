//! What [`SessionClient`] reads from its storage: the session stored at an earlier visit
//! (restored once, verified again), another tab's change to it, and a session
//! amazon-cognito-identity-js or Amplify JS left behind. Writing is [`SessionClient`]'s
//! `update`, the one place the state changes.

use super::failure::RefreshError;
use super::SessionClient;
use crate::api::Tokens;
use crate::platform::Platform;
use crate::session::storage::SessionStorage;
use crate::session::{RefreshFailure, SessionError, StoredSession};

impl<P: Platform> SessionClient<P> {
    /// Takes over the session amazon-cognito-identity-js or Amplify JS v6 left in `from`
    /// (their keys for this app client), so that an app that switches to this library does
    /// not sign its users out: its tokens verified, then stored as ours (theirs are left as
    /// they were: [`acij_keys`](crate::session::acij_keys) names them). `Ok(false)` when someone is
    /// signed in here already or there is nothing to import; a session whose tokens fail
    /// verification is not taken.
    pub async fn import_amazon_cognito_identity_js(
        &self,
        from: &dyn SessionStorage,
    ) -> Result<bool, SessionError> {
        self.restore().await?;
        if self.shared.lock().session.current().is_some() {
            return Ok(false);
        }
        let client_id = &self.client.config().client_id;
        let Some(record) = StoredSession::from_acij(client_id, |k| from.get(k)) else {
            return Ok(false);
        };
        let tokens = tokens_of(&record);
        let (v, id, access) = self.verify(tokens).await?;
        let tokens = record.verified(v.username, v.expires_at, v.issued_at);
        self.update(|s| {
            if s.session.current().is_some() {
                return Ok(false);
            }
            s.claims = Some((tokens.id_token.clone(), id, access));
            s.session.adopt(Some(tokens));
            Ok(true)
        })
    }

    /// Reads the stored session again, for a change another tab (or process) made: a session
    /// gone from storage signs this one out (SignedOut); other tokens there are verified and
    /// taken (TokenRefresh, or SignedOut then SignedIn for another user); the same tokens, or
    /// a record that cannot be read, change nothing. In a page, call it from the `storage`
    /// event for [`SessionClient::storage_key`].
    pub async fn sync_from_storage(&self) -> Result<(), SessionError> {
        self.restore().await?;
        let stored = match self
            .storage
            .get(&self.key)
            .map(|t| StoredSession::parse(&t))
        {
            None => None,
            Some(Err(_)) => return Ok(()),
            Some(Ok(record)) => Some(record),
        };
        let Some(record) = stored else {
            return self.update(|s| {
                s.session.adopt(None);
                Ok(())
            });
        };
        let same = self
            .shared
            .lock()
            .session
            .current()
            .is_some_and(|h| record.holds(h));
        if same {
            return Ok(());
        }
        let tokens = tokens_of(&record);
        let (v, id, access) = self.verify(tokens).await?;
        let tokens = record.verified(v.username, v.expires_at, v.issued_at);
        self.update(|s| {
            s.claims = Some((tokens.id_token.clone(), id, access));
            s.session.adopt(Some(tokens));
            Ok(())
        })
    }

    /// The storage key this client keeps its session under.
    pub fn storage_key(&self) -> &str {
        &self.key
    }

    /// Reads the stored session once: verified again (without the clock: the access token
    /// may have expired while nobody ran), adopted; one that cannot be read or verified is
    /// discarded. A JWKS that cannot be fetched leaves it stored for the next call.
    pub(super) async fn restore(&self) -> Result<(), SessionError> {
        if self.shared.lock().restored {
            return Ok(());
        }
        let stored = self
            .storage
            .get(&self.key)
            .map(|t| StoredSession::parse(&t));
        let adopted = match stored {
            None => None,
            Some(Err(_)) => {
                self.storage.remove(&self.key);
                None
            }
            Some(Ok(record)) => {
                let tokens = tokens_of(&record);
                match self.verify(tokens).await {
                    Ok((v, id, access)) => {
                        let tokens = record.verified(v.username, v.expires_at, v.issued_at);
                        Some((tokens, id, access))
                    }
                    Err(RefreshError(RefreshFailure::Network, e)) => return Err(e),
                    Err(_) => {
                        self.storage.remove(&self.key);
                        None
                    }
                }
            }
        };
        let mut s = self.shared.lock();
        if !s.restored {
            s.restored = true;
            // A sign-in that ended meanwhile wins over what was stored.
            let signed_in = s.session.current().is_some();
            if let Some((tokens, id, access)) = adopted.filter(|_| !signed_in) {
                s.claims = Some((tokens.id_token.clone(), id, access));
                s.session.adopt(Some(tokens));
                // Restoring is not an event: the session was there before.
                s.session.events();
            }
        }
        Ok(())
    }
}

/// A stored session's tokens, as the verification takes them.
fn tokens_of(record: &StoredSession) -> Tokens {
    Tokens {
        id_token: record.id_token.clone(),
        access_token: record.access_token.clone(),
        refresh_token: Some(record.refresh_token.clone()),
        expires_in: 0,
        token_type: "Bearer".into(),
    }
}
