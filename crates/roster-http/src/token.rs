//! A cached OAuth access token: minted on first use, replaced a margin before it
//! expires, and minted again when the vendor refuses it.

use std::future::Future;
use std::time::{Duration, Instant};

use roster_core::{ConnectorError, Secret};
use tokio::sync::Mutex;

/// A minted access token.
#[derive(Debug, Clone)]
pub struct AccessToken {
    pub value: Secret,
    /// When it stops working, counted from the moment it was asked for.
    pub expires_at: Instant,
    pub lifetime: Duration,
    /// The granted scopes or roles, when the token endpoint says.
    pub scopes: Option<Vec<String>>,
}

impl AccessToken {
    /// A token that lives `lifetime` from `asked_at`.
    pub fn new(value: Secret, asked_at: Instant, lifetime: Duration, scopes: Option<Vec<String>>) -> Self {
        AccessToken { value, expires_at: asked_at + lifetime, lifetime, scopes }
    }

    /// Whether it may still be used at `now`: a token is replaced `margin` before it
    /// expires, but never earlier than halfway through its life.
    pub fn fresh_at(&self, margin: Duration, now: Instant) -> bool {
        now + margin.min(self.lifetime / 2) < self.expires_at
    }
}

/// One connector's token, shared by its requests.
#[derive(Debug)]
pub struct TokenCache {
    margin: Duration,
    token: Mutex<Option<AccessToken>>,
}

impl TokenCache {
    /// A cache that replaces its token `margin` before it expires.
    pub fn new(margin: Duration) -> Self {
        TokenCache { margin, token: Mutex::new(None) }
    }

    /// The cached token while it is fresh, else (or with `force`) a new one from `mint`.
    /// Concurrent callers wait for one mint.
    pub async fn get<F, Fut>(&self, force: bool, mint: F) -> Result<AccessToken, ConnectorError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<AccessToken, ConnectorError>>,
    {
        let mut cached = self.token.lock().await;
        if let Some(t) = cached.as_ref()
            && !force
            && t.fresh_at(self.margin, Instant::now())
        {
            return Ok(t.clone());
        }
        let fresh = mint().await?;
        tracing::debug!(lifetime_s = fresh.lifetime.as_secs(), "minted an access token");
        *cached = Some(fresh.clone());
        Ok(fresh)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_replaced_before_they_expire() {
        let now = Instant::now();
        let hour = Duration::from_secs(3600);
        let t = AccessToken::new(Secret::new("t"), now, hour, None);
        let margin = Duration::from_secs(300);
        assert!(t.fresh_at(margin, now));
        assert!(t.fresh_at(margin, now + Duration::from_secs(3299)));
        assert!(!t.fresh_at(margin, now + Duration::from_secs(3300)));
        // A short-lived token is kept for half its life at most.
        let short = AccessToken::new(Secret::new("t"), now, Duration::from_secs(10), None);
        assert!(short.fresh_at(margin, now + Duration::from_secs(4)));
        assert!(!short.fresh_at(margin, now + Duration::from_secs(5)));
    }

    #[tokio::test]
    async fn one_mint_until_forced() {
        let cache = TokenCache::new(Duration::from_secs(60));
        let mints = std::sync::atomic::AtomicU32::new(0);
        let mint = || async {
            let n = mints.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Ok(AccessToken::new(
                Secret::new(format!("t{n}")),
                Instant::now(),
                Duration::from_secs(3600),
                None,
            ))
        };
        assert_eq!(
            cache.get(false, mint).await.map(|t| t.value.expose().to_owned()).ok().as_deref(),
            Some("t0")
        );
        assert_eq!(
            cache.get(false, mint).await.map(|t| t.value.expose().to_owned()).ok().as_deref(),
            Some("t0")
        );
        assert_eq!(
            cache.get(true, mint).await.map(|t| t.value.expose().to_owned()).ok().as_deref(),
            Some("t1")
        );
    }
}
