//! `due`, `stats`, `drill --plain` and `cards --orphans` through the real binary.

mod sandbox;
mod srs_support;

use predicates::prelude::*;
use rehearse::srs::{CardId, Phase};
use rehearse::store::Store;
use srs_support::{Fixture, STORY};

const FIRST: &str = "q-tell-me-about-a-system-you-made-faster";

#[test]
fn a_plain_drill_shows_question_answer_and_intervals_and_stores_the_grade() {
    let fixture = Fixture::new();
    fixture
        .cmd()
        .args(["drill", "--plain"])
        .write_stdin("\n4\n")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Q: Tell me about a system you made faster.",
        ))
        .stdout(predicate::str::contains("Story: Made the refresh faster"))
        .stdout(predicate::str::contains(
            "1 Again 1m · 2 Hard 6m · 3 Good 10m · 4 Easy",
        ))
        .stdout(predicate::str::contains("saved: Easy (next in"))
        .stdout(predicate::str::contains("Session over: 1 graded"));
    let store = Store::open(&fixture.db()).unwrap();
    let card = store.card(&CardId::new("faster", FIRST)).unwrap().unwrap();
    assert_eq!(card.state.phase, Phase::Review);
    assert_eq!(store.review_count().unwrap(), 1);
    // 6 cards (3 questions, 2 follow-ups, the numbers); the graded one is no longer due.
    fixture
        .cmd()
        .arg("due")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Due now: 5 card(s), 5 of them new.",
        ));
}

#[test]
fn undo_takes_back_the_stored_grade() {
    let fixture = Fixture::new();
    fixture
        .cmd()
        .args(["drill", "--plain"])
        .write_stdin("\n1\nu\nq\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("undone: Again"));
    let store = Store::open(&fixture.db()).unwrap();
    assert_eq!(store.review_count().unwrap(), 0);
    let card = store.card(&CardId::new("faster", FIRST)).unwrap().unwrap();
    assert_eq!(card.state.phase, Phase::New);
}

#[test]
fn a_deleted_question_becomes_an_orphan_with_its_history_and_comes_back() {
    let fixture = Fixture::new();
    fixture
        .cmd()
        .args(["drill", "--plain", "--limit", "1"])
        .write_stdin("\n3\n")
        .assert()
        .success();
    let without = STORY.replace("  - Tell me about a system you made faster.\n", "");
    std::fs::write(fixture.story_path(), &without).unwrap();
    fixture
        .cmd()
        .args(["cards", "--orphans"])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "faster#{FIRST}  1 review(s)"
        )))
        .stderr(predicate::str::contains("1 card(s) lost their question"));
    fixture
        .cmd()
        .arg("due")
        .assert()
        .success()
        .stdout(predicate::str::contains("Due now: 5 card(s)"));
    // Put it back: same card, progress intact.
    std::fs::write(fixture.story_path(), STORY).unwrap();
    fixture
        .cmd()
        .args(["cards", "--orphans"])
        .assert()
        .success()
        .stdout(predicate::str::contains("No orphaned cards"));
    let store = Store::open(&fixture.db()).unwrap();
    let card = store.card(&CardId::new("faster", FIRST)).unwrap().unwrap();
    assert_eq!(card.state.reps, 1);
}

#[test]
fn an_edited_card_keeps_its_progress_and_says_so() {
    let fixture = Fixture::new();
    fixture
        .cmd()
        .args(["drill", "--plain", "--limit", "1"])
        .write_stdin("\n4\n")
        .assert()
        .success();
    std::fs::write(
        fixture.story_path(),
        STORY.replace("A refresh took 3 hours.", "A nightly refresh took 3 hours."),
    )
    .unwrap();
    // Not due any more; cram shows it without touching its schedule.
    let before = Store::open(&fixture.db())
        .unwrap()
        .card(&CardId::new("faster", FIRST))
        .unwrap()
        .unwrap()
        .state;
    fixture
        .cmd()
        .args(["drill", "--plain", "--cram"])
        .write_stdin("\n1\nq\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("(edited since your last review)"))
        .stdout(predicate::str::contains(
            "saved: Again (schedule unchanged)",
        ));
    let store = Store::open(&fixture.db()).unwrap();
    let after = store.card(&CardId::new("faster", FIRST)).unwrap().unwrap();
    assert_eq!(after.state, before, "cram never moves the schedule");
    assert!(after.edited());
}

#[test]
fn due_with_an_interview_date_reports_the_cap() {
    let fixture = Fixture::new();
    let in_twenty_days = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date()
        .checked_add(jiff::Span::new().days(20))
        .unwrap();
    fixture
        .cmd()
        .args(["due", "--interview-date", &in_twenty_days.to_string()])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "Interview on {in_twenty_days}: intervals capped at"
        )))
        .stdout(predicate::str::contains("6 card(s) not started yet"));
}

#[test]
fn stats_show_reviews_retention_forecast_and_leeches() {
    let fixture = Fixture::new();
    fixture
        .cmd()
        .args(["drill", "--plain", "--limit", "2"])
        .write_stdin("\n3\n\n4\n")
        .assert()
        .success();
    fixture
        .cmd()
        .arg("stats")
        .assert()
        .success()
        .stdout(predicate::str::contains("Reviews a day (last 14 days):"))
        .stdout(predicate::str::contains(
            "True retention: no reviews of graduated cards",
        ))
        .stdout(predicate::str::contains("Due forecast (next 14 days"))
        .stdout(predicate::str::contains("2 review(s) stored"))
        .stdout(predicate::str::contains("Leeches: none."));
}

#[test]
fn bad_input_gets_clear_errors() {
    let fixture = Fixture::new();
    fixture
        .cmd()
        .args(["drill", "--plain", "--story", "nope"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no story with id `nope`"));
    fixture
        .cmd()
        .args(["drill", "--plain", "--tag", "knitting"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no story has the tag `knitting`"));
    // A file that is not a database is refused and left as it was.
    std::fs::create_dir_all(fixture.db().parent().unwrap()).unwrap();
    std::fs::write(fixture.db(), "my notes\n".repeat(100)).unwrap();
    fixture
        .cmd()
        .arg("due")
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "rehearse.db is not a rehearse database",
        ));
    assert_eq!(
        std::fs::read_to_string(fixture.db()).unwrap(),
        "my notes\n".repeat(100)
    );
    // Bad settings name the value.
    std::fs::write(
        fixture.path().join("config.toml"),
        "[srs]\ndesired_retention = 1.2\n",
    )
    .unwrap();
    std::fs::remove_file(fixture.db()).unwrap();
    fixture
        .cmd()
        .arg("due")
        .assert()
        .failure()
        .stderr(predicate::str::contains("1.2"));
}

#[test]
fn stats_compute_retention_and_flag_a_leech_from_stored_history() {
    use jiff::{SignedDuration, Timestamp};
    use rehearse::srs::{Grade, Review, ReviewKind, Scheduler, SchedulerConfig, Timing};

    let fixture = Fixture::new();
    fixture.cmd().arg("cards").assert().success();
    let store = Store::open(&fixture.db()).unwrap();
    let id = CardId::new("faster", FIRST);
    let stored = store.card(&id).unwrap().unwrap();
    let scheduler = Scheduler::new(SchedulerConfig::default()).unwrap();
    // Learned, then forgotten and relearned 8 times, then recalled once: of the 9 reviews of
    // the graduated card, 1 passed.
    let mut grades = vec![Grade::Easy];
    grades.extend([Grade::Again, Grade::Good].repeat(8));
    grades.push(Grade::Good);
    let mut state = stored.state;
    let mut at = Timestamp::now() - SignedDuration::from_hours(24 * 20);
    for grade in grades {
        let after = scheduler.grade(&state, grade, at).unwrap();
        let kind = match state.phase {
            Phase::New | Phase::Learning => ReviewKind::Learn,
            Phase::Review => ReviewKind::Review,
            Phase::Relearning => ReviewKind::Relearn,
        };
        let review = Review {
            card: id.clone(),
            content_hash: stored.content_hash.clone(),
            grade,
            kind,
            reviewed_at: at,
            timing: Timing::default(),
            before: state,
            after,
        };
        store.record_review(&review, None).unwrap();
        state = after;
        at += SignedDuration::from_hours(1);
    }
    assert_eq!(state.lapses, 8);
    fixture
        .cmd()
        .arg("stats")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "True retention (last 30 days): 11% of 9 review(s) of graduated cards",
        ))
        .stdout(predicate::str::contains("Leeches (forgotten 8+ times"))
        .stdout(predicate::str::contains(format!(
            "faster#{FIRST}  8 lapses"
        )))
        .stdout(predicate::str::contains("18 review(s) stored"));
}

#[test]
fn a_limit_of_zero_and_a_past_interview_date_are_refused() {
    let fixture = Fixture::new();
    fixture
        .cmd()
        .args(["drill", "--plain", "--limit", "0"])
        .assert()
        .failure()
        .stdout(predicate::str::contains("Nothing is due").not())
        .stderr(predicate::str::contains(
            "a limit of 0 cards drills nothing",
        ));
    for command in [&["drill", "--plain"][..], &["due"][..]] {
        fixture
            .cmd()
            .args(command)
            .args(["--interview-date", "2020-01-01"])
            .assert()
            .failure()
            .stderr(predicate::str::contains(
                "the interview date 2020-01-01 is in the past",
            ));
    }
}

#[test]
fn the_plain_drill_reveals_the_full_answer_and_says_when_the_next_card_is_due() {
    let fixture = Fixture::new();
    std::fs::write(
        fixture.story_path(),
        STORY.replace(
            "A refresh took 3 hours.",
            "A refresh took 3 hours. Analysts waited until 11am for it.",
        ),
    )
    .unwrap();
    fixture
        .cmd()
        .args(["drill", "--plain"])
        .write_stdin("\n4\n".repeat(6))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Analysts waited until 11am for it.",
        ))
        .stdout(predicate::str::contains("Session over: 6 graded"));
    fixture
        .cmd()
        .args(["drill", "--plain", "--story", "faster"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Nothing is due in story faster; the next card is due in",
        ))
        .stdout(predicate::str::contains(
            "`rehearse drill --plain --cram` practises ahead",
        ));
}
