//! `rehearse questions [--competency K]`: every question of the bank under its competency,
//! with the stories that answer that competency (primary ones first).

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use anyhow::{Result, bail};
use rehearse::story::Story;
use rehearse::story::question_bank::{QuestionBank, stories_answering};

use super::{Env, load_stories};

pub fn run(env: &Env, competency: Option<&str>) -> Result<ExitCode> {
    let bank = QuestionBank::bundled();
    if let Some(key) = competency
        && bank.get(key).is_none()
    {
        bail!(
            "unknown competency `{key}`; known: {}",
            bank.keys().collect::<Vec<_>>().join(", ")
        );
    }
    let report = load_stories(env)?;
    let stories: Vec<&Story> = report.stories.iter().collect();
    let mut out = String::new();
    for entry in bank
        .competencies
        .iter()
        .filter(|c| competency.is_none_or(|key| c.key == key))
    {
        let _ = writeln!(out, "{} ({})", entry.name, entry.key);
        let answering = stories_answering(&entry.key, &stories);
        let names: Vec<String> = answering
            .iter()
            .map(|story| {
                let mut notes = Vec::new();
                if story.meta.competencies.first() == Some(&entry.key) {
                    notes.push("primary");
                }
                if story.meta.draft {
                    notes.push("draft");
                }
                if notes.is_empty() {
                    story.id().to_owned()
                } else {
                    format!("{} ({})", story.id(), notes.join(", "))
                }
            })
            .collect();
        if names.is_empty() {
            let _ = writeln!(out, "  stories: none yet");
        } else {
            let _ = writeln!(out, "  stories: {}", names.join(", "));
        }
        for question in &entry.questions {
            let _ = writeln!(out, "  - {question}");
        }
        out.push('\n');
    }
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
