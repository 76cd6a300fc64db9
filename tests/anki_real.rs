//! Against the real Anki: the `anki` package from PyPI (26.9, Anki's own Rust backend), driven
//! by `tests/anki/anki_tool.py`. Our deck is imported into a fresh collection, cards are
//! answered with Anki's scheduler, the collection is exported with scheduling in every form
//! Anki writes, and `rehearse anki import` brings the reviews back, once; a story edited and
//! exported again updates its note in Anki.
//!
//! Needs Python with `anki` installed: `scripts/test` makes that environment (cached) and
//! points `REHEARSE_ANKI_PYTHON` at it, then runs ignored tests.

mod sandbox;
mod srs_support;

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use predicates::prelude::*;
use rehearse::srs::{CardId, Phase};
use rehearse::store::Store;
use serde_json::Value;
use srs_support::{Fixture, STORY};

/// Runs `anki_tool.py` with `args`; its one line of JSON.
fn anki(args: &[&str]) -> Value {
    let python = std::env::var_os("REHEARSE_ANKI_PYTHON").expect(
        "REHEARSE_ANKI_PYTHON must name a Python with the `anki` package (scripts/test sets it up)",
    );
    let tool = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/anki/anki_tool.py");
    let output = StdCommand::new(python)
        .arg(tool)
        .args(args)
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "anki_tool.py {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("one JSON object")
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn export(fixture: &Fixture, to: &Path) {
    fixture
        .cmd()
        .args(["anki", "export", "-o", path(to)])
        .assert()
        .success();
}

#[test]
#[ignore = "needs Python's anki package: scripts/test installs it and runs ignored tests"]
fn reviews_made_in_anki_come_back_once_and_an_edited_story_updates_its_note() {
    let fixture = Fixture::new();
    let dir = fixture.path();
    let (deck, collection) = (dir.join("deck.apkg"), dir.join("phone.anki2"));
    export(&fixture, &deck);
    let imported = anki(&["import", path(&collection), path(&deck)]);
    assert_eq!(imported["new"], 6, "{imported}");
    let decks = imported["decks"].to_string();
    assert!(
        decks.contains("Rehearse::Made the refresh faster"),
        "{decks}"
    );

    // Reviews on the phone, by Anki's own scheduler.
    let answered = anki(&["answer", path(&collection), "3", "3", "1", "4"]);
    let answers = answered["answered"].as_array().unwrap().clone();
    assert_eq!(answers.len(), 4, "{answered}");
    let forms: Vec<(PathBuf, &str)> = ["apkg", "apkg-legacy", "colpkg", "colpkg-legacy"]
        .into_iter()
        .map(|form| {
            let extension = form.trim_end_matches("-legacy");
            (dir.join(format!("{form}.{extension}")), form)
        })
        .collect();
    for (file, form) in &forms {
        anki(&["export", path(&collection), path(file), form]);
    }

    // Back: each review once, and the cards answered are rescheduled.
    fixture
        .cmd()
        .args(["anki", "import", path(&forms[0].0)])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "4 new review(s) added, 0 already here",
        ));
    let store = Store::open(&fixture.db()).unwrap();
    assert_eq!(store.review_count().unwrap(), 4);
    for answer in &answers {
        let guid = answer["guid"].as_str().unwrap();
        let (story, key) = guid
            .strip_prefix("rehearse:")
            .and_then(|id| id.split_once('#'))
            .unwrap();
        let card = store.card(&CardId::new(story, key)).unwrap().unwrap();
        let times = answers.iter().filter(|a| a["guid"] == guid).count();
        assert_eq!(card.state.reps as usize, times, "{guid}");
        assert_ne!(card.state.phase, Phase::New, "{guid}");
    }
    drop(store);
    // Imported again, and in each other form Anki writes: still once.
    for (file, _) in &forms {
        fixture
            .cmd()
            .args(["anki", "import", path(file)])
            .assert()
            .success()
            .stdout(predicate::str::contains(
                "0 new review(s) added, 4 already here",
            ));
    }
    assert_eq!(
        Store::open(&fixture.db()).unwrap().review_count().unwrap(),
        4
    );
    fixture
        .cmd()
        .arg("stats")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Of those reviews, 4 were answered in Anki and 0 merged from other machines.",
        ));

    // The story is edited and exported again: Anki updates the note, no duplicate.
    let guid = "rehearse:faster#q-tell-me-about-a-system-you-made-faster";
    let before = anki(&["note", path(&collection), guid]);
    assert_eq!(before["count"], 1);
    // Anki keeps a note only if the one imported is newer, to the second: wait for the
    // clock to pass the note's time.
    let noted = before["mod"].as_i64().unwrap();
    while jiff::Timestamp::now().as_second() <= noted {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    std::fs::write(
        fixture.story_path(),
        STORY.replace(
            "A refresh took 3 hours.",
            "A refresh took 3 hours every night.",
        ),
    )
    .unwrap();
    let again = dir.join("deck-2.apkg");
    export(&fixture, &again);
    let reimported = anki(&["import", path(&collection), path(&again)]);
    assert_eq!(reimported["new"], 0, "{reimported}");
    let after = anki(&["note", path(&collection), guid]);
    assert_eq!(
        (after["count"].as_i64(), after["notes"].as_i64()),
        (Some(1), Some(6))
    );
    let answer = after["fields"]["Answer"].as_str().unwrap();
    assert!(answer.contains("every night"), "{answer}");
    assert!(
        !before["fields"]["Answer"]
            .as_str()
            .unwrap()
            .contains("every night")
    );
}
