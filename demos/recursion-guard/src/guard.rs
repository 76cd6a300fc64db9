//! The recursion guard: pure logic, no I/O, time passed in so it tests without sleeping.
//!
//! Three independent layers, each of which can stop a loop on its own:
//! - a hop count carried in object metadata (`rg-hop`), stopped at a limit (AWS's own recursive
//!   loop detection stops a chain after about 16 invocations);
//! - a lineage check: a function never consumes an object it produced itself (`rg-produced-by`);
//! - an invocation budget per window: a circuit breaker that trips, and stays tripped, when the
//!   function is invoked more often than the budget allows.

use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

/// Metadata keys (S3 sends them as `x-amz-meta-rg-...`).
pub const META_HOP: &str = "rg-hop";
pub const META_PRODUCED_BY: &str = "rg-produced-by";
pub const META_ROOT: &str = "rg-root";

/// Where an object came from, as carried in its metadata.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lineage {
    /// How many handler runs produced this object: 0 for an upload from outside.
    pub hop: u32,
    /// The function that wrote the object, if one of ours did.
    pub produced_by: Option<String>,
    /// The key of the upload this object descends from.
    pub root: Option<String>,
}

impl Lineage {
    /// Reads lineage from S3 user metadata. Missing or unreadable fields count as an upload.
    pub fn from_metadata(metadata: &HashMap<String, String>) -> Self {
        Self {
            hop: metadata
                .get(META_HOP)
                .and_then(|h| h.trim().parse().ok())
                .unwrap_or(0),
            produced_by: metadata.get(META_PRODUCED_BY).cloned(),
            root: metadata.get(META_ROOT).cloned(),
        }
    }

    /// The lineage of an object that `function` derives from this one, stored under `key`.
    pub fn child(&self, function: &str, key: &str) -> Self {
        Self {
            hop: self.hop.saturating_add(1),
            produced_by: Some(function.to_owned()),
            root: Some(self.root.clone().unwrap_or_else(|| key.to_owned())),
        }
    }

    pub fn to_metadata(&self) -> Vec<(String, String)> {
        let mut out = vec![(META_HOP.to_owned(), self.hop.to_string())];
        if let Some(by) = &self.produced_by {
            out.push((META_PRODUCED_BY.to_owned(), by.clone()));
        }
        if let Some(root) = &self.root {
            out.push((META_ROOT.to_owned(), root.clone()));
        }
        out
    }
}

/// An invocation budget: at most `max` invocations in any window of `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    pub max: u32,
    pub window: Duration,
}

/// Which layers are on. All off is the unguarded handler.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GuardConfig {
    pub max_hops: Option<u32>,
    pub lineage: bool,
    pub budget: Option<Budget>,
}

impl GuardConfig {
    pub fn unguarded() -> Self {
        Self::default()
    }

    pub fn is_unguarded(&self) -> bool {
        self.max_hops.is_none() && !self.lineage && self.budget.is_none()
    }

    /// A short label for tables: "hop limit 16", "lineage check", "budget 40/2s", "unguarded".
    pub fn label(&self) -> String {
        let mut parts = Vec::new();
        if let Some(max) = self.max_hops {
            parts.push(format!("hop limit {max}"));
        }
        if self.lineage {
            parts.push("lineage check".to_owned());
        }
        if let Some(budget) = self.budget {
            parts.push(format!(
                "budget {}/{}ms",
                budget.max,
                budget.window.as_millis()
            ));
        }
        if parts.is_empty() {
            "unguarded".to_owned()
        } else {
            parts.join(" + ")
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StopReason {
    HopLimit { hop: u32, max: u32 },
    OwnOutput { function: String },
    BudgetExhausted { max: u32, window: Duration },
}

impl StopReason {
    /// Which layer stopped it, for tables.
    pub fn layer(&self) -> &'static str {
        match self {
            StopReason::HopLimit { .. } => "hop limit",
            StopReason::OwnOutput { .. } => "lineage check",
            StopReason::BudgetExhausted { .. } => "invocation budget",
        }
    }
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StopReason::HopLimit { hop, max } => {
                write!(f, "hop {hop} reached the limit of {max}")
            }
            StopReason::OwnOutput { function } => {
                write!(f, "the object was written by {function} itself")
            }
            StopReason::BudgetExhausted { max, window } => write!(
                f,
                "more than {max} invocations within {} ms: circuit open",
                window.as_millis()
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Process the object.
    Proceed,
    Stop(StopReason),
}

/// The guard of one function. Shared by all its concurrent invocations (behind a mutex).
#[derive(Debug)]
pub struct Guard {
    function: String,
    config: GuardConfig,
    window_start: Option<Duration>,
    used_in_window: u32,
    tripped: bool,
}

impl Guard {
    pub fn new(function: impl Into<String>, config: GuardConfig) -> Self {
        Self {
            function: function.into(),
            config,
            window_start: None,
            used_in_window: 0,
            tripped: false,
        }
    }

    pub fn config(&self) -> &GuardConfig {
        &self.config
    }

    /// True once the budget breaker has tripped; it stays open until [`Guard::reset`].
    pub fn is_tripped(&self) -> bool {
        self.tripped
    }

    /// An operator closes the breaker again after fixing the cause.
    pub fn reset(&mut self) {
        self.tripped = false;
        self.window_start = None;
        self.used_in_window = 0;
    }

    /// Decides about one object, `now` being the time since the function started.
    /// Layers are checked cheapest first; the budget counts every object that reaches it.
    pub fn check(&mut self, lineage: &Lineage, now: Duration) -> Verdict {
        if self.config.lineage && lineage.produced_by.as_deref() == Some(self.function.as_str()) {
            return Verdict::Stop(StopReason::OwnOutput {
                function: self.function.clone(),
            });
        }
        if let Some(max) = self.config.max_hops
            && lineage.hop >= max
        {
            return Verdict::Stop(StopReason::HopLimit {
                hop: lineage.hop,
                max,
            });
        }
        if let Some(budget) = self.config.budget {
            let stop = Verdict::Stop(StopReason::BudgetExhausted {
                max: budget.max,
                window: budget.window,
            });
            if self.tripped {
                return stop;
            }
            let start = *self.window_start.get_or_insert(now);
            if now.saturating_sub(start) >= budget.window {
                self.window_start = Some(now);
                self.used_in_window = 0;
            }
            if self.used_in_window >= budget.max {
                self.tripped = true;
                return stop;
            }
            self.used_in_window += 1;
        }
        Verdict::Proceed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn upload() -> Lineage {
        Lineage::default()
    }

    #[test]
    fn lineage_round_trips_through_metadata() {
        let child = upload()
            .child("transform", "a.txt")
            .child("transform", "a.txt");
        let metadata: HashMap<String, String> = child.to_metadata().into_iter().collect();
        let back = Lineage::from_metadata(&metadata);
        assert_eq!(back, child);
        assert_eq!(back.hop, 2);
        assert_eq!(back.root.as_deref(), Some("a.txt"));
    }

    #[test]
    fn missing_or_garbled_metadata_reads_as_an_upload() {
        assert_eq!(Lineage::from_metadata(&HashMap::new()), upload());
        let garbled: HashMap<String, String> = [(META_HOP.to_owned(), "many".to_owned())].into();
        assert_eq!(Lineage::from_metadata(&garbled).hop, 0);
    }

    #[test]
    fn hop_limit_lets_a_chain_run_exactly_max_times() {
        let mut guard = Guard::new(
            "transform",
            GuardConfig {
                max_hops: Some(16),
                ..GuardConfig::default()
            },
        );
        let mut lineage = upload();
        let mut proceeded = 0;
        let reason = loop {
            match guard.check(&lineage, ms(0)) {
                Verdict::Proceed => {
                    proceeded += 1;
                    lineage = lineage.child("transform", "a.txt");
                }
                Verdict::Stop(reason) => break reason,
            }
            assert!(proceeded <= 100, "the hop limit never stopped the chain");
        };
        assert_eq!(proceeded, 16);
        assert_eq!(reason, StopReason::HopLimit { hop: 16, max: 16 });
    }

    #[test]
    fn lineage_check_refuses_own_output_but_not_another_stage() {
        let mut guard = Guard::new(
            "publish",
            GuardConfig {
                lineage: true,
                ..GuardConfig::default()
            },
        );
        let from_ingest = upload().child("ingest", "a.txt");
        assert_eq!(guard.check(&from_ingest, ms(0)), Verdict::Proceed);
        let own = from_ingest.child("publish", "a.txt");
        assert!(matches!(
            guard.check(&own, ms(0)),
            Verdict::Stop(StopReason::OwnOutput { .. })
        ));
    }

    #[test]
    fn budget_allows_max_per_window_and_resets_in_a_new_window() {
        let budget = Budget {
            max: 3,
            window: ms(1000),
        };
        let mut guard = Guard::new(
            "f",
            GuardConfig {
                budget: Some(budget),
                ..GuardConfig::default()
            },
        );
        // Three in the first window, three more in the next: never more than max per window.
        for t in [0, 100, 999, 1000, 1500, 1999] {
            assert_eq!(guard.check(&upload(), ms(t)), Verdict::Proceed, "at {t} ms");
        }
        assert!(!guard.is_tripped());
    }

    #[test]
    fn budget_trips_and_stays_open_until_reset() {
        let mut guard = Guard::new(
            "f",
            GuardConfig {
                budget: Some(Budget {
                    max: 2,
                    window: ms(1000),
                }),
                ..GuardConfig::default()
            },
        );
        assert_eq!(guard.check(&upload(), ms(0)), Verdict::Proceed);
        assert_eq!(guard.check(&upload(), ms(10)), Verdict::Proceed);
        assert!(matches!(
            guard.check(&upload(), ms(20)),
            Verdict::Stop(StopReason::BudgetExhausted { max: 2, .. })
        ));
        // A fresh window does not close the breaker: a loop must not resume by itself.
        assert!(matches!(guard.check(&upload(), ms(5000)), Verdict::Stop(_)));
        guard.reset();
        assert_eq!(guard.check(&upload(), ms(6000)), Verdict::Proceed);
    }

    #[test]
    fn unguarded_never_stops() {
        let mut guard = Guard::new("f", GuardConfig::unguarded());
        let mut lineage = upload();
        for i in 0..1000 {
            assert_eq!(guard.check(&lineage, ms(i)), Verdict::Proceed);
            lineage = lineage.child("f", "a");
        }
        assert_eq!(GuardConfig::unguarded().label(), "unguarded");
    }
}
