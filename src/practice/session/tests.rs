//! The two sessions driven as a front end drives them, on the TUI's test stories, an in-memory
//! store and a fixed clock: inputs in, what to say and what to write out, the store's answer
//! back.

use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

use super::*;
use crate::config::SrsConfig;
use crate::mock::pick::Pick;
use crate::practice::mock::{MockPlan, StartedMock};
use crate::practice::{DrillPlan, DrillRequest, FixedClock, Interface, Practice, Settings};
use crate::srs::{Grade, Scope};
use crate::store::Store;
use crate::story::SectionKind;
use crate::story::question_bank::QuestionBank;

fn now() -> Timestamp {
    "2026-11-25T18:00:00Z".parse().unwrap()
}

fn at(secs: i64) -> Timestamp {
    now() + SignedDuration::from_secs(secs)
}

/// The TUI's four test stories (two answer performance questions, with probes and numbers).
fn practice() -> Practice {
    let stories: std::path::PathBuf = ["src", "tui", "testdata"].iter().collect();
    let report = crate::story::load_paths(std::slice::from_ref(&stories));
    let mut settings = Settings::new(SrsConfig::default(), vec![stories]);
    settings.tz = jiff::tz::TimeZone::UTC;
    let clock = Arc::new(FixedClock::new(now()));
    Practice::new(report, Store::open_in_memory().unwrap(), settings, clock)
        .unwrap()
        .0
}

fn mock_plan(seed: u64, questions: usize, competency: Option<&str>) -> MockPlan {
    MockPlan {
        questions,
        competency: competency.map(str::to_owned),
        seed: Some(seed),
        bank: QuestionBank::bundled(),
        job: None,
    }
}

fn drill(practice: &Practice, story: &str) -> Drill {
    let DrillPlan::Ready(drill) = practice
        .start_drill(
            DrillRequest::due(Scope::Story(story.into())),
            Interface::Plain,
        )
        .unwrap()
    else {
        panic!("new cards are due");
    };
    *drill
}

/// Performs what the reply asks of the store, as a front end does, and returns the reply to
/// that.
fn perform(
    practice: &Practice,
    drill: &mut Drill,
    reply: DrillReply,
    now: Timestamp,
) -> DrillReply {
    match reply.write {
        Some(write) => {
            let outcome = practice.write_drill(write);
            drill.written(outcome, now)
        }
        None => reply,
    }
}

#[test]
fn a_drill_card_is_timed_revealed_part_by_part_graded_and_stored_then_the_next_comes() {
    let practice = practice();
    let mut drill = drill(&practice, "xml-etl-lambda");
    let first = drill.current().unwrap().card.id.clone();
    assert_eq!(drill.step(), DrillStep::Answering);
    assert!(drill.paced());
    let said = drill.input(DrillInput::Grade(Grade::Good), at(5)).say;
    assert_eq!(said, Some(DrillSay::RevealFirst));
    assert_eq!(said.unwrap().to_string(), "reveal the answer first");

    drill.input(DrillInput::NextSection, at(12));
    drill.input(DrillInput::NextSection, at(20));
    drill.input(DrillInput::Reveal, at(50));
    assert_eq!(drill.step(), DrillStep::Revealed);
    assert_eq!(drill.revealed(), 1);
    assert!(drill.preview().is_some());
    for _ in 0..10 {
        drill.input(DrillInput::Reveal, at(55));
    }
    assert_eq!(drill.revealed(), drill.parts().len(), "every part, no more");

    let reply = drill.input(DrillInput::Grade(Grade::Good), at(60));
    let Some(DrillWrite::Record { review, .. }) = &reply.write else {
        panic!("a grade asks the store to record it: {reply:?}");
    };
    assert_eq!(review.timing.answer, Some(Duration::from_secs(50)));
    assert_eq!(
        review.timing.sections.situation,
        Some(Duration::from_secs(12))
    );
    assert_eq!(review.timing.sections.task, Some(Duration::from_secs(8)));
    assert_eq!(review.timing.sections.action, Some(Duration::from_secs(30)));
    assert_eq!(drill.step(), DrillStep::Saving);
    assert_eq!(
        drill.input(DrillInput::Reveal, at(61)),
        DrillReply::default(),
        "nothing moves while the store works"
    );
    let reply = perform(&practice, &mut drill, reply, at(60));
    let Some(DrillSay::Saved { review, leech }) = reply.say else {
        panic!("saved: {reply:?}");
    };
    assert!(!leech);
    assert!(
        DrillSay::Saved {
            review: review.clone(),
            leech: false
        }
        .to_string()
        .starts_with("saved: Good (next in")
    );
    assert_ne!(drill.current().unwrap().card.id, first);
    assert_eq!(drill.step(), DrillStep::Answering);
    assert_eq!(drill.timer().elapsed(at(63)), Duration::from_secs(3));
    assert_eq!(drill.answered().len(), 1);
}

#[test]
fn an_answer_never_paced_keeps_only_its_total() {
    let practice = practice();
    let mut drill = drill(&practice, "xml-etl-lambda");
    drill.input(DrillInput::Reveal, at(30));
    let reply = drill.input(DrillInput::Grade(Grade::Hard), at(31));
    let Some(DrillWrite::Record { review, .. }) = reply.write else {
        panic!("a grade asks to record it");
    };
    assert_eq!(review.timing.answer, Some(Duration::from_secs(30)));
    assert_eq!(
        review.timing.sections,
        crate::pacing::SectionTimes::default(),
        "no section was marked, so none is claimed"
    );
}

#[test]
fn a_refused_write_keeps_the_card_and_a_retry_stores_it() {
    let practice = practice();
    let mut drill = drill(&practice, "xml-etl-lambda");
    let card = drill.current().unwrap().card.id.clone();
    drill.input(DrillInput::Reveal, at(10));
    let reply = drill.input(DrillInput::Grade(Grade::Good), at(11));
    let Some(DrillWrite::Record { review, .. }) = reply.write else {
        panic!("a grade asks to record it");
    };
    let reply = drill.written(
        DrillWritten::RecordFailed {
            review: *review,
            problem: WriteProblem::Busy,
        },
        at(11),
    );
    let say = reply.say.unwrap();
    assert!(say.is_error());
    assert_eq!(
        say.to_string(),
        "NOT saved: the database is locked by another process"
    );
    assert_eq!(drill.current().unwrap().card.id, card);
    assert_eq!(drill.step(), DrillStep::Revealed, "grade it again");
    let reply = drill.input(DrillInput::Grade(Grade::Good), at(12));
    let reply = perform(&practice, &mut drill, reply, at(12));
    assert!(matches!(reply.say, Some(DrillSay::Saved { .. })));
    assert_ne!(drill.current().unwrap().card.id, card);
}

#[test]
fn undo_brings_the_last_card_back_even_after_the_last_grade() {
    let practice = practice();
    let mut drill = drill(&practice, "what-looking-for");
    assert_eq!(
        drill.input(DrillInput::Undo, at(0)).say,
        Some(DrillSay::NothingToUndo)
    );
    while !drill.is_finished() {
        drill.input(DrillInput::Reveal, at(1));
        let reply = drill.input(DrillInput::Grade(Grade::Easy), at(2));
        perform(&practice, &mut drill, reply, at(2));
    }
    assert_eq!(drill.step(), DrillStep::Finished);
    let graded = drill.answered().len();
    let reply = drill.input(DrillInput::Undo, at(3));
    let reply = perform(&practice, &mut drill, reply, at(3));
    let Some(DrillSay::Undone(review)) = reply.say else {
        panic!("undone: {reply:?}");
    };
    assert!(
        DrillSay::Undone(review)
            .to_string()
            .starts_with("undone: Easy on what-looking-for#")
    );
    assert_eq!(drill.answered().len(), graded - 1);
    assert_eq!(drill.step(), DrillStep::Answering);
}

#[test]
fn the_summary_counts_grades_by_name_and_says_what_is_left() {
    let practice = practice();
    let mut drill = drill(&practice, "xml-etl-lambda");
    drill.input(DrillInput::Reveal, at(20));
    let reply = drill.input(DrillInput::Grade(Grade::Hard), at(21));
    perform(&practice, &mut drill, reply, at(21));
    let summary = drill.summary();
    assert_eq!(summary.counts.hard, 1);
    assert_eq!(summary.average, Some(Duration::from_secs(20)));
    assert!(summary.left > 0);
    assert_eq!(
        summary.to_string(),
        format!(
            "Session over: 1 graded (Again 0, Hard 1, Good 0, Easy 0), 20 s per answer on average.\n{} card(s) left for later.",
            summary.left
        )
    );
}

#[test]
fn a_tick_changes_the_screen_only_when_the_clock_shows_another_second() {
    let practice = practice();
    let mut drill = drill(&practice, "xml-etl-lambda");
    assert!(!drill.input(DrillInput::Tick, at(0)).changed);
    assert!(drill.input(DrillInput::Tick, at(1)).changed);
    assert!(!drill.input(DrillInput::Tick, at(1)).changed);
    drill.input(DrillInput::Reveal, at(2));
    assert!(!drill.input(DrillInput::Tick, at(9)).changed, "stopped");
    assert!(drill.close().is_some(), "the row is closed once");
    assert!(drill.close().is_none());
}

fn mock(practice: &Practice, questions: usize) -> StartedMock {
    practice
        .start_mock(
            &mock_plan(7, questions, Some("performance-and-scale")),
            Interface::Plain,
        )
        .unwrap()
}

fn perform_mock(
    practice: &Practice,
    mock: &mut Mock,
    reply: MockReply,
    now: Timestamp,
) -> MockReply {
    match reply.write {
        Some(write) => {
            let bank = QuestionBank::bundled();
            let outcome = practice.write_mock(write, &bank);
            let next = mock.written(outcome, now);
            perform_mock(practice, mock, next, now)
        }
        None => reply,
    }
}

/// Picks the first story of the short list and answers it to the self-check.
fn to_check(mock: &mut Mock) {
    mock.input(MockInput::Next, at(1));
    mock.input(MockInput::PickNumber(1), at(4));
    mock.input(MockInput::Next, at(5));
    mock.input(MockInput::NextSection, at(17));
    mock.input(MockInput::Next, at(40));
    while let MockStep::Probe { .. } = mock.step() {
        mock.input(MockInput::Next, at(45));
    }
    assert_eq!(mock.step(), MockStep::Check);
}

#[test]
fn a_mock_question_goes_pick_answer_probes_check_grade_and_is_stored_before_the_next() {
    let practice = practice();
    let mut mock = mock(&practice, 2).mock;
    assert_eq!(mock.step(), MockStep::Question);
    let number = mock.list().len() + 1;
    mock.input(MockInput::Next, at(1));
    let said = mock
        .input(MockInput::PickNumber(number), at(2))
        .say
        .unwrap();
    assert_eq!(
        said.to_string(),
        format!(
            "{number}: the list has numbers 1 to {}, and 0 for none; or type to search",
            number - 1
        )
    );
    assert_eq!(mock.step(), MockStep::Pick);
    mock.input(MockInput::PickNumber(1), at(4));
    assert_eq!(mock.step(), MockStep::Feedback);
    assert_eq!(mock.attempt().unwrap().pick_time, Duration::from_secs(4));
    mock.input(MockInput::Next, at(5));
    assert_eq!(mock.step(), MockStep::Answer);
    mock.input(MockInput::NextSection, at(17));
    let said = mock.input(MockInput::Next, at(40)).say.unwrap();
    assert!(
        said.to_string()
            .starts_with("Time: Situation 12 s / 15 s · Task 23 s / 10 s (over)"),
        "{said}"
    );
    while let MockStep::Probe { .. } = mock.step() {
        mock.input(MockInput::Next, at(45));
    }
    assert_eq!(
        mock.input(MockInput::Grade(Grade::Good), at(46)).say,
        Some(MockSay::CheckFirst)
    );
    for _ in mock.check_items().to_vec() {
        mock.input(MockInput::Check(true), at(47));
    }
    assert_eq!(
        mock.input(MockInput::Check(true), at(47)).say,
        Some(MockSay::SelfCheckDone)
    );
    let reply = mock.input(MockInput::Grade(Grade::Good), at(48));
    assert!(matches!(reply.write, Some(MockWrite::Record { .. })));
    assert_eq!(mock.step(), MockStep::Saving);
    let reply = perform_mock(&practice, &mut mock, reply, at(48));
    let said = reply.say.unwrap().to_string();
    assert!(said.starts_with("saved: question 1 Good (pick "), "{said}");
    assert_eq!(mock.current().unwrap().0, 2);
    assert_eq!(mock.step(), MockStep::Question);
    assert_eq!(mock.graded().len(), 1);
}

#[test]
fn leaving_mid_question_asks_once_more_and_any_other_input_cancels_it() {
    let practice = practice();
    let mut mock = mock(&practice, 2).mock;
    to_check(&mut mock);
    let said = mock.input(MockInput::Leave, at(50)).say.unwrap();
    assert_eq!(said, MockSay::ConfirmLeave { position: 1 });
    assert!(said.is_error());
    mock.input(MockInput::Check(true), at(51));
    assert!(matches!(
        mock.input(MockInput::Leave, at(52)).say,
        Some(MockSay::ConfirmLeave { .. })
    ));
    let reply = mock.input(MockInput::Leave, at(53));
    assert!(matches!(reply.write, Some(MockWrite::Finish(_))));
    let reply = perform_mock(&practice, &mut mock, reply, at(53));
    assert_eq!(
        reply.say,
        Some(MockSay::Over {
            answered: 0,
            questions: 2
        })
    );
    assert_eq!(mock.step(), MockStep::Report);
    let [over, kept] = mock.over_lines();
    assert_eq!(over, "Mock over: 0 of 2 question(s) graded and saved.");
    assert!(
        kept.contains("nothing was graded") && !kept.contains("keeps the report"),
        "with nothing graded the export keeps nothing of it: {kept}"
    );
}

#[test]
fn between_questions_leaving_needs_no_second_ask() {
    let practice = practice();
    let mut mock = mock(&practice, 2).mock;
    let reply = mock.input(MockInput::Leave, at(1));
    assert!(
        matches!(reply.write, Some(MockWrite::Finish(_))),
        "{reply:?}"
    );
}

#[test]
fn none_picked_is_graded_again_at_once() {
    let practice = practice();
    let mut mock = mock(&practice, 1).mock;
    mock.input(MockInput::Pick(Pick::Nothing), at(3));
    let reply = mock.input(MockInput::Next, at(4));
    let reply = perform_mock(&practice, &mut mock, reply, at(4));
    assert_eq!(mock.graded()[0].grade, Grade::Again);
    assert_eq!(
        mock.step(),
        MockStep::Report,
        "the last question closes the session"
    );
    assert!(matches!(reply.say, Some(MockSay::Over { answered: 1, .. })));
    let [_, kept] = mock.over_lines();
    assert!(
        kept.ends_with("`rehearse export` keeps the report."),
        "{kept}"
    );
}

#[test]
fn a_mock_asks_each_bank_question_once_and_says_how_many_there_are() {
    let practice = practice();
    let started = mock(&practice, 50);
    let bank = QuestionBank::bundled();
    let in_bank = bank.get("performance-and-scale").unwrap().questions.len();
    assert_eq!(
        started.mock.total(),
        in_bank,
        "capped at what the bank holds"
    );
    let head = started.head();
    assert_eq!(
        head[1],
        format!(
            "The bank has {in_bank} question(s) on `performance-and-scale`: this mock asks each once ({in_bank} of 50)."
        )
    );
    assert_eq!(
        mock(&practice, 1).head().len(),
        1,
        "no note when the bank has enough"
    );
}

#[test]
fn the_header_stops_saying_never_asked_once_this_mock_asked_it() {
    let practice = practice();
    let mut mock = mock(&practice, 3).mock;
    let mut reasons = Vec::new();
    while let Some((_, drawn)) = mock.current() {
        reasons.push(drawn.why.clone());
        let reply = mock.input(MockInput::Pick(Pick::Nothing), at(1));
        let reply = mock
            .input(MockInput::Next, at(2))
            .write
            .map_or(reply, |w| MockReply {
                write: Some(w),
                ..MockReply::default()
            });
        perform_mock(&practice, &mut mock, reply, at(2));
    }
    assert!(reasons[0].contains("never asked in a mock"), "{reasons:?}");
    assert!(
        reasons[1..]
            .iter()
            .all(|r| !r.contains("never asked in a mock")),
        "{reasons:?}"
    );
}

#[test]
fn told_sections_are_the_star_sections_or_a_prepared_answer() {
    assert!(mock::told_sections(SectionKind::Action));
    assert!(mock::told_sections(SectionKind::Answer));
    assert!(!mock::told_sections(SectionKind::Probes));
}

mod spoken;
