//! `rehearse stats` (issue 3 fills this in).

use std::process::ExitCode;

use anyhow::Result;

use super::Env;

pub fn run(_env: &Env) -> Result<ExitCode> {
    anyhow::bail!("`rehearse stats` is not built yet")
}
