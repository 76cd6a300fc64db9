//! SAP XML cherry-pick benchmark
//!
//! Placeholder: the demo's own issue fills this crate in.

use clap::Parser;
use demo_kit::{Demo, DemoError, DemoInfo, ParamInfo, Reporter, Summary, parse_args};

/// Arguments after `rehearse demo run xml-cherry-pick`.
#[derive(Debug, Parser)]
pub struct Args {}

pub struct XmlCherryPick;

impl Demo for XmlCherryPick {
    fn info(&self) -> DemoInfo {
        DemoInfo {
            id: "xml-cherry-pick",
            title: "SAP XML cherry-pick benchmark",
            description: "Full XML-to-dict conversion against regex, streaming and SIMD cherry-picking of the 20 fields a record needs.",
            params: ParamInfo::of::<Args>(),
        }
    }

    fn run(&self, args: &[String], _reporter: &Reporter) -> Result<Summary, DemoError> {
        let _args: Args = parse_args("xml-cherry-pick", args)?;
        Err(DemoError::Unavailable("this demo is not built yet".into()))
    }
}
