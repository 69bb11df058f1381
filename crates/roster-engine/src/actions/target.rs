//! Which user an action targets: an id or an email (case-insensitive), as `roster users`
//! shows them, among the account's users of its last good sync.

use roster_store::{Store, StoreError, StoredUser};

/// The account's user whose id is `key`, or whose email is `key` ignoring case. Removed
/// users are not targets.
pub async fn find_user(store: &Store, account: &str, key: &str) -> Result<Option<StoredUser>, StoreError> {
    let key = key.trim().to_owned();
    let found = std::sync::Arc::new(std::sync::Mutex::new(None::<StoredUser>));
    let slot = found.clone();
    store
        .for_each_user(&[account.to_owned()], move |u| {
            let hit = u.id == key || u.email.as_deref().is_some_and(|e| e.eq_ignore_ascii_case(&key));
            if hit && u.status != "removed" {
                let mut slot = slot.lock().unwrap_or_else(|e| e.into_inner());
                // An id match wins over an email match.
                if slot.as_ref().is_none_or(|s: &StoredUser| s.id != key) {
                    *slot = Some(u);
                }
            }
        })
        .await?;
    let found = found.lock().unwrap_or_else(|e| e.into_inner()).take();
    Ok(found)
}
