//! Two practices (two machines' databases) on one story folder, syncing through one folder;
//! Anki packages made from our export without Anki (the real one: `tests/anki_real.rs`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use super::*;
use crate::config::SrsConfig;
use crate::practice::{DrillPlan, DrillRequest, FixedClock, Interface, Settings};
use crate::srs::{Grade, Scope, Timing};
use crate::store::Store;
use crate::story::load_paths;
use crate::sync::anki::testing::{Form, reviewed_package};

fn t(minutes: i64) -> Timestamp {
    "2026-11-25T18:00:00Z".parse::<Timestamp>().unwrap() + SignedDuration::from_mins(minutes)
}

const STORY: &str = "---\nid: refresh\ntitle: Daily refresh\ntags: [performance]\n\
competencies: [ownership]\nquestions:\n  - Tell me about a slow job.\n  - What are you proud of?\n\
metrics:\n  - name: wall time\n    before: 3 h\n    after: 30 min\n    claim: 6x faster\n---\n\n\
## Situation\n\nThe refresh took 3 hours.\n\n## Task\n\nMake it fast.\n\n## Action\n\n\
I profiled it. <!-- private -->\n\n## Result\n\nIt runs in 30 minutes.\n";

struct Machine {
    practice: Practice,
    clock: Arc<FixedClock>,
}

impl Machine {
    fn new(stories: &Path, db: &Path, created: i64) -> Machine {
        let clock = Arc::new(FixedClock::new(t(created)));
        let mut settings = Settings::new(SrsConfig::default(), vec![stories.to_owned()]);
        settings.tz = TimeZone::UTC;
        let (practice, _) = Practice::new(
            load_paths(&[stories.to_owned()]),
            Store::open(db).unwrap(),
            settings,
            clock.clone(),
        )
        .unwrap();
        Machine { practice, clock }
    }

    /// Drills the first due card at `minutes` with `grade`, as the front ends do.
    fn drill(&self, minutes: i64, grade: Grade) {
        self.clock.set(t(minutes));
        let DrillPlan::Ready(started) = self
            .practice
            .start_drill(DrillRequest::due(Scope::All), Interface::Plain)
            .unwrap()
        else {
            panic!("a card is due");
        };
        let review = started
            .queue()
            .review(grade, t(minutes), Timing::default())
            .unwrap();
        self.practice
            .record_review(&review, started.session_id())
            .unwrap();
    }

    /// Every card's schedule, by id; None for a new card (due since it was added here,
    /// which differs between machines: a new card is always due).
    fn schedules(&self) -> Vec<(String, Option<crate::srs::CardState>)> {
        self.practice
            .cards()
            .unwrap()
            .into_iter()
            .map(|c| {
                let state = (c.state.phase != crate::srs::Phase::New).then_some(c.state);
                (c.id.to_string(), state)
            })
            .collect()
    }
}

struct World {
    dir: tempfile::TempDir,
}

impl World {
    fn new() -> World {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("stories")).unwrap();
        std::fs::write(dir.path().join("stories/refresh.md"), STORY).unwrap();
        std::fs::create_dir(dir.path().join("sync")).unwrap();
        World { dir }
    }

    fn machine(&self, name: &str, created: i64) -> Machine {
        Machine::new(
            &self.dir.path().join("stories"),
            &self.dir.path().join(format!("{name}.db")),
            created,
        )
    }

    fn folder(&self) -> PathBuf {
        self.dir.path().join("sync")
    }
}

#[test]
fn two_machines_sharing_a_folder_show_the_same_due_cards_whichever_syncs_first() {
    for a_first in [true, false] {
        let world = World::new();
        let (a, b) = (world.machine("a", 0), world.machine("b", 5));
        // The same card, the same day, on both machines.
        a.drill(10, Grade::Good);
        b.drill(300, Grade::Again);
        b.drill(301, Grade::Good);
        let (first, second) = if a_first { (&a, &b) } else { (&b, &a) };
        let one = first.practice.sync_folder(&world.folder()).unwrap();
        assert_eq!(
            (one.written, one.merged.added()),
            (1 + usize::from(!a_first), 0)
        );
        let two = second.practice.sync_folder(&world.folder()).unwrap();
        assert_eq!(two.machines, std::slice::from_ref(&one.machine));
        assert_eq!(two.merged.reviews, one.written);
        let three = first.practice.sync_folder(&world.folder()).unwrap();
        assert_eq!(three.merged.reviews, two.written);
        assert_eq!(a.schedules(), b.schedules(), "a first: {a_first}");
        assert_eq!(a.practice.store.review_count().unwrap(), 3);
        // Nothing new: a sync writes and merges nothing.
        let again = a.practice.sync_folder(&world.folder()).unwrap();
        assert_eq!((again.written, again.merged.added()), (0, 0));
    }
}

#[test]
fn a_sync_folder_that_disappears_is_named_and_nothing_is_lost() {
    let world = World::new();
    let (a, b) = (world.machine("a", 0), world.machine("b", 0));
    a.drill(10, Grade::Good);
    a.practice.sync_folder(&world.folder()).unwrap();
    std::fs::remove_dir_all(world.folder()).unwrap();
    a.drill(20, Grade::Easy);
    let error = a.practice.sync_folder(&world.folder()).unwrap_err();
    let message = error.to_string();
    assert!(message.contains("does not exist"), "{message}");
    assert!(
        message.contains(&world.folder().display().to_string()),
        "{message}"
    );
    assert!(!world.folder().exists(), "never created again");
    assert_eq!(a.practice.store.review_count().unwrap(), 2);
    // Back (say, remounted but empty): everything of a's is written again and reaches b.
    std::fs::create_dir(world.folder()).unwrap();
    let summary = a.practice.sync_folder(&world.folder()).unwrap();
    assert_eq!(summary.written, 2);
    b.practice.sync_folder(&world.folder()).unwrap();
    assert_eq!(a.schedules(), b.schedules());
}

#[test]
fn a_database_restored_from_a_backup_gets_back_what_its_own_log_holds() {
    let world = World::new();
    let db = world.dir.path().join("a.db");
    let backup = world.dir.path().join("backup.db");
    {
        let a = world.machine("a", 0);
        a.drill(10, Grade::Good);
        a.practice.sync_folder(&world.folder()).unwrap();
    }
    std::fs::copy(&db, &backup).unwrap();
    let before = {
        let a = world.machine("a", 0);
        a.drill(20, Grade::Good);
        a.practice.sync_folder(&world.folder()).unwrap();
        a.schedules()
    };
    // The backup comes back over the database: its second review is gone from it.
    std::fs::copy(&backup, &db).unwrap();
    let a = world.machine("a", 0);
    assert_eq!(a.practice.store.review_count().unwrap(), 1);
    let summary = a.practice.sync_folder(&world.folder()).unwrap();
    assert_eq!((summary.written, summary.merged.reviews), (0, 1));
    assert_eq!(a.schedules(), before);
}

#[test]
fn a_log_from_a_newer_version_or_with_a_damaged_line_is_left_out_and_the_others_merge() {
    let world = World::new();
    let (a, b) = (world.machine("a", 0), world.machine("b", 0));
    a.drill(10, Grade::Good);
    a.practice.sync_folder(&world.folder()).unwrap();
    let good =
        std::fs::read_to_string(log::log_files(&world.folder()).unwrap().pop().unwrap()).unwrap();
    // Another review, in logs b cannot trust.
    let other_review = good.replace(&good[13..45], &"f".repeat(32));
    std::fs::write(
        world.folder().join("future.jsonl"),
        format!("{}\n", other_review.trim().replace("\"v\":1", "\"v\":2")),
    )
    .unwrap();
    std::fs::write(
        world.folder().join("broken.jsonl"),
        format!("{{not json\n{other_review}"),
    )
    .unwrap();
    let summary = b.practice.sync_folder(&world.folder()).unwrap();
    assert_eq!(summary.merged.reviews, 1, "a's review is merged");
    assert_eq!(summary.skipped.len(), 2, "{:?}", summary.skipped);
    let skipped = summary.skipped.join("\n");
    assert!(skipped.contains("broken.jsonl, line 1"), "{skipped}");
    assert!(skipped.contains("future.jsonl, line 1"), "{skipped}");
    assert!(skipped.contains("newer rehearse"), "{skipped}");
    assert_eq!(b.practice.store.review_count().unwrap(), 1);
}

#[test]
fn a_line_cut_off_by_a_crash_waits_and_this_machines_own_log_is_repaired() {
    let world = World::new();
    let (a, b) = (world.machine("a", 0), world.machine("b", 0));
    a.drill(10, Grade::Good);
    a.drill(11, Grade::Good);
    a.practice.sync_folder(&world.folder()).unwrap();
    let log_path = log::log_files(&world.folder()).unwrap().pop().unwrap();
    let whole = std::fs::read(&log_path).unwrap();
    // a crashed while writing its second line.
    let cut = whole.len() - 40;
    std::fs::write(&log_path, &whole[..cut]).unwrap();
    let summary = b.practice.sync_folder(&world.folder()).unwrap();
    assert_eq!(summary.merged.reviews, 1);
    assert_eq!(summary.cut, [(log_path.clone(), 2)]);
    // a's next sync drops the cut line and writes that entry again, whole.
    let repaired = a.practice.sync_folder(&world.folder()).unwrap();
    assert_eq!(repaired.written, 1);
    assert_eq!(std::fs::read(&log_path).unwrap(), whole);
    let summary = b.practice.sync_folder(&world.folder()).unwrap();
    assert_eq!((summary.merged.reviews, summary.cut.len()), (1, 0));
    assert_eq!(a.schedules(), b.schedules());
}

#[test]
fn the_deck_round_trips_through_anki_once_and_reschedules_what_was_reviewed() {
    let world = World::new();
    let a = world.machine("a", 0);
    let deck = world.dir.path().join("deck.apkg");
    let exported = a.practice.export_anki(&deck, None).unwrap();
    // Two questions and the numbers card, in one story's deck.
    assert_eq!((exported.notes, exported.stories), (3, 1));
    let card = "rehearse:refresh#q-tell-me-about-a-slow-job";
    let first = t(60).as_millisecond();
    let phone = world.dir.path().join("phone.apkg");
    reviewed_package(
        &deck,
        &phone,
        &[(card, 3, first), (card, 3, first + 600_000)],
        Form::Current,
    );
    let import = a.practice.import_anki(&phone).unwrap();
    assert_eq!((import.merged.reviews, import.merged.rescheduled), (2, 1));
    assert_eq!((import.found, import.others), (2, 2));
    let id = CardId::new("refresh", "q-tell-me-about-a-slow-job");
    let state = a.practice.store.card(&id).unwrap().unwrap().state;
    assert_eq!(state.reps, 2);
    assert_eq!(
        state.phase,
        crate::srs::Phase::Review,
        "graduated by Good, Good"
    );
    // Imported again: still once.
    let again = a.practice.import_anki(&phone).unwrap();
    assert_eq!((again.merged.reviews, again.merged.known), (0, 2));
    assert_eq!(a.practice.store.review_count().unwrap(), 2);
    assert_eq!(
        a.practice.review_origins().unwrap(),
        ReviewOrigins {
            anki: 2,
            other_machines: 0
        }
    );
    // The imported reviews travel to another machine like any review.
    a.practice.sync_folder(&world.folder()).unwrap();
    let b = world.machine("b", 0);
    b.practice.sync_folder(&world.folder()).unwrap();
    assert_eq!(a.schedules(), b.schedules());
    assert_eq!(b.practice.review_origins().unwrap().anki, 2);
    // b imports the same file too: nothing twice.
    assert_eq!(b.practice.import_anki(&phone).unwrap().merged.reviews, 0);
}

#[test]
fn a_package_with_none_of_our_notes_is_refused_and_a_tag_no_story_has_is_named() {
    let world = World::new();
    let a = world.machine("a", 0);
    let deck = world.dir.path().join("deck.apkg");
    a.practice.export_anki(&deck, Some("performance")).unwrap();
    // A collection of other notes only: take ours out of the exported one.
    let collection = world.dir.path().join("collection");
    anki::package::extract_collection(&deck, &collection).unwrap();
    rusqlite::Connection::open(&collection)
        .unwrap()
        .execute_batch("DELETE FROM notes; DELETE FROM cards;")
        .unwrap();
    let foreign = world.dir.path().join("spanish.apkg");
    anki::testing::zip_collection(&collection, &foreign, Form::Oldest);
    let error = a.practice.import_anki(&foreign).unwrap_err().to_string();
    assert!(
        error.contains("spanish.apkg holds none of rehearse's notes"),
        "{error}"
    );
    assert!(error.contains("nothing was imported"), "{error}");

    let error = a
        .practice
        .export_anki(&deck, Some("no-such-tag"))
        .unwrap_err()
        .to_string();
    assert_eq!(error, "no story has the tag `no-such-tag`");
}
