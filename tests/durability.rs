//! A graded review survives `kill -9`, and two processes can drill the same database at once.
//! Both spawn the real binary and check the database with the library afterwards.

mod sandbox;
mod srs_support;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use rehearse::srs::Phase;
use rehearse::store::Store;
use srs_support::Fixture;

/// A running `drill --plain` whose stdout lines arrive on a channel.
struct Drill {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
}

impl Drill {
    fn spawn(fixture: &Fixture, extra: &[&str]) -> Drill {
        let mut child = fixture
            .std_cmd()
            .args(["drill", "--plain"])
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
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
        Drill {
            child,
            stdin,
            lines,
        }
    }

    fn send(&mut self, text: &str) {
        self.stdin.write_all(text.as_bytes()).unwrap();
        self.stdin.flush().unwrap();
    }

    /// Waits for the line saying a grade was stored.
    fn wait_saved(&self) -> String {
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(60))
                .expect("the drill confirms each grade");
            if line.contains("saved:") {
                return line;
            }
        }
    }
}

#[test]
fn graded_reviews_survive_kill_9() {
    let fixture = Fixture::new();
    let mut drill = Drill::spawn(&fixture, &[]);
    let grades = ["3", "1", "4"];
    for grade in grades {
        drill.send(&format!("\n{grade}\n"));
        drill.wait_saved();
    }
    // Mid-session, with the next card shown and the session never finished: SIGKILL.
    drill.child.kill().unwrap();
    let status = drill.child.wait().unwrap();
    assert!(!status.success(), "killed, not exited: {status:?}");

    let store = Store::open(&fixture.db()).unwrap();
    assert_eq!(store.review_count().unwrap(), grades.len() as u64);
    let started: Vec<_> = store
        .live_cards()
        .unwrap()
        .into_iter()
        .filter(|c| c.state.phase != Phase::New)
        .collect();
    assert_eq!(
        started.len(),
        grades.len(),
        "each graded card's schedule moved"
    );
    assert!(
        started.iter().any(|c| c.state.phase == Phase::Review),
        "Easy graduated one"
    );
}

#[test]
fn two_processes_drill_the_same_new_database_at_once() {
    let fixture = Fixture::new();
    // Both start before either has created the database: they race to migrate it too.
    let mut first = Drill::spawn(&fixture, &[]);
    let mut second = Drill::spawn(&fixture, &[]);
    for _ in 0..3 {
        first.send("\n3\n");
        second.send("\n2\n");
        first.wait_saved();
        second.wait_saved();
    }
    // A third process reads while both are still open.
    fixture.cmd().arg("due").assert().success();
    first.send("q\n");
    second.send("q\n");
    assert!(first.child.wait().unwrap().success());
    assert!(second.child.wait().unwrap().success());

    let store = Store::open(&fixture.db()).unwrap();
    assert_eq!(store.review_count().unwrap(), 6);
    let log = store.reviews_since(jiff::Timestamp::UNIX_EPOCH).unwrap();
    let grades = |n: u8| log.iter().filter(|r| r.grade.number() == n).count();
    assert_eq!(
        (grades(3), grades(2)),
        (3, 3),
        "both processes' grades are there"
    );
}
