//! Fixtures shared by the SRS CLI tests, in the shared sandbox: a story folder, an empty
//! config, a database path. A test file that uses it declares `mod sandbox;` too.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

use crate::sandbox::Sandbox;

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

/// The sandbox with one story (`STORY`), an empty config file and a database of its own, all
/// named on the command line.
pub struct Fixture {
    sandbox: Sandbox,
}

impl Fixture {
    pub fn new() -> Fixture {
        let sandbox = Sandbox::new();
        sandbox.story_folder("stories", &[("faster.md", STORY)]);
        std::fs::write(sandbox.path().join("config.toml"), "").unwrap();
        Fixture { sandbox }
    }

    pub fn path(&self) -> &Path {
        self.sandbox.path()
    }

    pub fn db(&self) -> PathBuf {
        self.path().join("data/rehearse.db")
    }

    pub fn story_path(&self) -> PathBuf {
        self.path().join("stories/faster.md")
    }

    /// `rehearse` with this fixture's story folder, database and config.
    pub fn cmd(&self) -> Command {
        Command::from_std(self.std_cmd())
    }

    /// The same, as a plain `std::process::Command` (for a child kept running).
    pub fn std_cmd(&self) -> std::process::Command {
        self.std_cmd_with_db(&self.db())
    }

    /// `rehearse` on this fixture's stories and config with the database `db`: a second
    /// machine on the same stories.
    pub fn std_cmd_with_db(&self, db: &Path) -> std::process::Command {
        let mut cmd = self.sandbox.std_cmd();
        cmd.arg("--stories")
            .arg(self.path().join("stories"))
            .arg("--db")
            .arg(db)
            .arg("--config")
            .arg(self.path().join("config.toml"));
        cmd
    }
}
