//! Memory stays bounded while the endpoint is down: several threads log as fast as they can
//! into a client whose endpoint refuses every connection, and the process's resident memory and
//! the allocator's bytes in use are sampled every 100 ms. The verdict holds when the heap in use
//! above the baseline — what the process holds — stays within the queue's byte bound plus
//! [`CONSTANT`]; the resident figure is reported beside it, and its excess over the heap is the
//! allocator's reserve (glibc keeps freed memory in per-thread arenas for reuse). A second case
//! adds the disk spool and reports its size against its own bound.
//!
//! `FERROLOG_MEMORY_BENCH_SECS` sets how long each case logs (default 25).

use std::net::TcpListener;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ferrolog::{Client, Config, DropReason, Level};

const QUEUE_MAX_BYTES: usize = 8 << 20;
const SPOOL_MAX_BYTES: u64 = 16 << 20;
const PRODUCERS: usize = 4;
const WORKERS: &str = "2";
/// Names the case a child process runs.
const CASE_VAR: &str = "FERROLOG_MEMORY_BENCH_CASE";
const SAMPLE_EVERY: Duration = Duration::from_millis(100);

/// What the process may hold beyond the queue's bound, and why: each worker holds one batch in
/// flight (100 records, raw and settled, and its encoded request: under 1 MiB for two
/// workers), the encoder's and transport's scratch buffers, the queue's blocks and the
/// threads' own structures. 4 MiB covers these with room; it does not grow with the run.
const CONSTANT: usize = 4 << 20;

const MESSAGE: &str = "checkout completed for the storefront: payment authorised, \
                       inventory reserved, confirmation e-mail queued for delivery";

fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    let size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    usize::try_from(size).unwrap_or(4096)
}

/// Resident bytes of this process (the second field of /proc/self/statm, in pages).
fn rss() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: usize = statm
        .split_whitespace()
        .nth(1)
        .and_then(|field| field.parse().ok())
        .unwrap_or(0);
    pages * page_size()
}

/// Bytes the allocator has handed out and not had back: what the process holds, apart from
/// what the allocator keeps in its arenas for reuse (that part shows in RSS only).
fn heap_in_use() -> usize {
    // glibc's own count; a mallinfo2 call walks no memory, it reads the arenas' totals.
    let info = unsafe { libc::mallinfo2() };
    info.uordblks + info.hblkhd
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| entry.metadata().ok())
        .filter(|meta| meta.is_file())
        .map(|meta| meta.len())
        .sum()
}

/// A loopback port nobody listens on: every connection is refused at once.
fn closed_port() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let port = listener.local_addr().expect("local address").port();
    drop(listener);
    format!("http://127.0.0.1:{port}/v1/logs")
}

struct Sample {
    rss: usize,
    heap: usize,
    queued_bytes: usize,
    spool_bytes: u64,
}

struct Outcome {
    baseline: usize,
    heap_baseline: usize,
    samples: Vec<Sample>,
    accepted: u64,
    logged: u64,
    drops: Vec<(DropReason, u64)>,
    spool_bytes_after: u64,
}

fn run(seconds: u64, spool: Option<&Path>) -> Outcome {
    let baseline = rss();
    let heap_baseline = heap_in_use();
    let mut config = Config::new("bench-key");
    let queue_max_bytes = QUEUE_MAX_BYTES.to_string();
    let spool_max_bytes = SPOOL_MAX_BYTES.to_string();
    let endpoint = closed_port();
    let mut options = vec![
        ("protocol", "luminalog"),
        ("endpoint", endpoint.as_str()),
        ("queue_max_bytes", queue_max_bytes.as_str()),
        ("worker_count", WORKERS),
        ("retry_backoff", "50ms"),
        ("max_retries", "2"),
        ("flush_interval", "1s"),
    ];
    let spool_dir = spool.map(|dir| dir.to_string_lossy().into_owned());
    if let Some(dir) = &spool_dir {
        options.push(("spool_dir", dir));
        options.push(("spool_max_bytes", spool_max_bytes.as_str()));
    }
    for (key, value) in options {
        config.set(key, value).unwrap_or_else(|e| panic!("{e}"));
    }
    let client = Arc::new(Client::new(config).expect("client"));
    let stop = Arc::new(AtomicBool::new(false));
    let samples = Arc::new(Mutex::new(Vec::new()));
    let sampler = {
        let (client, stop, samples) = (client.clone(), stop.clone(), samples.clone());
        let spool = spool.map(Path::to_path_buf);
        std::thread::spawn(move || {
            while !stop.load(Relaxed) {
                let sample = Sample {
                    rss: rss(),
                    heap: heap_in_use(),
                    queued_bytes: client.queued_bytes(),
                    spool_bytes: spool.as_deref().map_or(0, dir_size),
                };
                samples.lock().unwrap().push(sample);
                std::thread::sleep(SAMPLE_EVERY);
            }
        })
    };
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let producers: Vec<_> = (0..PRODUCERS)
        .map(|thread| {
            let client = client.clone();
            std::thread::spawn(move || {
                let logger = client.logger();
                let thread = thread.to_string();
                let mut logged = 0u64;
                while Instant::now() < deadline {
                    for _ in 0..1000 {
                        let request_id = format!("req-{thread}-{logged:012}");
                        logger.log(
                            Level::Info,
                            MESSAGE,
                            &[
                                ("request_id", request_id.as_str()),
                                ("route", "/api/v2/orders/{order_id}/checkout"),
                                ("method", "POST"),
                                ("status", "200"),
                                ("duration_ms", "12.5"),
                                (
                                    "user_agent",
                                    "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0",
                                ),
                                ("thread", thread.as_str()),
                            ],
                        );
                        logged += 1;
                    }
                }
                logged
            })
        })
        .collect();
    let logged = producers.into_iter().map(|p| p.join().unwrap()).sum();
    stop.store(true, Relaxed);
    sampler.join().unwrap();
    client.shutdown(Duration::from_secs(2));
    let stats = client.stats();
    let drops = DropReason::ALL
        .into_iter()
        .map(|reason| (reason, stats.dropped(reason)))
        .filter(|(_, n)| *n > 0)
        .collect();
    let samples = std::mem::take(&mut *samples.lock().unwrap());
    Outcome {
        baseline,
        heap_baseline,
        samples,
        accepted: stats.accepted,
        logged,
        drops,
        spool_bytes_after: spool.map_or(0, dir_size),
    }
}

fn mib(bytes: usize) -> String {
    format!("{:.1} MiB", bytes as f64 / (1 << 20) as f64)
}

fn report(label: &str, outcome: &Outcome) -> bool {
    let samples = &outcome.samples;
    let peak = samples.iter().map(|s| s.rss).max().unwrap_or(0);
    // The second half of the run, once the queue has long been full.
    let late = &samples[samples.len() / 2..];
    let steady = late.iter().map(|s| s.rss).sum::<usize>() / late.len().max(1);
    let queued_peak = samples.iter().map(|s| s.queued_bytes).max().unwrap_or(0);
    let queued_last = samples.last().map_or(0, |s| s.queued_bytes);
    let growth = peak.saturating_sub(outcome.baseline);
    let heap_peak = samples.iter().map(|s| s.heap).max().unwrap_or(0);
    let heap_growth = heap_peak.saturating_sub(outcome.heap_baseline);
    let limit = QUEUE_MAX_BYTES + CONSTANT;
    let within = heap_growth <= limit;
    println!("== {label}");
    println!(
        "  baseline RSS (before the client)   {}",
        mib(outcome.baseline)
    );
    println!("  peak RSS                           {}", mib(peak));
    println!("  steady RSS (mean, second half)     {}", mib(steady));
    println!("  peak − baseline                    {}", mib(growth));
    println!(
        "  heap in use, peak − baseline       {} (the rest of the RSS growth is the allocator's reserve)",
        mib(heap_growth)
    );
    println!(
        "  queue byte bound                   {}",
        mib(QUEUE_MAX_BYTES)
    );
    println!(
        "  queued_bytes (peak / last sample)  {} / {}",
        mib(queued_peak),
        mib(queued_last)
    );
    println!("  samples                            {}", samples.len());
    println!(
        "  logged / accepted                  {} / {}",
        outcome.logged, outcome.accepted
    );
    for (reason, count) in &outcome.drops {
        println!("  dropped {:<26} {count}", reason.name());
    }
    let mut spool_ok = true;
    if samples.iter().any(|s| s.spool_bytes > 0) || outcome.spool_bytes_after > 0 {
        let spool_peak = samples.iter().map(|s| s.spool_bytes).max().unwrap_or(0);
        let spool_peak = spool_peak.max(outcome.spool_bytes_after);
        spool_ok = spool_peak <= SPOOL_MAX_BYTES;
        println!(
            "  spool dir (peak / after shutdown)  {} / {} (bound {}): {}",
            mib(spool_peak as usize),
            mib(outcome.spool_bytes_after as usize),
            mib(SPOOL_MAX_BYTES as usize),
            if spool_ok { "within" } else { "EXCEEDED" }
        );
    }
    println!(
        "  allocator's reserve (RSS − heap growth) {}",
        mib(growth.saturating_sub(heap_growth))
    );
    println!(
        "  verdict: heap peak − baseline {} ≤ bound {} + constant {} = {}: {}",
        mib(heap_growth),
        mib(QUEUE_MAX_BYTES),
        mib(CONSTANT),
        mib(limit),
        if within { "yes" } else { "NO" }
    );
    within && spool_ok
}

/// Runs one case in this process: `queue` or `spool`.
fn run_case(case: &str, seconds: u64) -> bool {
    match case {
        "queue" => report("queue only", &run(seconds, None)),
        _ => {
            let dir =
                std::env::temp_dir().join(format!("ferrolog-memory-bench-{}", std::process::id()));
            std::fs::create_dir_all(&dir).expect("spool dir");
            let held = report("queue and disk spool", &run(seconds, Some(&dir)));
            let _ = std::fs::remove_dir_all(&dir);
            held
        }
    }
}

fn main() {
    let seconds = std::env::var("FERROLOG_MEMORY_BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(25);
    // Each case runs in a fresh process, so the second's baseline is not the first's leftovers.
    if let Ok(case) = std::env::var(CASE_VAR) {
        std::process::exit(if run_case(&case, seconds) { 0 } else { 1 });
    }
    println!(
        "memory bound, endpoint refusing connections, {PRODUCERS} producer threads, \
         {WORKERS} workers, {seconds} s per case, RSS sampled every {} ms",
        SAMPLE_EVERY.as_millis()
    );
    let exe = std::env::current_exe().expect("own path");
    let mut held = true;
    for case in ["queue", "spool"] {
        let status = std::process::Command::new(&exe)
            .env(CASE_VAR, case)
            .status()
            .expect("run a case");
        held &= status.success();
    }
    if !held {
        std::process::exit(1);
    }
}
