//! `rehearse anki export` and `rehearse anki import`: the cards as an Anki deck, and the
//! reviews made in Anki (on a phone, say) back into the history (see
//! [`rehearse::practice::sync`]).

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};

use super::Env;
use crate::cli::AnkiCommand;

pub fn run(env: &Env, command: AnkiCommand) -> Result<ExitCode> {
    match command {
        AnkiCommand::Export { output, tag } => export(env, &output, tag.as_deref()),
        AnkiCommand::Import { file } => import(env, &file),
    }
}

fn export(env: &Env, output: &Path, tag: Option<&str>) -> Result<ExitCode> {
    if output.is_dir() {
        bail!(
            "{} is a folder; name the file to write, e.g. -o {}",
            output.display(),
            output.join("rehearse.apkg").display()
        );
    }
    if let Some(folder) = output.parent().filter(|p| !p.as_os_str().is_empty())
        && !folder.is_dir()
    {
        bail!(
            "cannot write {}: the folder {} does not exist",
            output.display(),
            folder.display()
        );
    }
    let practice = super::practice(env, None)?;
    let exported = practice.export_anki(output, tag)?;
    println!(
        "wrote {}: {} note(s) in {} story deck(s) under \"{}\"",
        output.display(),
        exported.notes,
        exported.stories,
        rehearse::sync::anki::ROOT_DECK
    );
    println!(
        "In Anki: File > Import. After editing a story, export and import again: the notes are updated, their reviews kept."
    );
    Ok(ExitCode::SUCCESS)
}

fn import(env: &Env, file: &Path) -> Result<ExitCode> {
    let practice = super::practice(env, None)?;
    let import = practice.import_anki(file)?;
    let merged = &import.merged;
    println!(
        "{}: {} new review(s) added, {} already here; {} card(s) rescheduled from their whole history",
        file.display(),
        merged.reviews,
        merged.known,
        merged.rescheduled
    );
    if import.found == 0 {
        println!(
            "No reviews of rehearse's cards in it yet: review them in Anki, then export with scheduling."
        );
    }
    if import.others > 0 {
        println!("{} review(s) of other decks' notes ignored.", import.others);
    }
    if import.not_answers > 0 {
        println!(
            "{} manual reschedule(s) in Anki ignored (not answers).",
            import.not_answers
        );
    }
    if !import.missing.is_empty() {
        let cards: Vec<String> = import.missing.iter().map(ToString::to_string).collect();
        eprintln!(
            "note: reviews of {} card(s) not in the stories here were not imported: {}",
            cards.len(),
            cards.join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}
