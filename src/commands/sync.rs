//! `rehearse sync [--dir DIR]`: this machine's new reviews, undos and mock answers written to
//! its log in the sync folder, every other machine's merged in (see
//! [`rehearse::practice::sync`]).

use std::process::ExitCode;

use anyhow::{Result, bail};
use rehearse::practice::sync::SyncSummary;

use super::Env;
use crate::cli::SyncArgs;

pub fn run(env: &Env, args: SyncArgs) -> Result<ExitCode> {
    let Some(folder) = args.dir.or_else(|| env.config.sync.dir.clone()) else {
        bail!(
            "no sync folder: set `dir = \"...\"` under `[sync]` in the config, or pass --dir DIR"
        );
    };
    let practice = super::practice(env, None)?;
    let plan = practice.read_sync_folder(&folder)?;
    let machines = plan.machines();
    if !machines.is_empty() {
        // Said before the merge's one transaction starts: a large folder takes a moment.
        eprintln!(
            "merging the logs of {} other machine(s) ({} entries)...",
            machines.len(),
            plan.entries()
        );
    }
    let summary = practice.finish_sync(plan)?;
    print_summary(&summary);
    Ok(if summary.skipped.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn print_summary(summary: &SyncSummary) {
    let merged = &summary.merged;
    println!(
        "Synced with {} as {}.",
        summary.folder.display(),
        summary.machine
    );
    println!(
        "  wrote {} new entr{} to {}.jsonl",
        summary.written,
        if summary.written == 1 { "y" } else { "ies" },
        summary.machine
    );
    if summary.machines.is_empty() {
        println!("  no other machine's log yet");
    } else {
        println!(
            "  merged from {} other machine(s) ({}): {} review(s), {} undo(s), {} mock answer(s), {} pick-card review(s); {} already here",
            summary.machines.len(),
            summary.machines.join(", "),
            merged.reviews,
            merged.undos,
            merged.mock_answers,
            merged.pick_reviews,
            merged.known
        );
    }
    if merged.rescheduled > 0 {
        println!(
            "  {} card(s) rescheduled from their whole history",
            merged.rescheduled
        );
    }
    for (file, line) in &summary.cut {
        eprintln!(
            "note: the last line of {} (line {line}) is incomplete (cut off while it was written?): skipped, it is merged once complete",
            file.display()
        );
    }
    if merged.waiting > 0 {
        let cards: Vec<String> = merged
            .missing_cards
            .iter()
            .map(ToString::to_string)
            .collect();
        eprintln!(
            "note: {} review(s) of card(s) not in the stories here ({}) stay in the log; they are merged once those stories are here",
            merged.waiting,
            cards.join(", ")
        );
    }
    for skipped in &summary.skipped {
        eprintln!("error: {skipped}");
    }
}
