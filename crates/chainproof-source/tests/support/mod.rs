//! Test helpers: a real `docker-registry` on loopback, a scripted fake HTTP server, and a
//! tiny tar writer for layers.
#![allow(dead_code)]

pub mod fake;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Debian's `docker-registry` package installs the distribution v2 registry here.
pub const REGISTRY_BIN: &str = "/usr/bin/docker-registry";

/// The registry binary: `CHAINPROOF_DOCKER_REGISTRY`, else `/usr/bin/docker-registry`,
/// else `registry` on PATH (the upstream name). `None` when absent.
pub fn registry_binary() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHAINPROOF_DOCKER_REGISTRY") {
        return Some(PathBuf::from(p)).filter(|p| p.is_file());
    }
    if Path::new(REGISTRY_BIN).is_file() {
        return Some(PathBuf::from(REGISTRY_BIN));
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("registry"))
            .find(|p| p.is_file())
    })
}

/// A running `docker-registry serve CONFIG` on 127.0.0.1 with its own storage; killed on drop.
pub struct Registry {
    child: Child,
    pub port: u16,
    pub dir: tempfile::TempDir,
}

impl Registry {
    /// Starts a registry, or prints a loud SKIPPED line and returns `None` when the binary
    /// is missing. `htpasswd`: a bcrypt htpasswd file's content to require Basic auth.
    pub fn start(test: &str, htpasswd: Option<&str>) -> Option<Registry> {
        let Some(bin) = registry_binary() else {
            eprintln!(
                "SKIPPED {test}: docker-registry not found at {REGISTRY_BIN} \
                 (apt-get install -y docker-registry, or set CHAINPROOF_DOCKER_REGISTRY)"
            );
            return None;
        };
        let dir = tempfile::tempdir().expect("temp dir");
        let storage = dir.path().join("storage");
        std::fs::create_dir_all(&storage).expect("storage dir");
        let port = free_port();
        let mut config = format!(
            "version: 0.1\n\
             log:\n  level: warn\n  accesslog:\n    disabled: true\n\
             storage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\n\
             http:\n  addr: 127.0.0.1:{port}\n  secret: chainproof-test\n",
            storage.display()
        );
        if let Some(h) = htpasswd {
            let path = dir.path().join("htpasswd");
            std::fs::write(&path, h).expect("write htpasswd");
            config.push_str(&format!(
                "auth:\n  htpasswd:\n    realm: chainproof-test\n    path: {}\n",
                path.display()
            ));
        }
        let config_path = dir.path().join("config.yml");
        std::fs::write(&config_path, config).expect("write config");
        let log = std::fs::File::create(dir.path().join("registry.log")).expect("log file");
        let child = Command::new(&bin)
            .arg("serve")
            .arg(&config_path)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", bin.display()));
        let reg = Registry { child, port, dir };
        reg.wait_ready();
        Some(reg)
    }

    /// `127.0.0.1:PORT`
    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if matches!(http_status(self.port, "/v2/"), Some(200 | 401)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let log = std::fs::read_to_string(self.dir.path().join("registry.log")).unwrap_or_default();
        panic!("docker-registry did not answer /v2/ within 20 s; log:\n{log}");
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port that was free a moment ago.
pub fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

/// The status of `GET path` on 127.0.0.1:port, `None` when nothing answers.
pub fn http_status(port: u16, path: &str) -> Option<u16> {
    let mut s =
        TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_millis(200))
            .ok()?;
    s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut buf = [0u8; 64];
    let n = s.read(&mut buf).ok()?;
    let line = String::from_utf8_lossy(&buf[..n]).into_owned();
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A bcrypt htpasswd line made by `htpasswd -Bbn` (apache2-utils), or `None` (with a loud
/// SKIPPED line) when the tool is missing.
pub fn htpasswd(test: &str, user: &str, password: &str) -> Option<String> {
    match Command::new("htpasswd")
        .args(["-Bbn", user, password])
        .output()
    {
        Ok(out) if out.status.success() => Some(
            String::from_utf8(out.stdout)
                .expect("utf-8")
                .trim()
                .to_string()
                + "\n",
        ),
        _ => {
            eprintln!("SKIPPED {test}: `htpasswd` not found (apt-get install -y apache2-utils)");
            None
        }
    }
}

/// An uncompressed ustar archive of regular files.
pub fn tar(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, data) in files {
        let mut h = [0u8; 512];
        h[..name.len()].copy_from_slice(name.as_bytes());
        let octal = |field: &mut [u8], v: u64| {
            let s = format!("{:0width$o}\0", v, width = field.len() - 1);
            field.copy_from_slice(s.as_bytes());
        };
        octal(&mut h[100..108], 0o644);
        octal(&mut h[108..116], 0);
        octal(&mut h[116..124], 0);
        octal(&mut h[124..136], data.len() as u64);
        octal(&mut h[136..148], 1_700_000_000);
        h[156] = b'0';
        h[257..263].copy_from_slice(b"ustar\0");
        h[263..265].copy_from_slice(b"00");
        h[148..156].copy_from_slice(b"        ");
        let sum: u64 = h.iter().map(|&b| u64::from(b)).sum();
        let s = format!("{sum:06o}\0 ");
        h[148..156].copy_from_slice(s.as_bytes());
        out.extend_from_slice(&h);
        out.extend_from_slice(data);
        out.resize(out.len().div_ceil(512) * 512, 0);
    }
    out.resize(out.len() + 1024, 0);
    out
}

/// An image config JSON for os/arch with one diff id per layer.
pub fn config_json(os: &str, arch: &str, variant: Option<&str>, layers: &[&[u8]]) -> Vec<u8> {
    let diff_ids: Vec<String> = layers
        .iter()
        .map(|l| chainproof_source::registry::Digest::sha256_of(l).to_string())
        .collect();
    let mut v = serde_json::json!({
        "architecture": arch,
        "os": os,
        "config": {"Env": ["PATH=/usr/bin"]},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
    });
    if let Some(var) = variant {
        v["variant"] = serde_json::json!(var);
    }
    serde_json::to_vec(&v).expect("json")
}
