//! SAP XML cherry-pick benchmark
//!
//! The story: an ETL Lambda converted each SAP IDoc XML into a Python dict (xmltodict) only to
//! keep 20 of its 70-85 fields; cherry-picking them with regexes took it from 19.5 s to 5 s.
//! This crate reproduces the technical core with four strategies that must all return the same
//! typed record, checks them against each other on generated and real IDocs, and measures them.
//!
//! - [`fields`]: the 20 wanted fields, their types, the typed record.
//! - [`strategy`]: full conversion, regex, quick-xml streaming, memchr scanning.
//! - [`xml`]: the checks every strategy shares (encoding, UTF-8, entities, the event parse).
//! - [`generate`], [`corpus`], [`breaks`]: the data: seeded IDoc-like records, real IDocs,
//!   the cases where a regex breaks and malformed records.
//! - [`load`], [`measure`], [`python`]: the SQLite load, timing, the xmltodict comparison.
//! - [`bound`]: quick-xml alone reading the corpus, the bound on what streaming can gain.

pub mod bound;
pub mod breaks;
pub mod corpus;
mod demo;
pub mod error;
pub mod fields;
pub mod generate;
pub mod load;
pub mod measure;
pub mod python;
pub mod strategy;
pub mod xml;

use demo_kit::{Demo, DemoError, DemoInfo, ParamInfo, Reporter, Summary, parse_args};

pub use demo::Args;
pub use error::{Error, PickError, RecordError};
pub use fields::{FIELDS, Picked, Value};
pub use strategy::{Picker, Strategy};

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

    fn check_args(&self, args: &[String]) -> Result<(), DemoError> {
        parse_args::<Args>("xml-cherry-pick", args).map(drop)
    }

    fn run(&self, args: &[String], reporter: &Reporter) -> Result<Summary, DemoError> {
        let args: Args = parse_args("xml-cherry-pick", args)?;
        demo::run(args, reporter)
    }
}
