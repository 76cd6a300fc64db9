//! `rehearse cards [--orphans]`, and what the SRS commands share: loading the deck from the
//! stories and bringing the database's cards in line with it.

use std::io::Write;
use std::process::ExitCode;

use std::sync::Arc;

use anyhow::{Context, Result};
use jiff::Timestamp;
use rehearse::practice::{Practice, Settings, SystemClock};
use rehearse::srs::{Deck, format_interval, stats};
use rehearse::store::{Store, StoredCard, SyncReport};
use rehearse::story::LoadReport;

use super::Env;
use crate::cli::CardsArgs;

/// Loads the stories, opens the database and syncs the cards: the practice core every SRS
/// command works on. Cards that lost their question are reported on stderr, never dropped.
pub(super) fn practice(env: &Env, interview_date: Option<jiff::civil::Date>) -> Result<Practice> {
    let report = super::load_stories(env)?;
    let store = super::open_store(env)?;
    let mut settings = Settings::new(
        env.config.srs.clone(),
        vec![env.paths.stories.path().to_owned()],
    );
    settings.interview_date = interview_date;
    let (practice, sync) = Practice::new(report, store, settings, Arc::new(SystemClock))
        .with_context(|| format!("updating the cards in {}", env.paths.db.display()))?;
    practice.check_interview_date(interview_date)?;
    note_sync(&sync);
    Ok(practice)
}

fn note_sync(sync: &SyncReport) {
    for rename in &sync.renamed {
        eprintln!(
            "note: story `{}` is now `{}`; its cards and their history moved with it",
            rename.from, rename.to
        );
    }
    if sync.orphaned > 0 {
        eprintln!(
            "note: {} card(s) lost their question; their history is kept (`rehearse cards --orphans` lists them)",
            sync.orphaned
        );
    }
}

/// Derives the cards of already loaded stories and syncs them into `store` (for the export,
/// which holds the stories and the store itself).
pub(super) fn sync_deck(
    env: &Env,
    store: &Store,
    report: &LoadReport,
    now: Timestamp,
) -> Result<Deck> {
    let deck = Deck::from_stories(&report.stories, report.errors.is_empty());
    let sync = store
        .sync_cards(&deck, now)
        .with_context(|| format!("updating the cards in {}", env.paths.db.display()))?;
    note_sync(&sync);
    Ok(deck)
}

/// The stored (not orphaned) cards of the deck's stories, as [`Practice::cards`] has them.
pub(super) fn drilled_cards(store: &Store, deck: &Deck) -> Result<Vec<StoredCard>> {
    let drilled = deck.card_ids();
    Ok(store
        .live_cards()?
        .into_iter()
        .filter(|c| drilled.contains(&c.id))
        .collect())
}

pub fn run(env: &Env, args: CardsArgs) -> Result<ExitCode> {
    let practice = practice(env, None)?;
    let now = practice.now();
    let tz = practice.time_zone();
    let mut out = std::io::stdout().lock();
    if args.orphans {
        let orphans = practice.store().orphans()?;
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
            due_text(card, now),
            card.id,
            if card.edited() { "  (edited)" } else { "" },
            card.prompt
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `now`, `in 3d`, `new`.
pub(super) fn due_text(card: &StoredCard, now: Timestamp) -> String {
    if card.state.phase == rehearse::srs::Phase::New {
        "new".to_owned()
    } else if card.state.due <= now {
        "due now".to_owned()
    } else {
        format!("in {}", format_interval(card.state.due.duration_since(now)))
    }
}
