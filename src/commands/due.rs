//! `rehearse due`: what is due now and in the coming week, by story, and the pick cards a mock
//! made, counted as the drill counts them (the practice core's [`DueCounts`]).

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use rehearse::practice::{DueCounts, StoryDue};
use rehearse::srs::stats;

use super::Env;
use crate::cli::DueArgs;

/// The row the pick cards take in the table.
const PICKS: &str = "(pick cards)";

pub fn run(env: &Env, args: DueArgs) -> Result<ExitCode> {
    let practice = super::practice(env, args.interview_date)?;
    let now = practice.now();
    let tz = practice.time_zone();
    let scheduler = practice.scheduler()?;
    let due = practice.due()?;
    let total = due.total();
    let mut out = std::io::stdout().lock();
    if let Some(interview) = scheduler.config().interview {
        let date = stats::day_of(interview, tz);
        match scheduler.interview_cap_days(now) {
            Some(cap) => {
                writeln!(
                    out,
                    "Interview on {date}: intervals capped at {cap} day(s) so every card comes back at least twice before it."
                )?;
                if total.new > 0 {
                    writeln!(
                        out,
                        "{} card(s) not started yet: start them soon so each is seen twice before the interview.",
                        total.new
                    )?;
                }
            }
            None => writeln!(out, "Interview on {date}: under way or past, no cap.")?,
        }
    }
    writeln!(
        out,
        "Due now: {} card(s), {} of them new. Due later this week: {}.",
        total.now, total.new, total.week
    )?;
    let rows = rows(&due);
    if rows.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    let deck = practice.deck();
    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(5).max(5);
    writeln!(
        out,
        "\n{:<width$}  {:>4}  {:>4}  {:>9}  TITLE",
        "STORY", "NOW", "NEW", "THIS WEEK"
    )?;
    for (story, counts) in rows {
        let title = match story {
            PICKS => "which story answers a mock's question (in a drill of every story)",
            id => deck.story(id).map(|s| s.title.as_str()).unwrap_or(""),
        };
        writeln!(
            out,
            "{story:<width$}  {:>4}  {:>4}  {:>9}  {title}",
            counts.now, counts.new, counts.week
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The stories with something due this week, then the pick cards when any are.
fn rows(due: &DueCounts) -> Vec<(&str, StoryDue)> {
    due.by_story
        .iter()
        .map(|(id, counts)| (id.as_str(), *counts))
        .chain(std::iter::once((PICKS, due.picks)))
        .filter(|(_, counts)| counts.now + counts.week > 0)
        .collect()
}
