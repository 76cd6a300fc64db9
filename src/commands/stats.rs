//! `rehearse stats`: the practice core's [`rehearse::practice::Stats`] as text: reviews a day,
//! true retention, the 14-day due forecast, card counts, leeches, and how each story's spoken
//! answers moved from the first attempt to the latest.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use rehearse::practice::stats::{FORECAST_DAYS, RETENTION_DAYS};
use rehearse::srs::stats::DayCount;

use super::Env;

/// Days of reviews shown.
const DAYS: usize = 14;

pub fn run(env: &Env) -> Result<ExitCode> {
    let practice = super::practice(env, None)?;
    let stats = practice.stats(DAYS)?;
    let mut out = std::io::stdout().lock();

    writeln!(out, "Reviews a day (last {DAYS} days):")?;
    bars(&mut out, &stats.per_day)?;

    match stats.retention {
        Some(retention) => writeln!(
            out,
            "\nTrue retention (last {RETENTION_DAYS} days): {:.0}% of {} review(s) of graduated cards (target {:.0}%).",
            retention * 100.0,
            stats.retention_reviews,
            stats.target_retention * 100.0
        )?,
        None => writeln!(
            out,
            "\nTrue retention: no reviews of graduated cards in the last {RETENTION_DAYS} days yet."
        )?,
    }

    writeln!(
        out,
        "\nDue forecast (next {FORECAST_DAYS} days; new cards not counted):"
    )?;
    bars(&mut out, &stats.forecast)?;

    let phases = stats.phases;
    writeln!(
        out,
        "\nCards: {} ({} new, {} learning, {} review, {} relearning); {} orphan(s); {} review(s) stored.",
        phases.total(),
        phases.new,
        phases.learning,
        phases.review,
        phases.relearning,
        stats.orphans,
        stats.total_reviews
    )?;
    let origins = practice.review_origins()?;
    if origins.anki + origins.other_machines > 0 {
        writeln!(
            out,
            "Of those reviews, {} were answered in Anki and {} merged from other machines.",
            origins.anki, origins.other_machines
        )?;
    }

    if stats.leeches.is_empty() {
        writeln!(out, "Leeches: none.")?;
    } else {
        writeln!(
            out,
            "Leeches (forgotten {}+ times: the story probably needs rewriting):",
            stats.leech_lapses
        )?;
        for leech in &stats.leeches {
            writeln!(
                out,
                "  {}  {} lapses\n    {}",
                leech.card, leech.lapses, leech.prompt
            )?;
        }
    }
    if !stats.spoken.is_empty() {
        writeln!(out, "\nSpoken answers, first -> latest attempt:")?;
    }
    for trend in &stats.spoken {
        let (first, latest) = (&trend.first, &trend.latest);
        writeln!(
            out,
            "  {} ({} attempt(s)): coverage {:.0}% -> {:.0}%, key numbers said {}/{} -> {}/{}{}, fillers {:.1} -> {:.1} a minute, pace {:.0} -> {:.0} words a minute",
            trend.story_id,
            trend.attempts,
            first.coverage * 100.0,
            latest.coverage * 100.0,
            first.numbers_said,
            first.numbers_total,
            latest.numbers_said,
            latest.numbers_total,
            if latest.numbers_wrong > 0 {
                format!(" ({} wrong)", latest.numbers_wrong)
            } else {
                String::new()
            },
            first.fillers_per_minute,
            latest.fillers_per_minute,
            first.words_per_minute,
            latest.words_per_minute,
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn bars(out: &mut impl Write, counts: &[DayCount]) -> std::io::Result<()> {
    let max = counts.iter().map(|d| d.count).max().unwrap_or(0).max(1);
    for DayCount { date, count } in counts {
        let bar = "#".repeat((count * 40).div_ceil(max));
        writeln!(out, "  {date} {:<3} {count:>4} {bar}", weekday(*date))?;
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
