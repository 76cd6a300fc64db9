//! The TUI mock end to end, in a real terminal (tmux), driven by keys as a person would:
//! `rehearse mock --seed 7 --questions 2` asks the bank's question, the story is picked by
//! search, told on the pacing bar with a look at the story, probed, self-checked and graded;
//! the second question gets "I have none"; the report shows both and the database holds both
//! answers and their pick cards. Leaving after one graded question keeps it; so does a
//! kill -9.
//!
//! Needs tmux; `scripts/test` installs it and runs ignored tests.

mod tmux_support;

use tmux_support::{Launched, Tmux, children};

use std::process::Command;

/// `rehearse mock --seed 7 --questions 2` on performance, at `width`x`height`, on a copy of
/// the TUI's four test stories and its own database.
fn launch(width: u16, height: u16) -> Launched {
    Launched::tui(
        "mock",
        (width, height),
        "",
        &[
            "mock",
            "--seed",
            "7",
            "--questions",
            "2",
            "--competency",
            "performance-and-scale",
        ],
    )
}

/// Question 1: pick xml-etl-lambda by search, tell it (one section mark, a look at the
/// story), the probes, the self-check, the grade Good.
fn answer_the_first_question(tmux: &Tmux) {
    tmux.wait_for_all(&[
        "Question 1 of 2",
        "Tell me about a system you made significantly faster.",
    ]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("Short list");
    tmux.type_text("xml-etl");
    tmux.wait_for("Matches");
    tmux.keys(&["Enter"]);
    tmux.wait_for_all(&["Your pick", "xml-etl-lambda declares"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for_all(&["Pacing", "Story (hidden)"]);
    tmux.keys(&["Tab", "c"]);
    tmux.wait_for_all(&["(c hides it)", "Situation"]);
    tmux.keys(&["Enter"]);
    // Each probe: enter when answered (the story's answer shows), enter for the next.
    let screen = tmux.wait_for("Probe 1 of");
    let probes: usize = screen
        .split("Probe 1 of ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("the probe count");
    for probe in 1..=probes {
        tmux.wait_for_all(&[&format!("Probe {probe} of {probes}"), "enter when done"]);
        tmux.keys(&["Enter"]);
        tmux.wait_for_all(&[&format!("Probe {probe} of {probes}"), "Answered in"]);
        tmux.keys(&["Enter"]);
    }
    tmux.wait_for_all(&["Self-check", "Key numbers", "19.5 s -> 5 s"]);
    tmux.keys(&["y", "y", "y"]);
    tmux.wait_for("Grade your answer");
    tmux.keys(&["3"]);
    tmux.wait_for("saved: question 1 Good");
}

#[test]
#[ignore = "needs tmux: scripts/test runs ignored tests"]
fn a_two_question_mock_with_a_seed_runs_to_the_report_and_stores_both() {
    for (width, height) in [(100, 30), (80, 24)] {
        let launched = launch(width, height);
        let (tmux, db) = (&launched.tmux, launched.db());
        answer_the_first_question(tmux);
        tmux.wait_for("Question 2 of 2");
        tmux.keys(&["Enter"]);
        tmux.wait_for("Short list");
        tmux.keys(&["0"]);
        tmux.wait_for_all(&["recorded as a gap", "I have none"]);
        tmux.keys(&["Enter"]);
        tmux.wait_for_all(&[
            "Mock over: 2 of 2 question(s) graded and saved.",
            "rehearse mock --seed 7",
            "Gaps",
        ]);
        tmux.keys(&["q"]);
        tmux.wait_for("rehearse │ Library");
        tmux.keys(&["q"]);
        tmux.wait_for_all(&["__EXITED__", "__EXITED__ 0"]);

        let store = rehearse::store::Store::open(&db).unwrap();
        let history = store.mock_history().unwrap();
        assert_eq!(history.len(), 1, "{width}x{height}");
        let session = &history[0];
        assert_eq!(session.setup.seed, 7);
        assert_eq!(session.setup.interface, "tui");
        assert!(session.finished_at.is_some());
        assert_eq!(session.answers.len(), 2);
        let first = &session.answers[0];
        assert_eq!(first.story_id.as_deref(), Some("xml-etl-lambda"));
        assert_eq!(first.grade, rehearse::srs::Grade::Good);
        assert_eq!(first.self_check.len(), 3);
        assert!(!first.probes.is_empty());
        let time = first.answer.expect("the answer was timed");
        assert!(
            time.sections.situation.is_some(),
            "tab marked the situation"
        );
        assert_eq!(session.answers[1].story_id, None);
        assert_eq!(session.answers[1].grade, rehearse::srs::Grade::Again);
        assert_eq!(store.pick_cards().unwrap().len(), 2, "one pick card each");
    }
}

#[test]
#[ignore = "needs tmux: scripts/test runs ignored tests"]
fn leaving_after_one_graded_question_keeps_it_and_shows_the_report() {
    let launched = launch(100, 30);
    let (tmux, db) = (&launched.tmux, launched.db());
    answer_the_first_question(tmux);
    tmux.wait_for("Question 2 of 2");
    tmux.keys(&["Escape"]);
    tmux.wait_for_all(&[
        "Mock over: 1 of 2 question(s) graded and saved.",
        "xml-etl-lambda",
    ]);
    tmux.keys(&["C-c"]);
    tmux.wait_for("__EXITED__ 0");
    let store = rehearse::store::Store::open(&db).unwrap();
    let history = store.mock_history().unwrap();
    assert_eq!(history[0].answers.len(), 1);
    assert!(history[0].finished_at.is_some());
}

#[test]
#[ignore = "needs tmux: scripts/test runs ignored tests"]
fn a_kill_9_after_a_graded_question_loses_nothing_graded() {
    let launched = launch(100, 30);
    let (tmux, db) = (&launched.tmux, launched.db());
    answer_the_first_question(tmux);
    tmux.wait_for("Question 2 of 2");
    // The pane runs a shell whose child is rehearse.
    let app = children(tmux.pane_pid())[0];
    let killed = Command::new("kill")
        .args(["-9", &app.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    tmux.wait_for("__EXITED__ 137");
    let store = rehearse::store::Store::open(&db).unwrap();
    let history = store.mock_history().unwrap();
    assert_eq!(history[0].answers.len(), 1, "the graded question survived");
    assert_eq!(
        history[0].answers[0].story_id.as_deref(),
        Some("xml-etl-lambda")
    );
    assert!(history[0].finished_at.is_none(), "killed, never closed");
    assert_eq!(store.pick_cards().unwrap().len(), 1);
}
