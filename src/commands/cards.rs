//! `rehearse cards [--orphans]`, and what the SRS commands share: loading the deck from the
//! stories and bringing the database's cards in line with it.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use rehearse::srs::{Deck, Scheduler, format_interval, stats};
use rehearse::store::{Store, StoredCard};
use rehearse::story::LoadReport;

use super::Env;
use crate::cli::CardsArgs;

/// The stories' cards, and the database with its cards table brought up to date.
pub(super) struct Synced {
    pub store: Store,
    pub deck: Deck,
}

/// Loads the stories, derives their cards and syncs them into the database. Cards that lost
/// their question are reported on stderr, never dropped.
pub(super) fn sync(env: &Env, now: Timestamp) -> Result<Synced> {
    let report = super::load_stories(env)?;
    let store = super::open_store(env)?;
    let deck = sync_deck(env, &store, &report, now)?;
    Ok(Synced { store, deck })
}

/// Derives the cards of already loaded stories and syncs them into `store`.
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
    Ok(deck)
}

/// The stored (not orphaned) cards of the deck's stories: drafts and stories that failed to
/// load keep their cards in the store, but they are not drilled.
pub(super) fn drilled_cards(store: &Store, deck: &Deck) -> Result<Vec<StoredCard>> {
    let drilled = deck.card_ids();
    Ok(store
        .live_cards()?
        .into_iter()
        .filter(|c| drilled.contains(&c.id))
        .collect())
}

/// The scheduler from the config, with the command line's interview date if given.
pub(super) fn scheduler(
    env: &Env,
    interview_date: Option<jiff::civil::Date>,
    tz: &TimeZone,
) -> Result<Scheduler> {
    Scheduler::new(env.config.srs.scheduler_config(interview_date, tz))
        .context("invalid [srs] settings in the config")
}

pub fn run(env: &Env, args: CardsArgs) -> Result<ExitCode> {
    let now = Timestamp::now();
    let tz = TimeZone::system();
    let Synced { store, deck } = sync(env, now)?;
    let mut out = std::io::stdout().lock();
    if args.orphans {
        let orphans = store.orphans()?;
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
                .map(|at| stats::day_of(at, &tz).to_string())
                .unwrap_or_default();
            writeln!(
                out,
                "  {}  {} review(s), orphaned {since}\n    {}",
                card.id, card.state.reps, card.prompt
            )?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let cards = drilled_cards(&store, &deck)?;
    writeln!(
        out,
        "{} card(s) from {} stories:",
        cards.len(),
        deck.stories.len()
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
