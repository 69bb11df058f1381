//! TLS to a real PostgreSQL server: a throwaway server with `ssl = on`,
//! accepting only TLS connections (`hostssl` alone in pg_hba.conf), with a
//! certificate for `localhost` signed by a CA made for the test. Every
//! sslmode is tried against it, with the right CA, a wrong one and none.
//!
//! It needs PostgreSQL's server binaries (`/usr/lib/postgresql/*/bin`, as
//! `.ci/postgres` installs them) and the `openssl` command; without them it
//! is skipped with a note, except under `CI=true`, where it fails.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use roster_store::{Store, StoreError};
use tempfile::TempDir;

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

/// As root, hands `dir` to the `postgres` user the server runs as.
fn give_to_postgres(dir: &Path) {
    if is_root() {
        run(&["chown", "-R", "postgres", dir.to_str().unwrap()], false);
    }
}

/// Runs a command to success, as the `postgres` user when this is root
/// (the server refuses to run as root), as `.ci/postgres` does.
fn run(args: &[&str], as_postgres: bool) {
    let status = if as_postgres && is_root() {
        let line: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
        Command::new("su").args(["postgres", "-s", "/bin/sh", "-c", &line.join(" ")]).status()
    } else {
        Command::new(args[0]).args(&args[1..]).status()
    };
    let status = status.unwrap_or_else(|e| panic!("could not run {args:?}: {e}"));
    assert!(status.success(), "{args:?} failed: {status}");
}

/// The newest installed PostgreSQL's bin directory, and whether openssl is there.
fn tools() -> Option<PathBuf> {
    let bin = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|b| b.join("initdb").exists())
        .max_by_key(|b| {
            let version = b.parent().and_then(|v| v.file_name()).and_then(|v| v.to_str()).unwrap_or("");
            version.parse::<u32>().unwrap_or(0)
        });
    let openssl = Command::new("openssl").arg("version").output().is_ok_and(|o| o.status.success());
    match bin {
        Some(bin) if openssl => Some(bin),
        _ => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "the TLS test needs PostgreSQL's server binaries under /usr/lib/postgresql and openssl in CI"
            );
            eprintln!("note: skipping the TLS test: install postgresql (.ci/postgres does) and openssl");
            None
        }
    }
}

/// A CA (`NAME.pem`, `NAME.key`) in `dir`.
fn make_ca(dir: &Path, name: &str) {
    let (key, pem) = (dir.join(format!("{name}.key")), dir.join(format!("{name}.pem")));
    run(
        &[
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            &format!("/CN={name}"),
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
            "-keyout",
            key.to_str().unwrap(),
            "-out",
            pem.to_str().unwrap(),
        ],
        false,
    );
}

/// A server certificate for `localhost` only, signed by the CA `ca`.
fn make_server_cert(dir: &Path, ca: &str) {
    let path = |name: &str| dir.join(name).to_str().unwrap().to_owned();
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n\
         extendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    run(
        &[
            "openssl",
            "req",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-subj",
            "/CN=localhost",
            "-keyout",
            &path("server.key"),
            "-out",
            &path("server.csr"),
        ],
        false,
    );
    run(
        &[
            "openssl",
            "x509",
            "-req",
            "-in",
            &path("server.csr"),
            "-CA",
            &path(&format!("{ca}.pem")),
            "-CAkey",
            &path(&format!("{ca}.key")),
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            &path("server.ext"),
            "-out",
            &path("server.crt"),
        ],
        false,
    );
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A running throwaway server; stopped when dropped, even by a failing assertion.
struct Server {
    bin: PathBuf,
    data: PathBuf,
    port: u16,
    _dir: TempDir,
}

impl Server {
    fn start(bin: PathBuf, dir: TempDir) -> Server {
        let data = dir.path().join("data");
        let tool = |name: &str| bin.join(name).to_str().unwrap().to_owned();
        give_to_postgres(dir.path());
        run(
            &[&tool("initdb"), "-D", data.to_str().unwrap(), "-A", "trust", "-U", "postgres", "--no-sync"],
            true,
        );
        let certs = dir.path().join("certs");
        let conf = format!(
            "ssl = on\nssl_cert_file = '{0}/server.crt'\nssl_key_file = '{0}/server.key'\n",
            certs.display()
        );
        append(&data.join("postgresql.conf"), &conf);
        // TLS or nothing: a plain TCP connection finds no pg_hba.conf entry.
        std::fs::write(
            data.join("pg_hba.conf"),
            "local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostssl all all ::1/128 trust\n",
        )
        .unwrap();
        give_to_postgres(dir.path());
        run(&["chmod", "600", certs.join("server.key").to_str().unwrap()], false);
        let port = free_port();
        let options =
            format!("-p {port} -k {} -c listen_addresses=localhost -c fsync=off", dir.path().display());
        let log = dir.path().join("server.log");
        run(
            &[
                &tool("pg_ctl"),
                "-D",
                data.to_str().unwrap(),
                "-l",
                log.to_str().unwrap(),
                "-w",
                "-o",
                &options,
                "start",
            ],
            true,
        );
        Server { bin, data, port, _dir: dir }
    }

    fn url(&self, host: &str, query: &str) -> String {
        format!("postgres://postgres@{host}:{}/postgres{query}", self.port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let pg_ctl = self.bin.join("pg_ctl");
        run(&[pg_ctl.to_str().unwrap(), "-D", self.data.to_str().unwrap(), "-m", "immediate", "stop"], true);
    }
}

fn append(path: &Path, text: &str) {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

/// Opens the store at `url` and closes it again.
async fn connects(url: &str) -> Result<(), StoreError> {
    Store::open(url).await.map(drop)
}

#[track_caller]
fn fails_with(result: Result<(), StoreError>, expected: &str) -> String {
    let msg = result.expect_err("connecting should have failed").to_string();
    eprintln!("refused as expected: {msg}");
    assert!(msg.contains(expected), "expected `{expected}` in: {msg}");
    assert!(msg.starts_with("could not open the store at postgres://postgres@"), "{msg}");
    msg
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_sslmode_against_a_tls_only_server_with_a_test_ca() {
    let Some(bin) = tools() else {
        return;
    };
    let dir = TempDir::new().unwrap();
    let certs = dir.path().join("certs");
    std::fs::create_dir(&certs).unwrap();
    make_ca(&certs, "ca");
    make_ca(&certs, "other-ca");
    make_server_cert(&certs, "ca");
    let ca = certs.join("ca.pem").display().to_string();
    let other = certs.join("other-ca.pem").display().to_string();
    let server = Server::start(bin, dir);

    // verify-full: the CA and the name must both match.
    let full = format!("?sslmode=verify-full&sslrootcert={ca}");
    connects(&server.url("localhost", &full)).await.expect("verify-full with the CA, to localhost");
    fails_with(connects(&server.url("127.0.0.1", &full)).await, "not valid for name");
    fails_with(
        connects(&server.url("localhost", &format!("?sslmode=verify-full&sslrootcert={other}"))).await,
        "its issuer is not a CA of sslrootcert",
    );
    // Without sslrootcert the built-in public roots do not know the test CA.
    fails_with(connects(&server.url("localhost", "?sslmode=verify-full")).await, "invalid peer certificate");

    // verify-ca: the chain is checked, the name is not.
    connects(&server.url("127.0.0.1", &format!("?sslmode=verify-ca&sslrootcert={ca}")))
        .await
        .expect("verify-ca with the CA, by address");
    fails_with(
        connects(&server.url("127.0.0.1", &format!("?sslmode=verify-ca&sslrootcert={other}"))).await,
        "invalid peer certificate",
    );

    // require: encrypted, any certificate; with a CA file it checks the chain, as libpq does.
    connects(&server.url("127.0.0.1", "?sslmode=require")).await.expect("require without a CA");
    fails_with(
        connects(&server.url("127.0.0.1", &format!("?sslmode=require&sslrootcert={other}"))).await,
        "invalid peer certificate",
    );

    // prefer, and no sslmode at all (prefer too), take TLS when offered; disable cannot get in.
    connects(&server.url("127.0.0.1", "?sslmode=prefer")).await.expect("prefer");
    connects(&server.url("localhost", "")).await.expect("the default, prefer");
    let msg = fails_with(connects(&server.url("127.0.0.1", "?sslmode=disable")).await, "pg_hba.conf");
    assert!(msg.contains("no encryption"), "{msg}");
    // prefer with a CA file that does not match: the handshake fails, prefer
    // tries plain, as libpq does, and this server refuses plain.
    let wrong = format!("?sslmode=prefer&sslrootcert={other}");
    fails_with(connects(&server.url("127.0.0.1", &wrong)).await, "no encryption");
}

#[tokio::test]
async fn against_a_server_without_tls_prefer_falls_back_and_require_refuses() {
    let Some(fx) = crate::common::Fixture::postgres().await else {
        return;
    };
    let with = |query: &str| format!("{}&{query}", fx.location());
    connects(&with("sslmode=prefer")).await.expect("prefer falls back to plain");
    connects(&with("sslmode=disable")).await.expect("disable");
    fails_with(connects(&with("sslmode=require")).await, "server does not support TLS");
}

#[tokio::test]
async fn a_bad_sslmode_is_refused_before_connecting_and_names_the_key() {
    let err =
        Store::open("postgres://roster:s3cr3t@127.0.0.1:1/roster?sslmode=verify_full").await.unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, StoreError::BadUrl { .. }), "{err:?}");
    assert!(
        msg.starts_with(
            "store url postgres://roster:***@127.0.0.1:1/roster?sslmode=verify_full: sslmode 'verify_full' \
             is not one of disable, prefer, require, verify-ca, verify-full"
        ),
        "{msg}"
    );
    assert!(!msg.contains("s3cr3t"), "{msg}");
}

#[tokio::test]
async fn client_certificates_are_refused_as_an_unknown_option() {
    let err =
        Store::open("postgres://roster:s3cr3t@127.0.0.1:1/roster?sslmode=verify-full&sslcert=/etc/c.pem")
            .await
            .unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, StoreError::BadUrl { .. }), "{err:?}");
    assert!(msg.contains("sslcert"), "{msg}");
    assert!(!msg.contains("s3cr3t"), "{msg}");
}
