//! The events a demo emits. Serialized as one JSON object per line, tagged by `"event"`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// First event of every run.
    Started {
        demo: String,
        args: Vec<String>,
    },
    /// A named stage begins ("generate", "parse: regex", "load").
    Phase {
        name: String,
    },
    /// Work done within a phase; `total` is known for bounded work.
    Progress {
        phase: String,
        done: u64,
        total: Option<u64>,
        unit: String,
    },
    Log {
        level: Level,
        message: String,
    },
    Metric(Metric),
    Table(Table),
    Chart(Chart),
    /// Last event of a successful run.
    Finished {
        summary: Summary,
    },
    /// Last event of a failed run.
    Failed {
        error: String,
    },
}

impl Event {
    /// Reads one line of `--json` output back into an event.
    pub fn parse_line(line: &str) -> Result<Event, serde_json::Error> {
        serde_json::from_str(line)
    }

    pub fn to_json_line(&self) -> String {
        // An Event holds only strings, numbers and vectors: serialization cannot fail.
        serde_json::to_string(self).expect("events always serialize")
    }

    /// True for the event that ends a run.
    pub fn is_terminal(&self) -> bool {
        matches!(self, Event::Finished { .. } | Event::Failed { .. })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Info,
    Warn,
    Error,
}

/// One measured number. `group` ties related metrics together (a strategy, a mode).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metric {
    pub name: String,
    pub value: f64,
    pub unit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

impl Metric {
    pub fn new(name: impl Into<String>, value: f64, unit: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            value,
            unit: unit.into(),
            group: None,
        }
    }

    pub fn in_group(mut self, group: impl Into<String>) -> Self {
        self.group = Some(group.into());
        self
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chart {
    pub title: String,
    pub data: ChartData,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChartData {
    /// Compare values side by side (throughput per strategy).
    Bar { unit: String, bars: Vec<Bar> },
    /// Jobs over time (ETL jobs per mode); times in milliseconds from the run's start.
    Gantt { tasks: Vec<GanttTask> },
    /// Values over time or another axis (invocations per second).
    Lines {
        x_label: String,
        y_label: String,
        series: Vec<Series>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bar {
    pub label: String,
    pub value: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GanttTask {
    pub label: String,
    /// Row group, e.g. the mode the job ran in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lane: Option<String>,
    pub start_ms: f64,
    pub end_ms: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
}

/// A [`Summary`] note that starts with this states the conditions the result ran under; the app
/// shows it beside the story's claim.
pub const ASSUMPTION_PREFIX: &str = "Assumption: ";

/// What a finished run leaves behind: stored with the run, shown on the story and in the export.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// One sentence: the result a person would quote.
    pub headline: String,
    /// The key numbers measured in this run.
    #[serde(default)]
    pub metrics: Vec<Metric>,
    /// Caveats and context (what was simulated, what was skipped and why).
    #[serde(default)]
    pub notes: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_kind_round_trips_through_one_json_line() {
        let events = vec![
            Event::Started {
                demo: "x".into(),
                args: vec!["--records".into(), "5".into()],
            },
            Event::Phase {
                name: "parse".into(),
            },
            Event::Progress {
                phase: "parse".into(),
                done: 3,
                total: Some(10),
                unit: "records".into(),
            },
            Event::Log {
                level: Level::Warn,
                message: "careful".into(),
            },
            Event::Metric(Metric::new("throughput", 1.5, "MB/s").in_group("regex")),
            Event::Table(Table {
                title: "t".into(),
                columns: vec!["a".into()],
                rows: vec![vec!["1".into()]],
            }),
            Event::Chart(Chart {
                title: "c".into(),
                data: ChartData::Gantt {
                    tasks: vec![GanttTask {
                        label: "orders".into(),
                        lane: Some("concurrent".into()),
                        start_ms: 0.0,
                        end_ms: 12.5,
                    }],
                },
            }),
            Event::Finished {
                summary: Summary {
                    headline: "done".into(),
                    metrics: vec![Metric::new("speedup", 3.9, "x")],
                    notes: vec![],
                },
            },
            Event::Failed {
                error: "boom".into(),
            },
        ];
        for event in events {
            let line = event.to_json_line();
            assert!(!line.contains('\n'), "one event per line: {line}");
            assert_eq!(Event::parse_line(&line).unwrap(), event);
        }
    }

    #[test]
    fn wire_format_is_tagged_by_event() {
        let line = Event::Phase {
            name: "load".into(),
        }
        .to_json_line();
        assert_eq!(line, r#"{"event":"phase","name":"load"}"#);
        let metric = Event::Metric(Metric::new("rows", 2.0, "rows")).to_json_line();
        assert_eq!(
            metric,
            r#"{"event":"metric","name":"rows","value":2.0,"unit":"rows"}"#
        );
    }

    #[test]
    fn only_finished_and_failed_end_a_run() {
        assert!(
            Event::Failed {
                error: String::new()
            }
            .is_terminal()
        );
        assert!(
            !Event::Phase {
                name: String::new()
            }
            .is_terminal()
        );
    }
}
