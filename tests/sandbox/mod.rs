//! The one sandbox every CLI test runs the binary in: its own HOME, XDG dirs and database, UTC,
//! no colour, no editor, none of the user's `REHEARSE_*` settings; so a test never reads or
//! writes the user's files, never opens the user's editor, and reads the same dates on every
//! machine. Each test file adds its own helpers in an `impl Sandbox` of its own; story fixtures
//! shared by several files live beside it (`srs_support`).

#![allow(dead_code)]

use std::path::{Path, PathBuf};

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

    /// The database every command of this sandbox uses (`REHEARSE_DB`).
    pub fn db(&self) -> PathBuf {
        self.path().join("test.db")
    }

    /// The binary, run inside the sandbox (on the bundled stories unless told otherwise).
    pub fn cmd(&self) -> Command {
        Command::from_std(self.std_cmd())
    }

    /// The same, as a plain `std::process::Command` (for a child kept running).
    pub fn std_cmd(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("rehearse"));
        self.set_env(&mut cmd);
        cmd
    }

    /// The sandbox's environment on any command (a shell that starts the binary, say).
    pub fn set_env<'c>(&self, cmd: &'c mut std::process::Command) -> &'c mut std::process::Command {
        cmd.env("HOME", self.path())
            .env("XDG_CONFIG_HOME", self.path().join("config"))
            .env("XDG_DATA_HOME", self.path().join("data"))
            .env("REHEARSE_DB", self.db())
            .env("TZ", "UTC")
            .env("NO_COLOR", "1")
            .env_remove("REHEARSE_STORIES")
            .env_remove("REHEARSE_CONFIG")
            .env_remove("REHEARSE_SPEECH_DIR")
            .env_remove("EDITOR")
            .env_remove("VISUAL")
    }

    /// A story folder `name` in the sandbox holding `files` (file name, text).
    pub fn story_folder(&self, name: &str, files: &[(&str, &str)]) -> PathBuf {
        let folder = self.path().join(name);
        std::fs::create_dir_all(&folder).unwrap();
        for (file, text) in files {
            std::fs::write(folder.join(file), text).unwrap();
        }
        folder
    }
}
