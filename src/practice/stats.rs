//! Statistics for a window of days, the same for `rehearse stats` and the TUI's stats screen:
//! reviews a day, true retention over 30 days, the 14-day due forecast, leeches, card counts.

use jiff::SignedDuration;

use super::{Practice, Result};
use crate::speech::progress::StoryTrend;
use crate::srs::stats::{self, DayCount};
use crate::srs::{CardId, Phase, ReviewKind};

/// Retention is measured over this many days.
pub const RETENTION_DAYS: i64 = 30;
/// The due forecast covers this many days.
pub const FORECAST_DAYS: usize = 14;

/// A card forgotten often enough that its story probably needs rewriting.
#[derive(Debug, Clone, PartialEq)]
pub struct Leech {
    pub card: CardId,
    pub lapses: u32,
    pub prompt: String,
}

/// Cards by phase.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PhaseCounts {
    pub new: usize,
    pub learning: usize,
    pub review: usize,
    pub relearning: usize,
}

impl PhaseCounts {
    pub fn total(&self) -> usize {
        self.new + self.learning + self.review + self.relearning
    }
}

/// Everything both stats views show.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    /// Reviews on each day of the window, oldest first.
    pub per_day: Vec<DayCount>,
    /// True retention over [`RETENTION_DAYS`]; None without reviews of graduated cards.
    pub retention: Option<f64>,
    /// The reviews of graduated cards it is measured on.
    pub retention_reviews: usize,
    pub target_retention: f64,
    /// Cards coming due on each of the next [`FORECAST_DAYS`] days (new cards not counted).
    pub forecast: Vec<DayCount>,
    /// Leeches among cards already started (a new card is never a leech).
    pub leeches: Vec<Leech>,
    pub leech_lapses: u32,
    pub phases: PhaseCounts,
    pub orphans: usize,
    pub total_reviews: u64,
    /// Per story, how its spoken answers moved from the first to the latest.
    pub spoken: Vec<StoryTrend>,
}

impl Practice {
    /// Statistics with reviews counted for each of the last `days` days.
    pub fn stats(&self, days: usize) -> Result<Stats> {
        let now = self.now();
        let tz = self.time_zone();
        let today = stats::day_of(now, tz);
        let scheduler = self.scheduler()?;
        let window = i64::try_from(days).unwrap_or(i64::MAX).max(RETENTION_DAYS);
        let log = self
            .store
            .reviews_since(now - SignedDuration::from_hours(24 * window))?;
        let per_day = stats::reviews_per_day(log.iter().map(|r| r.reviewed_at), tz, today, days);
        let recent = now - SignedDuration::from_hours(24 * RETENTION_DAYS);
        let recent: Vec<_> = log.iter().filter(|r| r.reviewed_at >= recent).collect();
        let retention = stats::true_retention(recent.iter().map(|r| (r.kind, r.grade)));
        let retention_reviews = recent
            .iter()
            .filter(|r| r.kind == ReviewKind::Review)
            .count();
        let cards = self.cards()?;
        let forecast = stats::forecast(cards.iter().map(|c| &c.state), now, tz, FORECAST_DAYS);
        let leeches = cards
            .iter()
            .filter(|c| c.state.phase != Phase::New && scheduler.is_leech(&c.state))
            .map(|c| Leech {
                card: c.id.clone(),
                lapses: c.state.lapses,
                prompt: c.prompt.clone(),
            })
            .collect();
        let mut phases = PhaseCounts::default();
        for card in &cards {
            match card.state.phase {
                Phase::New => phases.new += 1,
                Phase::Learning => phases.learning += 1,
                Phase::Review => phases.review += 1,
                Phase::Relearning => phases.relearning += 1,
            }
        }
        Ok(Stats {
            per_day,
            retention,
            retention_reviews,
            target_retention: scheduler.config().desired_retention,
            forecast,
            leeches,
            leech_lapses: scheduler.config().leech_lapses,
            phases,
            orphans: self.store.orphans()?.len(),
            total_reviews: self.store.review_count()?,
            spoken: self.spoken_trends()?,
        })
    }
}
