//! The spoken answer as a step of both sessions, with a scripted ear in place of the
//! microphone and the model: recording, the marks on its timeline, hearing, the feedback with
//! its suggested grade, the grade (the user's), and what is stored with it.

use std::sync::{Arc, Mutex};

use super::*;
use crate::speech::Transcript;
use crate::speech::ear::scripted::{Call, Script, heard, speech};
use crate::speech::ear::{Heard, Speech};

fn script(takes: Vec<Vec<Heard>>) -> Arc<Mutex<Script>> {
    Arc::new(Mutex::new(Script {
        takes: takes.into(),
        ..Script::default()
    }))
}

/// A drill of the daily-refresh story whose answers are heard as `takes`.
fn spoken_drill(practice: &Practice, takes: Vec<Vec<Heard>>) -> (Drill, Arc<Mutex<Script>>) {
    let script = script(takes);
    let drill = drill(practice, "daily-refresh-18m").with_speech(speech(Arc::clone(&script)));
    (drill, script)
}

/// The daily-refresh story's STAR sections told as written, a word every 0.4 s.
fn right_answer() -> Vec<Heard> {
    let path: std::path::PathBuf = ["src", "tui", "testdata", "daily-refresh-18m.md"]
        .iter()
        .collect();
    let story = crate::story::read_story(&path).unwrap();
    let told: Vec<String> = SectionKind::STAR
        .iter()
        .filter_map(|kind| story.section(*kind))
        .map(|section| section.text.replace("- ", "").replace('`', ""))
        .collect();
    heard(Transcript::from_text(&told.join(" "), 0.4))
}

fn spoken_rows(practice: &Practice) -> Vec<(String, Option<i64>, Option<i64>, String)> {
    practice
        .store()
        .conn()
        .prepare("SELECT part, review_id, mock_answer_id, question FROM spoken_answers ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn a_recorded_answer_is_heard_its_feedback_shown_and_the_suggested_grade_taken() {
    let practice = practice();
    let (mut drill, script) = spoken_drill(&practice, vec![right_answer()]);
    let card = drill.current().unwrap().card.clone();
    assert!(drill.paced());
    assert_eq!(
        drill.input(DrillInput::Record, at(2)),
        DrillReply::changed()
    );
    assert!(drill.spoken().recording().is_some());
    assert_eq!(drill.step(), DrillStep::Answering, "the answer goes on");
    // The Tab marks fall on the recording's timeline (it started 2 s into the answer).
    drill.input(DrillInput::NextSection, at(12));
    drill.input(DrillInput::NextSection, at(20));
    drill.input(DrillInput::NextSection, at(50));
    let marks = drill.spoken().recording().unwrap().marks.starts.clone();
    assert_eq!(
        marks,
        [
            (SectionKind::Situation, 0.0),
            (SectionKind::Task, 10.0),
            (SectionKind::Action, 18.0),
            (SectionKind::Result, 48.0)
        ]
    );
    // The record key again ends the answer: the clock stops, the take is heard.
    drill.input(DrillInput::Record, at(60));
    assert_eq!(drill.step(), DrillStep::Hearing);
    assert_eq!(drill.timer().elapsed(at(90)), Duration::from_secs(60));
    assert_eq!(drill.revealed(), 0, "the feedback comes before the answer");
    assert_eq!(
        drill.input(DrillInput::Grade(Grade::Good), at(61)).say,
        Some(DrillSay::StillHearing)
    );
    assert_eq!(
        script.lock().unwrap().calls,
        [Call::Start(1, card.id.to_string()), Call::Stop(1)]
    );

    let reply = drill.input(DrillInput::Tick, at(62));
    assert!(reply.changed);
    let Some(DrillSay::Spoken(SpokenSay::Heard { suggested, .. })) = reply.say else {
        panic!("heard: {reply:?}");
    };
    assert_eq!(drill.step(), DrillStep::Feedback);
    let answer = drill.spoken().heard(Part::Answer).unwrap();
    assert_eq!(answer.question, card.prompt);
    assert_eq!(answer.feedback.suggested_grade, suggested);
    assert!(answer.feedback.coverage > 0.9, "{:?}", answer.feedback);
    assert_eq!(
        answer.feedback.delivery.sections.len(),
        4,
        "paced by the marks"
    );
    assert!(
        matches!(suggested, Grade::Good | Grade::Easy),
        "{suggested}"
    );

    // The answer can be read too; the suggestion is still there to take.
    drill.input(DrillInput::Reveal, at(63));
    assert_eq!(drill.step(), DrillStep::Revealed);
    let reply = drill.input(DrillInput::AcceptSuggested, at(64));
    let Some(DrillWrite::Record { review, spoken, .. }) = &reply.write else {
        panic!("the suggested grade is recorded: {reply:?}");
    };
    assert_eq!(review.grade, suggested);
    assert_eq!(spoken.as_ref().unwrap().part, Part::Answer);
    let reply = perform(&practice, &mut drill, reply, at(64));
    assert!(
        matches!(reply.say, Some(DrillSay::Saved { .. })),
        "{reply:?}"
    );
    let rows = spoken_rows(&practice);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0, "answer");
    assert!(rows[0].1.is_some(), "kept with its review");
    assert_eq!(rows[0].3, card.prompt);
    assert_eq!(practice.spoken_trends().unwrap()[0].attempts, 1);
}

#[test]
fn the_grade_stays_the_users_and_an_undo_takes_the_spoken_answer_back_with_the_review() {
    let practice = practice();
    let (mut drill, _) = spoken_drill(&practice, vec![right_answer()]);
    drill.input(DrillInput::Record, at(0));
    drill.input(DrillInput::Reveal, at(40));
    assert_eq!(
        drill.step(),
        DrillStep::Hearing,
        "reveal ends a recorded answer too"
    );
    drill.input(DrillInput::Tick, at(41));
    assert_eq!(drill.step(), DrillStep::Feedback);
    let heard = drill.spoken().heard(Part::Answer).unwrap();
    assert!(
        heard.feedback.delivery.sections.is_empty(),
        "never marked: no pace per section is claimed"
    );
    assert_ne!(drill.spoken().suggested(), Some(Grade::Again));
    let reply = drill.input(DrillInput::Grade(Grade::Again), at(42));
    let reply = perform(&practice, &mut drill, reply, at(42));
    let Some(DrillSay::Saved { review, .. }) = reply.say else {
        panic!("saved");
    };
    assert_eq!(
        review.grade,
        Grade::Again,
        "the user's grade, not the suggestion"
    );
    assert_eq!(spoken_rows(&practice).len(), 1);
    let reply = drill.input(DrillInput::Undo, at(43));
    perform(&practice, &mut drill, reply, at(43));
    assert!(spoken_rows(&practice).is_empty(), "undone with its review");
}

#[test]
fn no_microphone_leaves_the_answer_going_and_an_answer_not_heard_is_graded_by_hand() {
    let practice = practice();
    let no_microphone = vec![Heard::Failed {
        take: 0,
        message: "no microphone found (no soundcards found)".to_owned(),
    }];
    let not_heard = vec![
        Heard::Progress {
            take: 0,
            heard: 5.0,
            recorded: 30.0,
        },
        Heard::Failed {
            take: 0,
            message: "the speech helper stopped".to_owned(),
        },
    ];
    let (mut drill, _) = spoken_drill(&practice, vec![no_microphone, not_heard]);
    drill.input(DrillInput::Record, at(1));
    let said = drill.input(DrillInput::Tick, at(2)).say.unwrap();
    assert_eq!(
        said.to_string(),
        "not recording: no microphone found (no soundcards found); answer on, and grade it yourself"
    );
    assert!(said.is_error());
    assert_eq!(drill.step(), DrillStep::Answering);
    assert!(drill.timer().is_running());
    assert!(drill.spoken().recording().is_none());

    // Recorded again, then not heard: the answer is shown, graded by hand, nothing heard kept.
    drill.input(DrillInput::Record, at(3));
    drill.input(DrillInput::Record, at(30));
    let said = drill.input(DrillInput::Tick, at(31)).say.unwrap();
    assert_eq!(
        said.to_string(),
        "your answer was not heard: the speech helper stopped; grade it yourself"
    );
    assert_eq!(drill.step(), DrillStep::Revealed);
    assert_eq!(
        drill.input(DrillInput::AcceptSuggested, at(32)).say,
        Some(DrillSay::NoSuggestion)
    );
    let reply = drill.input(DrillInput::Grade(Grade::Hard), at(32));
    let Some(DrillWrite::Record { spoken: None, .. }) = &reply.write else {
        panic!("nothing heard to keep: {reply:?}");
    };
    perform(&practice, &mut drill, reply, at(32));
    assert!(spoken_rows(&practice).is_empty());
}

#[test]
fn without_speech_the_session_says_once_how_to_turn_it_on() {
    let practice = practice();
    let hint = "spoken answers are off: run `rehearse speech setup` to record and check them";
    let mut off = drill(&practice, "daily-refresh-18m").with_speech(Speech::Off(hint.into()));
    assert_eq!(
        off.speech_note().map(|s| s.to_string()).as_deref(),
        Some(hint)
    );
    assert_eq!(off.speech_note(), None, "once");
    let said = off.input(DrillInput::Record, at(1)).say.unwrap();
    assert_eq!(said.to_string(), hint, "the record key says it again");
    assert_eq!(off.step(), DrillStep::Answering);

    // Not part of the session at all (scripts): the key does nothing, nothing is said.
    let mut absent = drill(&practice, "daily-refresh-18m");
    assert_eq!(absent.speech_note(), None);
    assert_eq!(
        absent.input(DrillInput::Record, at(1)),
        DrillReply::default()
    );

    // A recording tool that cannot start is named.
    let refusing = script(vec![]);
    refusing.lock().unwrap().refuse = Some("no recording tool found".to_owned());
    let mut refused = drill(&practice, "daily-refresh-18m").with_speech(speech(refusing));
    let said = refused.input(DrillInput::Record, at(1)).say.unwrap();
    assert!(
        said.to_string()
            .starts_with("not recording: no recording tool found")
    );
}

#[test]
fn a_new_card_or_an_undo_drops_a_take_in_progress() {
    let practice = practice();
    let (mut drill, script) = spoken_drill(&practice, vec![right_answer(), right_answer()]);
    drill.input(DrillInput::Reveal, at(1));
    let reply = drill.input(DrillInput::Grade(Grade::Good), at(2));
    perform(&practice, &mut drill, reply, at(2));
    drill.input(DrillInput::Record, at(3));
    let reply = drill.input(DrillInput::Undo, at(4));
    perform(&practice, &mut drill, reply, at(4));
    assert!(drill.spoken().recording().is_none());
    assert_eq!(
        script.lock().unwrap().calls.last(),
        Some(&Call::Cancel(1)),
        "the take was dropped"
    );
    assert!(
        drill.input(DrillInput::Tick, at(5)).say.is_none(),
        "nothing more about it"
    );
}

#[test]
fn in_a_mock_the_answer_and_each_probe_are_heard_and_kept_with_the_graded_question() {
    let practice = practice();
    let script = script(vec![
        right_answer(),
        heard(Transcript::from_text(
            "Um, Python and asyncio, I think.",
            0.4,
        )),
        heard(Transcript::from_text(
            "The jobs were waiting, not computing.",
            0.4,
        )),
    ]);
    let mut mock = mock(&practice, 1)
        .mock
        .with_speech(speech(Arc::clone(&script)));
    mock.input(MockInput::Next, at(1));
    let daily = mock
        .list()
        .iter()
        .position(|i| mock.stories()[*i].id() == "daily-refresh-18m")
        .expect("the daily refresh story is on the short list");
    mock.input(MockInput::PickNumber(daily + 1), at(4));
    mock.input(MockInput::Next, at(5));
    assert_eq!(mock.step(), MockStep::Answer);
    mock.input(MockInput::Record, at(6));
    mock.input(MockInput::NextSection, at(17));
    // The record key again ends the answer; the probes come while it is heard.
    let said = mock.input(MockInput::Record, at(40)).say.unwrap();
    assert!(said.to_string().starts_with("Time: "), "{said}");
    let mut probes = 0;
    while let MockStep::Probe { answered, .. } = mock.step() {
        if !answered {
            mock.input(MockInput::Record, at(41));
            mock.input(MockInput::Next, at(50));
            probes += 1;
        } else {
            mock.input(MockInput::Next, at(51));
        }
    }
    assert!(probes >= 1);
    assert_eq!(mock.step(), MockStep::Check);
    for _ in mock.check_items().to_vec() {
        mock.input(MockInput::Check(true), at(52));
    }
    assert_eq!(
        mock.input(MockInput::AcceptSuggested, at(53)).say,
        Some(MockSay::StillHearing),
        "the grade waits for what was said"
    );
    let reply = mock.input(MockInput::Tick, at(54));
    assert!(reply.changed);
    assert!(!mock.spoken().is_hearing());
    let suggested = mock.spoken().suggested().unwrap();
    let probe = mock.spoken().heard(Part::Probe(0)).unwrap();
    assert_eq!(probe.transcript.text(), "Um, Python and asyncio, I think.");
    assert_eq!(probe.question, mock.probes()[0].question);
    let reply = mock.input(MockInput::AcceptSuggested, at(55));
    let Some(MockWrite::Record { answer, spoken, .. }) = &reply.write else {
        panic!("recorded: {reply:?}");
    };
    assert_eq!(answer.grade, suggested);
    assert_eq!(spoken.len(), 1 + probes);
    perform_mock(&practice, &mut mock, reply, at(55));
    let rows = spoken_rows(&practice);
    assert_eq!(rows.len(), 1 + probes);
    assert_eq!(rows[0].0, "answer");
    assert!(
        rows.iter().all(|r| r.2.is_some() && r.1.is_none()),
        "{rows:?}"
    );
    assert!(rows[1..].iter().all(|r| r.0 == "probe"));
    // The stats follow the answers, not the probes.
    assert_eq!(practice.spoken_trends().unwrap()[0].attempts, 1);
}
