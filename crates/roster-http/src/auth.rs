//! Who one request authenticates as.

use roster_core::Secret;

/// The `Authorization` a request carries.
///
/// Most requests use [`Auth::Session`]: the bearer token set with
/// [`Http::set_bearer`](crate::Http::set_bearer), which a connector may
/// replace at any time (an OAuth token that was refreshed). An OAuth token
/// endpoint is called with [`Auth::Basic`] instead.
#[derive(Debug, Clone, Copy)]
pub enum Auth<'a> {
    /// The client's current bearer token, if one is set.
    Session,
    /// HTTP Basic (`client_id:client_secret`). The header is marked
    /// sensitive, and the password is scrubbed from vendor messages.
    Basic { username: &'a str, password: &'a Secret },
    /// No `Authorization` header at all.
    None,
}

impl Auth<'_> {
    /// The secret this request sends besides the session token, if any.
    pub(crate) fn extra_secret(&self) -> Option<&Secret> {
        match self {
            Auth::Basic { password, .. } => Some(password),
            Auth::Session | Auth::None => None,
        }
    }
}
