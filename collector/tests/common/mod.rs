//! Runs the real collector binary on an ephemeral loopback port for one test.

#![allow(dead_code)] // each test binary uses its own subset of these helpers

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use flate2::write::GzEncoder;
use flate2::Compression;
use serde_json::Value;
use tempfile::TempDir;

/// A running collector, killed when dropped.
pub struct Collector {
    child: Child,
    pub base: String,
    pub data_dir: PathBuf,
    /// Removed after the collector is killed, when the collector made its own.
    _temp_dir: Option<TempDir>,
    /// Lines the collector wrote to stdout after the listening line.
    printed: Arc<Mutex<Vec<String>>>,
    agent: ureq::Agent,
}

/// An HTTP answer, whatever its status.
pub struct Reply {
    pub status: u16,
    pub headers: ureq::http::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("answer is not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// An agent that reports every status as a reply and keeps no connections, so each request
/// is one independent attempt, as a retrying client makes them.
pub fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(timeout))
        .max_idle_connections(0)
        .max_idle_connections_per_host(0)
        .proxy(None)
        .build()
        .into()
}

impl Collector {
    /// Starts a collector with a fresh data directory.
    pub fn start(args: &[&str]) -> Collector {
        let temp_dir = tempfile::tempdir().expect("temp dir");
        let mut collector = Collector::start_in(temp_dir.path(), args);
        collector._temp_dir = Some(temp_dir);
        collector
    }

    /// Starts a collector on an existing data directory.
    pub fn start_in(data_dir: &Path, args: &[&str]) -> Collector {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ferrolog-collector"))
            .args(["--port", "0", "--data-dir"])
            .arg(data_dir)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn the collector");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut first = String::new();
        stdout
            .read_line(&mut first)
            .expect("read the listening line");
        let base = first
            .trim_end()
            .strip_prefix("ferrolog-collector listening on ")
            .unwrap_or_else(|| {
                let _ = child.kill();
                panic!("unexpected first line {first:?}")
            })
            .to_owned();
        assert!(base.starts_with("http://127.0.0.1:"), "{base}");

        // Keep reading, so `--print` never blocks on a full pipe and tests can see its lines.
        let printed = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&printed);
        thread::spawn(move || {
            for line in stdout.lines().map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });

        Collector {
            child,
            base,
            data_dir: data_dir.to_owned(),
            _temp_dir: None,
            printed,
            agent: agent(Duration::from_secs(10)),
        }
    }

    /// The collector's process id, to read its memory use from /proc.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Result<Reply, ureq::Error> {
        request_with(&self.agent, method, &self.url(path), headers, body)
    }

    /// A LuminaLog POST as a client sends it.
    pub fn post_logs(&self, body: &[u8]) -> Reply {
        self.post_json("/v1/logs", body)
    }

    /// An uncompressed JSON POST, as LuminaLog and OTLP clients send them.
    pub fn post_json(&self, path: &str, body: &[u8]) -> Reply {
        self.request(
            "POST",
            path,
            &[("Content-Type", "application/json")],
            Some(body),
        )
        .unwrap_or_else(|e| panic!("POST {path}: {e}"))
    }

    pub fn get(&self, path: &str) -> Reply {
        self.request("GET", path, &[], None)
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    pub fn get_json(&self, path: &str) -> Value {
        let reply = self.get(path);
        assert_eq!(reply.status, 200, "GET {path}: {}", reply.body);
        reply.json()
    }

    pub fn set_fault(&self, fault: &str) {
        let reply = self
            .request("POST", "/api/faults", &[], Some(fault.as_bytes()))
            .expect("POST /api/faults");
        assert_eq!(reply.status, 200, "{}", reply.body);
    }

    pub fn entries(&self) -> Vec<Value> {
        match self.get_json("/api/entries") {
            Value::Array(entries) => entries,
            other => panic!("entries are not an array: {other}"),
        }
    }

    pub fn requests(&self) -> Vec<Value> {
        match self.get_json("/api/requests") {
            Value::Array(requests) => requests,
            other => panic!("requests are not an array: {other}"),
        }
    }

    pub fn printed(&self) -> Vec<String> {
        self.printed.lock().unwrap().clone()
    }

    /// Polls until `done` holds, for effects that land shortly after an answer.
    pub fn wait_for(&self, what: &str, mut done: impl FnMut(&Collector) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !done(self) {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            thread::sleep(Duration::from_millis(25));
        }
    }
}

impl Drop for Collector {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn request_with(
    agent: &ureq::Agent,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Result<Reply, ureq::Error> {
    let mut builder = ureq::http::Request::builder().method(method).uri(url);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let mut response = match body {
        Some(body) => agent.run(builder.body(body)?)?,
        None => agent.run(builder.body(())?)?,
    };
    let body = response.body_mut().read_to_string()?;
    Ok(Reply {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        body,
    })
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

/// A batch with one entry per (level, message), compact as ferrolog writes it.
pub fn batch(entries: &[(&str, &str)]) -> Vec<u8> {
    let logs: Vec<Value> = entries
        .iter()
        .map(|(level, message)| {
            serde_json::json!({
                "timestamp": "2026-01-01T00:00:00.000000Z",
                "level": level,
                "message": message,
                "environment": "test",
                "privacy_mode": false,
                "metadata": null
            })
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({"api_key": "test-key", "logs": logs})).unwrap()
}
