//! Performs the [`Effect`]s `update` returns: store reads and writes, the demo runner, the
//! `$EDITOR` hand-off. Results go back into the app through its methods.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use crate::config::Config;
use crate::demo::runner::Runner;
use crate::srs::{DrillMode, DrillSession, Phase, ReviewKind, Scheduler, stats};
use crate::store::Store;
use crate::story::read_story;

use super::app::{App, DrillStart, Effect, Stats};

/// The side of the app that touches the world.
pub struct Effects {
    pub store: Store,
    pub runner: Runner,
    pub config: Config,
    pub tz: TimeZone,
}

/// Something the terminal must do around an effect (the editor needs the whole screen).
pub trait Terminal {
    /// Leaves the alternate screen and raw mode.
    fn suspend(&mut self) -> Result<()>;
    /// Comes back and redraws everything.
    fn resume(&mut self) -> Result<()>;
}

impl Effects {
    pub fn scheduler(&self) -> Result<Scheduler> {
        Scheduler::new(self.config.srs.scheduler_config(None, &self.tz))
            .context("invalid [srs] settings in the config")
    }

    /// Performs one effect. Errors that the user should see become the status line; only
    /// a broken terminal is returned as an error.
    pub fn perform(
        &mut self,
        effect: Effect,
        app: &mut App,
        term: &mut dyn Terminal,
    ) -> Result<()> {
        match effect {
            Effect::StartDrill(start) => {
                if let Err(e) = self.start_drill(start, app) {
                    app.set_error(format!("{e:#}"));
                }
            }
            Effect::RecordReview { review, session } => {
                match self.store.record_review(&review, session) {
                    Ok(()) => {
                        self.refresh_cards(app);
                        let next = if review.kind == ReviewKind::Cram {
                            "schedule unchanged".to_owned()
                        } else {
                            format!(
                                "next in {}",
                                crate::srs::format_interval(
                                    review.after.due.duration_since(review.reviewed_at)
                                )
                            )
                        };
                        app.set_status(format!("saved: {} ({next})", review.grade));
                    }
                    Err(e) => app.set_error(format!("the review was NOT saved: {e}")),
                }
            }
            Effect::UndoReview(review) => {
                if let Err(e) = self.store.undo_review(&review) {
                    app.set_error(format!("undo failed: {e}"));
                }
                self.refresh_cards(app);
            }
            Effect::FinishSession(id) => {
                if let Err(e) = self.store.finish_session(id, Timestamp::now()) {
                    app.set_error(format!("closing the session: {e}"));
                }
            }
            Effect::Edit { index } => self.edit(index, app, term)?,
            Effect::StartDemo { demo_id, params } => {
                let result = match crate::demo::find(&demo_id) {
                    Err(e) => Err(e.to_string()),
                    Ok(_) => self
                        .runner
                        .start(&demo_id, &params)
                        .map_err(|e| format!("cannot start the demo: {e}")),
                };
                app.demo_started(result);
            }
            Effect::CancelDemo => {
                self.runner.cancel();
            }
            Effect::LoadDemoRun(id) => match self.store.latest_demo_run(&id) {
                Ok(Some(run)) => {
                    app.data.demo_runs.insert(id, run);
                    app.dirty = true;
                }
                Ok(None) => {}
                Err(e) => app.set_error(format!("reading demo results: {e}")),
            },
            Effect::LoadStats => match self.stats(app) {
                Ok(stats) => {
                    app.stats = Some(stats);
                    app.dirty = true;
                }
                Err(e) => app.set_error(format!("{e:#}")),
            },
        }
        Ok(())
    }

    /// Reloads the cards' schedules (due counts, next due dates).
    pub fn refresh_cards(&self, app: &mut App) {
        match self.store.live_cards() {
            Ok(cards) => app.data.set_cards(cards),
            Err(e) => app.set_error(format!("reading the cards: {e}")),
        }
        app.dirty = true;
    }

    /// Syncs the deck into the store (new and edited cards) and reloads the cards.
    pub fn sync(&self, app: &mut App) -> Result<()> {
        self.store
            .sync_cards(&app.data.deck, Timestamp::now())
            .context("updating the cards")?;
        self.refresh_cards(app);
        Ok(())
    }

    /// Loads the latest run of every demo a story links.
    pub fn load_demo_runs(&self, app: &mut App) -> Result<()> {
        let ids: std::collections::BTreeSet<String> = app
            .data
            .stories
            .iter()
            .filter_map(|e| e.story.meta.demo.clone())
            .collect();
        for id in ids {
            if let Some(run) = self.store.latest_demo_run(&id)? {
                app.data.demo_runs.insert(id, run);
            }
        }
        Ok(())
    }

    pub(super) fn start_drill(&mut self, start: DrillStart, app: &mut App) -> Result<()> {
        let DrillStart { scope, mode, limit } = start;
        let now = Timestamp::now();
        app.now = now;
        let scope = app.data.deck.resolve(scope)?;
        let mut cards = self.store.drill_cards(&app.data.deck, &scope, mode, now)?;
        if let Some(limit) = limit {
            cards.truncate(limit);
        }
        if cards.is_empty() {
            let status = match mode {
                DrillMode::Scheduled => {
                    let next = app
                        .data
                        .cards
                        .iter()
                        .filter(|c| app.data.deck.in_scope(&c.id, &scope))
                        .map(|c| c.state.due)
                        .min();
                    let when = next
                        .map(|due| {
                            format!(
                                "; the next card is due in {}",
                                crate::srs::format_interval(due.duration_since(now))
                            )
                        })
                        .unwrap_or_default();
                    format!("nothing is due ({scope}){when}; a practises ahead")
                }
                DrillMode::Cram => {
                    format!("nothing to practise ahead ({scope}): every card is due; r drills them")
                }
            };
            app.set_status(status);
            return Ok(());
        }
        let session = DrillSession::new(self.scheduler()?, mode, cards);
        let id = self
            .store
            .start_session(mode, &scope.to_string(), "tui", now)?;
        app.begin_drill(session, scope, Some(id));
        Ok(())
    }

    fn edit(&mut self, index: usize, app: &mut App, term: &mut dyn Terminal) -> Result<()> {
        let Some(path) = app.data.stories.get(index).map(|e| e.story.path.clone()) else {
            return Ok(());
        };
        term.suspend()?;
        let outcome = run_editor(&path);
        // Back to the screen whatever the editor did.
        term.resume()?;
        app.dirty = true;
        let warning = match outcome {
            Ok(warning) => warning,
            Err(e) => {
                app.set_error(format!("{e:#}"));
                return Ok(());
            }
        };
        let result = match read_story(&path) {
            Ok(story) => {
                app.data.replace_story(index, story);
                self.sync(app).map_err(|e| format!("{e:#}"))
            }
            Err(e) => Err(format!("not reloaded: {e}")),
        };
        let result = match (result, warning) {
            (Ok(()), Some(warning)) => Err(format!("{warning}; the story was reloaded")),
            (Err(e), Some(warning)) => Err(format!("{warning}; {e}")),
            (result, None) => result,
        };
        app.story_reloaded(index, result);
        Ok(())
    }

    fn stats(&self, app: &App) -> Result<Stats> {
        let now = Timestamp::now();
        let today = stats::day_of(now, &self.tz);
        let scheduler = self.scheduler()?;
        let since = now - SignedDuration::from_hours(24 * 84);
        let log = self.store.reviews_since(since)?;
        let per_day =
            stats::reviews_per_day(log.iter().map(|r| r.reviewed_at), &self.tz, today, 84);
        let recent = now - SignedDuration::from_hours(24 * 30);
        let recent: Vec<_> = log.iter().filter(|r| r.reviewed_at >= recent).collect();
        let retention = stats::true_retention(recent.iter().map(|r| (r.kind, r.grade)));
        let retention_reviews = recent
            .iter()
            .filter(|r| r.kind == ReviewKind::Review)
            .count();
        let forecast = stats::forecast(app.data.cards.iter().map(|c| &c.state), now, &self.tz, 14);
        let leeches = app
            .data
            .cards
            .iter()
            .filter(|c| c.state.phase != Phase::New && scheduler.is_leech(&c.state))
            .map(|c| (c.id.clone(), c.state.lapses, c.prompt.clone()))
            .collect();
        Ok(Stats {
            per_day,
            retention,
            retention_reviews,
            target_retention: scheduler.config().desired_retention,
            forecast,
            leeches,
            total_reviews: self.store.review_count()?,
        })
    }
}

/// Runs `$VISUAL`, else `$EDITOR`, else `vi`, on a file; the command may carry arguments
/// (`code --wait`).
fn run_editor(path: &std::path::Path) -> Result<Option<String>> {
    let editor = std::env::var("VISUAL")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .or_else(|| {
            std::env::var("EDITOR")
                .ok()
                .filter(|v| !v.trim().is_empty())
        })
        .unwrap_or_else(|| "vi".to_owned());
    let mut words = editor.split_whitespace();
    let program = words.next().unwrap_or("vi");
    let status = Command::new(program)
        .args(words)
        .arg(PathBuf::from(path))
        .status()
        .with_context(|| format!("cannot start the editor `{editor}` (set $EDITOR)"))?;
    Ok((!status.success()).then(|| format!("the editor `{editor}` exited with {status}")))
}
