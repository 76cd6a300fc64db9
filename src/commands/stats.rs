//! `rehearse stats`: reviews a day, true retention, the 14-day due forecast, leeches.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use rehearse::srs::{Phase, stats};

use super::Env;
use super::cards::{Synced, scheduler, sync};

const DAYS: usize = 14;
const RETENTION_DAYS: i64 = 30;

pub fn run(env: &Env) -> Result<ExitCode> {
    let now = Timestamp::now();
    let tz = TimeZone::system();
    let Synced { store, deck } = sync(env, now)?;
    let scheduler = scheduler(env, None, &tz)?;
    let today = stats::day_of(now, &tz);
    let mut out = std::io::stdout().lock();

    let since = now - SignedDuration::from_hours(24 * RETENTION_DAYS);
    let log = store.reviews_since(since)?;
    writeln!(out, "Reviews a day (last {DAYS} days):")?;
    let per_day = stats::reviews_per_day(log.iter().map(|r| r.reviewed_at), &tz, today, DAYS);
    bars(&mut out, &per_day)?;

    let graduated = log
        .iter()
        .filter(|r| r.kind == rehearse::srs::ReviewKind::Review)
        .count();
    match stats::true_retention(log.iter().map(|r| (r.kind, r.grade))) {
        Some(retention) => writeln!(
            out,
            "\nTrue retention (last {RETENTION_DAYS} days): {:.0}% of {graduated} review(s) of graduated cards (target {:.0}%).",
            retention * 100.0,
            scheduler.config().desired_retention * 100.0
        )?,
        None => writeln!(
            out,
            "\nTrue retention: no reviews of graduated cards in the last {RETENTION_DAYS} days yet."
        )?,
    }

    let cards = super::cards::drilled_cards(&store, &deck)?;
    writeln!(
        out,
        "\nDue forecast (next {DAYS} days; new cards not counted):"
    )?;
    bars(
        &mut out,
        &stats::forecast(cards.iter().map(|c| &c.state), now, &tz, DAYS),
    )?;

    let count = |phase: Phase| cards.iter().filter(|c| c.state.phase == phase).count();
    writeln!(
        out,
        "\nCards: {} ({} new, {} learning, {} review, {} relearning); {} orphan(s); {} review(s) stored.",
        cards.len(),
        count(Phase::New),
        count(Phase::Learning),
        count(Phase::Review),
        count(Phase::Relearning),
        store.orphans()?.len(),
        store.review_count()?
    )?;

    let leeches: Vec<_> = cards
        .iter()
        .filter(|c| scheduler.is_leech(&c.state))
        .collect();
    if leeches.is_empty() {
        writeln!(out, "Leeches: none.")?;
    } else {
        writeln!(
            out,
            "Leeches (forgotten {}+ times: the story probably needs rewriting):",
            scheduler.config().leech_lapses
        )?;
        for card in leeches {
            writeln!(
                out,
                "  {}  {} lapses\n    {}",
                card.id, card.state.lapses, card.prompt
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn bars(out: &mut impl Write, counts: &[(jiff::civil::Date, usize)]) -> std::io::Result<()> {
    let max = counts.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    for (date, n) in counts {
        let bar = "#".repeat((n * 40).div_ceil(max));
        writeln!(out, "  {date} {:<3} {n:>4} {bar}", weekday(*date))?;
    }
    Ok(())
}

fn weekday(date: jiff::civil::Date) -> &'static str {
    use jiff::civil::Weekday::*;
    match date.weekday() {
        Monday => "Mon",
        Tuesday => "Tue",
        Wednesday => "Wed",
        Thursday => "Thu",
        Friday => "Fri",
        Saturday => "Sat",
        Sunday => "Sun",
    }
}
