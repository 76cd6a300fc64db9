//! `rehearse list`: one line a story, with its lint status.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use rehearse::story::Story;
use rehearse::story::lint::{LintOptions, Tally, lint_story};
use rehearse::story::question_bank::QuestionBank;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::{Env, load_stories};

pub fn run(env: &Env) -> Result<ExitCode> {
    let report = load_stories(env)?;
    let options = LintOptions::from(&env.config.lint);
    let bank = QuestionBank::bundled();
    let rows: Vec<[String; 5]> = report
        .stories
        .iter()
        .map(|story| {
            [
                story.id().to_owned(),
                story.meta.title.clone(),
                story.meta.tags.join(","),
                story.meta.demo.clone().unwrap_or_else(|| "-".to_owned()),
                lint_status(story, &bank, &options),
            ]
        })
        .collect();
    let header = ["ID", "TITLE", "TAGS", "DEMO", "LINT"].map(String::from);
    // Columns are measured in terminal cells: a CJK character or an emoji takes two.
    let mut widths = header.clone().map(|h| h.width());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.width());
        }
    }
    // Titles and tags are the long columns: cap them so a row fits a terminal.
    widths[1] = widths[1].min(48);
    widths[2] = widths[2].min(28);
    let mut out = std::io::stdout().lock();
    for row in std::iter::once(&header).chain(&rows) {
        let cells: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, width)| pad(&truncate(cell, width), width))
            .collect();
        writeln!(out, "{}", cells.join("  ").trim_end())?;
    }
    if !report.errors.is_empty() {
        writeln!(
            out,
            "\n{} stories listed; {} file(s) skipped (see above, or run `rehearse lint`)",
            report.stories.len(),
            report.errors.len()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn lint_status(story: &Story, bank: &QuestionBank, options: &LintOptions) -> String {
    let findings = lint_story(story, bank, &rehearse::demo::is_known, options);
    Tally::of(&findings).status(story.meta.draft)
}

/// `text` cut to `width` terminal cells, with `…` where it was cut.
fn truncate(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_owned();
    }
    let mut cut = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        cut.push(c);
        used += w;
    }
    cut.push('…');
    cut
}

/// `text` followed by spaces up to `width` terminal cells.
fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(text.width())))
}
