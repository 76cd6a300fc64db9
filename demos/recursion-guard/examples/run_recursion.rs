//! Runs the demo in a terminal without the app:
//! `cargo run -p recursion-guard --example run_recursion -- [--scenario happy|recursion|silent-stop|all]`.

use std::process::ExitCode;

use demo_kit::{DemoError, HumanSink, Reporter, run_demo};
use recursion_guard::RecursionGuard;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let reporter = Reporter::new(HumanSink::new());
    match run_demo(&RecursionGuard, &args, &reporter) {
        Ok(_) => ExitCode::SUCCESS,
        Err(DemoError::Help(text)) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
