//! `rehearse import PATH... [--into DIR] [--dry-run]`: notes -> draft stories. The work is in
//! `rehearse::import`; this prints what it did, one line per story and per refused file.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use rehearse::import::{self, Draft, Outcome};

use super::{Env, load_stories_quietly};
use crate::cli::ImportArgs;

pub fn run(env: &Env, args: ImportArgs) -> Result<ExitCode> {
    let into: PathBuf = match args.into {
        Some(dir) => dir,
        None => {
            // Makes sure the story folder exists (installing the bundled stories on first run).
            load_stories_quietly(env)?;
            env.paths.stories.path().to_owned()
        }
    };
    let mut report = import::plan(&args.paths, &into);
    if !args.dry_run {
        report = import::write(report, &into);
    }
    let (mut new, mut existing) = (0, 0);
    for outcome in &report.outcomes {
        match outcome {
            Outcome::New(draft) => {
                new += 1;
                let verb = if args.dry_run {
                    "would create"
                } else {
                    "created"
                };
                println!("{verb} {}  {}", draft.path.display(), describe(draft));
            }
            Outcome::Exists {
                source,
                title,
                path,
            } => {
                existing += 1;
                println!(
                    "exists {}  \"{title}\": already imported from {}; left alone",
                    path.display(),
                    source.display()
                );
            }
        }
    }
    for error in &report.errors {
        eprintln!("error: {error}; skipped");
    }
    let skipped = report.errors.len();
    if args.dry_run {
        println!(
            "would create {new} draft(s); {existing} already imported; {skipped} skipped; nothing written (--dry-run)"
        );
    } else {
        println!("created {new} draft(s); {existing} already imported; {skipped} skipped");
    }
    if new > 0 && !args.dry_run {
        println!(
            "next: `rehearse lint {}` lists what each draft still needs",
            into.display()
        );
    }
    Ok(if report.outcomes.is_empty() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// `"Title" (id x): Situation, Task; 1 question; unplaced: 12 words`
fn describe(draft: &Draft) -> String {
    let parts: Vec<&str> = draft
        .parts
        .iter()
        .filter(|kind| **kind != rehearse::story::SectionKind::Unplaced)
        .map(|kind| kind.title())
        .collect();
    let mut out = format!(
        "\"{}\" (id {}): {}",
        draft.meta.title,
        draft.meta.id,
        if parts.is_empty() {
            "no parts found".to_owned()
        } else {
            parts.join(", ")
        }
    );
    if draft.meta.source.as_ref().is_some_and(|s| s.unsplit) {
        out.push_str(" (all the prose, to split by hand)");
    }
    out.push_str(&format!("; {} question(s)", draft.meta.questions.len()));
    if let Some(first) = draft.unplaced.first() {
        out.push_str(&format!(
            "; unplaced: {} word(s) (\"{}\")",
            draft.unplaced_words(),
            preview(first)
        ));
    }
    out
}

/// The first line of a block, cut at about 40 characters.
fn preview(text: &str) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    match line.char_indices().nth(40) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.to_owned(),
    }
}
