//! Fixtures for the TUI's unit and snapshot tests: a few stories (a copy, so edits to the
//! bundled ones do not churn the snapshots), an in-memory store, a fixed clock.

use std::path::PathBuf;

use jiff::Timestamp;

use crate::config::DrillConfig;
use crate::srs::{DrillMode, DrillSession, Scheduler, SchedulerConfig, Scope};
use crate::store::Store;
use crate::story::lint::LintOptions;
use crate::story::load_paths;

use super::app::App;
use super::data::Data;
use super::keymap::Keymap;
use super::theme::Theme;

pub fn now() -> Timestamp {
    "2026-11-25T18:00:00Z".parse().unwrap()
}

pub fn testdata() -> PathBuf {
    [env!("CARGO_MANIFEST_DIR"), "src", "tui", "testdata"]
        .iter()
        .collect()
}

/// The app on the fixture stories, cards synced into `store` at [`now`].
pub fn app_with(store: &Store) -> App {
    let report = load_paths(&[testdata()]);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let mut data = Data::new(
        report.stories,
        vec![],
        &LintOptions::default(),
        crate::demo::is_known,
    );
    store.sync_cards(&data.deck, now()).unwrap();
    data.set_cards(store.live_cards().unwrap());
    App::new(
        data,
        Keymap::defaults(),
        Theme::colored(),
        &DrillConfig::default(),
        now(),
    )
}

pub fn app() -> (App, Store) {
    let store = Store::open_in_memory().unwrap();
    let app = app_with(&store);
    (app, store)
}

/// Starts a drill the way [`super::effects`] does, without a session row.
pub fn start_drill(app: &mut App, store: &Store, scope: Scope) {
    let cards = store
        .drill_cards(&app.data.deck, &scope, DrillMode::Scheduled, app.now)
        .unwrap();
    assert!(!cards.is_empty());
    let scheduler = Scheduler::new(SchedulerConfig::default()).unwrap();
    app.begin_drill(
        DrillSession::new(scheduler, DrillMode::Scheduled, cards),
        scope,
        None,
    );
}
