//! Finished demo runs: what the stories and the export quote as "latest measured".

use demo_kit::Summary;
use jiff::Timestamp;
use rusqlite::{OptionalExtension, Row, params};

use super::{Result, Store, StoreError};

/// One recorded run of a demo.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoRun {
    pub demo_id: String,
    pub args: Vec<String>,
    pub started_at: Timestamp,
    pub finished_at: Timestamp,
    /// The summary of a successful run, or the error of a failed one.
    pub outcome: Result<Summary, String>,
}

impl Store {
    pub fn record_demo_run(&self, run: &DemoRun) -> Result<()> {
        let (ok, summary) = match &run.outcome {
            Ok(summary) => (
                1,
                serde_json::to_string(summary).expect("summary serializes"),
            ),
            Err(error) => (0, error.clone()),
        };
        self.write(|tx| {
            tx.execute(
                "INSERT INTO demo_runs (demo_id, args, started_at, finished_at, ok, summary)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    run.demo_id,
                    serde_json::to_string(&run.args).expect("strings serialize"),
                    run.started_at.to_string(),
                    run.finished_at.to_string(),
                    ok,
                    summary
                ],
            )?;
            Ok(())
        })
    }

    /// The most recent successful run of a demo.
    pub fn latest_demo_run(&self, demo_id: &str) -> Result<Option<DemoRun>> {
        self.conn()
            .query_row(
                "SELECT demo_id, args, started_at, finished_at, ok, summary FROM demo_runs
                 WHERE demo_id = ?1 AND ok = 1 ORDER BY finished_at DESC, id DESC LIMIT 1",
                [demo_id],
                raw_row,
            )
            .optional()?
            .map(RawRun::decode)
            .transpose()
    }
}

struct RawRun {
    demo_id: String,
    args: String,
    started_at: String,
    finished_at: String,
    ok: bool,
    summary: String,
}

fn raw_row(row: &Row<'_>) -> rusqlite::Result<RawRun> {
    Ok(RawRun {
        demo_id: row.get(0)?,
        args: row.get(1)?,
        started_at: row.get(2)?,
        finished_at: row.get(3)?,
        ok: row.get(4)?,
        summary: row.get(5)?,
    })
}

impl RawRun {
    fn decode(self) -> Result<DemoRun> {
        let corrupt = |what: &str, e: &dyn std::fmt::Display| {
            StoreError::Corrupt(format!("demo run of {}: {what}: {e}", self.demo_id))
        };
        let outcome = if self.ok {
            Ok(serde_json::from_str(&self.summary).map_err(|e| corrupt("summary", &e))?)
        } else {
            Err(self.summary.clone())
        };
        Ok(DemoRun {
            args: serde_json::from_str(&self.args).map_err(|e| corrupt("args", &e))?,
            started_at: self
                .started_at
                .parse()
                .map_err(|e| corrupt("start time", &e))?,
            finished_at: self
                .finished_at
                .parse()
                .map_err(|e| corrupt("end time", &e))?,
            demo_id: self.demo_id,
            outcome,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use demo_kit::Metric;

    fn run(at: &str, outcome: Result<Summary, String>) -> DemoRun {
        DemoRun {
            demo_id: "xml-cherry-pick".into(),
            args: vec!["--records".into(), "100".into()],
            started_at: at.parse().unwrap(),
            finished_at: at.parse().unwrap(),
            outcome,
        }
    }

    #[test]
    fn the_latest_successful_run_is_returned_whole() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(store.latest_demo_run("xml-cherry-pick").unwrap(), None);
        let older = run(
            "2026-11-01T10:00:00Z",
            Ok(Summary {
                headline: "old".into(),
                ..Summary::default()
            }),
        );
        let newer = run(
            "2026-11-02T10:00:00Z",
            Ok(Summary {
                headline: "new".into(),
                metrics: vec![Metric::new("speedup", 4.2, "x")],
                notes: vec!["parse only".into()],
            }),
        );
        let failed = run(
            "2026-11-03T10:00:00Z",
            Err("LocalStack is not running".into()),
        );
        for r in [&older, &newer, &failed] {
            store.record_demo_run(r).unwrap();
        }
        assert_eq!(
            store.latest_demo_run("xml-cherry-pick").unwrap(),
            Some(newer)
        );
        assert_eq!(store.latest_demo_run("concurrent-etl").unwrap(), None);
    }
}
