//! End to end: the real binary in a real terminal (tmux), driven by keys as a person would.
//! Open, search a story, start a drill, reveal, grade, quit; then the review must be in the
//! database and the terminal back to normal. And the same after a panic (debug builds panic on
//! a key named by `REHEARSE_TEST_PANIC_KEY`).
//!
//! Needs tmux; `scripts/test` installs it and runs ignored tests. Without tmux this test fails
//! (it does not skip).

mod tmux_support;

use tmux_support::{Launched, Tmux};

/// The app in a fresh tmux session (100x30), on a fixed copy of four stories and its own
/// database.
fn launch(extra_env: &str) -> Launched {
    Launched::tui("e2e", (100, 30), extra_env, &[])
}

/// Opens the XML story's drill, reveals the first card and grades it Good.
fn grade_one_card(tmux: &Tmux) {
    tmux.keys(&["/"]);
    tmux.type_text("sap xml");
    tmux.wait_for("Stories 1/4");
    tmux.keys(&["Enter", "s"]);
    tmux.wait_for("Card 1 of");
    tmux.keys(&["Space"]);
    tmux.wait_for("Again");
    tmux.keys(&["3"]);
    tmux.wait_for("saved: Good");
}

#[test]
#[ignore = "needs tmux: scripts/test runs ignored tests"]
fn a_panic_gives_the_terminal_back_and_keeps_the_saved_reviews() {
    let launched = launch("REHEARSE_TEST_PANIC_KEY=!");
    let (tmux, db) = (&launched.tmux, launched.db());
    tmux.wait_for("Stories 4/4");
    grade_one_card(tmux);
    tmux.keys(&["!"]);
    tmux.wait_for("__EXITED__");
    // The shell prints the terminal mode on the line after the exit status: wait for it too.
    let screen = tmux.wait_for("icanon");
    assert!(
        screen.contains("__EXITED__ 101"),
        "a panic exits 101:\n{screen}"
    );
    assert!(
        screen.contains("REHEARSE_TEST_PANIC_KEY was pressed"),
        "the panic message is shown on the normal screen:\n{screen}"
    );
    assert!(!tmux.alternate_on(), "the alternate screen was left");
    assert!(
        screen.lines().any(|l| l.trim() == "icanon"),
        "raw mode was turned off (stty shows icanon):\n{screen}"
    );
    let store = rehearse::store::Store::open(&db).unwrap();
    assert_eq!(
        store.review_count().unwrap(),
        1,
        "the graded review survived"
    );
}

#[test]
#[ignore = "needs tmux: scripts/test runs ignored tests"]
fn drill_one_card_in_a_real_terminal_and_quit_cleanly() {
    let launched = launch("");
    let (tmux, db) = (&launched.tmux, launched.db());
    let screen = tmux.wait_for("Stories 4/4");
    assert!(tmux.alternate_on(), "the app runs on the alternate screen");
    assert!(screen.contains("rehearse │ Library"), "{screen}");

    // Search: only the XML story is left.
    tmux.keys(&["/"]);
    tmux.type_text("sap xml");
    let screen = tmux.wait_for("Stories 1/4");
    assert!(screen.contains("Cutting an SAP XML ETL Lambda"), "{screen}");
    tmux.keys(&["Enter"]);

    // Drill that story: question, pacing bar, reveal, grade.
    tmux.keys(&["s"]);
    let screen = tmux.wait_for("Card 1 of");
    assert!(screen.contains("story:xml-etl-lambda"), "{screen}");
    assert!(
        screen.contains("Tell me about a system you made significantly faster."),
        "{screen}"
    );
    tmux.keys(&["Tab"]);
    tmux.keys(&["Space"]);
    let screen = tmux.wait_for("Again");
    assert!(
        screen.contains("3 Good 10m"),
        "the next intervals are shown:\n{screen}"
    );
    tmux.keys(&["3"]);
    tmux.wait_for("saved: Good");

    // Back to the library and quit.
    tmux.keys(&["q"]);
    tmux.wait_for("Stories 1/4");
    tmux.keys(&["q"]);
    let screen = tmux.wait_for("__EXITED__");
    assert!(screen.contains("__EXITED__ 0"), "exit status 0:\n{screen}");
    assert!(!tmux.alternate_on(), "the alternate screen was left");
    assert!(
        !screen.contains("Stories 1/4"),
        "the app's screen is gone after quitting:\n{screen}"
    );

    // The review is durable in the database.
    let store = rehearse::store::Store::open(&db).unwrap();
    assert_eq!(store.review_count().unwrap(), 1);
    let reviews = store
        .reviews_since(jiff::Timestamp::now() - jiff::SignedDuration::from_hours(1))
        .unwrap();
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0].grade, rehearse::srs::Grade::Good);
    let card = store
        .card(&rehearse::srs::CardId::new(
            "xml-etl-lambda",
            "q-tell-me-about-a-system-you-made-significantly-faster",
        ))
        .unwrap();
    assert!(
        card.is_some_and(|c| c.state.reps == 1),
        "the graded card's schedule moved"
    );
}

#[test]
#[ignore = "needs tmux: scripts/test runs ignored tests"]
fn keys_do_nothing_while_the_terminal_is_too_small() {
    let session = launch("");
    let tmux = &session.tmux;
    tmux.wait_for("Stories 4/4");
    tmux.keys(&["/"]);
    tmux.type_text("sap xml");
    tmux.wait_for("Stories 1/4");
    tmux.keys(&["Enter", "s"]);
    let unrevealed = ["Card 1 of", "Grades appear once the answer is revealed"];
    tmux.wait_for_all(&unrevealed);
    tmux.run(&["resize-window", "-t", "main", "-x", "60", "-y", "20"]);
    tmux.wait_for_all(&["Terminal too small", "60x20"]);
    // Reveal and grade a card nobody can see: both must be ignored, and the screen says so
    // once the app has read them (the test waits for that, not for a time).
    tmux.keys(&["Space", "1", "q"]);
    tmux.wait_for("(3 keys ignored)");
    tmux.run(&["resize-window", "-t", "main", "-x", "100", "-y", "30"]);
    // The whole card, drawn again at full size: still unrevealed.
    tmux.wait_for_all(&unrevealed);
    let store = rehearse::store::Store::open(&session.db()).unwrap();
    assert_eq!(store.review_count().unwrap(), 0, "nothing was graded");
    tmux.keys(&["C-c"]);
    tmux.wait_for("__EXITED__ 0");
}

#[test]
#[ignore = "needs tmux: scripts/test runs ignored tests"]
fn the_story_screen_scrolls_within_its_text_and_shows_the_file() {
    let session = launch("");
    let tmux = &session.tmux;
    tmux.wait_for("Stories 4/4");
    tmux.keys(&["Enter"]);
    let top = tmux.wait_for_settled(&["daily-refresh-18m.md", "Situation"]);
    tmux.keys(&["G"]);
    let bottom = tmux.wait_for_settled(&["before the refresh grows."]);
    assert_ne!(bottom, top, "G scrolled to the last line, not a blank pane");
    // One k from the bottom: the frame one line up.
    tmux.keys(&["k"]);
    let one_up = tmux.wait_for_change(&bottom);
    // Back to the bottom; then past the end, j does nothing: three j and one k show exactly
    // the same frame as one k did (the test waits for that frame, keys are read in order).
    tmux.keys(&["G"]);
    tmux.wait_for_frame(&bottom);
    tmux.keys(&["j", "j", "j", "k"]);
    tmux.wait_for_frame(&one_up);
    tmux.keys(&["g"]);
    tmux.wait_for_frame(&top);
    tmux.keys(&["C-c"]);
    tmux.wait_for("__EXITED__ 0");
}

#[test]
#[ignore = "needs tmux: scripts/test runs ignored tests"]
fn reload_picks_up_a_new_story_and_a_deleted_one() {
    let session = launch("");
    let tmux = &session.tmux;
    tmux.wait_for("Stories 4/4");
    let stories = session.stories();
    let text = std::fs::read_to_string(stories.join("tight-deadlines.md"))
        .unwrap()
        .replace("id: tight-deadlines", "id: brand-new-story")
        .replacen("title: ", "title: Brand new ", 1);
    std::fs::write(stories.join("brand-new-story.md"), text).unwrap();
    std::fs::remove_file(stories.join("what-looking-for.md")).unwrap();
    tmux.keys(&["R"]);
    let screen = tmux.wait_for("reloaded the story folder");
    assert!(screen.contains("Stories 4/4"), "one in, one out:\n{screen}");
    assert!(screen.contains("Brand new"), "{screen}");
    tmux.keys(&["C-c"]);
    tmux.wait_for("__EXITED__ 0");
}
