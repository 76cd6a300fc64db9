//! `rehearse export`: write the prep pack (see [`rehearse::export::file`]: atomically, never
//! over an existing file without `--force`, never over a device, pipe or folder); `-o -`
//! writes to stdout.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};
use rehearse::export::file::write_pack;
use rehearse::export::{PackInput, render};
use rehearse::story::question_bank::QuestionBank;

use super::{Env, load_stories, open_store};
use crate::cli::ExportArgs;

pub fn run(env: &Env, args: ExportArgs) -> Result<ExitCode> {
    let report = load_stories(env)?;
    let stories: Vec<_> = report
        .stories
        .iter()
        .filter(|s| {
            args.tag
                .as_ref()
                .is_none_or(|tag| s.meta.tags.contains(tag))
        })
        .collect();
    if let Some(tag) = &args.tag
        && stories.is_empty()
    {
        bail!("no story has the tag `{tag}`");
    }
    let store = open_store(env)?;
    let mut demo_runs = BTreeMap::new();
    for id in stories.iter().filter_map(|s| s.meta.demo.as_deref()) {
        if let Some(run) = store.latest_demo_run(id)? {
            demo_runs.insert(id.to_owned(), run);
        }
    }
    let included: Vec<&str> = stories.iter().map(|s| s.id()).collect();
    let mut progress = super::progress::story_progress(env, &store, &report)?;
    progress.retain(|p| included.contains(&p.story_id.as_str()));
    let bank = QuestionBank::bundled();
    let pack = render(&PackInput {
        stories,
        bank: &bank,
        demo_runs,
        progress,
        skipped: report.errors.iter().map(ToString::to_string).collect(),
        generated: jiff::ZonedDateTime::now().date().to_string(),
        tag: args.tag.clone(),
    });
    let pack = pack + &super::mock::export_section(env, &store, &report.stories, &bank)?;

    if args.output == Path::new("-") {
        std::io::stdout().lock().write_all(pack.as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    let written = write_pack(&args.output, pack.as_bytes(), args.force)?;
    let through = if written.through_link {
        format!(" -> {}", written.file.display())
    } else {
        String::new()
    };
    eprintln!(
        "wrote {}{through} ({} stories{})",
        args.output.display(),
        report.stories.len(),
        if report.errors.is_empty() {
            String::new()
        } else {
            format!(", {} file(s) skipped", report.errors.len())
        }
    );
    Ok(ExitCode::SUCCESS)
}
