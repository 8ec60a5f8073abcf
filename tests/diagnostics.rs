//! The `debug` option's stderr lines: the expected events appear, rate-limited, and never the
//! API key or an entry's content; without `debug` nothing is written; a stderr nobody reads
//! never holds the client up; a process exiting right after shutdown still has its lines.
//!
//! Each scenario runs in a child process (this test binary, re-run on one test with
//! `SCENARIO_VAR` set), so its stderr can be captured whole.

mod common;

use std::io::Read;
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::Collector;
use ferrolog::{Client, Config, Level};
use serde_json::json;

const SCENARIO_VAR: &str = "FERROLOG_DIAGNOSTICS_SCENARIO";
const API_KEY: &str = "eu-lf_KEYMARKER7f3a9c";
const PAYLOAD_MARKER: &str = "PAYLOADMARKER-51c2";
/// The longest a child may run: its client deadlines total a few seconds.
const CHILD_LIMIT: Duration = Duration::from_secs(120);

fn closed_port() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

fn client(endpoint: &str, debug: bool, options: &[(&str, &str)]) -> Client {
    let mut config = Config::new(API_KEY);
    let debug = debug.to_string();
    for (key, value) in [
        ("endpoint", endpoint),
        ("debug", debug.as_str()),
        ("retry_backoff", "20ms"),
        ("max_retries", "3"),
        ("key_persistence", "false"),
    ]
    .iter()
    .chain(options)
    {
        config.set(key, value).unwrap_or_else(|e| panic!("{e}"));
    }
    Client::new(config).expect("client starts")
}

fn log_marked(client: &Client, count: usize) {
    let logger = client.logger();
    for i in 0..count {
        let n = i.to_string();
        logger.log(
            Level::Info,
            &format!("{PAYLOAD_MARKER} message"),
            &[("marker", PAYLOAD_MARKER), ("n", n.as_str())],
        );
    }
}

/// A collector that answers two requests with 503 once the handshake is done: the batch is
/// retried with the status. Then an endpoint that refuses connections: the handshake fails
/// and is retried, a small queue overflows, and shutdown drops what is left.
fn scenario(debug: bool) {
    let collector = Collector::start();
    let up = client(&collector.base, debug, &[]);
    log_marked(&up, 1);
    up.flush(Duration::from_secs(10));
    collector.fault(json!({"status": 503, "count": 2}));
    log_marked(&up, 2);
    up.shutdown(Duration::from_secs(10));

    let down = client(&closed_port(), debug, &[("queue_size", "5")]);
    log_marked(&down, 20);
    std::thread::sleep(Duration::from_millis(300));
    down.shutdown(Duration::from_millis(200));
}

/// Ends a client that has nothing to send by `end` while another thread holds stderr a
/// moment, so the shutdown line is still queued when `end` returns, then exits at once, as a
/// host's `exit()` would.
fn exit_after(end: fn(Client)) -> ! {
    let client = client(&closed_port(), true, &[]);
    let (held, stderr_held) = mpsc::channel();
    std::thread::spawn(move || {
        let _stderr = std::io::stderr().lock();
        held.send(()).unwrap();
        std::thread::sleep(Duration::from_millis(60));
    });
    stderr_held.recv().unwrap();
    end(client);
    std::process::exit(0);
}

/// Runs `name` with `SCENARIO_VAR=value` in a child; its exit status, stdout and stderr.
fn run_child(name: &str, value: &str, read_stderr: bool) -> (bool, String) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(SCENARIO_VAR, value)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the scenario");
    let mut stderr = child.stderr.take().unwrap();
    let (text_sender, text) = mpsc::channel();
    if read_stderr {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            let _ = text_sender.send(text);
        });
    }
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > CHILD_LIMIT {
            let _ = child.kill();
            panic!("the scenario did not finish within {CHILD_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    // A process the child left behind holding its stderr would keep the pipe from ending.
    let text = match read_stderr {
        true => text
            .recv_timeout(CHILD_LIMIT)
            .expect("the scenario's stderr ends with it"),
        false => String::new(),
    };
    (status.success(), text)
}

/// The child's side: does its scenario when `SCENARIO_VAR` asks, and nothing in a plain run.
#[test]
fn scenario_child() {
    match std::env::var(SCENARIO_VAR).as_deref() {
        Ok("debug") => scenario(true),
        Ok("quiet") => scenario(false),
        // As a host that shuts the client down and exits without freeing it.
        Ok("shutdown, exit") => exit_after(|client| {
            client.shutdown(Duration::from_secs(5));
            std::mem::forget(client);
        }),
        Ok("drop, exit") => exit_after(drop),
        Ok("blocked") => {
            fill_stderr_pipe();
            scenario(true);
        }
        _ => {}
    }
}

/// Fills the stderr pipe without blocking, so that any later blocking write to it would hang.
fn fill_stderr_pipe() {
    // SAFETY: fcntl and write on descriptor 2 with a valid buffer; the flags are restored.
    unsafe {
        let flags = libc::fcntl(2, libc::F_GETFL);
        libc::fcntl(2, libc::F_SETFL, flags | libc::O_NONBLOCK);
        let chunk = [b'.'; 4096];
        while libc::write(2, chunk.as_ptr().cast(), chunk.len()) > 0 {}
        libc::fcntl(2, libc::F_SETFL, flags);
    }
}

#[test]
fn debug_reports_events_without_the_key_or_payloads() {
    let (ok, stderr) = run_child("scenario_child", "debug", true);
    assert!(ok, "scenario failed:\n{stderr}");
    assert!(
        !stderr.contains("KEYMARKER"),
        "the API key leaked:\n{stderr}"
    );
    assert!(
        !stderr.contains(PAYLOAD_MARKER),
        "a payload leaked:\n{stderr}"
    );
    for expected in [
        "ferrolog: LogFlux handshake starting with http://127.0.0.1:",
        "ferrolog: LogFlux handshake failed: /v1/handshake/init: ",
        "ferrolog: LogFlux handshake done",
        "after not ready (handshake or rate limit)",
        "after status 503",
        "entries: queue_overflow",
        "ferrolog: shutdown incomplete: ",
        "ferrolog: shutdown complete: sent 2, dropped 0, left 0",
    ] {
        assert!(stderr.contains(expected), "no `{expected}` in:\n{stderr}");
    }
    let retries = stderr.lines().filter(|l| l.contains(": retry: ")).count();
    assert!(retries >= 3, "expected retries in:\n{stderr}");
}

#[test]
fn shutdown_lines_are_written_before_the_process_exits() {
    for scenario in ["shutdown, exit", "drop, exit"] {
        let (ok, stderr) = run_child("scenario_child", scenario, true);
        assert!(ok, "{scenario} failed:\n{stderr}");
        assert!(
            stderr.contains("ferrolog: shutdown complete: sent 0, dropped 0, left 0"),
            "{scenario}: no shutdown line in:\n{stderr}"
        );
    }
}

#[test]
fn without_debug_nothing_is_written() {
    let (ok, stderr) = run_child("scenario_child", "quiet", true);
    assert!(ok);
    assert_eq!(stderr, "");
}

#[test]
fn a_stderr_nobody_reads_never_blocks_the_client() {
    let (ok, _) = run_child("scenario_child", "blocked", false);
    assert!(ok, "the scenario failed with its stderr full");
}
