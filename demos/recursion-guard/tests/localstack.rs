//! Every scenario end to end against a real LocalStack (no mocks).
//!
//! Ignored by default so `cargo test` stays offline; `scripts/test` starts LocalStack with
//! `scripts/localstack.sh start` and runs `cargo test --workspace -- --include-ignored`. Under
//! `--include-ignored` these tests fail, not skip, when LocalStack is not there.

use std::sync::Mutex;
use std::time::Duration;

use demo_kit::{CollectSink, Event, Reporter, run_demo};
use recursion_guard::RecursionGuard;
use recursion_guard::aws::Aws;
use recursion_guard::endpoint;
use recursion_guard::guard::{Budget, GuardConfig, StopReason};
use recursion_guard::scenario::{self, Ctx, ERRORS_TAG, Inject, STALL_TAG, Settings};

/// One scenario at a time: they share one LocalStack on a small machine.
static SERIAL: Mutex<()> = Mutex::new(());

fn settings() -> Settings {
    Settings {
        objects: 3,
        upload_interval: Duration::from_millis(100),
        batch_size: 1,
        pollers: 2,
        billing_cap: 200,
        time_cap: Duration::from_secs(40),
        max_hops: 5,
        budget: Budget {
            max: 5,
            window: Duration::from_secs(60),
        },
        inject: Inject::RemoveNotification,
        inject_after: Duration::from_secs(2),
        stall_after: Duration::from_secs(3),
        monitor_every: Duration::from_millis(500),
    }
}

/// Runs `f` against LocalStack; panics (fails the test) if LocalStack is not reachable.
fn with_localstack<T>(f: impl AsyncFnOnce(&Ctx) -> T) -> T {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let env = std::env::var(endpoint::ENDPOINT_ENV).ok();
    let endpoint = endpoint::resolve(env.as_deref(), false).expect("a loopback endpoint");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let aws = Aws::new(&endpoint);
        if let Err(e) = aws.probe().await {
            panic!("LocalStack is required for this test: {e}");
        }
        let ctx = Ctx::new(aws, Reporter::new(CollectSink::new()));
        f(&ctx).await
    })
}

#[test]
#[ignore = "needs LocalStack: scripts/test runs ignored tests after starting it"]
fn happy_path_processes_each_object_exactly_once() {
    let s = settings();
    let guard = GuardConfig {
        max_hops: Some(s.max_hops),
        lineage: true,
        budget: Some(s.budget),
    };
    let run = with_localstack(async |ctx| scenario::loop_run(ctx, &s, guard, false).await)
        .expect("happy run");
    assert_eq!(run.outputs, Some(3), "{run:?}");
    assert_eq!(run.uploads_once, 3, "{run:?}");
    assert_eq!(run.processed, 3);
    assert_eq!(run.stopped, 0);
    assert_eq!(run.record_errors, 0);
    assert!(!run.capped && !run.timed_out, "{run:?}");
    assert!(run.alert.is_none(), "no alert on the happy path: {run:?}");
}

#[test]
#[ignore = "needs LocalStack: scripts/test runs ignored tests after starting it"]
fn unguarded_recursion_runs_until_the_billing_cap() {
    let mut s = settings();
    s.billing_cap = 25;
    let run = with_localstack(async |ctx| {
        scenario::loop_run(ctx, &s, GuardConfig::unguarded(), true).await
    })
    .expect("unguarded run");
    assert!(run.capped, "{run:?}");
    assert_eq!(run.invocations, 25);
    assert!(run.processed >= 24, "{run:?}");
    assert_eq!(run.stopped, 0);
    assert!(run.live_at_end > 0, "the loop was still alive: {run:?}");
    assert!(run.alert.is_none());
}

#[test]
#[ignore = "needs LocalStack: scripts/test runs ignored tests after starting it"]
fn hop_limit_stops_each_chain_and_alerts() {
    let s = settings();
    let guard = GuardConfig {
        max_hops: Some(5),
        ..GuardConfig::default()
    };
    let run = with_localstack(async |ctx| scenario::loop_run(ctx, &s, guard, true).await)
        .expect("hop-limit run");
    assert!(!run.capped && !run.timed_out, "{run:?}");
    // Each upload: hops 0..=4 processed, hop 5 refused.
    assert_eq!(run.processed, 3 * 5, "{run:?}");
    assert_eq!(run.stopped, 3, "{run:?}");
    assert_eq!(run.invocations, 3 * 6);
    assert_eq!(run.uploads_once, 3);
    assert_eq!(run.live_at_end, 0);
    assert!(matches!(
        run.first_stop,
        Some((_, StopReason::HopLimit { hop: 5, max: 5 }))
    ));
    let alert = run
        .alert
        .expect("an alert read back from the SNS subscription");
    assert!(alert.contains("hop limit"), "{alert}");
    assert!(run.alert_after.is_some());
}

#[test]
#[ignore = "needs LocalStack: scripts/test runs ignored tests after starting it"]
fn lineage_check_stops_at_the_first_own_output() {
    let s = settings();
    let guard = GuardConfig {
        lineage: true,
        ..GuardConfig::default()
    };
    let run = with_localstack(async |ctx| scenario::loop_run(ctx, &s, guard, true).await)
        .expect("lineage run");
    assert_eq!(run.processed, 3, "{run:?}");
    assert_eq!(run.stopped, 3, "{run:?}");
    assert_eq!(run.uploads_once, 3);
    assert!(matches!(
        run.first_stop,
        Some((_, StopReason::OwnOutput { .. }))
    ));
    assert!(run.alert.expect("alert").contains("lineage check"));
}

#[test]
#[ignore = "needs LocalStack: scripts/test runs ignored tests after starting it"]
fn invocation_budget_trips_and_stays_open() {
    let s = settings();
    let guard = GuardConfig {
        budget: Some(s.budget),
        ..GuardConfig::default()
    };
    let run = with_localstack(async |ctx| scenario::loop_run(ctx, &s, guard, true).await)
        .expect("budget run");
    assert!(!run.capped && !run.timed_out, "{run:?}");
    // Five processed within the (one-minute) window, everything after refused.
    assert_eq!(run.processed, 5, "{run:?}");
    assert!(run.stopped >= 3, "{run:?}");
    assert!(matches!(
        run.first_stop,
        Some((_, StopReason::BudgetExhausted { max: 5, .. }))
    ));
    assert!(run.alert.expect("alert").contains("invocation budget"));
}

#[test]
#[ignore = "needs LocalStack: scripts/test runs ignored tests after starting it"]
fn silent_stop_without_errors_is_caught_by_the_dead_mans_switch() {
    let s = settings();
    let run =
        with_localstack(async |ctx| scenario::silent_stop(ctx, &s).await).expect("silent-stop run");
    assert!(!run.timed_out, "{run:?}");
    assert_eq!(
        run.invocation_failures, 0,
        "error-only alerting stays silent"
    );
    assert_eq!(run.logged_errors, 0, "{run:?}");
    assert!(
        run.delivered_before > 0,
        "the pipeline worked before: {run:?}"
    );
    let stalls: Vec<_> = run
        .received
        .iter()
        .filter(|(_, text)| text.starts_with(STALL_TAG))
        .collect();
    assert!(
        stalls.iter().all(|(at, _)| *at > run.injected_at),
        "no false alarm while the pipeline worked: {run:?}"
    );
    assert!(
        !stalls.is_empty(),
        "a stall alert read back from SQS: {run:?}"
    );
    assert!(run.stall_detected_after().is_some());
}

#[test]
#[ignore = "needs LocalStack: scripts/test runs ignored tests after starting it"]
fn silent_stop_with_logged_errors_raises_both_alerts() {
    let mut s = settings();
    s.inject = Inject::DeleteBucket;
    let run =
        with_localstack(async |ctx| scenario::silent_stop(ctx, &s).await).expect("silent-stop run");
    assert!(!run.timed_out, "{run:?}");
    assert_eq!(
        run.invocation_failures, 0,
        "error-only alerting stays silent"
    );
    assert!(run.logged_errors > 0, "{run:?}");
    for tag in [ERRORS_TAG, STALL_TAG] {
        let alerts: Vec<_> = run
            .received
            .iter()
            .filter(|(_, text)| text.starts_with(tag))
            .collect();
        assert!(!alerts.is_empty(), "no {tag} alert read back: {run:?}");
        assert!(
            alerts.iter().all(|(at, _)| *at > run.injected_at),
            "no {tag} alert before the break: {run:?}"
        );
    }
}

#[test]
#[ignore = "needs LocalStack: scripts/test runs ignored tests after starting it"]
fn the_demo_runs_through_the_protocol() {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let sink = CollectSink::new();
    let reporter = Reporter::new(sink.clone());
    let args: Vec<String> = [
        "--scenario",
        "happy",
        "--objects",
        "2",
        "--upload-interval-ms",
        "50",
    ]
    .map(String::from)
    .to_vec();
    let summary = run_demo(&RecursionGuard, &args, &reporter).expect("LocalStack is required");
    assert!(
        summary.headline.contains("2 in, 2 out"),
        "{}",
        summary.headline
    );
    assert!(
        summary
            .notes
            .iter()
            .any(|n| n.contains("Lambda does not run"))
    );
    let events = sink.events();
    assert!(matches!(events.last(), Some(Event::Finished { .. })));
    assert!(events.iter().any(
        |e| matches!(e, Event::Metric(m) if m.name == "processed exactly once" && m.value == 2.0)
    ));
}

#[test]
#[ignore = "needs LocalStack: scripts/test runs ignored tests after starting it"]
fn a_killed_run_s_bucket_and_queue_are_removed_by_the_next_run_and_a_live_run_s_kept() {
    with_localstack(async |ctx| {
        use recursion_guard::leftovers;
        // Above Linux's largest pid_max: the run that made these is certainly gone.
        let dead = format!("{}7ffffff0-1-0", leftovers::NAME_PREFIX);
        let live = format!("{}{:x}-1-0", leftovers::NAME_PREFIX, std::process::id());
        for name in [&dead, &live] {
            ctx.aws.create_bucket(&format!("{name}-in")).await.unwrap();
            ctx.aws
                .create_queue(&format!("{name}-events"))
                .await
                .unwrap();
        }
        let (removed, problems) = leftovers::remove(&ctx.aws).await.unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        assert!(
            removed.buckets.contains(&format!("{dead}-in")),
            "{removed:?}"
        );
        assert!(
            removed
                .queues
                .iter()
                .any(|q| q.ends_with(&format!("{dead}-events")))
        );
        assert!(leftovers::describe(&removed).unwrap().contains("bucket"));
        let again = leftovers::find(&ctx.aws).await.unwrap();
        assert!(
            again.buckets.iter().all(|b| !b.starts_with(&dead)),
            "{again:?}"
        );
        let buckets = ctx.aws.s3.list_buckets().send().await.unwrap();
        let names: Vec<&str> = buckets.buckets().iter().filter_map(|b| b.name()).collect();
        assert!(
            names.contains(&format!("{live}-in").as_str()),
            "a live run keeps its own"
        );
        let live_queue = ctx
            .aws
            .sqs
            .get_queue_url()
            .queue_name(format!("{live}-events"))
            .send()
            .await
            .unwrap();
        let mine = recursion_guard::aws::Resources {
            buckets: vec![format!("{live}-in")],
            queues: live_queue
                .queue_url()
                .map(str::to_owned)
                .into_iter()
                .collect(),
            ..Default::default()
        };
        assert!(mine.teardown(&ctx.aws).await.is_empty());
    });
}
