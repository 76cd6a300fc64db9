//! `rehearse job` and `rehearse mock --plain` through the real binary, on the fixture bank,
//! stories and job ad under `tests/fixtures/` (not the bundled ones), with `--seed`.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::mpsc::channel;
use std::time::Duration;

use assert_cmd::Command;
use predicates::prelude::*;
use rehearse::store::Store;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("config.toml"), "").unwrap();
        Sandbox { dir }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("mock.db")
    }

    fn std_cmd(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("rehearse"));
        cmd.arg("--stories")
            .arg(fixtures().join("mock/stories"))
            .arg("--db")
            .arg(self.db())
            .arg("--config")
            .arg(self.dir.path().join("config.toml"))
            .env("TZ", "UTC")
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("xdg-config"))
            .env("XDG_DATA_HOME", self.dir.path().join("xdg-data"))
            .env("NO_COLOR", "1");
        cmd
    }

    fn cmd(&self) -> Command {
        Command::from_std(self.std_cmd())
    }

    fn mock(&self, extra: &[&str]) -> Command {
        let mut cmd = self.cmd();
        cmd.args(["mock", "--plain", "--bank"])
            .arg(fixtures().join("mock/bank.yaml"))
            .args(extra);
        cmd
    }
}

/// The lines that answer one question about cache-latency, with a refused line at each step:
/// a pick that is no story, a line in the answer, a word in a probe, a maybe, a grade of 5.
const ANSWER_CACHE: &str = "zzz\ncache\nhello\nn\nn\nn\nn\n\nnotes\n\n\nmaybe\ny\nn\ny\n5\n3\n";

fn stdout_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stdout.clone()).unwrap()
}

#[test]
fn job_ranks_the_fixture_ad_with_lines_stories_and_gaps() {
    let sandbox = Sandbox::new();
    let assert = sandbox
        .cmd()
        .arg("job")
        .arg(fixtures().join("job/platform-engineer.md"))
        .arg("--bank")
        .arg(fixtures().join("mock/bank.yaml"))
        .assert()
        .success();
    let out = stdout_of(&assert);
    let expected = [
        " 1. Performance and scale (`performance`): score 46 = \"latency\" 12 + \"scale\" 12 + \"high throughput\" 9 + \"profiling\" 13",
        "    \"latency\" on lines 5, 12",
        "    \"scale\" on lines 5, 13 (as \"scale\", \"scaled\")",
        "    stories: cache-latency (main)",
        " 2. Ownership (`ownership`): score 30",
        "    \"end to end\" on line 8",
        "    stories: pager-outage (main), cache-latency",
        " 3. Conflict and persuasion (`conflict`): score 27",
        " 4. Customer focus (`customer`): score 18",
        "    GAP: no finished story; start one: rehearse new --competency customer \"TITLE\"",
        "Not mentioned: Failure and learning (`failure`), Motivation (`motivation`).",
        "Gaps the job asks for: customer.",
    ];
    for line in expected {
        assert!(out.contains(line), "missing {line:?} in:\n{out}");
    }
    // Deterministic: the same output twice.
    let again = sandbox
        .cmd()
        .arg("job")
        .arg(fixtures().join("job/platform-engineer.md"))
        .arg("--bank")
        .arg(fixtures().join("mock/bank.yaml"))
        .assert()
        .success();
    assert_eq!(stdout_of(&again), out);
}

#[test]
fn job_refuses_a_missing_empty_or_binary_file_by_name() {
    let sandbox = Sandbox::new();
    let dir = sandbox.dir.path();
    std::fs::write(dir.join("empty.md"), "\n \n").unwrap();
    std::fs::write(dir.join("ad.pdf"), b"%PDF\x00\x01").unwrap();
    for (file, message) in [
        ("missing.md", "cannot read the job description"),
        ("empty.md", "is empty"),
        ("ad.pdf", "is not text (binary data at byte 4)"),
    ] {
        sandbox
            .cmd()
            .arg("job")
            .arg(dir.join(file))
            .assert()
            .failure()
            .stderr(predicate::str::contains(file).and(predicate::str::contains(message)));
    }
}

#[test]
fn the_full_screen_mock_outside_a_terminal_points_to_plain() {
    Sandbox::new().cmd().arg("mock").assert().failure().stderr(
        predicate::str::contains("full-screen mock needs a terminal")
            .and(predicate::str::contains("rehearse mock --plain")),
    );
}

#[test]
fn a_plain_mock_runs_end_to_end_refuses_bad_lines_and_stores_each_answer() {
    let sandbox = Sandbox::new();
    let script = format!("{ANSWER_CACHE}{ANSWER_CACHE}");
    let assert = sandbox
        .mock(&[
            "--questions",
            "2",
            "--competency",
            "performance",
            "--seed",
            "7",
        ])
        .write_stdin(script)
        .assert()
        .success();
    let out = stdout_of(&assert);
    for expected in [
        "Mock interview: 2 question(s), seed 7",
        "[1/2] Performance and scale (`performance`)",
        "`zzz`: no story has that id",
        "cache-latency declares `performance` as its main competency.",
        "`hello`: an empty line ends the answer",
        "Result is the last section; an empty line ends the answer.",
        "Probe 1/2:",
        "`notes`: press Enter on an empty line",
        "The story says: A five-minute expiry and an invalidation on every price change.",
        "Open probe: the story has no answer yet; prepare this.",
        "Key numbers: checkout p99 latency: 800 ms -> 200 ms (4x faster)",
        "`maybe`: type y or n",
        "`5`: type 1, 2, 3 or 4",
        "saved: Good (pick card \"Which story answers:",
        "[2/2]",
        "### Mock interview",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
    let store = Store::open(&sandbox.db()).unwrap();
    let history = store.mock_history().unwrap();
    assert_eq!(history.len(), 1);
    let session = &history[0];
    assert!(session.finished_at.is_some());
    assert_eq!(session.setup.seed, 7);
    assert_eq!(session.answers.len(), 2);
    for answer in &session.answers {
        assert_eq!(answer.story_id.as_deref(), Some("cache-latency"));
        assert_eq!(answer.question.competency, "performance");
        assert_eq!(answer.probes.len(), 2);
        let sections = answer.answer.unwrap().sections;
        assert!(sections.situation.is_some() && sections.result.is_some());
        let yes: Vec<bool> = answer.self_check.iter().map(|c| c.yes).collect();
        assert_eq!(yes, [true, false, true]);
        assert_eq!(answer.grade.number(), 3);
    }
    assert_ne!(
        session.answers[0].question.key,
        session.answers[1].question.key
    );
    assert_eq!(store.pick_cards().unwrap().len(), 2);
    assert!(
        !out.contains("Across all sessions"),
        "one session has no trend yet"
    );

    // A second session's report ends with the trend across both.
    let assert = sandbox
        .mock(&[
            "--questions",
            "1",
            "--competency",
            "performance",
            "--seed",
            "8",
        ])
        .write_stdin(ANSWER_CACHE)
        .assert()
        .success();
    let out = stdout_of(&assert);
    assert!(out.contains("### Across all sessions"), "{out}");
    assert!(
        out.contains("From the first session to the last: median pick time"),
        "{out}"
    );
}

fn questions_asked(out: &str) -> Vec<&str> {
    out.lines().filter(|l| l.starts_with("Q: ")).collect()
}

#[test]
fn the_same_seed_asks_the_same_questions() {
    let run = |seed: &str| {
        let sandbox = Sandbox::new();
        let assert = sandbox
            .mock(&["--questions", "3", "--seed", seed])
            .write_stdin("\n\n\n")
            .assert()
            .success();
        stdout_of(&assert)
    };
    let first = run("42");
    let second = run("42");
    assert_eq!(questions_asked(&first).len(), 3, "{first}");
    assert_eq!(questions_asked(&first), questions_asked(&second));
    assert!(
        ["1", "2", "3", "4", "5"]
            .iter()
            .any(|seed| questions_asked(&run(seed)) != questions_asked(&first)),
        "other seeds draw other questions"
    );
}

#[test]
fn none_is_a_gap_and_end_of_input_keeps_what_was_graded() {
    let sandbox = Sandbox::new();
    // The first question: none. The second: input ends at the pick.
    let assert = sandbox
        .mock(&[
            "--questions",
            "2",
            "--competency",
            "customer",
            "--seed",
            "1",
        ])
        .write_stdin("\n")
        .assert()
        .success();
    let out = stdout_of(&assert);
    assert!(
        out.contains("No story picked: recorded as a gap in `customer`."),
        "{out}"
    );
    assert!(
        out.contains("rehearse new --competency customer \"TITLE\""),
        "{out}"
    );
    assert!(
        out.contains("End of input: 1 of 2 question(s) graded and saved."),
        "{out}"
    );
    assert!(
        out.contains("none (a gap)"),
        "the report names the gap:\n{out}"
    );
    let store = Store::open(&sandbox.db()).unwrap();
    let answers = &store.mock_history().unwrap()[0].answers;
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0].story_id, None);
    assert_eq!(answers[0].grade.number(), 1);

    // The export carries the session.
    let assert = sandbox.cmd().args(["export", "-o", "-"]).assert().success();
    let pack = stdout_of(&assert);
    assert!(pack.contains("## Mock interviews"), "{pack}");
    assert!(
        pack.contains("- `customer`: no story picked, and no finished story declares it"),
        "{pack}"
    );
}

#[test]
fn a_graded_answer_survives_kill_9() {
    let sandbox = Sandbox::new();
    let mut child = sandbox
        .std_cmd()
        .args([
            "mock",
            "--plain",
            "--questions",
            "3",
            "--competency",
            "performance",
            "--seed",
            "9",
            "--bank",
        ])
        .arg(fixtures().join("mock/bank.yaml"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (send, lines) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if send.send(line).is_err() {
                break;
            }
        }
    });
    stdin.write_all(ANSWER_CACHE.as_bytes()).unwrap();
    stdin.flush().unwrap();
    loop {
        let line = lines
            .recv_timeout(Duration::from_secs(60))
            .expect("the mock confirms the graded answer");
        if line.contains("saved:") {
            break;
        }
    }
    // Half-way through the second question (picked, answering): SIGKILL.
    stdin.write_all(b"cache\nn\n").unwrap();
    stdin.flush().unwrap();
    std::thread::sleep(Duration::from_millis(200));
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "killed, not exited: {status:?}");

    let store = Store::open(&sandbox.db()).unwrap();
    let history = store.mock_history().unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].finished_at, None, "the session never ended");
    assert_eq!(history[0].answers.len(), 1);
    assert_eq!(history[0].answers[0].grade.number(), 3);
    assert_eq!(store.pick_cards().unwrap().len(), 1);
}
