//! A Google Workspace customer: its service account, data and settings, and the handle
//! tests hold (it dereferences to the kit's [`Core`]: faults, stats, latency).

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use roster_sim_kit::{Core, Mix};
use serde_json::{Value, json};

use crate::keys::TEST_KEYS;
use crate::spec::{CustomerSettings, CustomerSpec, Users};

/// One key of the service account: its id and which embedded test key it is.
#[derive(Clone, Debug, Default)]
pub(crate) struct AccountKey {
    pub kid: String,
    pub test_key: usize,
    pub deleted: bool,
}

/// What a customer holds, as the APIs serve it. Tests read and change it with
/// [`Customer::with`]; changes apply to the next request.
#[derive(Debug, Default)]
pub struct CustomerData {
    pub settings: CustomerSettings,
    /// `users.list` items in list order; the first is the super admin.
    pub users: Vec<Value>,
    pub roles: Vec<Value>,
    pub assignments: Vec<Value>,
    pub licenses: Vec<Value>,
    /// The product ids the customer has (one without assignments lists nothing).
    pub products: Vec<String>,
    pub(crate) keys: Vec<AccountKey>,
    pub(crate) expired_before: Option<Instant>,
}

pub(crate) struct Inner {
    pub customer_id: String,
    pub domain: String,
    pub client_email: String,
    project: String,
    client_id: String,
    pub core: Core,
    data: Mutex<CustomerData>,
}

/// A handle to a customer of a running simulator.
#[derive(Clone)]
pub struct Customer {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for Customer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Customer").field("customer_id", &self.inner.customer_id).finish_non_exhaustive()
    }
}

roster_sim_kit::core_deref!(Customer, inner.core);

impl Customer {
    pub(crate) fn new(spec: CustomerSpec) -> Self {
        let cid = spec.customer_id;
        let mut data = match spec.users {
            Users::Generated { count, seed } => {
                crate::generate::customer(seed, count, &cid, &spec.domain, spec.anchor)
            }
            Users::Explicit(users) => CustomerData { users, ..CustomerData::default() },
        };
        let mut rng =
            Mix::new(&[cid.bytes().fold(7, |h: u64, b| h.wrapping_mul(31) ^ u64::from(b)), spec.key as u64]);
        data.settings = spec.settings;
        data.keys = vec![AccountKey { kid: rng.hex(40), test_key: spec.key, deleted: false }];
        let project = format!("roster-sim-{}", cid.get(2..).unwrap_or_default().to_lowercase());
        Customer {
            inner: Arc::new(Inner {
                client_email: format!("roster-reader@{project}.iam.gserviceaccount.com"),
                client_id: format!("1{:010}{:010}", rng.below(10_000_000_000), rng.below(10_000_000_000)),
                project,
                customer_id: cid,
                domain: spec.domain,
                core: Core::default(),
                data: Mutex::new(data),
            }),
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, CustomerData> {
        self.inner.data.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Reads or changes the customer's data and settings.
    pub fn with<R>(&self, f: impl FnOnce(&mut CustomerData) -> R) -> R {
        f(&mut self.lock())
    }

    pub fn customer_id(&self) -> String {
        self.inner.customer_id.clone()
    }

    pub fn domain(&self) -> String {
        self.inner.domain.clone()
    }

    /// The service account's numeric client id (what domain-wide delegation lists).
    pub fn client_id(&self) -> String {
        self.inner.client_id.clone()
    }

    /// The super admin (the first user), to impersonate.
    pub fn admin_email(&self) -> String {
        self.lock().users.first().map(|u| email(u).to_owned()).unwrap_or_default()
    }

    pub fn users_json(&self) -> Vec<Value> {
        self.lock().users.clone()
    }

    /// Delegates exactly `scopes` to the service account's client id.
    pub fn delegate(&self, scopes: &[&str]) {
        self.lock().settings.delegated_scopes = scopes.iter().map(|s| (*s).to_owned()).collect();
    }

    /// The whole JSON key file of the service account's key, with `token_uri` on
    /// `origin` (the simulator's base URL).
    pub fn key_file(&self, origin: &str) -> String {
        self.key_file_with(origin, 0)
    }

    /// The same key file with another embedded test key as its private key: its
    /// signatures do not verify ("Invalid JWT Signature.").
    pub fn foreign_key_file(&self, origin: &str) -> String {
        self.key_file_with(origin, 1)
    }

    fn key_file_with(&self, origin: &str, shift: usize) -> String {
        let key = self.lock().keys.last().cloned().unwrap_or_default();
        let email = &self.inner.client_email;
        let file = json!({
            "type": "service_account",
            "project_id": self.inner.project,
            "private_key_id": key.kid,
            "private_key": TEST_KEYS[(key.test_key + shift) % TEST_KEYS.len()],
            "client_email": email,
            "client_id": self.inner.client_id,
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": format!("{origin}/token"),
            "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
            "client_x509_cert_url": format!("https://www.googleapis.com/robot/v1/metadata/x509/{}", email.replace('@', "%40")),
            "universe_domain": "googleapis.com",
        });
        serde_json::to_string_pretty(&file).unwrap_or_default()
    }

    /// Deletes the service account's key in the Cloud console: its key id is unknown
    /// from now on ("Invalid JWT Signature.").
    pub fn delete_keys(&self) {
        self.lock().keys.iter_mut().for_each(|k| k.deleted = true);
    }

    /// Every token issued so far stops working (401 Invalid Credentials).
    pub fn expire_tokens(&self) {
        self.lock().expired_before = Some(Instant::now());
    }
}

pub(crate) fn email(u: &Value) -> &str {
    u["primaryEmail"].as_str().unwrap_or_default()
}

/// Whether `u`'s primary email is `address`, case-insensitively.
pub(crate) fn is(u: &Value, address: &str) -> bool {
    email(u).eq_ignore_ascii_case(address)
}
