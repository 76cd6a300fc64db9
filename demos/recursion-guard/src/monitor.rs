//! The silent-failure monitor: pure logic, fed by the time-triggered check that reads
//! CloudWatch Logs and the stage counters. Time is passed in, so it tests without sleeping.
//!
//! It raises two kinds of alert, each once per incident:
//! - logged access errors (the handler logged an error and carried on, so no invocation failed
//!   and error-only alerting saw nothing);
//! - a stall, the dead-man's switch: work is waiting but nothing has been delivered for
//!   `stall_after`.

use std::time::Duration;

/// Our own filter on log lines. LocalStack ignores FilterLogEvents patterns, and a pattern is
/// only a pre-filter on AWS anyway.
pub fn is_error_line(message: &str) -> bool {
    const MARKERS: [&str; 5] = [
        "ERROR",
        "AccessDenied",
        "NoSuchBucket",
        "Forbidden",
        "NoSuchKey",
    ];
    MARKERS.iter().any(|m| message.contains(m))
}

/// The filter pattern the monitor sends (on AWS it pre-filters; LocalStack ignores it).
pub const ERROR_FILTER_PATTERN: &str = "?ERROR ?AccessDenied ?NoSuchBucket ?Forbidden ?NoSuchKey";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonitorConfig {
    /// No delivery for this long while work is waiting is a stall.
    pub stall_after: Duration,
}

/// What one monitor run saw.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Observation {
    /// Objects that entered the pipeline so far (the input stage counter).
    pub arrived: u64,
    /// Objects that left it so far (the output stage counter).
    pub delivered: u64,
    /// Log lines written since the previous run.
    pub new_log_lines: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Alert {
    AccessErrors {
        count: usize,
        first: String,
    },
    Stalled {
        waiting: u64,
        delivered: u64,
        idle_for: Duration,
    },
}

impl Alert {
    pub fn kind(&self) -> &'static str {
        match self {
            Alert::AccessErrors { .. } => "logged errors",
            Alert::Stalled { .. } => "stall (dead-man's switch)",
        }
    }

    pub fn subject(&self) -> String {
        match self {
            Alert::AccessErrors { count, .. } => format!("pipeline: {count} error(s) logged"),
            Alert::Stalled { .. } => "pipeline: no progress".to_owned(),
        }
    }

    pub fn message(&self) -> String {
        match self {
            Alert::AccessErrors { count, first } => {
                format!("{count} error line(s) in the handler logs; first: {first}")
            }
            Alert::Stalled {
                waiting,
                delivered,
                idle_for,
            } => format!(
                "{waiting} object(s) waiting, nothing delivered for {} ms (delivered so far: {delivered})",
                idle_for.as_millis()
            ),
        }
    }
}

#[derive(Debug)]
pub struct Monitor {
    config: MonitorConfig,
    last_delivered: u64,
    last_progress_at: Option<Duration>,
    stall_alerted: bool,
    errors_alerted: bool,
    errors_seen: usize,
}

impl Monitor {
    pub fn new(config: MonitorConfig) -> Self {
        Self {
            config,
            last_delivered: 0,
            last_progress_at: None,
            stall_alerted: false,
            errors_alerted: false,
            errors_seen: 0,
        }
    }

    /// Error lines seen in all runs so far.
    pub fn errors_seen(&self) -> usize {
        self.errors_seen
    }

    /// One monitor run at `now`. Returns the alerts to publish (each incident once; a stall
    /// alert re-arms when deliveries resume).
    pub fn observe(&mut self, now: Duration, observation: &Observation) -> Vec<Alert> {
        let mut alerts = Vec::new();

        let errors: Vec<&String> = observation
            .new_log_lines
            .iter()
            .filter(|line| is_error_line(line))
            .collect();
        self.errors_seen += errors.len();
        if let Some(first) = errors.first()
            && !self.errors_alerted
        {
            self.errors_alerted = true;
            alerts.push(Alert::AccessErrors {
                count: errors.len(),
                first: (*first).clone(),
            });
        }

        let progressed = observation.delivered > self.last_delivered;
        let since = *self.last_progress_at.get_or_insert(now);
        if progressed {
            self.last_delivered = observation.delivered;
            self.last_progress_at = Some(now);
            self.stall_alerted = false;
        } else {
            let waiting = observation.arrived.saturating_sub(observation.delivered);
            let idle_for = now.saturating_sub(since);
            if waiting > 0 && idle_for >= self.config.stall_after && !self.stall_alerted {
                self.stall_alerted = true;
                alerts.push(Alert::Stalled {
                    waiting,
                    delivered: observation.delivered,
                    idle_for,
                });
            }
        }
        alerts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    fn seen(arrived: u64, delivered: u64) -> Observation {
        Observation {
            arrived,
            delivered,
            new_log_lines: Vec::new(),
        }
    }

    fn monitor() -> Monitor {
        Monitor::new(MonitorConfig { stall_after: s(3) })
    }

    #[test]
    fn steady_progress_raises_nothing() {
        let mut m = monitor();
        for t in 0..20 {
            // Always one object in flight, but deliveries keep coming.
            assert!(m.observe(s(t), &seen(t + 1, t)).is_empty(), "at {t}s");
        }
    }

    #[test]
    fn an_idle_pipeline_with_nothing_waiting_is_not_a_stall() {
        let mut m = monitor();
        assert!(m.observe(s(0), &seen(5, 5)).is_empty());
        for t in 1..20 {
            assert!(m.observe(s(t), &seen(5, 5)).is_empty());
        }
    }

    #[test]
    fn waiting_work_without_delivery_alerts_once_after_stall_after() {
        let mut m = monitor();
        assert!(m.observe(s(0), &seen(3, 2)).is_empty());
        assert!(m.observe(s(1), &seen(4, 3)).is_empty()); // last progress at 1 s
        assert!(m.observe(s(2), &seen(6, 3)).is_empty());
        assert!(m.observe(s(3), &seen(8, 3)).is_empty());
        let alerts = m.observe(s(4), &seen(10, 3));
        assert_eq!(
            alerts,
            vec![Alert::Stalled {
                waiting: 7,
                delivered: 3,
                idle_for: s(3),
            }]
        );
        // Once per incident.
        assert!(m.observe(s(5), &seen(12, 3)).is_empty());
        // Deliveries resume, then stop again: a new incident.
        assert!(m.observe(s(6), &seen(12, 4)).is_empty());
        assert!(m.observe(s(8), &seen(13, 4)).is_empty());
        assert_eq!(m.observe(s(9), &seen(14, 4)).len(), 1);
    }

    #[test]
    fn logged_errors_alert_even_while_deliveries_continue() {
        let mut m = monitor();
        let mut observation = seen(2, 2);
        observation.new_log_lines = vec![
            "INFO ingest: processed a.txt".into(),
            "ERROR ingest: PutObject s3://mid/b.txt failed: NoSuchBucket".into(),
            "ERROR ingest: PutObject s3://mid/c.txt failed: NoSuchBucket".into(),
        ];
        let alerts = m.observe(s(0), &observation);
        assert_eq!(alerts.len(), 1);
        assert!(
            matches!(&alerts[0], Alert::AccessErrors { count: 2, first } if first.contains("b.txt"))
        );
        assert_eq!(m.errors_seen(), 2);
        observation.new_log_lines = vec!["ERROR again".into()];
        assert!(m.observe(s(1), &observation).is_empty());
        assert_eq!(m.errors_seen(), 3);
    }

    #[test]
    fn the_error_filter_is_ours_not_the_services() {
        assert!(is_error_line("ERROR publish: GetObject failed"));
        assert!(is_error_line("s3 said AccessDenied"));
        assert!(!is_error_line("INFO ingest: processed obj-0001.txt hop=0"));
    }
}
