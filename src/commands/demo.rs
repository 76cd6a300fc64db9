//! `rehearse demo list|run`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};
use demo_kit::{DemoError, HumanSink, JsonLinesSink, Reporter, run_demo, write_ignoring_closed};
use rehearse::demo;
use rehearse::demo::lifeline::Lifeline;
use rehearse::store::DemoRun;

use super::Env;
use crate::cli::DemoCommand;

pub fn run(env: &Env, command: DemoCommand) -> Result<ExitCode> {
    match command {
        DemoCommand::List => list(),
        DemoCommand::Run {
            id,
            help,
            json,
            mut params,
        } => {
            let Some(id) = id else {
                use clap::CommandFactory;
                crate::cli::Cli::command()
                    .find_subcommand_mut("demo")
                    .and_then(|demo| demo.find_subcommand_mut("run"))
                    .expect("demo run exists")
                    .print_help()?;
                return Ok(ExitCode::SUCCESS);
            };
            if help {
                params.push("--help".to_owned());
            }
            run_one(env, &id, json, params)
        }
    }
}

fn list() -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    for id in demo::KNOWN_IDS {
        match demo::find(id) {
            Ok(found) => {
                let info = found.info();
                writeln!(out, "{}  {}\n  {}", info.id, info.title, info.description)?;
                for param in info.params {
                    let default = param
                        .default
                        .map(|d| format!(" [default: {d}]"))
                        .unwrap_or_default();
                    writeln!(out, "    {:<28} {}{default}", param.flag, param.help)?;
                }
            }
            Err(error) => writeln!(out, "{id}  ({error})")?,
        }
        writeln!(out)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn run_one(env: &Env, id: &str, json: bool, params: Vec<String>) -> Result<ExitCode> {
    let demo = demo::find(id)?;
    // Open the store first: a run whose result cannot be recorded should not start.
    let records = rehearse::practice::DemoRecords::open(&env.paths.db)?;
    // Started by the TUI: end with it, even if it is killed (kill -9) and cannot cancel us.
    let lifeline = Lifeline::from_env().context("watching the app that started the demo")?;
    let reporter = if json {
        Reporter::new(JsonLinesSink::new(lifeline.watch_output(std::io::stdout())))
    } else {
        Reporter::new(HumanSink::new())
    };
    let clock = super::clock();
    let started_at = clock.now();
    let outcome = run_demo(demo, &params, &reporter);
    match &outcome {
        Err(DemoError::Help(help)) => {
            // `--help | head` closes the pipe early: not an error, and never a panic.
            write_ignoring_closed(&mut std::io::stdout().lock(), help);
            return Ok(ExitCode::SUCCESS);
        }
        Err(DemoError::Usage(usage)) => {
            // Not a run: show clap's message as it is (it carries its own usage line).
            eprint!("{usage}");
            return Ok(ExitCode::from(2));
        }
        _ => {}
    }
    if lifeline.output_lost() {
        // Nobody read the result: a run that was not seen to the end is not recorded.
        eprintln!("error: demo {id}: its output was closed before the run ended; not recorded");
        return Ok(ExitCode::FAILURE);
    }
    let run = DemoRun {
        demo_id: id.to_owned(),
        args: params,
        started_at,
        finished_at: clock.now(),
        outcome: outcome
            .as_ref()
            .map(Clone::clone)
            .map_err(ToString::to_string),
    };
    records
        .record(&run)
        .with_context(|| format!("recording the run of {id}"))?;
    match outcome {
        Ok(_) => Ok(ExitCode::SUCCESS),
        Err(error) => {
            // Also in --json mode: the `failed` event is for the reader, stderr for a person.
            match error {
                DemoError::Unavailable(why) => eprintln!("error: demo {id} cannot run: {why}"),
                other => eprintln!("error: demo {id} failed: {other}"),
            }
            Ok(ExitCode::FAILURE)
        }
    }
}
