//! `rehearse drill` (issue 3 fills this in).

use std::process::ExitCode;

use anyhow::Result;

use super::Env;

pub fn run(_env: &Env, _args: crate::cli::DrillArgs) -> Result<ExitCode> {
    anyhow::bail!("`rehearse drill` is not built yet")
}
