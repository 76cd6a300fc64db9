//! `rehearse import PATH... [--into DIR] [--dry-run]`: notes -> draft stories. The work is in
//! `rehearse::import`; this prints what it did, one line per story and per refused file.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use rehearse::import::{self, Draft, Outcome};
use rehearse::story::{SectionKind, StoryKind};

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
    import::check_into(&into)?;
    let mut report = import::plan(&args.paths, &into);
    if !args.dry_run {
        report = import::write(report, &into);
    }
    let (mut new, mut existing, mut duplicates) = (0, 0, 0);
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
                imported_from,
            } => {
                existing += 1;
                let same_file = std::fs::canonicalize(source)
                    .is_ok_and(|s| s.to_string_lossy() == imported_from.as_str());
                let from = if same_file {
                    source.display().to_string()
                } else {
                    format!("{imported_from} (the same text as in {})", source.display())
                };
                println!(
                    "exists {}  \"{}\": already imported from {from}; left alone",
                    path.display(),
                    one_line(title)
                );
            }
            Outcome::Duplicate {
                source,
                title,
                first_source,
                first_title,
            } => {
                duplicates += 1;
                println!(
                    "duplicate {}  \"{}\": the same text as \"{}\" in {}; one draft for both",
                    source.display(),
                    one_line(title),
                    one_line(first_title),
                    first_source.display()
                );
            }
        }
    }
    for decoded in &report.decoded {
        println!("note: {}", one_line(&decoded.to_string()));
    }
    for skipped in &report.skipped {
        println!("skipped {}", one_line(&skipped.to_string()));
    }
    for error in &report.errors {
        eprintln!("error: {}; skipped", one_line(&error.to_string()));
    }
    let skipped = report.errors.len() + report.skipped.len();
    let counts = format!(
        "{new} draft(s); {existing} already imported; {duplicates} duplicate(s); {skipped} skipped"
    );
    if args.dry_run {
        println!("would create {counts}; nothing written (--dry-run)");
    } else {
        println!("created {counts}");
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

/// Text printed on one line of its own: a carriage return or a line break in a title or a
/// message from the notes would break the output's lines.
fn one_line(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}

/// `"Title" (id x): Situation, Task; not found: Action, Result; 1 question(s); unplaced: 12
/// word(s) ("first words…")`
fn describe(draft: &Draft) -> String {
    let parts: Vec<&str> = draft
        .parts
        .iter()
        .filter(|kind| **kind != SectionKind::Unplaced)
        .map(|kind| kind.title())
        .collect();
    let mut out = format!(
        "\"{}\" (id {}): {}",
        one_line(&draft.meta.title),
        draft.meta.id,
        if parts.is_empty() {
            "no parts found".to_owned()
        } else {
            parts.join(", ")
        }
    );
    let unsplit = draft.meta.source.as_ref().is_some_and(|s| s.unsplit);
    if unsplit {
        out.push_str(" (all the prose, to split by hand)");
    }
    let missing: Vec<&str> = SectionKind::STAR
        .iter()
        .filter(|kind| !draft.parts.contains(kind))
        .map(|kind| kind.title())
        .collect();
    if draft.meta.kind == StoryKind::Story && !unsplit && !missing.is_empty() {
        out.push_str(&format!("; not found: {}", missing.join(", ")));
    }
    out.push_str(&format!("; {} question(s)", draft.meta.questions.len()));
    if let Some(first) = draft.unplaced.first() {
        out.push_str(&format!(
            "; unplaced: {} word(s) (\"{}\")",
            draft.unplaced_words(),
            one_line(&preview(first))
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
