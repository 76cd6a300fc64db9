//! A sandbox for the CLI tests: its own HOME, XDG dirs and database, so a test never reads or
//! writes the user's files, and never opens the user's editor. Each test file adds its own
//! helpers in an `impl Sandbox` of its own.

#![allow(dead_code)]

use std::path::Path;

use assert_cmd::Command;

pub struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The binary, run inside the sandbox (on the bundled stories unless told otherwise).
    pub fn cmd(&self) -> Command {
        Command::from_std(self.process())
    }

    /// [`Sandbox::cmd`] as a plain process, for a test that reads its output as it comes or
    /// signals it while it runs.
    pub fn process(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("rehearse"));
        self.set_env(&mut cmd);
        cmd
    }

    /// The sandbox's environment on any command (a shell that starts the binary, say).
    pub fn set_env<'c>(&self, cmd: &'c mut std::process::Command) -> &'c mut std::process::Command {
        cmd.env("HOME", self.path())
            .env("XDG_CONFIG_HOME", self.path().join("config"))
            .env("XDG_DATA_HOME", self.path().join("data"))
            .env("REHEARSE_DB", self.path().join("test.db"))
            .env_remove("REHEARSE_STORIES")
            .env_remove("REHEARSE_CONFIG")
            .env_remove("EDITOR")
            .env_remove("VISUAL")
            .env("NO_COLOR", "1")
    }
}
