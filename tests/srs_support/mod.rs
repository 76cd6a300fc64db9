//! Fixtures shared by the SRS CLI tests: a story folder, an empty config, a database path.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

pub const STORY: &str = "---
id: faster
title: Made the refresh faster
tags: [performance]
questions:
  - Tell me about a system you made faster.
  - Tell me about a project you are proud of.
  - How did you scale a workload?
metrics:
  - name: wall time
    before: 3 h
    after: 30 min
    claim: 6x faster
---

## Situation

A refresh took 3 hours.

## Task

Make it faster.

## Action

- Ran independent jobs at once.

## Result

30 minutes.

## Follow-ups

### What stack?

Python and asyncio.

### What would you change?

Measure first.
";

pub struct Fixture {
    pub dir: TempDir,
}

impl Fixture {
    pub fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("stories")).unwrap();
        std::fs::write(dir.path().join("stories/faster.md"), STORY).unwrap();
        std::fs::write(dir.path().join("config.toml"), "").unwrap();
        Fixture { dir }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("data/rehearse.db")
    }

    pub fn story_path(&self) -> PathBuf {
        self.dir.path().join("stories/faster.md")
    }

    pub fn args(&self) -> Vec<String> {
        self.args_with_db(&self.db())
    }

    /// The arguments with another database: a second machine on the same stories.
    pub fn args_with_db(&self, db: &Path) -> Vec<String> {
        let p = |path: &Path| path.display().to_string();
        vec![
            "--stories".into(),
            p(&self.dir.path().join("stories")),
            "--db".into(),
            p(db),
            "--config".into(),
            p(&self.dir.path().join("config.toml")),
        ]
    }

    /// `rehearse` with this fixture's folders, in UTC.
    pub fn cmd(&self) -> Command {
        Command::from_std(self.std_cmd())
    }

    /// The same, as a plain `std::process::Command` (for a child kept running).
    pub fn std_cmd(&self) -> std::process::Command {
        self.std_cmd_with_db(&self.db())
    }

    /// `rehearse` on this fixture's stories with the database `db`.
    pub fn std_cmd_with_db(&self, db: &Path) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("rehearse"));
        cmd.args(self.args_with_db(db))
            .env("TZ", "UTC")
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("xdg-config"))
            .env("XDG_DATA_HOME", self.dir.path().join("xdg-data"));
        cmd
    }
}
