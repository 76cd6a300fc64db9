//! `rehearse due` (issue 3 fills this in).

use std::process::ExitCode;

use anyhow::Result;

use super::Env;

pub fn run(_env: &Env, _args: crate::cli::DueArgs) -> Result<ExitCode> {
    anyhow::bail!("`rehearse due` is not built yet")
}
