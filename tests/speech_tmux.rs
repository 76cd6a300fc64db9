//! A spoken answer in the TUI's drill, in a real terminal (tmux), through the capture path: the
//! `[speech] record_command` plays an espeak-ng recording in real time on stdout, as a
//! microphone tool does, until rehearse stops it with SIGINT. The user presses r, marks the
//! STAR sections with Tab, presses r again, and sees the feedback (the wrong number called
//! wrong, the suggested grade) before grading; the grade and what was heard are stored.
//!
//! Needs tmux, espeak-ng, python3 and the speech model: `scripts/test` installs them, names
//! the model's folder in REHEARSE_SPEECH_DIR and runs ignored tests.

mod tmux_support;

use std::path::{Path, PathBuf};
use std::process::Command;

use rehearse::story::SectionKind;
use tmux_support::{Launched, shell_quote, wait_until};

/// The test copy of the daily-refresh story told from its STAR sections, with the refresh's
/// new time said wrong (45 minutes for 30).
fn told_with_a_wrong_number() -> String {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "src",
        "tui",
        "testdata",
        "daily-refresh-18m.md",
    ]
    .iter()
    .collect();
    let story = rehearse::story::read_story(&path).unwrap();
    let told: Vec<String> = SectionKind::STAR
        .iter()
        .filter_map(|kind| story.section(*kind))
        .map(|s| s.text.replace("- ", "").replace(['`', '\n'], " "))
        .collect();
    let told = told.join(" ").replace(
        "records went from about 3 hours to about 30 minutes",
        "records: the daily refresh went from about 3 hours to 45 minutes",
    );
    assert!(told.contains("45 minutes"), "the story changed: {told}");
    told
}

/// espeak-ng speaking `text`, as 16 kHz mono 16-bit little-endian raw samples in a file; and
/// how long it is, in seconds.
fn speak_raw(text: &str, dir: &Path) -> (PathBuf, f64) {
    let wav = dir.join("answer.wav");
    let status = Command::new("espeak-ng")
        .args(["-v", "en-us", "-s", "150", "-w"])
        .arg(&wav)
        .arg(text)
        .status()
        .expect("espeak-ng must be installed (scripts/test installs it)");
    assert!(status.success());
    let audio = rehearse::speech::audio::read_wav(&wav).unwrap();
    let raw = dir.join("answer.raw");
    let bytes: Vec<u8> = audio.samples.iter().flat_map(|s| s.to_le_bytes()).collect();
    std::fs::write(&raw, bytes).unwrap();
    (raw, audio.seconds())
}

/// `1:04` for 64 s, as the recording's clock shows it.
fn clock(seconds: f64) -> String {
    let whole = seconds as u64;
    format!("{}:{:02}", whole / 60, whole % 60)
}

fn speech_dir() -> String {
    std::env::var("REHEARSE_SPEECH_DIR").expect(
        "REHEARSE_SPEECH_DIR must name an installed speech environment (scripts/test sets it up)",
    )
}

#[test]
#[ignore = "needs tmux, espeak-ng and the speech model: scripts/test installs them and runs ignored tests"]
fn a_drill_answer_is_recorded_heard_shown_with_its_feedback_and_graded() {
    let speech = speech_dir();
    let scratch = tempfile::tempdir().unwrap();
    let (raw, seconds) = speak_raw(&told_with_a_wrong_number(), scratch.path());
    let player: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "tests",
        "fixtures",
        "speech",
        "play.py",
    ]
    .iter()
    .collect();
    let config = scratch.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[speech]\nrecord_command = [\"python3\", {:?}, {:?}]\n",
            player.display().to_string(),
            raw.display().to_string()
        ),
    )
    .unwrap();
    let launched = Launched::tui(
        "speech",
        (100, 32),
        &format!("REHEARSE_SPEECH_DIR={}", shell_quote(Path::new(&speech))),
        &[
            "--config",
            &shell_quote(&config),
            "drill",
            "--story",
            "daily-refresh-18m",
        ],
    );
    let tmux = &launched.tmux;
    tmux.wait_for_settled(&[
        "Tell me about a project or task you are proud of.",
        "r records your answer, to check it against the story.",
        "r record",
    ]);
    tmux.keys(&["r"]);
    tmux.wait_for("● recording 0:0");
    // Each STAR section marked as the recording reaches it (the clock on screen is the
    // recording's).
    for at in ["0:1", "0:2", "0:4"] {
        tmux.wait_for(&format!("● recording {at}"));
        tmux.keys(&["Tab"]);
    }
    // The whole answer has been played, then the answer is ended.
    tmux.wait_for(&format!("● recording {}", clock(seconds + 1.0)));
    tmux.keys(&["r"]);
    let frame = tmux.wait_for_settled(&[
        "Card 1 of ",
        "Tell me about a project or task you are proud of.",
        "(stopped)",
        "Your answer, as heard (space shows the story's)",
        "Suggested grade: Hard  (a takes it; 1-4 give your own)",
        "1 key number said wrong",
        "Key numbers",
        "WRONG    daily refresh wall time: 3 h, 30 min heard as 45 min",
        "said     records in the daily refresh: 18 million",
        "STAR coverage ",
        "the Result was said",
        "▸2 Hard",
        "a: Hard",
        "heard: the feedback suggests Hard: a takes it, or grade it yourself",
    ]);
    // The frame is the feedback step's, whole: its panels in order, nothing of the question
    // step left (no recording line, no key hint of the answering step).
    let order = [
        " Card 1 of ",
        "┌ Question",
        "┌ Pacing",
        "┌ Your answer, as heard",
        "┌ Grade",
        " heard: the feedback",
        " tab next · space reveal",
    ];
    let mut at = 0;
    for panel in order {
        let found = frame[at..]
            .find(panel)
            .unwrap_or_else(|| panic!("{panel:?} out of place in:\n{frame}"));
        at += found + panel.len();
    }
    assert!(!frame.contains("● recording"), "{frame}");
    assert!(!frame.contains("Answer aloud."), "{frame}");

    // The user's own grade, not the suggestion: Good.
    tmux.keys(&["3"]);
    tmux.wait_for_all(&["saved: Good", "Card 2 of "]);
    let db = launched.db();
    wait_until("the spoken answer is stored with its review", || {
        rusqlite::Connection::open(&db)
            .and_then(|conn| {
                conn.query_row(
                    "SELECT count(*) FROM spoken_answers s JOIN reviews r ON r.id = s.review_id
                     WHERE s.story_id = 'daily-refresh-18m' AND s.suggested_grade = 2
                       AND r.grade = 3 AND s.transcript LIKE '%45%'",
                    [],
                    |row| row.get::<_, i64>(0),
                )
            })
            .is_ok_and(|n| n == 1)
    });
    // No recording is left behind: the stretches were deleted once heard.
    let leftovers: Vec<_> = std::fs::read_dir(launched.tmp())
        .unwrap()
        .flatten()
        .flat_map(|dir| {
            std::fs::read_dir(dir.path())
                .into_iter()
                .flatten()
                .flatten()
        })
        .filter(|file| file.path().extension().is_some_and(|e| e == "wav"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    tmux.keys(&["q"]);
    tmux.wait_for("Stories 4/4");
    tmux.keys(&["q"]);
    tmux.wait_for("__EXITED__ 0");
}
