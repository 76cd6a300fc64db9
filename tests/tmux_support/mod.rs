//! The one terminal launcher of the tests that drive the real binary in a real terminal: a tmux
//! server per test (tests run in parallel, so each `Tmux` has its own, killed when dropped),
//! keys in (`send-keys`), the screen out (`capture-pane`), and [`Launched::tui`], which starts
//! the TUI on a copy of the test stories with its own HOME, TMPDIR and database. Every wait is
//! on a condition (the screen, a process, a file), with a limit that fails with what it saw.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

static SERVERS: AtomicUsize = AtomicUsize::new(0);

/// How long a wait for the screen may take before the test fails with the screen it saw.
const WAIT: Duration = Duration::from_secs(60);

pub struct Tmux {
    socket: String,
}

impl Tmux {
    /// A new server; `tag` names it for whoever looks at the sockets.
    pub fn new(tag: &str) -> Tmux {
        Tmux {
            socket: format!(
                "rehearse-{tag}-{}-{}",
                std::process::id(),
                SERVERS.fetch_add(1, Ordering::Relaxed)
            ),
        }
    }

    pub fn run(&self, args: &[&str]) -> Output {
        let output = Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .output()
            .expect("tmux must be installed for this test (scripts/test installs it)");
        assert!(
            output.status.success(),
            "tmux {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    pub fn keys(&self, keys: &[&str]) {
        for key in keys {
            self.run(&["send-keys", "-t", "main", key]);
        }
    }

    /// Types text literally.
    pub fn type_text(&self, text: &str) {
        self.run(&["send-keys", "-t", "main", "-l", "--", text]);
    }

    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "main"]).stdout)
            .into_owned()
    }

    pub fn alternate_on(&self) -> bool {
        let out = self.run(&["display-message", "-p", "-t", "main", "#{alternate_on}"]);
        String::from_utf8_lossy(&out.stdout).trim() == "1"
    }

    /// Whether the pane shows its cursor (an app may hide it while it runs).
    pub fn cursor_visible(&self) -> bool {
        let out = self.run(&["display-message", "-p", "-t", "main", "#{cursor_flag}"]);
        String::from_utf8_lossy(&out.stdout).trim() == "1"
    }

    /// The shell the session runs its command in.
    pub fn pane_pid(&self) -> u32 {
        let out = self.run(&["display-message", "-p", "-t", "main", "#{pane_pid}"]);
        String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
    }

    /// Waits until the screen shows `needle`; fails with the screen if it never does.
    pub fn wait_for(&self, needle: &str) -> String {
        self.wait_for_all(&[needle])
    }

    /// Waits until the screen shows every one of `needles` (a frame can be caught half
    /// drawn); fails with the screen if it never does.
    pub fn wait_for_all(&self, needles: &[&str]) -> String {
        self.wait_within(needles, WAIT)
    }

    /// Waits until the screen is exactly `expected` (a whole frame, not a part of one); fails
    /// with the screen it saw.
    pub fn wait_for_frame(&self, expected: &str) -> String {
        self.poll(WAIT, &format!("the frame:\n{expected}"), |screen| {
            screen == expected
        })
    }

    /// Waits until the screen differs from `before`, then until it is drawn whole (two
    /// captures alike); returns it.
    pub fn wait_for_change(&self, before: &str) -> String {
        let changed = self.poll(WAIT, &format!("a change from:\n{before}"), |screen| {
            screen != before
        });
        self.settled(changed)
    }

    /// The screen once `done` holds for it; fails after `limit` with the screen it saw.
    fn poll(&self, limit: Duration, what: &str, done: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + limit;
        loop {
            let screen = self.screen();
            if done(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; the screen was:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// [`Tmux::wait_for_all`], then until the frame is drawn whole (two captures alike): a
    /// frame to compare later frames with.
    pub fn wait_for_settled(&self, needles: &[&str]) -> String {
        let screen = self.wait_for_all(needles);
        self.settled(screen)
    }

    /// The screen once two captures in a row are alike, starting from `screen`.
    fn settled(&self, mut screen: String) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            std::thread::sleep(Duration::from_millis(50));
            let again = self.screen();
            if again == screen {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "the screen never settled; last:\n{again}"
            );
            screen = again;
        }
    }

    /// [`Tmux::wait_for`] with a limit of its own, for what must happen quickly.
    pub fn wait_for_within(&self, needle: &str, limit: Duration) -> String {
        self.wait_within(&[needle], limit)
    }

    fn wait_within(&self, needles: &[&str], limit: Duration) -> String {
        self.poll(limit, &format!("{needles:?}"), |screen| {
            needles.iter().all(|n| screen.contains(n))
        })
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

/// Waits until `done` holds; fails naming `what` if it never does.
pub fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + WAIT;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The TUI running in tmux on a copy of the test stories, with its own HOME, TMPDIR and
/// database. After it exits, the shell prints `__EXITED__ <status>` at the start of a line of
/// its own (with `\r`: a killed TUI leaves the terminal raw, where a newline keeps the column,
/// and after a `Killed` notice as long as the binary's path the marker would wrap) and, on the
/// next line, whether the terminal is back in canonical (cooked) mode.
pub struct Launched {
    pub tmux: Tmux,
    pub dir: tempfile::TempDir,
}

impl Launched {
    /// `rehearse ARGS` at `width`x`height`; `env` is prepended (`NAME=value ...`).
    pub fn tui(tag: &str, (width, height): (u16, u16), env: &str, args: &[&str]) -> Launched {
        let dir = tempfile::tempdir().unwrap();
        let launched = Launched {
            tmux: Tmux::new(tag),
            dir,
        };
        for folder in [launched.home(), launched.tmp()] {
            std::fs::create_dir_all(folder).unwrap();
        }
        copy_test_stories(&launched.stories());
        let command = format!(
            "env HOME={home} XDG_CONFIG_HOME={home}/.config XDG_DATA_HOME={home}/.local/share \
             TMPDIR={tmp} NO_COLOR= TERM=xterm-256color RUST_BACKTRACE=0 {env} {bin} --db {db} \
             --stories {stories} {args}; status=$?; printf '\\r\\n__EXITED__ %s\\r\\n' $status; stty -a | grep -o -- '-\\?icanon'; \
             sleep 600",
            home = shell_quote(&launched.home()),
            tmp = shell_quote(&launched.tmp()),
            bin = shell_quote(Path::new(env!("CARGO_BIN_EXE_rehearse"))),
            db = shell_quote(&launched.db()),
            stories = shell_quote(&launched.stories()),
            args = args.join(" "),
        );
        let (w, h) = (width.to_string(), height.to_string());
        launched.tmux.run(&[
            "new-session",
            "-d",
            "-s",
            "main",
            "-x",
            &w,
            "-y",
            &h,
            &command,
        ]);
        launched
    }

    pub fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    /// The TUI's TMPDIR (demos make their scratch folders here).
    pub fn tmp(&self) -> PathBuf {
        self.dir.path().join("tmp")
    }

    pub fn stories(&self) -> PathBuf {
        self.dir.path().join("stories")
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("rehearse.db")
    }
}

/// Process ids whose parent is `parent`, from `/proc`.
pub fn children(parent: u32) -> Vec<u32> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // "pid (comm) state ppid ...": comm may hold spaces, so read after the last ')'.
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok());
        if ppid == Some(parent) {
            out.push(pid);
        }
    }
    out
}

/// Whether `pid` runs (a zombie does not: it has a /proc entry whose state letter is Z).
pub fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_some_and(|state| state != "Z")
    })
}

/// `path` quoted for the shell command tmux runs.
pub fn shell_quote(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', r"'\''"))
}

/// A copy of the TUI's four test stories in `folder` (made if missing), so edits to the
/// bundled stories do not move these tests.
pub fn copy_test_stories(folder: &Path) {
    std::fs::create_dir_all(folder).unwrap();
    let fixtures: PathBuf = [env!("CARGO_MANIFEST_DIR"), "src", "tui", "testdata"]
        .iter()
        .collect();
    for file in std::fs::read_dir(&fixtures).unwrap() {
        let file = file.unwrap().path();
        std::fs::copy(&file, folder.join(file.file_name().unwrap())).unwrap();
    }
}
