//! The happy and recursion scenarios: one pipeline (S3 -> SQS -> handler -> S3), uploads from
//! outside, and the handler's output bucket either a separate one or, the story's accident, the
//! input bucket itself.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_sdk_s3::primitives::ByteStream;
use demo_kit::DemoError;
use tokio::sync::watch;

use super::{Ctx, Received, Settings, snapshot, spawn_alert_reader, with_teardown};
use crate::aws::{Aws, Resources, failed};
use crate::guard::{Guard, GuardConfig, StopReason};
use crate::pipeline::{self, Function, Runtime, Stats};

/// The result of one pipeline run in the happy or recursion scenario.
#[derive(Debug, Clone)]
pub struct LoopRun {
    pub label: String,
    pub recursive: bool,
    pub guarded: bool,
    pub uploads: u32,
    pub invocations: u64,
    pub processed: u64,
    pub stopped: u64,
    pub record_errors: u64,
    /// Objects in the output bucket at the end (happy path only).
    pub outputs: Option<usize>,
    pub capped: bool,
    pub timed_out: bool,
    /// Events still on their way when the run ended: loops that were still alive.
    pub live_at_end: i64,
    /// Uploads processed exactly once, and the ones processed more than once or never.
    pub uploads_once: u32,
    pub uploads_repeated: u32,
    pub uploads_missed: u32,
    pub first_stop: Option<(Duration, StopReason)>,
    /// From the first upload to the alert arriving on the SQS subscription.
    pub alert_after: Option<Duration>,
    /// From the guard's first stop to the alert arriving: SNS -> SQS delivery.
    pub alert_after_stop: Option<Duration>,
    pub alert: Option<String>,
    pub elapsed: Duration,
    pub invocation_times: Vec<Duration>,
}

impl LoopRun {
    pub fn peak_rate(&self, bucket: Duration) -> f64 {
        pipeline::rate_series(&self.invocation_times, bucket, self.elapsed)
            .iter()
            .map(|p| p.1)
            .fold(0.0, f64::max)
    }
}

/// One pipeline: uploads `settings.objects` objects and lets the handler run. With
/// `recursive`, the handler's `OUTPUT_BUCKET` is the input bucket, the story's accident.
pub async fn loop_run(
    ctx: &Ctx,
    settings: &Settings,
    guard: GuardConfig,
    recursive: bool,
) -> Result<LoopRun, DemoError> {
    let aws = &ctx.aws;
    let prefix = ctx.prefix();
    let label = guard.label();
    with_teardown(ctx, async |res: &mut Resources| {
        let setup = Setup::create(aws, &prefix, res, recursive, !guard.is_unguarded()).await?;
        let started = Instant::now();
        let deadline = started + settings.time_cap;
        let runtime = Arc::new(Runtime {
            aws: aws.clone(),
            function: Function {
                name: "transform".into(),
                queue_url: setup.queue_url.clone(),
                output_bucket: if recursive {
                    setup.input.clone()
                } else {
                    setup.output.clone()
                },
                log_group: setup.log_group.clone(),
                batch_size: settings.batch_size,
                trigger_bucket: setup.input.clone(),
            },
            guard: Mutex::new(Guard::new("transform", guard.clone())),
            stats: Stats::default(),
            alert_topic: setup.alerts.as_ref().map(|a| a.0.clone()),
            alerted: Default::default(),
            started,
            billing_cap: settings.billing_cap,
        });
        let (stop_tx, stop_rx) = watch::channel(false);
        let pollers: Vec<_> = (0..settings.pollers.max(1))
            .map(|_| tokio::spawn(pipeline::poll(runtime.clone(), stop_rx.clone(), deadline)))
            .collect();
        let reader = setup.alerts.as_ref().map(|(_, queue)| {
            spawn_alert_reader(aws, queue.clone(), started, deadline, stop_rx.clone())
        });
        let first_upload = match upload(aws, &setup.input, &runtime, settings, deadline).await {
            Ok(at) => at,
            Err(e) => {
                let _ = stop_tx.send(true);
                return Err(e);
            }
        };
        let phase = format!("run: {label}");
        let received = reader.as_ref().map(|(_, received)| received);
        let timed_out = wait_until_done(ctx, &phase, &runtime, received, settings, deadline).await;
        let elapsed = started.elapsed();
        let _ = stop_tx.send(true);
        for poller in pollers {
            let _ = poller.await;
        }
        let alerts_got = match reader {
            Some((task, received)) => {
                let _ = task.await;
                snapshot(&received)
            }
            None => Vec::new(),
        };
        let outputs = if recursive {
            None
        } else {
            Some(aws.list_keys(&setup.output).await?.len())
        };
        let facts = RunFacts {
            label: label.clone(),
            recursive,
            guarded: !guard.is_unguarded(),
            outputs,
            timed_out,
            elapsed,
        };
        Ok(check(
            &runtime.stats,
            settings.objects,
            first_upload,
            &alerts_got,
            facts,
        ))
    })
    .await
}

/// The pipeline's resources: the buckets (one when recursive), the event queue, the log group
/// and, when guarded, the alert topic with its subscription queue.
struct Setup {
    input: String,
    output: String,
    queue_url: String,
    log_group: String,
    /// (topic, subscription queue).
    alerts: Option<(String, String)>,
}

impl Setup {
    /// Creates them, each recorded in `res` for the teardown.
    async fn create(
        aws: &Aws,
        prefix: &str,
        res: &mut Resources,
        recursive: bool,
        guarded: bool,
    ) -> Result<Setup, DemoError> {
        let input = format!("{prefix}-in");
        let output = format!("{prefix}-out");
        aws.create_bucket(&input).await?;
        res.buckets.push(input.clone());
        if !recursive {
            aws.create_bucket(&output).await?;
            res.buckets.push(output.clone());
        }
        let (queue_url, queue_arn) = aws.create_queue(&format!("{prefix}-events")).await?;
        res.queues.push(queue_url.clone());
        aws.notify_queue(&input, &queue_arn).await?;
        let log_group = format!("/rehearse/{prefix}");
        aws.create_log_group(&log_group, &["transform"]).await?;
        res.log_groups.push(log_group.clone());
        let alerts = if guarded {
            let (topic, queue) = aws
                .create_alert_topic(&format!("{prefix}-alerts"), &format!("{prefix}-alerts"))
                .await?;
            res.topics.push(topic.clone());
            res.queues.push(queue.clone());
            Some((topic, queue))
        } else {
            None
        };
        Ok(Setup {
            input,
            output,
            queue_url,
            log_group,
            alerts,
        })
    }
}

/// Uploads from outside, spread out like production traffic, until the billing cap or the time
/// cap; returns when the first one went out.
async fn upload(
    aws: &Aws,
    input: &str,
    runtime: &Runtime,
    settings: &Settings,
    deadline: Instant,
) -> Result<Duration, DemoError> {
    let mut first_upload = None;
    for i in 0..settings.objects {
        if runtime.stats.capped.load(Ordering::SeqCst) || Instant::now() >= deadline {
            break;
        }
        let key = format!("obj-{i:04}.txt");
        runtime.stats.pending.fetch_add(1, Ordering::SeqCst);
        first_upload.get_or_insert_with(|| runtime.started.elapsed());
        aws.s3
            .put_object()
            .bucket(input)
            .key(&key)
            .body(ByteStream::from(
                format!("order {i}: 2 widgets").into_bytes(),
            ))
            .send()
            .await
            .map_err(|e| failed(format!("upload {key}"), e))?;
        tokio::time::sleep(settings.upload_interval).await;
    }
    Ok(first_upload.unwrap_or_default())
}

/// Waits for the billing cap, or every event handled (and the alert, if one is due), or the
/// time cap; true when the time cap came first.
async fn wait_until_done(
    ctx: &Ctx,
    phase: &str,
    runtime: &Runtime,
    received: Option<&Received>,
    settings: &Settings,
    deadline: Instant,
) -> bool {
    let stats = &runtime.stats;
    loop {
        let invocations = Stats::get(&stats.invocations);
        ctx.reporter.progress(
            phase,
            invocations,
            Some(settings.billing_cap),
            "invocations",
        );
        if stats.capped.load(Ordering::SeqCst) {
            return false;
        }
        let settled = stats.pending.load(Ordering::SeqCst) <= 0;
        let stopped_any = Stats::get(&stats.stopped) > 0;
        let alert_due = stopped_any && received.is_some_and(|r| snapshot(r).is_empty());
        if settled && !alert_due {
            return false;
        }
        if Instant::now() >= deadline {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// What the run itself knows once it is over.
struct RunFacts {
    label: String,
    recursive: bool,
    guarded: bool,
    outputs: Option<usize>,
    timed_out: bool,
    elapsed: Duration,
}

/// The run's result: what happened to each upload, and when the alert came.
fn check(
    stats: &Stats,
    uploads: u32,
    first_upload: Duration,
    alerts_got: &[(Duration, String)],
    facts: RunFacts,
) -> LoopRun {
    let counts = stats
        .uploads_processed
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let uploads_once = counts.values().filter(|c| **c == 1).count() as u32;
    let uploads_repeated = counts.values().filter(|c| **c > 1).count() as u32;
    let (alert_after, alert) = match alerts_got.first() {
        Some((at, text)) => (Some(at.saturating_sub(first_upload)), Some(text.clone())),
        None => (None, None),
    };
    let first_stop = stats
        .first_stop
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let alert_after_stop = match (&first_stop, alerts_got.first()) {
        (Some((stop, _)), Some((at, _))) => Some(at.saturating_sub(*stop)),
        _ => None,
    };
    LoopRun {
        label: facts.label,
        recursive: facts.recursive,
        guarded: facts.guarded,
        uploads,
        invocations: Stats::get(&stats.invocations),
        processed: Stats::get(&stats.processed),
        stopped: Stats::get(&stats.stopped),
        record_errors: Stats::get(&stats.record_errors),
        outputs: facts.outputs,
        capped: stats.capped.load(Ordering::SeqCst),
        timed_out: facts.timed_out,
        live_at_end: stats.pending.load(Ordering::SeqCst).max(0),
        uploads_once,
        uploads_repeated,
        uploads_missed: uploads.saturating_sub(uploads_once + uploads_repeated),
        first_stop,
        alert_after,
        alert_after_stop,
        alert,
        elapsed: facts.elapsed,
        invocation_times: stats
            .invocation_times
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone(),
    }
}
