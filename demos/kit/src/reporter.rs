//! Where events go: a [`Reporter`] handle that demos clone freely, in front of one [`EventSink`].

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::event::{Chart, ChartData, Event, Level, Metric, Table};

/// Receives every event of a run, in order.
pub trait EventSink: Send {
    fn emit(&mut self, event: &Event);
}

/// Progress updates closer together than this are dropped (the last one of a phase never is).
const PROGRESS_INTERVAL: Duration = Duration::from_millis(100);

/// The handle a demo reports through. Cheap to clone; safe to use from many threads and tasks.
#[derive(Clone)]
pub struct Reporter {
    inner: Arc<Mutex<Inner>>,
}

struct Inner {
    sink: Box<dyn EventSink>,
    last_progress: HashMap<String, Instant>,
}

impl Reporter {
    pub fn new(sink: impl EventSink + 'static) -> Self {
        Self {
            inner: Arc::new(Mutex::new(Inner {
                sink: Box::new(sink),
                last_progress: HashMap::new(),
            })),
        }
    }

    pub fn emit(&self, event: Event) {
        let mut inner = self
            .inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Event::Progress {
            phase, done, total, ..
        } = &event
        {
            let now = Instant::now();
            let finished = Some(*done) == *total;
            let recent = inner
                .last_progress
                .get(phase)
                .is_some_and(|last| now.duration_since(*last) < PROGRESS_INTERVAL);
            if recent && !finished {
                return;
            }
            inner.last_progress.insert(phase.clone(), now);
        }
        inner.sink.emit(&event);
    }

    pub fn phase(&self, name: impl Into<String>) {
        self.emit(Event::Phase { name: name.into() });
    }

    pub fn progress(&self, phase: &str, done: u64, total: Option<u64>, unit: &str) {
        self.emit(Event::Progress {
            phase: phase.to_owned(),
            done,
            total,
            unit: unit.to_owned(),
        });
    }

    pub fn info(&self, message: impl Into<String>) {
        self.log(Level::Info, message);
    }

    pub fn warn(&self, message: impl Into<String>) {
        self.log(Level::Warn, message);
    }

    pub fn error(&self, message: impl Into<String>) {
        self.log(Level::Error, message);
    }

    pub fn log(&self, level: Level, message: impl Into<String>) {
        self.emit(Event::Log {
            level,
            message: message.into(),
        });
    }

    pub fn metric(&self, metric: Metric) {
        self.emit(Event::Metric(metric));
    }

    pub fn table(&self, table: Table) {
        self.emit(Event::Table(table));
    }

    pub fn chart(&self, title: impl Into<String>, data: ChartData) {
        self.emit(Event::Chart(Chart {
            title: title.into(),
            data,
        }));
    }
}

/// `--json`: one event per line on a writer (stdout), flushed per event so a reader sees it live.
pub struct JsonLinesSink<W: Write + Send> {
    out: W,
}

impl<W: Write + Send> JsonLinesSink<W> {
    pub fn new(out: W) -> Self {
        Self { out }
    }
}

impl<W: Write + Send> EventSink for JsonLinesSink<W> {
    fn emit(&mut self, event: &Event) {
        // A closed pipe (the TUI cancelled the run) is not worth a panic: drop the event.
        let _ = writeln!(self.out, "{}", event.to_json_line()).and_then(|()| self.out.flush());
    }
}

/// Keeps every event; for tests and for callers that render afterwards.
#[derive(Clone, Default)]
pub struct CollectSink {
    events: Arc<Mutex<Vec<Event>>>,
}

impl CollectSink {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn events(&self) -> Vec<Event> {
        self.events.lock().unwrap().clone()
    }
}

impl EventSink for CollectSink {
    fn emit(&mut self, event: &Event) {
        self.events.lock().unwrap().push(event.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_throttled_but_the_final_update_always_arrives() {
        let sink = CollectSink::new();
        let reporter = Reporter::new(sink.clone());
        for done in 0..=1000 {
            reporter.progress("parse", done, Some(1000), "records");
        }
        let progress: Vec<u64> = sink
            .events()
            .iter()
            .filter_map(|e| match e {
                Event::Progress { done, .. } => Some(*done),
                _ => None,
            })
            .collect();
        assert!(
            progress.len() < 100,
            "throttled: {} updates",
            progress.len()
        );
        assert_eq!(progress.first(), Some(&0));
        assert_eq!(progress.last(), Some(&1000));
    }

    #[test]
    fn json_sink_writes_one_parseable_line_per_event() {
        let mut buffer = Vec::new();
        {
            let mut sink = JsonLinesSink::new(&mut buffer);
            sink.emit(&Event::Phase { name: "a".into() });
            sink.emit(&Event::Failed { error: "b".into() });
        }
        let text = String::from_utf8(buffer).unwrap();
        let events: Vec<Event> = text
            .lines()
            .map(|l| Event::parse_line(l).unwrap())
            .collect();
        assert_eq!(events.len(), 2);
        assert!(events[1].is_terminal());
    }
}
