//! The silent-stop scenario: two stages (in -> ingest -> mid -> publish -> out), steady uploads
//! and a periodic monitor; mid-run the intermediate bucket is broken and the monitor has to
//! notice.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_sdk_s3::primitives::ByteStream;
use demo_kit::{DemoError, Reporter};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::{Ctx, Inject, Settings, snapshot, spawn_alert_reader, with_teardown};
use crate::aws::{Aws, Resources, failed};
use crate::guard::{Guard, GuardConfig};
use crate::monitor::{self, Alert, Monitor, MonitorConfig, Observation};
use crate::pipeline::{self, Function, Runtime, Stats};

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
        let setup = Setup::create(aws, &prefix, res).await?;
        let started = Instant::now();
        let deadline = started + settings.inject_after + settings.time_cap;
        let ingest = setup.stage(aws, settings, started, "ingest");
        let publish = setup.stage(aws, settings, started, "publish");
        let (stop_tx, stop_rx) = watch::channel(false);
        let pollers = [
            tokio::spawn(pipeline::poll(ingest.clone(), stop_rx.clone(), deadline)),
            tokio::spawn(pipeline::poll(publish.clone(), stop_rx.clone(), deadline)),
        ];
        let (reader, received) = spawn_alert_reader(
            aws,
            setup.alert_queue.clone(),
            started,
            deadline,
            stop_rx.clone(),
        );
        let (uploader, uploaded) = spawn_uploads(aws, &setup.input, settings, deadline, &stop_rx);
        let monitor =
            MonitorTask::spawn(aws, &setup, settings, started, deadline, &stop_rx, reporter);
        let [ingest_task, publish_task] = pollers;
        let tasks = [ingest_task, publish_task, uploader, monitor.task];

        // Let it run, then break the intermediate bucket.
        tokio::time::sleep(settings.inject_after).await;
        let delivered_before = Stats::get(&publish.stats.processed);
        reporter.warn(format!(
            "injecting the 'permission change': {} ({})",
            settings.inject.describe(),
            setup.mid
        ));
        let injected_at = started.elapsed();
        match settings.inject {
            Inject::RemoveNotification => aws.remove_notifications(&setup.mid).await?,
            Inject::DeleteBucket => delete_bucket_under_load(aws, &setup.mid).await?,
        }
        let timed_out = await_alerts(
            settings.inject,
            &monitor.published,
            &received,
            injected_at,
            deadline,
        )
        .await;
        let _ = stop_tx.send(true);
        let _ = reader.await;
        for task in tasks {
            let _ = task.await;
        }
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
            published: snapshot(&monitor.published),
            received: snapshot(&received),
            monitor_runs: monitor.runs.load(Ordering::SeqCst),
            timed_out,
        })
    })
    .await
}

/// The scenario's resources: three buckets, two event queues, the log group and the alert
/// topic with its subscription queue.
struct Setup {
    input: String,
    mid: String,
    output: String,
    in_queue: String,
    mid_queue: String,
    log_group: String,
    topic: String,
    alert_queue: String,
}

impl Setup {
    /// Creates them, each recorded in `res` for the teardown.
    async fn create(aws: &Aws, prefix: &str, res: &mut Resources) -> Result<Setup, DemoError> {
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
        Ok(Setup {
            input,
            mid,
            output,
            in_queue,
            mid_queue,
            log_group,
            topic,
            alert_queue,
        })
    }

    /// A stage's function with a lineage guard: `ingest` (in -> mid) or `publish` (mid -> out).
    fn stage(&self, aws: &Aws, settings: &Settings, started: Instant, name: &str) -> Arc<Runtime> {
        let (queue, trigger, out) = if name == "ingest" {
            (&self.in_queue, &self.input, &self.mid)
        } else {
            (&self.mid_queue, &self.mid, &self.output)
        };
        Arc::new(Runtime {
            aws: aws.clone(),
            function: Function {
                name: name.into(),
                queue_url: queue.clone(),
                output_bucket: out.clone(),
                log_group: self.log_group.clone(),
                batch_size: settings.batch_size,
                trigger_bucket: trigger.clone(),
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
    }
}

/// Steady uploads into `input`, bounded by the time cap; counts those that succeeded.
fn spawn_uploads(
    aws: &Aws,
    input: &str,
    settings: &Settings,
    deadline: Instant,
    stop: &watch::Receiver<bool>,
) -> (JoinHandle<()>, Arc<AtomicU64>) {
    let uploaded = Arc::new(AtomicU64::new(0));
    let (aws, input, count, mut stop) = (
        aws.clone(),
        input.to_owned(),
        uploaded.clone(),
        stop.clone(),
    );
    let interval = settings.upload_interval;
    let max = (settings.inject_after + settings.time_cap).as_millis() / interval.as_millis().max(1);
    let task = tokio::spawn(async move {
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
                count.fetch_add(1, Ordering::SeqCst);
            }
            tokio::select! {
                _ = stop.changed() => break,
                _ = tokio::time::sleep(interval) => {}
            }
        }
    });
    (task, uploaded)
}

/// The time-triggered monitor (the story's scheduled Lambda), running on its timer.
struct MonitorTask {
    task: JoinHandle<()>,
    /// Alerts it published: (time, tag).
    published: Arc<Mutex<Vec<(Duration, &'static str)>>>,
    runs: Arc<AtomicU32>,
}

impl MonitorTask {
    fn spawn(
        aws: &Aws,
        setup: &Setup,
        settings: &Settings,
        started: Instant,
        deadline: Instant,
        stop: &watch::Receiver<bool>,
        reporter: &Reporter,
    ) -> MonitorTask {
        let published = Arc::new(Mutex::new(Vec::new()));
        let runs = Arc::new(AtomicU32::new(0));
        let (aws, input, output, log_group, topic) = (
            aws.clone(),
            setup.input.clone(),
            setup.output.clone(),
            setup.log_group.clone(),
            setup.topic.clone(),
        );
        let (sink, counter, mut stop) = (published.clone(), runs.clone(), stop.clone());
        let config = MonitorConfig {
            stall_after: settings.stall_after,
        };
        let every = settings.monitor_every;
        let reporter = reporter.clone();
        let task = tokio::spawn(async move {
            let mut monitor = Monitor::new(config);
            let mut seen = SeenLogs::default();
            while Instant::now() < deadline {
                tokio::select! {
                    _ = stop.changed() => break,
                    _ = tokio::time::sleep(every) => {}
                }
                counter.fetch_add(1, Ordering::SeqCst);
                let observation = match observe(&aws, &log_group, &input, &output, &mut seen).await
                {
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
                        Ok(()) => sink
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .push((started.elapsed(), tag_of(&alert))),
                        Err(e) => reporter.warn(format!("monitor could not publish: {e}")),
                    }
                }
            }
        });
        MonitorTask {
            task,
            published,
            runs,
        }
    }
}

/// Waits, bounded by the time cap, for the alerts this kind of break should raise to be
/// published after it, then a bounded moment for them to travel SNS -> SQS -> reader. True
/// when the time cap ran out first.
async fn await_alerts(
    inject: Inject,
    published: &Mutex<Vec<(Duration, &'static str)>>,
    received: &Mutex<Vec<(Duration, String)>>,
    injected_at: Duration,
    deadline: Instant,
) -> bool {
    let wanted: &[&str] = match inject {
        Inject::RemoveNotification => &[STALL_TAG],
        Inject::DeleteBucket => &[STALL_TAG, ERRORS_TAG],
    };
    let mut timed_out = false;
    loop {
        // Only alerts raised after the break count (a false alarm before it does not).
        let kinds: Vec<&str> = snapshot(published)
            .into_iter()
            .filter(|(at, _)| *at >= injected_at)
            .map(|(_, k)| k)
            .collect();
        if wanted.iter().all(|w| kinds.contains(w)) {
            break;
        }
        if Instant::now() >= deadline {
            timed_out = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let travel_deadline = (Instant::now() + Duration::from_secs(5)).min(deadline);
    while Instant::now() < travel_deadline {
        let got = snapshot(received);
        if wanted.iter().all(|w| {
            got.iter()
                .any(|(at, text)| *at >= injected_at && text.starts_with(w))
        }) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    timed_out
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
