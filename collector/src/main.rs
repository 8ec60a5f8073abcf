//! ferrolog-collector: receives telemetry on loopback, stores it as JSON lines, answers queries
//! about it and injects faults on request.

mod api;
mod batches;
mod body;
mod cli;
mod faults;
mod ingest;
mod ingest_luminalog;
mod ingest_otlp;
mod intake;
mod logflux;
mod printer;
mod protocol;
mod query;
mod requests;
mod respond;
mod server;
mod state;
mod store;

use std::io::Write;
use std::process::ExitCode;
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::net::TcpListener;

use crate::cli::{Command, Config};
use crate::faults::Faults;
use crate::requests::RequestLog;
use crate::state::State;
use crate::store::Store;

/// Ingest requests kept for `GET /api/requests`, oldest dropped first.
const REQUEST_LOG_CAPACITY: usize = 10_000;

fn main() -> ExitCode {
    let config = match cli::parse(std::env::args_os().skip(1).collect()) {
        Ok(Command::Run(config)) => config,
        Ok(Command::Help) => {
            print!("{}", cli::USAGE);
            return ExitCode::SUCCESS;
        }
        Ok(Command::Version) => {
            println!("ferrolog-collector {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("ferrolog-collector: {message}\nTry --help.");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("ferrolog-collector: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("ferrolog-collector: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> Result<(), String> {
    let store = Store::open(&config.data_dir, config.max_entries, config.print).map_err(|e| {
        format!(
            "cannot open {}: {e}",
            config.data_dir.join("entries.jsonl").display()
        )
    })?;
    let logflux = logflux::LogFlux::open(&config.data_dir, config.max_body_bytes)?;
    let mut faults = Faults::default();
    if let Some(spec) = config.fault {
        faults.set(spec);
    }
    let state = Arc::new(State {
        started: Instant::now(),
        max_body_bytes: config.max_body_bytes,
        discard: config.discard,
        api_keys: config.api_keys,
        store: Mutex::new(store),
        requests: Mutex::new(RequestLog::new(REQUEST_LOG_CAPACITY)),
        faults: Mutex::new(faults),
        logflux,
        hanging: AtomicUsize::new(0),
    });

    let listener = TcpListener::bind((config.host.as_str(), config.port))
        .await
        .map_err(|e| format!("cannot listen on {}:{}: {e}", config.host, config.port))?;
    let address = listener
        .local_addr()
        .map_err(|e| format!("cannot read the bound address: {e}"))?;
    // Scripts and tests read the port from this line, so it comes first and at once.
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "ferrolog-collector listening on http://{address}")
        .and_then(|()| stdout.flush())
        .map_err(|e| format!("cannot write to stdout: {e}"))?;
    drop(stdout);

    logflux::prepare(&state);
    server::serve(listener, state).await;
    Ok(())
}
