//! Which user an action targets: an id or an email (case-insensitive), as `roster users`
//! shows them, among the account's users of its last good sync.

use roster_store::{Store, StoreError, StoredUser};

/// The account's user whose id is `key`, or whose email is `key` ignoring case. A user
/// present in the last good sync wins over a removed one (a removed user is still a
/// target: removing it again is "already"); an id match wins over an email match.
pub async fn find_user(store: &Store, account: &str, key: &str) -> Result<Option<StoredUser>, StoreError> {
    let key = key.trim().to_owned();
    let found = std::sync::Arc::new(std::sync::Mutex::new(None::<StoredUser>));
    let slot = found.clone();
    store
        .for_each_user(&[account.to_owned()], move |u| {
            let hit = u.id == key || u.email.as_deref().is_some_and(|e| e.eq_ignore_ascii_case(&key));
            if hit {
                let mut slot = slot.lock().unwrap_or_else(|e| e.into_inner());
                let rank = |s: &StoredUser| (s.id == key, s.status != "removed");
                if slot.as_ref().is_none_or(|s| rank(&u) > rank(s)) {
                    *slot = Some(u);
                }
            }
        })
        .await?;
    let found = found.lock().unwrap_or_else(|e| e.into_inner()).take();
    Ok(found)
}
