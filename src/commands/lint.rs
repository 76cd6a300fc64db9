//! `rehearse lint [PATHS] [--strict]`: findings as `path:line: severity: message`; exit 1 on
//! any error (`--strict`: a draft's missing parts are errors too).

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use rehearse::story::LoadReport;
use rehearse::story::lint::{LintOptions, Tally, lint_report};
use rehearse::story::question_bank::QuestionBank;

use super::{Env, load_stories_quietly};
use crate::cli::LintArgs;

pub fn run(env: &Env, args: LintArgs) -> Result<ExitCode> {
    let report = if args.paths.is_empty() {
        load_stories_quietly(env)?
    } else {
        for path in &args.paths {
            anyhow::ensure!(path.exists(), "{}: no such file or folder", path.display());
        }
        rehearse::practice::load_stories(&args.paths, &env.paths.db)
    };
    let mut options = LintOptions::from(&env.config.lint);
    if let Some(minutes) = args.target_minutes {
        options.target_minutes = minutes;
    }
    options.strict = args.strict;
    let findings = findings(&report, &options);
    let mut out = std::io::stdout().lock();
    for finding in &findings {
        writeln!(out, "{finding}")?;
    }
    let Tally { errors, warnings } = Tally::of(&findings);
    eprintln!(
        "{} stories checked, {} file(s) not loaded: {errors} error(s), {warnings} warning(s)",
        report.stories.len(),
        report.errors.len(),
    );
    Ok(if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Lint with the bundled question bank and this build's demo registry.
pub fn findings(report: &LoadReport, options: &LintOptions) -> Vec<rehearse::story::lint::Finding> {
    lint_report(
        report,
        &QuestionBank::bundled(),
        &rehearse::demo::is_known,
        options,
    )
}
