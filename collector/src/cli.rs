//! Command-line options.

use std::ffi::OsString;
use std::path::PathBuf;

use crate::faults::FaultSpec;

pub const USAGE: &str = "\
ferrolog-collector: a local collector for ferrolog, LuminaLog and OTLP/HTTP JSON clients

Usage: ferrolog-collector [OPTIONS]

Options:
  --host HOST               address to listen on [default: 127.0.0.1]
  --port PORT               port to listen on, 0 for an ephemeral one
                            [default: 4318, the OTLP/HTTP port]
  --data-dir DIR            where entries.jsonl is appended [default: ./ferrolog-data]
  --print                   write each stored entry to stdout in a readable form
  --discard                 answer every ingest request 200 without decoding or storing it:
                            a sink for throughput benchmarks
  --api-key KEY             accept only this LuminaLog API key (repeatable);
                            default: any non-empty key
  --max-body-bytes N        largest LuminaLog body, before and after gunzip
                            [default: 10485760]; OTLP bodies may have 64 MiB
  --max-entries N           entries kept in memory for queries, oldest dropped first
                            [default: 100000]; entries.jsonl keeps everything
  --fault-status S          answer ingest requests with HTTP status S, storing nothing
  --fault-count N           apply the fault to the next N ingest requests [default: all]
  --fault-delay-ms MS       delay ingest answers by MS milliseconds
  --fault-retry-after SECS  send Retry-After: SECS with --fault-status
  --fault-close             drop ingest connections without answering
  --fault-hang              accept ingest requests and never answer
  --fault-cut               process ingest requests, then drop the connection
                            instead of answering
  --fault-path PATH         only ingest requests to PATH suffer the fault
  -h, --help                print this help
  -V, --version             print the version

The first line on stdout is `ferrolog-collector listening on http://ADDRESS:PORT`.
";

pub enum Command {
    Help,
    Version,
    Run(Config),
}

pub struct Config {
    pub host: String,
    pub port: u16,
    pub data_dir: PathBuf,
    pub print: bool,
    pub discard: bool,
    pub api_keys: Vec<String>,
    pub max_body_bytes: usize,
    pub max_entries: usize,
    pub fault: Option<FaultSpec>,
}

/// Parses the arguments after the program name.
pub fn parse(args: Vec<OsString>) -> Result<Command, String> {
    let mut args = pico_args::Arguments::from_vec(args);
    if args.contains(["-h", "--help"]) {
        return Ok(Command::Help);
    }
    if args.contains(["-V", "--version"]) {
        return Ok(Command::Version);
    }
    let config = Config {
        host: option(&mut args, "--host")?.unwrap_or_else(|| "127.0.0.1".to_owned()),
        port: option(&mut args, "--port")?.unwrap_or(4318),
        data_dir: option(&mut args, "--data-dir")?
            .unwrap_or_else(|| PathBuf::from("./ferrolog-data")),
        print: args.contains("--print"),
        discard: args.contains("--discard"),
        api_keys: args
            .values_from_str("--api-key")
            .map_err(|e| e.to_string())?,
        max_body_bytes: option(&mut args, "--max-body-bytes")?.unwrap_or(10 * 1024 * 1024),
        max_entries: option(&mut args, "--max-entries")?.unwrap_or(100_000),
        fault: fault_options(&mut args)?,
    };
    if config.api_keys.iter().any(String::is_empty) {
        return Err("--api-key must not be empty".to_owned());
    }
    if config.max_body_bytes == 0 {
        return Err("--max-body-bytes must be at least 1".to_owned());
    }
    let rest = args.finish();
    if let Some(unknown) = rest.first() {
        return Err(format!("unexpected argument {}", unknown.to_string_lossy()));
    }
    Ok(Command::Run(config))
}

fn fault_options(args: &mut pico_args::Arguments) -> Result<Option<FaultSpec>, String> {
    let spec = FaultSpec {
        status: option(args, "--fault-status")?,
        count: option(args, "--fault-count")?,
        delay_ms: option(args, "--fault-delay-ms")?.unwrap_or(0),
        retry_after: option(args, "--fault-retry-after")?,
        close: args.contains("--fault-close"),
        hang: args.contains("--fault-hang"),
        cut: args.contains("--fault-cut"),
        path: option(args, "--fault-path")?,
    };
    if spec == FaultSpec::default() {
        return Ok(None);
    }
    spec.validate()?;
    if !spec.has_effect() {
        return Err("--fault-count needs a fault to count".to_owned());
    }
    Ok(Some(spec))
}

fn option<T>(args: &mut pico_args::Arguments, name: &'static str) -> Result<Option<T>, String>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    args.opt_value_from_str(name).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Config, String> {
        match parse(args.iter().map(OsString::from).collect())? {
            Command::Run(config) => Ok(config),
            _ => Err("not a run".to_owned()),
        }
    }

    #[test]
    fn defaults() {
        let config = run(&[]).unwrap();
        assert_eq!(
            (config.host.as_str(), config.port, config.max_body_bytes),
            ("127.0.0.1", 4318, 10 * 1024 * 1024)
        );
        assert!(config.api_keys.is_empty() && config.fault.is_none() && !config.print);
    }

    #[test]
    fn repeatable_keys_and_faults() {
        let config = run(&[
            "--api-key",
            "a",
            "--api-key=b",
            "--fault-status",
            "503",
            "--fault-count",
            "2",
            "--port",
            "0",
        ])
        .unwrap();
        assert_eq!(config.api_keys, ["a", "b"]);
        let fault = config.fault.unwrap();
        assert_eq!((fault.status, fault.count), (Some(503), Some(2)));
        assert_eq!(config.port, 0);
    }

    #[test]
    fn bad_arguments_are_errors() {
        for args in [
            &["--port", "70000"][..],
            &["--bogus"],
            &["--fault-count", "1"],
            &["--fault-status", "42"],
            &["--fault-close", "--fault-hang"],
            &["--fault-retry-after", "3"],
            &["--api-key", ""],
        ] {
            assert!(run(args).is_err(), "{args:?}");
        }
    }
}
