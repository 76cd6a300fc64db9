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
use sandbox::Sandbox;

mod sandbox;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

impl Sandbox {
    /// The binary on the fixture stories (`tests/fixtures/mock/stories`).
    fn std_on_fixtures(&self) -> std::process::Command {
        let mut cmd = self.std_cmd();
        cmd.arg("--stories").arg(fixtures().join("mock/stories"));
        cmd
    }

    fn on_fixtures(&self) -> Command {
        Command::from_std(self.std_on_fixtures())
    }

    fn mock(&self, extra: &[&str]) -> Command {
        let mut cmd = self.on_fixtures();
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
        .on_fixtures()
        .arg("job")
        .arg(fixtures().join("job/platform-engineer.md"))
        .arg("--bank")
        .arg(fixtures().join("mock/bank.yaml"))
        .assert()
        .success();
    let out = stdout_of(&assert);
    let expected = [
        " 1. Performance and scale (`performance`): score 41 = \"latency\" 11 + \"scale\" 11 + \"high throughput\" 6 + \"profiling\" 13",
        "    \"latency\" on lines 5, 12",
        "    \"scale\" on lines 5, 13 (as \"scale\", \"scaled\")",
        "    stories: cache-latency (main)",
        " 2. Ownership (`ownership`): score 30",
        "    \"end to end\" on line 8",
        "    stories: pager-outage (main), cache-latency",
        " 3. Conflict and persuasion (`conflict`): score 30",
        " 4. Customer focus (`customer`): score 15",
        "    GAP: no finished story; start one: rehearse new --competency customer \"TITLE\"",
        "Not mentioned: Failure and learning (`failure`), Motivation (`motivation`).",
        "Gaps the job asks for: customer.",
    ];
    for line in expected {
        assert!(out.contains(line), "missing {line:?} in:\n{out}");
    }
    // Deterministic: the same output twice.
    let again = sandbox
        .on_fixtures()
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
    let dir = sandbox.path();
    std::fs::write(dir.join("empty.md"), "\n \n").unwrap();
    std::fs::write(dir.join("ad.pdf"), b"%PDF\x00\x01").unwrap();
    for (file, message) in [
        ("missing.md", "cannot read the job description"),
        ("empty.md", "is empty"),
        ("ad.pdf", "is not text (binary data at byte 4)"),
    ] {
        sandbox
            .on_fixtures()
            .arg("job")
            .arg(dir.join(file))
            .assert()
            .failure()
            .stderr(predicate::str::contains(file).and(predicate::str::contains(message)));
    }
}

#[test]
fn the_full_screen_mock_outside_a_terminal_points_to_plain() {
    Sandbox::new()
        .on_fixtures()
        .arg("mock")
        .assert()
        .failure()
        .stderr(
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
        "Result is the last section; enter ends the answer",
        "Probe 1/2:",
        "`notes`: press Enter on an empty line",
        "The story says: A five-minute expiry and an invalidation on every price change.",
        "Open probe: the story has no answer yet; prepare this.",
        "Key numbers: checkout p99 latency: 800 ms -> 200 ms (4x faster)",
        "`maybe`: type y or n",
        "`5`: type 1, 2, 3 or 4",
        "saved: question 1 Good (pick Easy, asked again in",
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
    let assert = sandbox
        .on_fixtures()
        .args(["export", "-o", "-"])
        .assert()
        .success();
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
        .std_on_fixtures()
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
    let wait_for_line = |wanted: &dyn Fn(&str) -> bool, what: &str| loop {
        let line = lines
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("the mock never printed {what}"));
        if wanted(&line) {
            return;
        }
    };
    wait_for_line(
        &|l| l.contains("saved:"),
        "the graded answer's confirmation",
    );
    // Half-way through the second question: picked, its answer under way (the mock has read
    // the `n` that marks the next STAR section). Then SIGKILL.
    stdin.write_all(b"cache\nn\n").unwrap();
    stdin.flush().unwrap();
    wait_for_line(&|l| l.starts_with("[2/3]"), "the second question");
    wait_for_line(
        &|l| l == "Situation> n",
        "the second answer's first section mark",
    );
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

/// A plain mock of one performance question, drawn with seed 7.
fn one_question(sandbox: &Sandbox, input: impl Into<Vec<u8>>) -> String {
    let args = [
        "--competency",
        "performance",
        "--questions",
        "1",
        "--seed",
        "7",
    ];
    plain_mock(sandbox, &args, input)
}

/// `mock --plain` on the fixtures with `args`, every line of `input` in, its stdout out.
fn plain_mock(sandbox: &Sandbox, args: &[&str], input: impl Into<Vec<u8>>) -> String {
    let assert = sandbox.mock(args).write_stdin(input).assert().success();
    stdout_of(&assert)
}

#[test]
fn more_questions_than_the_bank_has_asks_each_once_and_says_how_many_there_are() {
    let sandbox = Sandbox::new();
    // An empty line picks none: each question is graded Again at once.
    let out = plain_mock(
        &sandbox,
        &[
            "--competency",
            "performance",
            "--questions",
            "50",
            "--seed",
            "3",
        ],
        "\n".repeat(60),
    );
    assert!(
        out.contains(
            "The bank has 3 question(s) on `performance`: this mock asks each once (3 of 50)."
        ),
        "{out}"
    );
    let asked: Vec<&str> = out.lines().filter_map(|l| l.strip_prefix("Q: ")).collect();
    assert_eq!(asked.len(), 3, "{out}");
    let distinct: std::collections::BTreeSet<&&str> = asked.iter().collect();
    assert_eq!(distinct.len(), 3, "no question twice: {asked:?}");
    // The header says "never asked in a mock" for the first question only: after it, this
    // mock has asked the competency.
    let headers: Vec<&str> = out.lines().filter(|l| l.starts_with('[')).collect();
    assert_eq!(headers.len(), 3, "{out}");
    assert!(headers[0].contains("never asked in a mock"), "{headers:?}");
    assert!(
        headers[1..]
            .iter()
            .all(|h| !h.contains("never asked in a mock")),
        "{headers:?}"
    );
}

#[test]
fn a_negative_number_at_the_pick_is_a_number_off_the_list_not_an_id_to_guess() {
    let sandbox = Sandbox::new();
    let out = one_question(&sandbox, "-1\n\n");
    assert!(out.contains("`-1`: the list has numbers 1 to "), "{out}");
    assert!(!out.contains("did you mean"), "{out}");
}

#[test]
fn an_empty_self_check_line_is_told_to_type_y_or_n_without_empty_quotes() {
    let sandbox = Sandbox::new();
    // Pick cache-latency, answer at once, both probes, then an empty line at the self-check.
    let out = one_question(&sandbox, "cache\n\n\n\n\ny\ny\ny\n3\n");
    assert!(out.contains("\ntype y or n\n"), "{out}");
    assert!(!out.contains("``"), "{out}");
}

#[test]
fn a_20_mb_line_is_shown_back_cut_not_whole() {
    let sandbox = Sandbox::new();
    let mut input = "x".repeat(20 * 1024 * 1024).into_bytes();
    input.extend_from_slice(b"\n\n");
    let out = one_question(&sandbox, input);
    assert!(
        out.len() < 100_000,
        "the line was printed back whole: {} bytes of output",
        out.len()
    );
    assert!(
        out.contains("(20971520 characters)"),
        "{}",
        &out[..out.len().min(3000)]
    );
}

#[test]
fn a_seed_the_database_cannot_hold_is_refused_and_a_drawn_seed_is_stored_as_shown() {
    let sandbox = Sandbox::new();
    sandbox
        .mock(&["--questions", "1", "--seed", "9223372036854775808"])
        .write_stdin("\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("9223372036854775808"));
    for _ in 0..8 {
        let out = plain_mock(&sandbox, &["--questions", "1"], "\n");
        let shown: u64 = out
            .split("seed ")
            .nth(1)
            .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|n| n.parse().ok())
            .expect("the seed is shown");
        let db = rusqlite::Connection::open(sandbox.db()).unwrap();
        let stored: i64 = db
            .query_row(
                "SELECT seed FROM mock_sessions ORDER BY id DESC LIMIT 1",
                [],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(
            i128::from(stored),
            i128::from(shown),
            "the database holds the seed as shown"
        );
    }
}

#[test]
fn due_counts_the_pick_cards_the_drill_asks() {
    let sandbox = Sandbox::new();
    // A mock whose only question gets "I have none": its pick card is due within minutes.
    one_question(&sandbox, "\n");
    let due = stdout_of(&sandbox.on_fixtures().arg("due").assert().success());
    let due_now: usize = due
        .split("Due now: ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("due says how many");
    assert!(due.contains("(pick cards)"), "{due}");
    let drill = stdout_of(
        &sandbox
            .on_fixtures()
            .args(["drill", "--plain"])
            .write_stdin("q\n")
            .assert()
            .success(),
    );
    let drilled: usize = drill
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("the drill says how many cards");
    assert_eq!(due_now, drilled, "due:\n{due}\ndrill:\n{drill}");
}
