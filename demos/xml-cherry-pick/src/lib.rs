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
//! - [`implied`]: what the story's 19.5 s implies about record size, and a run at that size.
//! - [`bound`]: quick-xml alone reading the corpus, the bound on what streaming can gain.
//! - [`swar`]: eight bytes at a time in a word, for the scanner's short searches.
//! - `demo` runs it all; `checks` and `report` are its correctness tables and its report.

mod attributes;
pub mod bound;
pub mod breaks;
mod checks;
pub mod corpus;
mod demo;
mod entities;
pub mod error;
pub mod fields;
pub mod generate;
pub mod implied;
pub mod load;
pub mod measure;
pub mod python;
mod report;
pub mod strategy;
pub mod swar;
pub mod xml;

use demo_kit::{DemoError, DemoSpec, Reporter, Summary};

pub use demo::Args;
pub use error::{Error, PickError, RecordError};
pub use fields::{FIELDS, Picked, Value};
pub use strategy::{Picker, Strategy};

pub struct XmlCherryPick;

impl DemoSpec for XmlCherryPick {
    const ID: &'static str = "xml-cherry-pick";
    const TITLE: &'static str = "SAP XML cherry-pick benchmark";
    const DESCRIPTION: &'static str = "Full XML-to-dict conversion against regex, streaming and SIMD cherry-picking of the 20 fields a record needs.";
    type Args = Args;

    fn run(&self, args: Args, reporter: &Reporter) -> Result<Summary, DemoError> {
        demo::run(args, reporter)
    }
}
