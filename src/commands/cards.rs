//! `rehearse cards [--orphans]`: the review cards derived from the stories, with their
//! schedules; or the cards whose question left its story.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use rehearse::practice::due::due_text;
use rehearse::srs::stats;

use super::Env;
use crate::cli::CardsArgs;

pub fn run(env: &Env, args: CardsArgs) -> Result<ExitCode> {
    let practice = super::practice(env, None)?;
    let now = practice.now();
    let tz = practice.time_zone();
    let mut out = std::io::stdout().lock();
    if args.orphans {
        let orphans = practice.orphans()?;
        if orphans.is_empty() {
            writeln!(
                out,
                "No orphaned cards: every card's question is still in its story."
            )?;
            return Ok(ExitCode::SUCCESS);
        }
        writeln!(
            out,
            "{} card(s) whose question left its story (history kept; restore the question to resume):",
            orphans.len()
        )?;
        for card in orphans {
            let since = card
                .orphaned_at
                .map(|at| stats::day_of(at, tz).to_string())
                .unwrap_or_default();
            writeln!(
                out,
                "  {}  {} review(s), orphaned {since}\n    {}",
                card.id, card.state.reps, card.prompt
            )?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let cards = practice.cards()?;
    writeln!(
        out,
        "{} card(s) from {} stories:",
        cards.len(),
        practice.deck().stories.len()
    )?;
    for card in &cards {
        writeln!(
            out,
            "  {:<11} {:<10} {}{}\n    {}",
            card.state.phase.as_str(),
            due_text(&card.state, now),
            card.id,
            if card.edited() { "  (edited)" } else { "" },
            card.prompt
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
