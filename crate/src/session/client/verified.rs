//! The tokens [`SessionClient`] takes, from a sign-in, a refresh, storage or another tab:
//! each verified (without the clock: the session judges expiry on its own), of its kind, of
//! this app client and one user's, before the session holds it; a failure is a
//! [`RefreshError`].

use super::failure::RefreshError;
use super::SessionClient;
use crate::api::Tokens;
use crate::platform::Platform;
use crate::session::{RefreshFailure, TokenClaims, VerifiedTokens};
use crate::verify::Claims;

impl<P: Platform> SessionClient<P> {
    /// GetTokensFromRefreshToken, its tokens verified.
    pub(super) async fn refresh(
        &self,
        refresh_token: &str,
    ) -> Result<(VerifiedTokens, Claims, Claims), RefreshError> {
        let tokens = self
            .client
            .get_tokens_from_refresh_token(refresh_token)
            .await
            .map_err(|e| RefreshError(RefreshFailure::of(&e), e.into()))?;
        self.verify(tokens).await
    }

    /// Both tokens verified (without the clock: the session judges expiry), each of its
    /// kind, one user's.
    pub(super) async fn verify(
        &self,
        tokens: Tokens,
    ) -> Result<(VerifiedTokens, Claims, Claims), RefreshError> {
        let id = self.verify_one(&tokens.id_token).await?;
        let access = self.verify_one(&tokens.access_token).await?;
        let pair = [tokens.id_token, tokens.access_token];
        let claims = [TokenClaims::from(&id), TokenClaims::from(&access)];
        let client_id = &self.client.config().client_id;
        let verified = VerifiedTokens::pair(pair, tokens.refresh_token, claims, client_id)
            .map_err(|e| RefreshError(RefreshFailure::Refused, e.into()))?;
        Ok((verified, id, access))
    }

    async fn verify_one(&self, token: &str) -> Result<Claims, RefreshError> {
        self.verifier
            .verify_without_clock(token)
            .await
            .map_err(|e| RefreshError(RefreshFailure::of_verification(&e), e.into()))
    }
}
