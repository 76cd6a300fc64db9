//! `rehearse due`: what is due now and in the coming week, by story.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use jiff::SignedDuration;
use rehearse::srs::{Phase, is_due, stats};

use super::Env;
use crate::cli::DueArgs;

#[derive(Default)]
struct Counts {
    now: usize,
    new: usize,
    week: usize,
}

pub fn run(env: &Env, args: DueArgs) -> Result<ExitCode> {
    let practice = super::cards::practice(env, args.interview_date)?;
    let now = practice.now();
    let tz = practice.time_zone();
    let scheduler = practice.scheduler()?;
    let deck = practice.deck();
    let week_end = now + SignedDuration::from_hours(24 * 7);
    let mut by_story: BTreeMap<&str, Counts> = BTreeMap::new();
    let cards = practice.cards()?;
    for card in &cards {
        let counts = by_story.entry(card.id.story_id.as_str()).or_default();
        if is_due(&card.state, now) {
            counts.now += 1;
            counts.new += usize::from(card.state.phase == Phase::New);
        } else if card.state.due <= week_end {
            counts.week += 1;
        }
    }
    let total = by_story.values().fold(Counts::default(), |t, c| Counts {
        now: t.now + c.now,
        new: t.new + c.new,
        week: t.week + c.week,
    });
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
    if by_story.values().all(|c| c.now + c.week == 0) {
        return Ok(ExitCode::SUCCESS);
    }
    let width = by_story.keys().map(|k| k.len()).max().unwrap_or(5).max(5);
    writeln!(
        out,
        "\n{:<width$}  {:>4}  {:>4}  {:>9}  TITLE",
        "STORY", "NOW", "NEW", "THIS WEEK"
    )?;
    for (story, counts) in &by_story {
        if counts.now + counts.week == 0 {
            continue;
        }
        let title = deck.story(story).map(|s| s.title.as_str()).unwrap_or("");
        writeln!(
            out,
            "{story:<width$}  {:>4}  {:>4}  {:>9}  {title}",
            counts.now, counts.new, counts.week
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
