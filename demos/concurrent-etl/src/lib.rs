//! Concurrent ETL refresh
//!
//! Placeholder: the demo's own issue fills this crate in.

use clap::Parser;
use demo_kit::{Demo, DemoError, DemoInfo, ParamInfo, Reporter, Summary, parse_args};

/// Arguments after `rehearse demo run concurrent-etl`.
#[derive(Debug, Parser)]
pub struct Args {}

pub struct ConcurrentEtl;

impl Demo for ConcurrentEtl {
    fn info(&self) -> DemoInfo {
        DemoInfo {
            id: "concurrent-etl",
            title: "Concurrent ETL refresh",
            description: "A daily refresh of dependent feeds into SQLite, run one job after another and as a DAG of concurrent jobs.",
            params: ParamInfo::of::<Args>(),
        }
    }

    fn run(&self, args: &[String], _reporter: &Reporter) -> Result<Summary, DemoError> {
        let _args: Args = parse_args("concurrent-etl", args)?;
        Err(DemoError::Unavailable("this demo is not built yet".into()))
    }
}
