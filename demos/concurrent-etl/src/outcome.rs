//! What one target's refreshes did: the figures and checks the report and the tables read.

use std::path::PathBuf;

use crate::args::TargetArg;
use crate::db::Checksum;
use crate::feed::Feed;
use crate::refresh::{Outcome, RefreshReport};

/// Which database a target is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

impl Kind {
    pub fn of(arg: TargetArg) -> Vec<Kind> {
        match arg {
            TargetArg::Sqlite => vec![Kind::Sqlite],
            TargetArg::Postgres => vec![Kind::Postgres],
            TargetArg::Both => vec![Kind::Sqlite, Kind::Postgres],
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Sqlite => "SQLite",
            Kind::Postgres => "PostgreSQL",
        }
    }
}

/// What one target's refreshes did.
pub struct TargetRun {
    pub kind: Kind,
    pub day1: RefreshReport,
    /// One per mode, in the order run.
    pub runs: Vec<RefreshReport>,
    /// Per mode: every table's checksum.
    pub checksums: Vec<Vec<(String, Checksum)>>,
    pub rerun_changed: u64,
    pub problems: Vec<String>,
    /// The demo process's peak resident memory while this target ran (Linux).
    pub peak_rss: Option<u64>,
    /// For the sweep (SQLite): the day-1 database, kept.
    pub pristine: Option<PathBuf>,
}

impl TargetRun {
    pub fn identical(&self) -> bool {
        self.checksums.len() == 2 && self.checksums[0] == self.checksums[1]
    }

    pub fn failed_jobs(&self) -> impl Iterator<Item = Feed> + '_ {
        self.runs
            .iter()
            .flat_map(|r| &r.jobs)
            .filter(|j| !matches!(j.outcome, Outcome::Loaded(_)))
            .map(|j| j.feed)
    }
}
