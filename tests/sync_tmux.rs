//! The TUI with `[sync] dir` set, in a real terminal (tmux): on start it merges another
//! machine's review and says so; a grade given in it reaches the sync folder when it is left.
//!
//! Needs tmux; `scripts/test` installs it and runs ignored tests.

mod tmux_support;

use std::path::Path;

use assert_cmd::Command;
use rehearse::store::Store;
use tmux_support::{Launched, copy_test_stories, shell_quote};

fn rehearse(db: &Path, stories: &Path, home: &Path) -> Command {
    let mut cmd = Command::cargo_bin("rehearse").unwrap();
    cmd.arg("--db")
        .arg(db)
        .arg("--stories")
        .arg(stories)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"));
    cmd
}

fn log_lines(folder: &Path) -> usize {
    std::fs::read_dir(folder)
        .unwrap()
        .flatten()
        .map(|e| std::fs::read_to_string(e.path()).unwrap().lines().count())
        .sum()
}

#[test]
#[ignore = "needs tmux: scripts/test runs ignored tests"]
fn the_tui_merges_on_start_and_writes_its_grades_when_left() {
    // Another machine, with its own copy of the stories, graded a card and synced.
    let dir = tempfile::tempdir().unwrap();
    let (home, stories, folder) = (
        dir.path().join("home"),
        dir.path().join("stories"),
        dir.path().join("sync"),
    );
    for path in [&home, &folder] {
        std::fs::create_dir_all(path).unwrap();
    }
    copy_test_stories(&stories);
    let other = dir.path().join("other.db");
    rehearse(&other, &stories, &home)
        .args(["drill", "--plain", "--limit", "1"])
        .write_stdin("\n3\n")
        .assert()
        .success();
    rehearse(&other, &stories, &home)
        .args(["sync", "--dir"])
        .arg(&folder)
        .assert()
        .success();
    assert_eq!(log_lines(&folder), 1);

    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!("[sync]\ndir = {:?}\n", folder.display().to_string()),
    )
    .unwrap();
    let launched = Launched::tui("sync", (120, 35), "", &["--config", &shell_quote(&config)]);
    let tmux = &launched.tmux;
    tmux.wait_for_all(&["Stories 4/4", "synced: 1 new from 1 other machine(s)"]);
    assert_eq!(
        Store::open(&launched.db()).unwrap().review_count().unwrap(),
        1
    );
    // A grade in the TUI's drill, then leave.
    tmux.keys(&["s"]);
    tmux.wait_for("Question");
    tmux.keys(&["Space"]);
    tmux.wait_for("3 Good");
    tmux.keys(&["3"]);
    tmux.wait_for("saved: Good");
    tmux.keys(&["q"]);
    tmux.wait_for("Stories 4/4");
    tmux.keys(&["q"]);
    tmux.wait_for("__EXITED__ 0");
    // Its own log now holds the grade: another sync of the other machine merges it.
    assert_eq!(log_lines(&folder), 2);
    rehearse(&other, &stories, &home)
        .args(["sync", "--dir"])
        .arg(&folder)
        .assert()
        .success()
        .stdout(predicates::str::contains("1 review(s)"));
    assert_eq!(Store::open(&other).unwrap().review_count().unwrap(), 2);
}
