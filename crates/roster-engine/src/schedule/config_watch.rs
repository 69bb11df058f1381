//! Notices config changes without a restart: polls `roster.toml`,
//! `accounts/*.toml` and `secrets/*.toml`, comparing each file's modification
//! time and size, and hashing its content only when those moved. An account's
//! fingerprint covers both of its files, so a rotated secret counts as a change.

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
    hash: u64,
}

/// The last seen state of the config directory's files.
#[derive(Debug)]
pub struct ConfigWatch {
    dir: PathBuf,
    files: BTreeMap<PathBuf, Stamp>,
}

impl ConfigWatch {
    /// A watch that has seen nothing yet: the first [`ConfigWatch::poll`] reports a change.
    pub fn new(dir: &Path) -> Self {
        Self { dir: dir.to_owned(), files: BTreeMap::new() }
    }

    /// Looks at the files again; true when one was added, changed or removed.
    pub fn poll(&mut self) -> bool {
        let mut now = BTreeMap::new();
        let mut candidates = vec![self.dir.join("roster.toml")];
        for sub in ["accounts", "secrets"] {
            candidates.extend(toml_files(&self.dir.join(sub)));
        }
        for path in candidates {
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            if !meta.is_file() {
                continue;
            }
            let (modified, len) = (meta.modified().ok(), meta.len());
            let stamp = match self.files.get(&path) {
                Some(old) if old.modified == modified && old.len == len && modified.is_some() => *old,
                _ => Stamp { modified, len, hash: hash_file(&path) },
            };
            now.insert(path, stamp);
        }
        let changed = now.len() != self.files.len()
            || now.iter().zip(&self.files).any(|((p, s), (q, t))| p != q || s.hash != t.hash);
        self.files = now;
        changed
    }

    /// The fingerprint of account `id`: its account file and its secrets file.
    pub fn account_fingerprint(&self, id: &str) -> u64 {
        let name = format!("{id}.toml");
        let mut h = DefaultHasher::new();
        for sub in ["accounts", "secrets"] {
            self.files.get(&self.dir.join(sub).join(&name)).map(|s| s.hash).hash(&mut h);
        }
        h.finish()
    }

    /// The fingerprint of `roster.toml`.
    pub fn runner_fingerprint(&self) -> u64 {
        self.files.get(&self.dir.join("roster.toml")).map_or(0, |s| s.hash)
    }
}

fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("toml")))
        .collect()
}

/// A hash of the file's bytes; an unreadable file hashes as its error kind,
/// so that becoming readable again is a change.
fn hash_file(path: &Path) -> u64 {
    let mut h = DefaultHasher::new();
    match std::fs::read(path) {
        Ok(bytes) => bytes.hash(&mut h),
        Err(e) => format!("{:?}", e.kind()).hash(&mut h),
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sees_added_changed_and_removed_files() {
        let dir = tempfile::tempdir().unwrap();
        let accounts = dir.path().join("accounts");
        std::fs::create_dir_all(&accounts).unwrap();
        let mut w = ConfigWatch::new(dir.path());
        assert!(!w.poll(), "an empty folder is no change from nothing");

        std::fs::write(accounts.join("a.toml"), "connector = \"workato\"\n").unwrap();
        assert!(w.poll());
        let a = w.account_fingerprint("a");
        assert!(!w.poll());

        std::fs::write(accounts.join("a.toml"), "connector = \"zoom\"\n").unwrap();
        assert!(w.poll());
        assert_ne!(w.account_fingerprint("a"), a);

        std::fs::create_dir_all(dir.path().join("secrets")).unwrap();
        let before = w.account_fingerprint("a");
        std::fs::write(dir.path().join("secrets").join("a.toml"), "[credentials]\n").unwrap();
        assert!(w.poll());
        assert_ne!(w.account_fingerprint("a"), before);

        std::fs::write(accounts.join("notes.txt"), "ignored").unwrap();
        assert!(!w.poll());

        let runner = w.runner_fingerprint();
        std::fs::write(dir.path().join("roster.toml"), "concurrency = 4\n").unwrap();
        assert!(w.poll());
        assert_ne!(w.runner_fingerprint(), runner);

        std::fs::remove_file(accounts.join("a.toml")).unwrap();
        assert!(w.poll());
        assert!(!w.poll());
    }
}
