//! The real `ferrolog-collector` on an ephemeral loopback port, for tests: started from the
//! binary built beside the test executable, queried over HTTP, stopped on drop. Shared by the
//! library's unit tests and the integration tests (`tests/common` includes this file).

#![allow(dead_code)] // each test binary uses its own subset

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

pub struct Collector {
    /// `None` while killed.
    process: Option<Child>,
    pub base: String,
    data_dir: PathBuf,
    args: Vec<String>,
}

/// Starts the collector on `port` (0: an ephemeral one); returns it and its base URL.
fn spawn(port: u16, data_dir: &Path, args: &[String]) -> (Child, String) {
    let mut process = Command::new(collector_binary())
        .args(["--port", &port.to_string(), "--data-dir"])
        .arg(data_dir)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start ferrolog-collector");
    let stdout = process.stdout.take().expect("collector stdout");
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("read the listening line");
    let base = first
        .trim()
        .rsplit(' ')
        .next()
        .filter(|url| url.starts_with("http://"))
        .unwrap_or_else(|| panic!("unexpected first line from the collector: {first:?}"))
        .to_owned();
    (process, base)
}

fn collector_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("FERROLOG_COLLECTOR") {
        return path.into();
    }
    // Test binaries live in target/<profile>/deps; the collector is built beside them.
    let exe = std::env::current_exe().expect("test executable path");
    let profile_dir = exe
        .parent()
        .and_then(|d| d.parent())
        .expect("target profile dir");
    let binary = profile_dir.join("ferrolog-collector");
    if !binary.exists() {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let release = profile_dir.ends_with("release");
        let mut build = Command::new(cargo);
        build.args(["build", "-p", "ferrolog-collector"]);
        if release {
            build.arg("--release");
        }
        assert!(
            build.status().expect("run cargo build").success(),
            "building the collector failed"
        );
    }
    binary
}

impl Collector {
    pub fn start() -> Collector {
        Collector::start_with(&[])
    }

    pub fn start_with(args: &[&str]) -> Collector {
        Collector::start_seeded(&[], args)
    }

    /// Starts with `files` (name, content) already in the data dir, such as a LogFlux key pair
    /// made once for many collectors.
    pub fn start_seeded(files: &[(&str, &[u8])], args: &[&str]) -> Collector {
        let data_dir = std::env::temp_dir().join(format!(
            "ferrolog-test-{}-{}",
            std::process::id(),
            fastrand::u64(..)
        ));
        std::fs::create_dir_all(&data_dir).expect("create data dir");
        for (name, content) in files {
            std::fs::write(data_dir.join(name), content).expect("seed the data dir");
        }
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        let (process, base) = spawn(0, &data_dir, &args);
        Collector {
            process: Some(process),
            base,
            data_dir,
            args,
        }
    }

    /// Kills the collector at once, as a crash would: requests in progress get no answer.
    pub fn kill(&mut self) {
        if let Some(mut process) = self.process.take() {
            let _ = process.kill();
            let _ = process.wait();
        }
    }

    /// Starts the collector again on the same port and data dir, killing it first if it runs.
    pub fn restart(&mut self) {
        self.kill();
        let port: u16 = self
            .base
            .rsplit(':')
            .next()
            .and_then(|port| port.parse().ok())
            .expect("the port of the base URL");
        let (process, base) = spawn(port, &self.data_dir, &self.args);
        assert_eq!(base, self.base, "restarted on the same address");
        self.process = Some(process);
    }

    /// Every entry stored in the data dir, restarts included (`entries.jsonl`), whose message
    /// contains `text`: what the collector received over its whole life, where
    /// [`Collector::entries`] sees only what the running process received.
    pub fn stored_entries(&self, text: &str) -> Vec<Value> {
        let file = std::fs::read_to_string(self.data_dir.join("entries.jsonl"))
            .expect("read entries.jsonl");
        file.lines()
            .map(|line| serde_json::from_str::<Value>(line).expect("a stored entry"))
            .filter(|entry| entry["message"].as_str().is_some_and(|m| m.contains(text)))
            .collect()
    }

    pub fn ingest_url(&self) -> String {
        format!("{}/v1/logs", self.base)
    }

    fn get(&self, path: &str) -> Value {
        let mut response = ureq::get(&format!("{}{path}", self.base))
            .call()
            .expect("query the collector");
        let text = response
            .body_mut()
            .read_to_string()
            .expect("read the answer");
        serde_json::from_str(&text).expect("collector answers JSON")
    }

    pub fn entries(&self, query: &str) -> Vec<Value> {
        match self.get(&format!("/api/entries{query}")) {
            Value::Array(entries) => entries,
            other => panic!("/api/entries answered {other}"),
        }
    }

    /// The collector's counters (`/api/stats`).
    pub fn stats(&self) -> Value {
        self.get("/api/stats")
    }

    pub fn requests(&self) -> Vec<Value> {
        match self.get("/api/requests") {
            Value::Array(requests) => requests,
            other => panic!("/api/requests answered {other}"),
        }
    }

    pub fn fault(&self, fault: Value) {
        ureq::post(&format!("{}/api/faults", self.base))
            .header("Content-Type", "application/json")
            .send(fault.to_string())
            .expect("set a fault");
    }

    /// Waits until the collector holds at least `count` entries matching `query`.
    pub fn wait_for_entries(&self, query: &str, count: usize, within: Duration) -> Vec<Value> {
        let deadline = Instant::now() + within;
        loop {
            let entries = self.entries(query);
            if entries.len() >= count || Instant::now() >= deadline {
                return entries;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Collector {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}
