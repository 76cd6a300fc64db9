//! One file per verb. This is the binary's edge: errors become `anyhow` with context here.

use std::process::ExitCode;

use anyhow::{Context, Result};
use rehearse::config::{Config, Paths};

use crate::cli::{Cli, Command};

mod demo;

/// Everything a command needs, resolved once from the command line and the config.
pub struct Env {
    pub config: Config,
    pub paths: Paths,
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    let config = Config::load(cli.config.as_deref())?;
    let paths = Paths::resolve(cli.stories, cli.db, &config)?;
    let env = Env { config, paths };
    match cli.command {
        Some(Command::Demo(command)) => demo::run(&env, command),
        Some(Command::Completions { shell }) => {
            use clap::CommandFactory;
            let mut command = Cli::command();
            clap_complete::generate(shell, &mut command, "rehearse", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
        _ => {
            use clap::CommandFactory;
            Cli::command().print_help().context("printing help")?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Opens the database named by the resolved paths.
pub fn open_store(env: &Env) -> Result<rehearse::store::Store> {
    Ok(rehearse::store::Store::open(&env.paths.db)?)
}
