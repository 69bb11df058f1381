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

/// The body a request sends.
#[derive(Debug, Clone, Copy)]
pub enum Body<'a> {
    None,
    /// `application/x-www-form-urlencoded` (an OAuth token request). Values are secret
    /// when listed in `secrets`: they are scrubbed from vendor messages.
    Form {
        fields: &'a [(&'a str, &'a str)],
        secrets: &'a [&'a Secret],
    },
    /// `application/json`.
    Json(&'a serde_json::Value),
}

impl<'a> Auth<'a> {
    /// The secret this request sends besides the session token, if any.
    pub(crate) fn extra_secret(&self) -> Option<&'a Secret> {
        match *self {
            Auth::Basic { password, .. } => Some(password),
            Auth::Session | Auth::None => None,
        }
    }
}
