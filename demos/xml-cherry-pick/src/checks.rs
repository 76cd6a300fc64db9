//! The correctness checks the demo runs before it measures anything: every strategy against
//! strategy 1 on the real IDocs, the regex break table, and record-by-record agreement.

use demo_kit::{Reporter, Table};

use crate::breaks;
use crate::corpus::{self, Corpus};
use crate::error::{PickError, RecordError};
use crate::fields::{FIELDS, Picked};
use crate::measure::Pass;
use crate::strategy::{Picker, Strategy};

/// At most this many examples of a divergence are logged.
pub const MAX_EXAMPLES: usize = 5;

pub fn outcome_cell(
    result: &Result<Picked, PickError>,
    reference: &Result<Picked, PickError>,
) -> String {
    match (result, reference) {
        (Ok(a), Ok(b)) if a == b => "same".into(),
        (Ok(a), Ok(b)) => format!("DIFFERS: {}", a.differences(b).join("; ")),
        (Err(_), Err(_)) => "rejected too".into(),
        (Ok(_), Err(_)) => "ACCEPTED a record strategy 1 rejects".into(),
        (Err(e), Ok(_)) => format!("REJECTED: {e}"),
    }
}

/// Every strategy on the real IDocs, compared with strategy 1; returns the number of differences.
pub fn real_idocs_table(picker: &Picker, strategies: &[Strategy], reporter: &Reporter) -> usize {
    let real = corpus::real_idocs();
    let mut rows = Vec::new();
    let mut differences = 0;
    for (i, record) in real.records().enumerate() {
        let reference = picker.pick(Strategy::Full, record);
        let mut row = vec![
            real.source(i).to_owned(),
            format!("{}", record.len()),
            match &reference {
                Ok(p) => format!(
                    "ok, {} of {} fields",
                    p.0.iter()
                        .filter(|v| **v != crate::fields::Value::Null)
                        .count(),
                    FIELDS.len()
                ),
                Err(e) => format!("rejected: {e}"),
            },
        ];
        for &strategy in &strategies[1..] {
            let result = picker.pick(strategy, record);
            let mut cell = outcome_cell(&result, &reference);
            if cell != "same" && cell != "rejected too" {
                differences += 1;
            }
            if strategy == Strategy::Scan
                && picker.scan_with_path(record).1 == crate::strategy::scan::Path::Fallback
            {
                cell.push_str(" (via parser)");
            }
            row.push(cell);
        }
        rows.push(row);
    }
    let mut columns = vec![
        "real IDoc".into(),
        "bytes".into(),
        Strategy::Full.label().to_owned(),
    ];
    columns.extend(strategies[1..].iter().map(|s| s.label().to_owned()));
    reporter.table(Table {
        title: "Real SAP IDocs: every strategy against strategy 1".into(),
        columns,
        rows,
    });
    differences
}

/// The regex break table; returns on how many features the regex is wrong.
pub fn break_table(picker: &Picker, strategies: &[Strategy], reporter: &Reporter) -> usize {
    let mut rows = Vec::new();
    let mut regex_wrong = 0;
    for case in breaks::cases() {
        let field = FIELDS
            .iter()
            .position(|f| f.name == case.field)
            .expect("break cases name real fields");
        let mut row = vec![
            case.feature.to_owned(),
            format!("{} = {}", case.field, case.expected),
        ];
        for &strategy in strategies {
            let cell = match picker.pick(strategy, case.xml.as_bytes()) {
                Ok(p) if p.0[field] == case.expected => "right".to_owned(),
                Ok(p) => {
                    if strategy == Strategy::Regex {
                        regex_wrong += 1;
                    }
                    format!("WRONG: {}", p.0[field])
                }
                Err(e) => {
                    if strategy == Strategy::Regex {
                        regex_wrong += 1;
                    }
                    format!("WRONG: rejected ({e})")
                }
            };
            row.push(cell);
        }
        rows.push(row);
    }
    let mut columns = vec!["XML feature".into(), "correct value".into()];
    columns.extend(strategies.iter().map(|s| s.label().to_owned()));
    reporter.table(Table {
        title: "Where a regex breaks (strategies 1, 3 and 4 must be right)".into(),
        columns,
        rows,
    });
    regex_wrong
}

pub fn report_rejections(
    reference: &Pass,
    corpus: &Corpus,
    injected: &[(usize, &str)],
    reporter: &Reporter,
) {
    let rejected: Vec<usize> = reference
        .results
        .iter()
        .enumerate()
        .filter(|(_, r)| r.is_err())
        .map(|(i, _)| i)
        .collect();
    if rejected.is_empty() {
        reporter.info("strategy 1 accepted every record");
        return;
    }
    reporter.warn(format!(
        "strategy 1 rejected {} of {} records; the rest were processed",
        rejected.len(),
        reference.results.len()
    ));
    for &i in rejected.iter().take(20) {
        let kind = injected
            .iter()
            .find(|(at, _)| *at == i)
            .map(|(_, kind)| format!(" [injected: {kind}]"))
            .unwrap_or_default();
        if let Err(e) = &reference.results[i] {
            let error = RecordError {
                index: i,
                source_name: corpus.source(i).to_owned(),
                error: e.clone(),
            };
            reporter.warn(format!("{error}{kind}"));
        }
    }
}

/// Compares a pass with strategy 1 record by record; reports and returns the divergences.
pub fn report_divergences(
    reference: &Pass,
    pass: &Pass,
    corpus: &Corpus,
    reporter: &Reporter,
) -> usize {
    if pass.strategy == reference.strategy {
        return 0;
    }
    let mut count = 0;
    for (i, (a, b)) in pass.results.iter().zip(&reference.results).enumerate() {
        let agree = match (a, b) {
            (Ok(a), Ok(b)) => a == b,
            (Err(_), Err(_)) => true,
            _ => false,
        };
        if !agree {
            count += 1;
            if count <= MAX_EXAMPLES {
                reporter.warn(format!(
                    "{}: record {i} ({}): {}",
                    pass.strategy.label(),
                    corpus.source(i),
                    outcome_cell(a, b)
                ));
            }
        }
    }
    if count == 0 {
        reporter.info(format!(
            "{}: identical to strategy 1 on all {} records",
            pass.strategy.label(),
            pass.results.len()
        ));
    } else {
        reporter.warn(format!(
            "{}: differs from strategy 1 on {count} of {} records",
            pass.strategy.label(),
            pass.results.len()
        ));
    }
    count
}
