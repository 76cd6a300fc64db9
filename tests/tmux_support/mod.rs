//! A tmux server per test, for the tests that drive the real binary in a real terminal:
//! keys in (`send-keys`), the screen out (`capture-pane`). Tests run in parallel, so each
//! `Tmux` has its own server, killed when it is dropped.

#![allow(dead_code)]

use std::path::Path;
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

    /// [`Tmux::wait_for`] with a limit of its own, for what must happen quickly.
    pub fn wait_for_within(&self, needle: &str, limit: Duration) -> String {
        self.wait_within(&[needle], limit)
    }

    fn wait_within(&self, needles: &[&str], limit: Duration) -> String {
        let deadline = Instant::now() + limit;
        loop {
            let screen = self.screen();
            if needles.iter().all(|n| screen.contains(n)) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {needles:?}; the screen was:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

/// `path` quoted for the shell command tmux runs.
pub fn shell_quote(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', r"'\''"))
}

/// A copy of the TUI's four test stories in `folder` (made if missing), so edits to the
/// bundled stories do not move these tests.
pub fn copy_test_stories(folder: &Path) {
    std::fs::create_dir_all(folder).unwrap();
    let fixtures: std::path::PathBuf = [env!("CARGO_MANIFEST_DIR"), "src", "tui", "testdata"]
        .iter()
        .collect();
    for file in std::fs::read_dir(&fixtures).unwrap() {
        let file = file.unwrap().path();
        std::fs::copy(&file, folder.join(file.file_name().unwrap())).unwrap();
    }
}
