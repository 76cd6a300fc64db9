//! Runs the demo as `rehearse demo run xml-cherry-pick [--json] [PARAMS]` would:
//! `cargo run -p xml-cherry-pick --example run_xml -- --records 5000` (add `--json` for the events).

use std::process::ExitCode;

use demo_kit::{DemoError, HumanSink, JsonLinesSink, Reporter, run_demo};

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.first().is_some_and(|a| a == "--json");
    let reporter = if json {
        args.remove(0);
        Reporter::new(JsonLinesSink::new(std::io::stdout()))
    } else {
        Reporter::new(HumanSink::new())
    };
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
