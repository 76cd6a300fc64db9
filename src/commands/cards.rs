//! `rehearse cards` (issue 3 fills this in).

use std::process::ExitCode;

use anyhow::Result;

use super::Env;

pub fn run(_env: &Env, _args: crate::cli::CardsArgs) -> Result<ExitCode> {
    anyhow::bail!("`rehearse cards` is not built yet")
}
