//! Recursion-guarded S3 trigger: the two AWS incidents from the notes, reproduced against a
//! real LocalStack with the official AWS SDK for Rust.
//!
//! - `endpoint`, `aws`: where the demo may talk (loopback only, unless told otherwise) and the
//!   clients and resource helpers, with timeouts on every call.
//! - `guard`, `monitor`: the pure logic under test: the recursion guard and the silent-failure
//!   monitor.
//! - `pipeline`, `scenario`: the handler, its event-source poller, and the three scenarios.
//! - `leftovers`: removes what runs stopped before their clean-up left in LocalStack.
//! - `cost`: what the unguarded runaway spends at a per-invocation price, and how long a cap
//!   lasts.

pub mod aws;
pub mod cost;
pub mod endpoint;
pub mod guard;
pub mod leftovers;
pub mod monitor;
pub mod pipeline;
mod report;
pub mod scenario;

use std::time::Duration;

use clap::Parser;
use demo_kit::{DemoError, DemoSpec, Reporter, Summary};

use crate::guard::Budget;
use crate::scenario::{Inject, Settings};

pub use crate::report::run_scenarios;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scenario {
    /// N objects in, N out, each processed exactly once.
    Happy,
    /// OUTPUT_BUCKET set to the input bucket: unguarded runaway vs the guard's layers.
    Recursion,
    /// A 'permission change' stops the pipeline mid-run; the monitor has to notice.
    SilentStop,
    /// All three, in that order.
    All,
}

/// Arguments after `rehearse demo run recursion-guard`.
#[derive(Debug, Clone, Parser)]
pub struct Args {
    /// Which scenario to run
    #[arg(long, value_enum, default_value_t = Scenario::All)]
    pub scenario: Scenario,
    /// Objects uploaded in the happy and recursion scenarios
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub objects: u32,
    /// Milliseconds between uploads
    #[arg(long, default_value_t = 400, value_parser = clap::value_parser!(u64).range(10..=5000))]
    pub upload_interval_ms: u64,
    /// Hard cap on handler invocations per pipeline run: the demo's "billing cap"
    #[arg(long, default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..=2000))]
    pub billing_cap: u64,
    /// Hard cap on the seconds one pipeline run may take
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(2..=120))]
    pub time_cap_secs: u64,
    /// The guard's hop limit (AWS's own loop detection stops after about 16 invocations)
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub max_hops: u32,
    /// The guard's invocation budget per window
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=10000))]
    pub budget: u32,
    /// The budget's window in milliseconds
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(10..=600000))]
    pub budget_window_ms: u64,
    /// SQS messages per handler invocation (Lambda's batch size)
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(i32).range(1..=10))]
    pub batch_size: i32,
    /// Concurrent pollers per function (Lambda's concurrency)
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u64).range(1..=8))]
    pub pollers: u64,
    /// How the silent-stop scenario stands in for the permission change
    #[arg(long, value_enum, default_value_t = Inject::RemoveNotification)]
    pub inject: Inject,
    /// Seconds of normal operation before the injection
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..=60))]
    pub inject_after_secs: u64,
    /// The monitor's dead-man's switch: milliseconds without delivery while work waits
    #[arg(long, default_value_t = 3000, value_parser = clap::value_parser!(u64).range(100..=600000))]
    pub stall_after_ms: u64,
    /// Milliseconds between monitor runs (the time-triggered check)
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(100..=60000))]
    pub monitor_interval_ms: u64,
    /// Price of one invocation in US dollars, for the runaway's cost curve (default: AWS's list
    /// price for a 128 MB function running 100 ms; see the report for the source and date)
    #[arg(long, default_value_t = cost::DEFAULT_USD_PER_INVOCATION, value_parser = positive_usd)]
    pub usd_per_invocation: f64,
    /// A bill cap in US dollars: the report says how long it lasts at the runaway's rate
    #[arg(long, default_value_t = 100.0, value_parser = positive_usd)]
    pub bill_cap_usd: f64,
    /// Allow an AWS_ENDPOINT_URL that is not loopback (it must still be a LocalStack)
    #[arg(long)]
    pub allow_remote_endpoint: bool,
}

fn positive_usd(text: &str) -> Result<f64, String> {
    match text.trim().trim_start_matches('$').parse::<f64>() {
        Ok(usd) if usd.is_finite() && usd > 0.0 => Ok(usd),
        _ => Err(format!("`{text}` is not a positive amount of US dollars")),
    }
}

impl Args {
    pub fn settings(&self) -> Settings {
        Settings {
            objects: self.objects,
            upload_interval: Duration::from_millis(self.upload_interval_ms),
            batch_size: self.batch_size,
            pollers: self.pollers as usize,
            billing_cap: self.billing_cap,
            time_cap: Duration::from_secs(self.time_cap_secs),
            max_hops: self.max_hops,
            budget: Budget {
                max: self.budget,
                window: Duration::from_millis(self.budget_window_ms),
            },
            inject: self.inject,
            inject_after: Duration::from_secs(self.inject_after_secs),
            stall_after: Duration::from_millis(self.stall_after_ms),
            monitor_every: Duration::from_millis(self.monitor_interval_ms),
        }
    }
}

pub struct RecursionGuard;

impl DemoSpec for RecursionGuard {
    const ID: &'static str = "recursion-guard";
    const TITLE: &'static str = "Recursion-guarded S3 trigger";
    const DESCRIPTION: &'static str = "An S3 -> SQS -> handler pipeline on LocalStack: a runaway recursive trigger, the guard that stops it, and the alert for a silent stop.";
    type Args = Args;

    fn run(&self, args: Args, reporter: &Reporter) -> Result<Summary, DemoError> {
        let env = std::env::var(endpoint::ENDPOINT_ENV).ok();
        let endpoint = endpoint::resolve(env.as_deref(), args.allow_remote_endpoint)
            .map_err(|e| DemoError::Unavailable(e.to_string()))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| DemoError::io("starting the async runtime", e))?;
        runtime.block_on(run_scenarios(&args, &endpoint, reporter))
    }
}
