//! Side by side with Python: the same corpus through `xmltodict.parse` and compiled regexes, run
//! by `python3` with the script embedded in this crate. When Python or xmltodict is missing the
//! comparison says so and is skipped; nothing is estimated in its place.

use std::borrow::Cow;
use std::path::Path;
use std::process::Command;

use serde::Deserialize;

use crate::error::Error;
use crate::fields::{Collector, FIELDS, Pick, Picked};
use crate::strategy::regex::{field_pattern, segment_pattern};

pub const SCRIPT: &str = include_str!("../scripts/xmltodict_bench.py");

/// What the Python run measured.
#[derive(Debug, Clone, Deserialize)]
pub struct PythonRun {
    pub python: String,
    pub xmltodict: String,
    pub records: usize,
    pub bytes: usize,
    /// `xmltodict.parse` and picking the fields from the dict, all records.
    pub full_seconds: f64,
    /// The compiled regexes, all records.
    pub regex_seconds: f64,
    /// The same two, in CPU seconds of the Python process.
    pub full_cpu_seconds: f64,
    pub regex_cpu_seconds: f64,
    /// `[index, message]` of records xmltodict rejected.
    pub errors: Vec<(usize, String)>,
    /// Per record, per field, the raw matched texts (`null` for a rejected record).
    pub picks: Vec<Option<Vec<Vec<Option<String>>>>>,
}

#[derive(Debug, Clone)]
pub enum Outcome {
    Ran(Box<PythonRun>),
    /// Why there is no comparison (python3 or xmltodict missing).
    Skipped(String),
}

impl PythonRun {
    /// The record as the Rust side types it, from xmltodict's raw picks.
    pub fn picked(&self, index: usize) -> Option<Picked> {
        let raw = self.picks.get(index)?.as_ref()?;
        let mut collector = Collector::new();
        for (field, matches) in raw.iter().enumerate().take(FIELDS.len()) {
            for text in matches {
                collector.hit(
                    field,
                    text.as_deref()
                        .and_then(crate::fields::clean)
                        .map(Cow::Borrowed),
                );
            }
        }
        Some(collector.finish())
    }
}

fn spec_json() -> String {
    let fields: Vec<serde_json::Value> = FIELDS
        .iter()
        .map(|spec| {
            let path = &spec.path[1..];
            let (segments, leaf) = match spec.pick {
                Pick::Count => (path, None),
                Pick::First | Pick::Sum => {
                    let (leaf, segments) = path.split_last().expect("paths are not empty");
                    (segments, Some(field_pattern(leaf)))
                }
            };
            serde_json::json!({
                "name": spec.name,
                "path": spec.path,
                "pick": match spec.pick { Pick::First => "first", Pick::Count => "count", Pick::Sum => "sum" },
                "segment_patterns": segments.iter().map(|s| segment_pattern(s)).collect::<Vec<_>>(),
                "leaf_pattern": leaf,
            })
        })
        .collect();
    serde_json::json!({ "fields": fields }).to_string()
}

/// Runs the script on a corpus file (records joined by NUL). `python` is the interpreter.
pub fn run(python: &str, corpus: &Path, work_dir: &Path) -> Result<Outcome, Error> {
    let script = work_dir.join("xmltodict_bench.py");
    let spec = work_dir.join("fields.json");
    let write = |path: &Path, text: &str| {
        std::fs::write(path, text).map_err(|source| Error::Write {
            path: path.to_owned(),
            source,
        })
    };
    write(&script, SCRIPT)?;
    write(&spec, &spec_json())?;
    let output = match Command::new(python)
        .arg(&script)
        .arg(corpus)
        .arg(&spec)
        .output()
    {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Outcome::Skipped(format!(
                "{python} was not found, so there is no Python comparison"
            )));
        }
        Err(e) => return Err(Error::Python(format!("could not start {python}: {e}"))),
    };
    if !output.status.success() {
        return Err(Error::Python(format!(
            "{python} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    let value: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| Error::Python(format!("unreadable output from the script: {e}")))?;
    if let Some(missing) = value.get("missing").and_then(|m| m.as_str()) {
        return Ok(Outcome::Skipped(format!(
            "{missing}, so there is no Python comparison"
        )));
    }
    let run: PythonRun = serde_json::from_value(value)
        .map_err(|e| Error::Python(format!("unexpected output from the script: {e}")))?;
    Ok(Outcome::Ran(Box::new(run)))
}
