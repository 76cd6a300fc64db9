//! The TUI under stress, in a real terminal (tmux):
//! - SIGTERM, SIGHUP and SIGINT while a demo runs: the demo's process group is killed (not
//!   left running, re-parented to init), its scratch folder is removed, and the terminal is
//!   given back (no alternate screen, cooked mode, the cursor shown), as on `q`;
//! - kill -9 of the TUI while a demo runs: the demo ends with it and records nothing;
//! - the terminal closed under the TUI (a killed tmux, a closed window) while a demo runs: the
//!   TUI does not outlive it, spinning on the dead tty, and the demo dies with it;
//! - a database locked by another process: a grade says so at once, not after 5 s.
//!
//! Needs tmux; `scripts/test` installs it and runs ignored tests.

mod tmux_support;

use tmux_support::{Launched, Tmux, alive, children, wait_until};

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn scratch_folders(tmp: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(tmp.join("rehearse-demos"))
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default()
}

/// The TUI in tmux (120x35) on a copy of the test stories, its library shown.
fn launch(tag: &str) -> Launched {
    let launched = Launched::tui(tag, (120, 35), "", &[]);
    launched.tmux.wait_for("Stories 4/4");
    launched
}

/// From the library, starts the XML demo with a corpus big enough to keep it busy; returns
/// the TUI's pid and the demo's, once the demo has made its scratch folder.
fn start_a_long_demo(tmux: &Tmux, tmp: &Path) -> (u32, u32) {
    start_demo(tmux, tmp, "sap xml", "--records 5000000 --no-python")
}

/// From the library, opens the story found by `search` and runs its demo with `params`;
/// returns the TUI's pid and the demo's, once the demo has made its scratch folder.
fn start_demo(tmux: &Tmux, tmp: &Path, search: &str, params: &str) -> (u32, u32) {
    let app = children(tmux.pane_pid())[0];
    tmux.keys(&["/"]);
    tmux.type_text(search);
    tmux.wait_for("Stories 1/4");
    tmux.keys(&["Enter", "Enter", "p"]);
    tmux.wait_for("params:");
    tmux.type_text(params);
    tmux.keys(&["Enter"]);
    wait_until("the demo made its scratch folder", || {
        !scratch_folders(tmp).is_empty()
    });
    let demo = children(app);
    assert_eq!(demo.len(), 1, "one demo child: {demo:?}");
    assert!(alive(demo[0]));
    (app, demo[0])
}

/// Starts the TUI, starts the XML demo with a corpus big enough to keep it busy, sends
/// `signal` to the TUI, and checks that nothing is left behind.
fn signal_while_a_demo_runs(signal: &str) {
    let launched = launch(signal);
    let (tmux, tmp) = (&launched.tmux, launched.tmp());
    let (app, demo) = start_a_long_demo(tmux, &tmp);

    let sent = Command::new("kill")
        .args([&format!("-{signal}"), &app.to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    tmux.wait_for("__EXITED__");
    wait_until("the demo is gone", || !alive(demo));
    // The shell prints the terminal mode after the exit status: wait for it too.
    let screen = tmux.wait_for("icanon");
    assert!(
        !tmux.alternate_on(),
        "the alternate screen was left:\n{screen}"
    );
    assert!(
        screen.lines().any(|l| l.trim() == "icanon"),
        "raw mode was turned off (stty shows icanon):\n{screen}"
    );
    assert!(
        tmux.cursor_visible(),
        "the cursor is shown again:\n{screen}"
    );
    assert!(
        !screen.contains("__EXITED__ 0"),
        "a signal is not a clean exit:\n{screen}"
    );
    assert_eq!(
        scratch_folders(&tmp),
        Vec::<PathBuf>::new(),
        "the killed run's scratch folder is removed"
    );
}

#[test]
#[ignore = "needs tmux: scripts/test runs it"]
fn sigterm_kills_the_running_demo_and_restores_the_terminal() {
    signal_while_a_demo_runs("TERM");
}

#[test]
#[ignore = "needs tmux: scripts/test runs it"]
fn sighup_kills_the_running_demo_and_restores_the_terminal() {
    signal_while_a_demo_runs("HUP");
}

#[test]
#[ignore = "needs tmux: scripts/test runs it"]
fn sigint_kills_the_running_demo_and_restores_the_terminal() {
    signal_while_a_demo_runs("INT");
}

#[test]
#[ignore = "needs tmux: scripts/test runs it"]
fn a_closed_terminal_ends_the_tui_and_its_demo() {
    let launched = launch("closed");
    let tmp = launched.tmp();
    let (app, demo) = start_a_long_demo(&launched.tmux, &tmp);
    let Launched { tmux, dir: _dir } = launched;
    // The terminal goes away: the TUI gets SIGHUP and its tty reads end-of-file from now on.
    drop(tmux);
    wait_until("the TUI has exited", || !alive(app));
    wait_until("the demo is gone", || !alive(demo));
    assert_eq!(
        scratch_folders(&tmp),
        Vec::<PathBuf>::new(),
        "the killed run's scratch folder is removed"
    );
}

#[test]
#[ignore = "needs tmux: scripts/test runs it"]
fn a_killed_tui_leaves_no_demo_running_and_no_run_recorded() {
    let launched = launch("kill9");
    let (tmux, tmp, db) = (&launched.tmux, launched.tmp(), launched.db());
    // Minutes of work: 3 million records at the default 40 ms wait per page.
    let (app, demo) = start_demo(tmux, &tmp, "daily refresh", "--records 3000000");
    let killed = Command::new("kill")
        .args(["-KILL", &app.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    tmux.wait_for("__EXITED__");
    let gone = Instant::now() + Duration::from_secs(30);
    while alive(demo) {
        if Instant::now() > gone {
            let _ = Command::new("kill")
                .args(["-KILL", &demo.to_string()])
                .status();
            panic!("the demo (pid {demo}) outlived the killed TUI by 30 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let store = rehearse::store::Store::open(&db).unwrap();
    assert_eq!(store.latest_demo_run("concurrent-etl").unwrap(), None);
    assert_eq!(
        scratch_folders(&tmp),
        Vec::<PathBuf>::new(),
        "the demo removed its scratch folder"
    );
}

#[test]
#[ignore = "needs tmux: scripts/test runs it"]
fn a_grade_on_a_locked_database_says_so_at_once() {
    let launched = launch("locked");
    let (tmux, db) = (&launched.tmux, launched.db());
    tmux.keys(&["/"]);
    tmux.type_text("sap xml");
    tmux.wait_for("Stories 1/4");
    tmux.keys(&["Enter", "s"]);
    tmux.wait_for("Card 1 of");
    tmux.keys(&["Space"]);
    tmux.wait_for("Again");
    let other = rusqlite::Connection::open(&db).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    tmux.keys(&["3"]);
    // The default timeout is 5 s; the TUI waits 0.5 s. 3 s leaves room for a slow machine.
    let screen = tmux.wait_for_within("locked by another process", Duration::from_secs(3));
    assert!(screen.contains("NOT saved"), "{screen}");
    other.execute_batch("ROLLBACK").unwrap();
    tmux.keys(&["q"]);
}
