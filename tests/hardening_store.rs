//! The database keeps every card's history whatever the stories folder does: a story whose id
//! changed keeps its cards, and a command run with another `--stories` folder leaves the
//! first folder's cards alone (read-only commands never orphan or reset anything).

mod sandbox;

use sandbox::Sandbox;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

impl Sandbox {
    /// The binary in the sandbox, on the stories in `stories`.
    fn cmd_on(&self, stories: &Path) -> Command {
        let mut cmd = self.cmd();
        cmd.arg("--stories").arg(stories);
        cmd
    }

    /// A folder holding the named stories of the repository.
    fn folder(&self, name: &str, stories: &[&str]) -> PathBuf {
        let folder = self.path().join(name);
        std::fs::create_dir_all(&folder).unwrap();
        for story in stories {
            std::fs::copy(Path::new("stories").join(story), folder.join(story)).unwrap();
        }
        folder
    }

    fn out(&self, stories: &Path, args: &[&str]) -> (String, String) {
        let output = self.cmd_on(stories).args(args).output().unwrap();
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        (
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    /// Grades every due card of `stories` Good with the plain drill.
    fn drill(&self, stories: &Path) {
        let output = self
            .cmd_on(stories)
            .args(["drill", "--plain"])
            .write_stdin("\n3\n".repeat(40))
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// (key, phase, reps, due, live) of every card of `story`, by key.
    fn cards_of(&self, story: &str) -> Vec<(String, String, i64, i64, bool)> {
        let db = rusqlite::Connection::open(self.path().join("test.db")).unwrap();
        let mut stmt = db
            .prepare(
                "SELECT card_key, phase, reps, due, orphaned_at IS NULL FROM cards
                 WHERE story_id = ?1 ORDER BY card_key",
            )
            .unwrap();
        stmt.query_map([story], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    }

    fn reviews(&self) -> i64 {
        rusqlite::Connection::open(self.path().join("test.db"))
            .unwrap()
            .query_row("SELECT count(*) FROM reviews", [], |r| r.get(0))
            .unwrap()
    }
}

#[test]
fn commands_with_another_story_folder_leave_the_first_folders_cards_alone() {
    let sandbox = Sandbox::new();
    let mine = sandbox.folder("mine", &["xml-etl-lambda.md"]);
    let other = sandbox.folder("other", &["daily-refresh-18m.md"]);
    sandbox.drill(&mine);
    let reviewed = sandbox.reviews();
    assert!(reviewed > 0);
    let before = sandbox.cards_of("xml-etl-lambda");
    for args in [&["list"][..], &["due"], &["stats"], &["cards"]] {
        let (_, err) = sandbox.out(&other, args);
        assert!(!err.contains("lost their question"), "{args:?}: {err}");
    }
    let (orphans, err) = sandbox.out(&mine, &["cards", "--orphans"]);
    assert!(orphans.contains("No orphaned cards"), "{orphans}{err}");
    assert_eq!(
        sandbox.cards_of("xml-etl-lambda"),
        before,
        "the first folder's cards are as they were"
    );
    assert_eq!(sandbox.reviews(), reviewed);
}

#[test]
fn a_story_whose_id_changed_keeps_its_progress_and_says_so() {
    let sandbox = Sandbox::new();
    let folder = sandbox.folder("stories", &["xml-etl-lambda.md"]);
    sandbox.drill(&folder);
    let before = sandbox.cards_of("xml-etl-lambda");
    assert!(
        before.iter().any(|c| c.2 > 0),
        "some cards were graded: {before:?}"
    );
    let file = folder.join("xml-etl-lambda.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replacen("id: xml-etl-lambda", "id: sap-xml-speed-up", 1),
    )
    .unwrap();
    sandbox
        .cmd_on(&folder)
        .arg("due")
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "story `xml-etl-lambda` is now `sap-xml-speed-up`",
        ))
        .stderr(predicate::str::contains("lost their question").not());
    assert_eq!(sandbox.cards_of("sap-xml-speed-up"), before);
    assert!(sandbox.cards_of("xml-etl-lambda").is_empty());
    let (orphans, _) = sandbox.out(&folder, &["cards", "--orphans"]);
    assert!(orphans.contains("No orphaned cards"), "{orphans}");
}
