//! Recursion-guarded S3 trigger
//!
//! Placeholder: the demo's own issue fills this crate in.

use clap::Parser;
use demo_kit::{Demo, DemoError, DemoInfo, ParamInfo, Reporter, Summary, parse_args};

/// Arguments after `rehearse demo run recursion-guard`.
#[derive(Debug, Parser)]
pub struct Args {}

pub struct RecursionGuard;

impl Demo for RecursionGuard {
    fn info(&self) -> DemoInfo {
        DemoInfo {
            id: "recursion-guard",
            title: "Recursion-guarded S3 trigger",
            description: "An S3 -> SQS -> handler pipeline on LocalStack: a runaway recursive trigger, the guard that stops it, and the alert for a silent stop.",
            params: ParamInfo::of::<Args>(),
        }
    }

    fn run(&self, args: &[String], _reporter: &Reporter) -> Result<Summary, DemoError> {
        let _args: Args = parse_args("recursion-guard", args)?;
        Err(DemoError::Unavailable("this demo is not built yet".into()))
    }
}
