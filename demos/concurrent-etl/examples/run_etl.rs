//! Runs the demo as `rehearse demo run concurrent-etl [--json] [PARAMS]` would, without building
//! the app: `cargo run -p concurrent-etl --example run_etl -- --records 100000`.

use std::process::ExitCode;

use demo_kit::{DemoError, HumanSink, JsonLinesSink, Reporter, run_demo};

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    args.retain(|a| a != "--json");
    let reporter = if json {
        Reporter::new(JsonLinesSink::new(std::io::stdout()))
    } else {
        Reporter::new(HumanSink::new())
    };
    match run_demo(&concurrent_etl::ConcurrentEtl, &args, &reporter) {
        Ok(_) => ExitCode::SUCCESS,
        Err(DemoError::Help(text)) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
