//! `rehearse sync` and `rehearse anki` through the real binary: two databases (two machines)
//! on one story folder, syncing through one folder in both orders and through a git merge of
//! two clones; a sync killed with SIGKILL in the middle of its merge; bad input.

mod sandbox;
mod srs_support;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use predicates::prelude::*;
use rehearse::srs::{CardState, Phase};
use rehearse::store::Store;
use srs_support::Fixture;

/// Two machines: their databases, one story folder, one sync folder.
struct Machines {
    fixture: Fixture,
}

impl Machines {
    fn new() -> Machines {
        let fixture = Fixture::new();
        std::fs::create_dir(fixture.path().join("sync")).unwrap();
        Machines { fixture }
    }

    fn db(&self, machine: &str) -> PathBuf {
        self.fixture.path().join(format!("{machine}.db"))
    }

    fn folder(&self) -> PathBuf {
        self.fixture.path().join("sync")
    }

    fn cmd(&self, machine: &str) -> Command {
        Command::from_std(self.fixture.std_cmd_with_db(&self.db(machine)))
    }

    /// Grades the first due card with `grade` (1-4) in a plain drill.
    fn drill(&self, machine: &str, grade: u8) {
        self.cmd(machine)
            .args(["drill", "--plain", "--limit", "1"])
            .write_stdin(format!("\n{grade}\n"))
            .assert()
            .success()
            .stdout(predicate::str::contains("saved:"));
    }

    fn sync(&self, machine: &str, folder: &Path) -> assert_cmd::assert::Assert {
        self.cmd(machine)
            .args(["sync", "--dir"])
            .arg(folder)
            .assert()
            .success()
    }

    /// The schedules of the cards that were reviewed (a new card is due everywhere).
    fn schedules(&self, machine: &str) -> Vec<(String, CardState)> {
        Store::open(&self.db(machine))
            .unwrap()
            .live_cards()
            .unwrap()
            .into_iter()
            .filter(|c| c.state.phase != Phase::New)
            .map(|c| (c.id.to_string(), c.state))
            .collect()
    }

    fn reviews(&self, machine: &str) -> u64 {
        Store::open(&self.db(machine))
            .unwrap()
            .review_count()
            .unwrap()
    }
}

#[test]
fn two_stores_syncing_through_one_folder_agree_in_both_orders() {
    for a_first in [true, false] {
        let machines = Machines::new();
        // The same card, the same day, on both machines.
        machines.drill("a", 3);
        machines.drill("b", 1);
        machines.drill("b", 3);
        let (first, second) = if a_first { ("a", "b") } else { ("b", "a") };
        machines
            .sync(first, &machines.folder())
            .stdout(predicate::str::contains("no other machine's log yet"));
        machines
            .sync(second, &machines.folder())
            .stdout(predicate::str::contains("merged from 1 other machine(s)"))
            .stdout(predicate::str::contains("1 card(s) rescheduled"));
        machines.sync(first, &machines.folder());
        assert_eq!(machines.reviews("a"), 3);
        assert_eq!(machines.reviews("b"), 3);
        let schedules = machines.schedules("a");
        assert_eq!(schedules.len(), 1, "{schedules:?}");
        assert_eq!(schedules[0].1.reps, 3);
        assert_eq!(schedules, machines.schedules("b"), "a first: {a_first}");
        // Both show the same due cards.
        let due = |machine: &str| machines.cmd(machine).arg("due").output().unwrap().stdout;
        assert_eq!(due("a"), due("b"));
    }
}

#[test]
fn stats_shows_the_reviews_merged_from_another_machine() {
    let machines = Machines::new();
    machines.drill("a", 3);
    machines.sync("a", &machines.folder());
    machines.sync("b", &machines.folder());
    machines
        .cmd("b")
        .arg("stats")
        .assert()
        .success()
        .stdout(predicate::str::contains("1 review(s) stored."))
        .stdout(predicate::str::contains(
            "Of those reviews, 0 were answered in Anki and 1 merged from other machines.",
        ));
}

fn git(dir: &Path, args: &[&str]) {
    let output = StdCommand::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args(["-c", "init.defaultBranch=main", "-c", "pull.rebase=false"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_git_merge_of_two_clones_log_folders_has_no_conflict_and_both_agree() {
    let machines = Machines::new();
    let root = machines.fixture.path();
    let origin = root.join("origin.git");
    std::fs::create_dir(&origin).unwrap();
    git(&origin, &["init", "--bare"]);
    // The repository the user made for the folder, with a first commit.
    git(root, &["clone", "origin.git", "seed"]);
    std::fs::write(root.join("seed/README.md"), "rehearse sync logs\n").unwrap();
    git(&root.join("seed"), &["add", "-A"]);
    git(&root.join("seed"), &["commit", "-m", "sync folder"]);
    git(&root.join("seed"), &["push", "origin", "HEAD:main"]);
    let (clone_a, clone_b) = (root.join("clone-a"), root.join("clone-b"));
    git(root, &["clone", "origin.git", "clone-a"]);
    git(root, &["clone", "origin.git", "clone-b"]);
    // Each machine reviews and commits its log in its own clone.
    machines.drill("a", 3);
    machines.sync("a", &clone_a);
    git(&clone_a, &["add", "-A"]);
    git(&clone_a, &["commit", "-m", "a's reviews"]);
    git(&clone_a, &["push", "origin", "HEAD:main"]);
    machines.drill("b", 4);
    machines.drill("b", 2);
    machines.sync("b", &clone_b);
    git(&clone_b, &["add", "-A"]);
    git(&clone_b, &["commit", "-m", "b's reviews"]);
    // b pulls: a true merge (both committed), and no conflict: each log has one writer.
    git(&clone_b, &["pull", "origin", "main"]);
    let merges = StdCommand::new("git")
        .args(["rev-list", "--merges", "--count", "HEAD"])
        .current_dir(&clone_b)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&merges.stdout).trim(),
        "1",
        "a merge commit"
    );
    machines
        .sync("b", &clone_b)
        .stdout(predicate::str::contains("1 review(s)"));
    git(&clone_b, &["add", "-A"]);
    git(&clone_b, &["commit", "-m", "b merged a", "--allow-empty"]);
    git(&clone_b, &["push", "origin", "HEAD:main"]);
    git(&clone_a, &["pull", "origin", "main"]);
    machines
        .sync("a", &clone_a)
        .stdout(predicate::str::contains("2 review(s)"));
    assert_eq!(machines.reviews("a"), 3);
    assert_eq!(machines.schedules("a"), machines.schedules("b"));
    assert!(!machines.schedules("a").is_empty());
}

/// A log of `count` reviews of the fixture's cards by another machine, a minute apart.
fn big_log(folder: &Path, count: usize) {
    let cards = [
        "q-tell-me-about-a-system-you-made-faster",
        "q-tell-me-about-a-project-you-are-proud-of",
        "q-how-did-you-scale-a-workload",
        "f-what-stack",
        "f-what-would-you-change",
        "numbers",
    ];
    let start = jiff::Timestamp::from_second(1_790_000_000).unwrap();
    let mut text = String::new();
    for n in 0..count {
        let at = start + jiff::SignedDuration::from_mins(n as i64);
        text.push_str(&format!(
            "{{\"v\":1,\"id\":\"big-{n}\",\"kind\":\"review\",\"story\":\"faster\",\"card\":\"{}\",\"at\":\"{at}\",\"grade\":\"{}\",\"hash\":\"0\"}}\n",
            cards[n % cards.len()],
            ["again", "hard", "good", "easy"][n % 4],
        ));
    }
    std::fs::write(folder.join("other-00000000.jsonl"), text).unwrap();
}

/// Whether another process holds the database's write lock right now.
fn write_locked(db: &Path) -> bool {
    let probe = rusqlite::Connection::open(db).unwrap();
    probe.busy_timeout(Duration::ZERO).unwrap();
    match probe.execute_batch("BEGIN IMMEDIATE; ROLLBACK;") {
        Ok(()) => false,
        Err(e) => {
            assert!(
                matches!(
                    e.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::DatabaseBusy)
                ),
                "{e}"
            );
            true
        }
    }
}

/// Starts `machine`'s `rehearse sync` and kills it (SIGKILL) while it holds the write lock
/// after saying it is merging. False if the merge finished first (the log was too small).
fn kill_in_merge(machines: &Machines, machine: &str) -> bool {
    let db = machines.db(machine);
    let mut child = machines
        .fixture
        .std_cmd_with_db(&db)
        .args(["sync", "--dir"])
        .arg(machines.folder())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    loop {
        line.clear();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "sync ended early");
        if line.starts_with("merging ") {
            break;
        }
    }
    // The merge is one transaction: wait until it holds the lock, seen twice in a row so it is
    // the merge's and not a brief write before it.
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut seen = 0;
    while seen < 2 {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        seen = if write_locked(&db) { seen + 1 } else { 0 };
        assert!(Instant::now() < deadline, "the merge never took the lock");
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    true
}

#[test]
fn a_sync_killed_in_the_middle_of_its_merge_leaves_nothing_half_merged() {
    let machines = Machines::new();
    let mut count = 20_000;
    let machine = loop {
        let machine = format!("a{count}");
        machines.drill(&machine, 3);
        big_log(&machines.folder(), count);
        if kill_in_merge(&machines, &machine) {
            break machine;
        }
        // It merged everything before the kill: again, on a fresh database, with more.
        assert!(count < 1_000_000, "could not catch a merge in progress");
        for entry in std::fs::read_dir(machines.folder()).unwrap() {
            std::fs::remove_file(entry.unwrap().path()).unwrap();
        }
        count *= 2;
    };
    // Killed: not one of the other machine's reviews is in, and this one's review is intact.
    assert_eq!(machines.reviews(&machine), 1);
    let reviewed = machines.schedules(&machine);
    assert_eq!(reviewed.len(), 1);
    assert_eq!(reviewed[0].1.reps, 1);
    // Run again: everything, once.
    machines
        .sync(&machine, &machines.folder())
        .stdout(predicate::str::contains(format!("{count} review(s)")));
    assert_eq!(machines.reviews(&machine), count as u64 + 1);
    machines
        .sync(&machine, &machines.folder())
        .stdout(predicate::str::contains(format!(
            "0 review(s), 0 undo(s), 0 mock answer(s), 0 pick-card review(s); {count} already here"
        )));
}

#[test]
fn a_missing_or_unset_sync_folder_is_named_and_nothing_is_created() {
    let machines = Machines::new();
    machines
        .cmd("a")
        .arg("sync")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no sync folder: set `dir = \"...\"` under `[sync]` in the config, or pass --dir DIR",
        ));
    let gone = machines.fixture.path().join("Dropbox/rehearse");
    machines
        .cmd("a")
        .args(["sync", "--dir"])
        .arg(&gone)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "the sync folder {} does not exist",
            gone.display()
        )))
        .stderr(predicate::str::contains("nothing was synced"));
    assert!(!gone.exists());
    // The config's folder is used when no --dir is given.
    std::fs::write(
        machines.fixture.path().join("config.toml"),
        format!("[sync]\ndir = \"{}\"\n", machines.folder().display()),
    )
    .unwrap();
    machines
        .cmd("a")
        .arg("sync")
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "Synced with {}",
            machines.folder().display()
        )));
}

#[test]
fn a_log_from_a_newer_version_is_named_and_the_others_still_merge() {
    let machines = Machines::new();
    machines.drill("a", 3);
    machines.sync("a", &machines.folder());
    std::fs::write(
        machines.folder().join("future-1234abcd.jsonl"),
        "{\"v\":7,\"id\":\"x\",\"kind\":\"hologram\"}\n",
    )
    .unwrap();
    machines
        .cmd("b")
        .args(["sync", "--dir"])
        .arg(machines.folder())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("1 review(s)"))
        .stderr(predicate::str::contains(
            "future-1234abcd.jsonl, line 1, was written by a newer rehearse (log format 7",
        ));
    assert_eq!(machines.reviews("b"), 1);
}

#[test]
fn anki_export_then_import_of_bad_files_names_the_file_and_imports_nothing() {
    let machines = Machines::new();
    let root = machines.fixture.path();
    let deck = root.join("deck.apkg");
    machines
        .cmd("a")
        .args(["anki", "export", "-o"])
        .arg(&deck)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "6 note(s) in 1 story deck(s) under \"Rehearse\"",
        ));
    // Our own export: our notes, no reviews yet.
    machines
        .cmd("a")
        .args(["anki", "import"])
        .arg(&deck)
        .assert()
        .success()
        .stdout(predicate::str::contains("0 new review(s) added"))
        .stdout(predicate::str::contains(
            "No reviews of rehearse's cards in it yet",
        ));
    let whole = std::fs::read(&deck).unwrap();
    for (name, bytes, expected) in [
        (
            "cut.apkg",
            &whole[..whole.len() - 100],
            "is not an Anki package",
        ),
        (
            "notes.apkg",
            b"plain notes".as_slice(),
            "is not an Anki package",
        ),
    ] {
        let path = root.join(name);
        std::fs::write(&path, bytes).unwrap();
        machines
            .cmd("a")
            .args(["anki", "import"])
            .arg(&path)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!(
                "{} {expected}",
                path.display()
            )));
    }
    machines
        .cmd("a")
        .args(["anki", "import"])
        .arg(root.join("missing.apkg"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read"))
        .stderr(predicate::str::contains("missing.apkg"));
    assert_eq!(machines.reviews("a"), 0);
    machines
        .cmd("a")
        .args(["anki", "export", "-o"])
        .arg(root)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "is a folder; name the file to write",
        ));
}
