//! The three scenarios, each on its own freshly created (and afterwards deleted) resources:
//! happy and recursion in [`looping`] (one pipeline, with or without the accidental loop),
//! silent stop in [`silent_stop`]. Each reads as setup, observe, check. What they share is here:
//! the settings, the context with its name prefix, teardown and the alert reader.

mod looping;
mod silent_stop;

pub use looping::{LoopRun, loop_run};
pub use silent_stop::{ERRORS_TAG, STALL_TAG, SilentStop, silent_stop};

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use demo_kit::{DemoError, Reporter};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::aws::{Aws, Resources};

/// How the silent-stop scenario breaks the pipeline. LocalStack Community stores bucket
/// policies but does not enforce them, so a policy change would change nothing there; these
/// have the same observable effect as the story's permission change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Inject {
    /// Remove the intermediate bucket's notification configuration: the next stage is simply
    /// never triggered again, and nothing logs an error.
    RemoveNotification,
    /// Delete the intermediate bucket: the first stage's writes fail, are logged and skipped.
    DeleteBucket,
}

impl Inject {
    pub fn describe(self) -> &'static str {
        match self {
            Inject::RemoveNotification => {
                "removed the intermediate bucket's notification configuration"
            }
            Inject::DeleteBucket => "deleted the intermediate bucket",
        }
    }
}

/// Knobs of a run (from the demo's arguments; tests pick their own).
#[derive(Debug, Clone)]
pub struct Settings {
    pub objects: u32,
    pub upload_interval: Duration,
    pub batch_size: i32,
    pub pollers: usize,
    pub billing_cap: u64,
    pub time_cap: Duration,
    pub max_hops: u32,
    pub budget: crate::guard::Budget,
    pub inject: Inject,
    pub inject_after: Duration,
    pub stall_after: Duration,
    pub monitor_every: Duration,
}

/// What the scenarios share: the clients, the reporter, and a per-run name prefix.
pub struct Ctx {
    pub aws: Aws,
    pub reporter: Reporter,
    run_id: String,
    seq: AtomicU32,
}

impl Ctx {
    pub fn new(aws: Aws, reporter: Reporter) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        // Lower-case, short, unique per run (bucket names allow 63 characters), and naming the
        // process, so a later run can tell a killed run's leftovers from a live run's.
        let run_id = format!(
            "{}{:x}-{:x}",
            crate::leftovers::NAME_PREFIX,
            std::process::id(),
            nanos % 0xffff_ffff
        );
        Self {
            aws,
            reporter,
            run_id,
            seq: AtomicU32::new(0),
        }
    }

    /// A fresh prefix for one pipeline: `rg<run>-<n>`.
    pub(crate) fn prefix(&self) -> String {
        format!(
            "{}-{}",
            self.run_id,
            self.seq.fetch_add(1, Ordering::SeqCst)
        )
    }
}

/// Runs `body` on resources it records, then deletes them whatever happened.
pub(crate) async fn with_teardown<T, F>(ctx: &Ctx, body: F) -> Result<T, DemoError>
where
    F: AsyncFnOnce(&mut Resources) -> Result<T, DemoError>,
{
    let mut resources = Resources::default();
    let outcome = body(&mut resources).await;
    for problem in resources.teardown(&ctx.aws).await {
        ctx.reporter.warn(format!("teardown: {problem}"));
    }
    outcome
}

/// Alerts read back from the subscription queue: (time since start, message).
pub(crate) type Received = Arc<Mutex<Vec<(Duration, String)>>>;

/// Reads alerts from the subscription queue into `received` until stopped or the deadline.
pub(crate) fn spawn_alert_reader(
    aws: &Aws,
    queue_url: String,
    started: Instant,
    deadline: Instant,
    mut stop: watch::Receiver<bool>,
) -> (JoinHandle<()>, Received) {
    let sqs = aws.sqs.clone();
    let received: Received = Arc::default();
    let sink = received.clone();
    let task = tokio::spawn(async move {
        while !*stop.borrow() && Instant::now() < deadline {
            let answer = tokio::select! {
                _ = stop.changed() => break,
                r = sqs.receive_message().queue_url(&queue_url).max_number_of_messages(10).wait_time_seconds(1).send() => r,
            };
            let Ok(out) = answer else {
                tokio::time::sleep(Duration::from_millis(200)).await;
                continue;
            };
            for message in out.messages.unwrap_or_default() {
                let at = started.elapsed();
                sink.lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push((at, message.body.clone().unwrap_or_default()));
                if let Some(handle) = message.receipt_handle() {
                    let _ = sqs
                        .delete_message()
                        .queue_url(&queue_url)
                        .receipt_handle(handle)
                        .send()
                        .await;
                }
            }
        }
    });
    (task, received)
}

pub(crate) fn snapshot<T: Clone>(shared: &Mutex<Vec<T>>) -> Vec<T> {
    shared.lock().unwrap_or_else(|p| p.into_inner()).clone()
}
