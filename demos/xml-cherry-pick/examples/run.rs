//! Runs the demo as `rehearse demo run xml-cherry-pick [PARAMS]` would, with the human renderer:
//! `cargo run -p xml-cherry-pick --example run -- --records 5000`.

use std::process::ExitCode;

use demo_kit::{DemoError, HumanSink, Reporter, run_demo};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let reporter = Reporter::new(HumanSink::new());
    match run_demo(&xml_cherry_pick::XmlCherryPick, &args, &reporter) {
        Ok(_) => ExitCode::SUCCESS,
        Err(DemoError::Help(text)) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
