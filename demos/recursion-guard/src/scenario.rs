//! The three scenarios, each on its own freshly created (and afterwards deleted) resources.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_sdk_s3::primitives::ByteStream;
use demo_kit::{DemoError, Reporter};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::aws::{Aws, Resources, failed};
use crate::guard::{Guard, GuardConfig, StopReason};
use crate::monitor::{self, Alert, Monitor, MonitorConfig, Observation};
use crate::pipeline::{self, Function, Runtime, Stats};

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
        // Lower-case, short, unique per run: bucket names allow 63 characters.
        let run_id = format!("rg{:x}{:x}", std::process::id(), nanos % 0xffff_ffff);
        Self {
            aws,
            reporter,
            run_id,
            seq: AtomicU32::new(0),
        }
    }

    /// A fresh prefix for one pipeline: `rg<run>-<n>`.
    fn prefix(&self) -> String {
        format!(
            "{}-{}",
            self.run_id,
            self.seq.fetch_add(1, Ordering::SeqCst)
        )
    }
}

/// Runs `body` on resources it records, then deletes them whatever happened.
async fn with_teardown<T, F>(ctx: &Ctx, body: F) -> Result<T, DemoError>
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

/// Alerts read back from the subscription queue: (time since start, message).
type Received = Arc<Mutex<Vec<(Duration, String)>>>;

/// Reads alerts from the subscription queue into `received` until stopped or the deadline.
fn spawn_alert_reader(
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

fn snapshot<T: Clone>(shared: &Mutex<Vec<T>>) -> Vec<T> {
    shared.lock().unwrap_or_else(|p| p.into_inner()).clone()
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
        let alerts = if guard.is_unguarded() {
            None
        } else {
            let (topic, queue) = aws
                .create_alert_topic(&format!("{prefix}-alerts"), &format!("{prefix}-alerts"))
                .await?;
            res.topics.push(topic.clone());
            res.queues.push(queue.clone());
            Some((topic, queue))
        };

        let started = Instant::now();
        let deadline = started + settings.time_cap;
        let runtime = Arc::new(Runtime {
            aws: aws.clone(),
            function: Function {
                name: "transform".into(),
                queue_url,
                output_bucket: if recursive {
                    input.clone()
                } else {
                    output.clone()
                },
                log_group,
                batch_size: settings.batch_size,
                trigger_bucket: input.clone(),
            },
            guard: Mutex::new(Guard::new("transform", guard.clone())),
            stats: Stats::default(),
            alert_topic: alerts.as_ref().map(|a| a.0.clone()),
            alerted: Default::default(),
            started,
            billing_cap: settings.billing_cap,
        });
        let (stop_tx, stop_rx) = watch::channel(false);
        let pollers: Vec<_> = (0..settings.pollers.max(1))
            .map(|_| tokio::spawn(pipeline::poll(runtime.clone(), stop_rx.clone(), deadline)))
            .collect();
        let reader = alerts.as_ref().map(|(_, queue)| {
            spawn_alert_reader(aws, queue.clone(), started, deadline, stop_rx.clone())
        });

        // Uploads from outside, spread out like production traffic.
        let phase = format!("run: {label}");
        let mut first_upload = None;
        for i in 0..settings.objects {
            if runtime.stats.capped.load(Ordering::SeqCst) || Instant::now() >= deadline {
                break;
            }
            let key = format!("obj-{i:04}.txt");
            runtime.stats.pending.fetch_add(1, Ordering::SeqCst);
            first_upload.get_or_insert_with(|| started.elapsed());
            if let Err(e) = aws
                .s3
                .put_object()
                .bucket(&input)
                .key(&key)
                .body(ByteStream::from(
                    format!("order {i}: 2 widgets").into_bytes(),
                ))
                .send()
                .await
            {
                let _ = stop_tx.send(true);
                return Err(failed(format!("upload {key}"), e));
            }
            tokio::time::sleep(settings.upload_interval).await;
        }
        let first_upload = first_upload.unwrap_or_default();

        // Wait for: the billing cap, or every event handled (and the alert, if one is due),
        // or the time cap.
        let mut timed_out = false;
        loop {
            let stats = &runtime.stats;
            let invocations = Stats::get(&stats.invocations);
            ctx.reporter.progress(
                &phase,
                invocations,
                Some(settings.billing_cap),
                "invocations",
            );
            if stats.capped.load(Ordering::SeqCst) {
                break;
            }
            let settled = stats.pending.load(Ordering::SeqCst) <= 0;
            let stopped_any = Stats::get(&stats.stopped) > 0;
            let alert_due = stopped_any
                && reader
                    .as_ref()
                    .is_some_and(|(_, received)| snapshot(received).is_empty());
            if settled && !alert_due {
                break;
            }
            if Instant::now() >= deadline {
                timed_out = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
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

        let stats = &runtime.stats;
        let counts = stats
            .uploads_processed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let uploads = settings.objects;
        let uploads_once = counts.values().filter(|c| **c == 1).count() as u32;
        let uploads_repeated = counts.values().filter(|c| **c > 1).count() as u32;
        let outputs = if recursive {
            None
        } else {
            Some(aws.list_keys(&output).await?.len())
        };
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
        Ok(LoopRun {
            label: label.clone(),
            recursive,
            guarded: !guard.is_unguarded(),
            uploads,
            invocations: Stats::get(&stats.invocations),
            processed: Stats::get(&stats.processed),
            stopped: Stats::get(&stats.stopped),
            record_errors: Stats::get(&stats.record_errors),
            outputs,
            capped: stats.capped.load(Ordering::SeqCst),
            timed_out,
            live_at_end: stats.pending.load(Ordering::SeqCst).max(0),
            uploads_once,
            uploads_repeated,
            uploads_missed: uploads.saturating_sub(uploads_once + uploads_repeated),
            first_stop,
            alert_after,
            alert_after_stop,
            alert,
            elapsed,
            invocation_times: stats
                .invocation_times
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone(),
        })
    })
    .await
}

/// The result of the silent-stop scenario.
#[derive(Debug, Clone)]
pub struct SilentStop {
    pub inject: Inject,
    pub injected_at: Duration,
    pub uploaded: u64,
    pub delivered_before: u64,
    pub delivered_after: u64,
    /// Failed invocations of both stages: what error-only alerting watches.
    pub invocation_failures: u64,
    /// Error lines the handlers logged (and carried on).
    pub logged_errors: u64,
    /// Alerts the monitor published: (time, tag: `[stall]` or `[errors]`).
    pub published: Vec<(Duration, &'static str)>,
    /// Alerts read back from the SQS subscription: (time, message).
    pub received: Vec<(Duration, String)>,
    pub monitor_runs: u32,
    pub timed_out: bool,
}

impl SilentStop {
    /// From the injection to the first alert of a kind (its tag) arriving after it.
    pub fn detected_after(&self, needle: &str) -> Option<Duration> {
        self.received
            .iter()
            .find(|(at, text)| *at >= self.injected_at && text.starts_with(needle))
            .map(|(at, _)| at.saturating_sub(self.injected_at))
    }
}

/// Text an alert's message starts with, to tell kinds apart when read back.
pub const STALL_TAG: &str = "[stall]";
pub const ERRORS_TAG: &str = "[errors]";

fn tag_of(alert: &Alert) -> &'static str {
    match alert {
        Alert::Stalled { .. } => STALL_TAG,
        Alert::AccessErrors { .. } => ERRORS_TAG,
    }
}

fn tagged(alert: &Alert) -> String {
    format!("{} {}", tag_of(alert), alert.message())
}

impl SilentStop {
    pub fn stall_detected_after(&self) -> Option<Duration> {
        self.detected_after(STALL_TAG)
    }
    pub fn errors_detected_after(&self) -> Option<Duration> {
        self.detected_after(ERRORS_TAG)
    }
}

/// Two stages (in -> ingest -> mid -> publish -> out), steady uploads, a periodic monitor;
/// mid-run the intermediate bucket is broken and the monitor has to notice.
pub async fn silent_stop(ctx: &Ctx, settings: &Settings) -> Result<SilentStop, DemoError> {
    let aws = &ctx.aws;
    let prefix = ctx.prefix();
    let reporter = &ctx.reporter;
    with_teardown(ctx, async |res: &mut Resources| {
        let (input, mid, output) = (
            format!("{prefix}-in"),
            format!("{prefix}-mid"),
            format!("{prefix}-out"),
        );
        for bucket in [&input, &mid, &output] {
            aws.create_bucket(bucket).await?;
            res.buckets.push(bucket.clone());
        }
        let (in_queue, in_arn) = aws.create_queue(&format!("{prefix}-in-events")).await?;
        res.queues.push(in_queue.clone());
        let (mid_queue, mid_arn) = aws.create_queue(&format!("{prefix}-mid-events")).await?;
        res.queues.push(mid_queue.clone());
        aws.notify_queue(&input, &in_arn).await?;
        aws.notify_queue(&mid, &mid_arn).await?;
        let log_group = format!("/rehearse/{prefix}");
        aws.create_log_group(&log_group, &["ingest", "publish"])
            .await?;
        res.log_groups.push(log_group.clone());
        let (topic, alert_queue) = aws
            .create_alert_topic(&format!("{prefix}-alerts"), &format!("{prefix}-alerts"))
            .await?;
        res.topics.push(topic.clone());
        res.queues.push(alert_queue.clone());

        let started = Instant::now();
        let deadline = started + settings.inject_after + settings.time_cap;
        let stage = |name: &str, queue: &str, trigger: &str, out: &str| {
            Arc::new(Runtime {
                aws: aws.clone(),
                function: Function {
                    name: name.into(),
                    queue_url: queue.into(),
                    output_bucket: out.into(),
                    log_group: log_group.clone(),
                    batch_size: settings.batch_size,
                    trigger_bucket: trigger.into(),
                },
                guard: Mutex::new(Guard::new(
                    name,
                    GuardConfig {
                        lineage: true,
                        ..GuardConfig::default()
                    },
                )),
                stats: Stats::default(),
                alert_topic: None,
                alerted: Default::default(),
                started,
                billing_cap: settings.billing_cap,
            })
        };
        let ingest = stage("ingest", &in_queue, &input, &mid);
        let publish = stage("publish", &mid_queue, &mid, &output);
        let (stop_tx, stop_rx) = watch::channel(false);
        let mut tasks = vec![
            tokio::spawn(pipeline::poll(ingest.clone(), stop_rx.clone(), deadline)),
            tokio::spawn(pipeline::poll(publish.clone(), stop_rx.clone(), deadline)),
        ];
        let (reader, received) =
            spawn_alert_reader(aws, alert_queue, started, deadline, stop_rx.clone());

        // Steady uploads, bounded by the time cap.
        let uploaded = Arc::new(std::sync::atomic::AtomicU64::new(0));
        {
            let (aws, input, uploaded, mut stop) = (
                aws.clone(),
                input.clone(),
                uploaded.clone(),
                stop_rx.clone(),
            );
            let interval = settings.upload_interval;
            let max = (settings.inject_after + settings.time_cap).as_millis()
                / interval.as_millis().max(1);
            tasks.push(tokio::spawn(async move {
                for i in 0..max {
                    if *stop.borrow() || Instant::now() >= deadline {
                        break;
                    }
                    let sent = aws
                        .s3
                        .put_object()
                        .bucket(&input)
                        .key(format!("obj-{i:04}.txt"))
                        .body(ByteStream::from(format!("order {i}").into_bytes()))
                        .send()
                        .await;
                    if sent.is_ok() {
                        uploaded.fetch_add(1, Ordering::SeqCst);
                    }
                    tokio::select! {
                        _ = stop.changed() => break,
                        _ = tokio::time::sleep(interval) => {}
                    }
                }
            }));
        }

        // The time-triggered monitor (the story's scheduled Lambda).
        let published = Arc::new(Mutex::new(Vec::new()));
        let monitor_runs = Arc::new(AtomicU32::new(0));
        {
            let (aws, input, output, log_group, topic) = (
                aws.clone(),
                input.clone(),
                output.clone(),
                log_group.clone(),
                topic.clone(),
            );
            let (published, runs, mut stop) =
                (published.clone(), monitor_runs.clone(), stop_rx.clone());
            let config = MonitorConfig {
                stall_after: settings.stall_after,
            };
            let every = settings.monitor_every;
            let reporter = reporter.clone();
            tasks.push(tokio::spawn(async move {
                let mut monitor = Monitor::new(config);
                let mut seen = SeenLogs::default();
                while Instant::now() < deadline {
                    tokio::select! {
                        _ = stop.changed() => break,
                        _ = tokio::time::sleep(every) => {}
                    }
                    runs.fetch_add(1, Ordering::SeqCst);
                    let observation =
                        match observe(&aws, &log_group, &input, &output, &mut seen).await {
                            Ok(o) => o,
                            Err(e) => {
                                reporter.warn(format!("monitor run failed: {e}"));
                                continue;
                            }
                        };
                    for alert in monitor.observe(started.elapsed(), &observation) {
                        match aws
                            .publish_alert(&topic, &alert.subject(), &tagged(&alert))
                            .await
                        {
                            Ok(()) => published
                                .lock()
                                .unwrap_or_else(|p| p.into_inner())
                                .push((started.elapsed(), tag_of(&alert))),
                            Err(e) => reporter.warn(format!("monitor could not publish: {e}")),
                        }
                    }
                }
            }));
        }

        // Let it run, then break the intermediate bucket.
        tokio::time::sleep(settings.inject_after).await;
        let delivered_before = Stats::get(&publish.stats.processed);
        reporter.warn(format!(
            "injecting the 'permission change': {} ({mid})",
            settings.inject.describe()
        ));
        let injected_at = started.elapsed();
        match settings.inject {
            Inject::RemoveNotification => aws.remove_notifications(&mid).await?,
            Inject::DeleteBucket => delete_bucket_under_load(aws, &mid).await?,
        }

        // Wait for the alerts this kind of break should raise, bounded by the time cap.
        let wanted: &[&str] = match settings.inject {
            Inject::RemoveNotification => &[STALL_TAG],
            Inject::DeleteBucket => &[STALL_TAG, ERRORS_TAG],
        };
        let mut timed_out = false;
        loop {
            // Only alerts raised after the break count (a false alarm before it does not).
            let kinds: Vec<&str> = snapshot(&published)
                .into_iter()
                .filter(|(at, _)| *at >= injected_at)
                .map(|(_, k)| k)
                .collect();
            let all_published = wanted.iter().all(|w| kinds.contains(w));
            if all_published {
                break;
            }
            if Instant::now() >= deadline {
                timed_out = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // Give the alerts a bounded moment to travel SNS -> SQS -> reader.
        let travel_deadline = (Instant::now() + Duration::from_secs(5)).min(deadline);
        while Instant::now() < travel_deadline {
            let got = snapshot(&received);
            if wanted.iter().all(|w| {
                got.iter()
                    .any(|(at, text)| *at >= injected_at && text.starts_with(w))
            }) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = stop_tx.send(true);
        let _ = reader.await;
        for task in tasks {
            let _ = task.await;
        }
        let received = snapshot(&received);
        let published = snapshot(&published);
        Ok(SilentStop {
            inject: settings.inject,
            injected_at,
            uploaded: uploaded.load(Ordering::SeqCst),
            delivered_before,
            delivered_after: Stats::get(&publish.stats.processed),
            invocation_failures: Stats::get(&ingest.stats.invocation_failures)
                + Stats::get(&publish.stats.invocation_failures),
            logged_errors: Stats::get(&ingest.stats.record_errors)
                + Stats::get(&publish.stats.record_errors),
            published,
            received,
            monitor_runs: monitor_runs.load(Ordering::SeqCst),
            timed_out,
        })
    })
    .await
}

/// What the monitor already read from CloudWatch Logs.
#[derive(Default)]
struct SeenLogs {
    ids: HashSet<String>,
    /// Newest event timestamp seen, in ms since the epoch.
    newest: Option<i64>,
}

/// One monitor run: new log lines (filtered on our side too) and the stage counters.
async fn observe(
    aws: &Aws,
    log_group: &str,
    input: &str,
    output: &str,
    seen: &mut SeenLogs,
) -> Result<Observation, DemoError> {
    let mut new_log_lines = Vec::new();
    let mut token = None;
    // Overlap the previous window a little (clocks, late writes); event ids dedupe.
    let start_time = seen.newest.map(|t| t - 5_000);
    for _ in 0..10 {
        let page = aws
            .logs
            .filter_log_events()
            .log_group_name(log_group)
            .filter_pattern(monitor::ERROR_FILTER_PATTERN)
            .set_start_time(start_time)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| failed(format!("FilterLogEvents {log_group}"), e))?;
        for event in page.events() {
            if let Some(t) = event.timestamp() {
                seen.newest = Some(seen.newest.map_or(t, |n| n.max(t)));
            }
            let id = event.event_id().unwrap_or_default().to_owned();
            if seen.ids.insert(id)
                && let Some(message) = event.message()
            {
                new_log_lines.push(message.to_owned());
            }
        }
        token = page.next_token;
        if token.is_none() {
            break;
        }
    }
    let arrived = aws.list_keys(input).await?.len() as u64;
    let delivered = aws.list_keys(output).await?.len() as u64;
    Ok(Observation {
        arrived,
        delivered,
        new_log_lines,
    })
}

/// Deletes a bucket the first stage keeps writing into: empties it and retries a few times.
async fn delete_bucket_under_load(aws: &Aws, bucket: &str) -> Result<(), DemoError> {
    let mut last = None;
    for _ in 0..5 {
        match aws.delete_bucket(bucket).await {
            Ok(()) => return Ok(()),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| DemoError::failed(format!("could not delete {bucket}"))))
}
