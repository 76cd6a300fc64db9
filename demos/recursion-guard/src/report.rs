//! Runs the chosen scenarios and turns their results into the demo's events and summary.

use std::time::Duration;

use demo_kit::{ChartData, DemoError, Metric, Reporter, Series, Summary, Table};

use crate::aws::Aws;
use crate::cost::{self, Runaway};
use crate::endpoint::Endpoint;
use crate::guard::GuardConfig;
use crate::scenario::{self, Ctx, Inject, LoopRun, SilentStop};
use crate::{Args, Scenario};

const RATE_BUCKET: Duration = Duration::from_millis(250);

/// Turns invocation times into chart points (per bucket, until the end).
type SeriesFn = fn(&[Duration], Duration, Duration) -> Vec<(f64, f64)>;

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1000.0).round()
}

fn ms_text(d: Option<Duration>) -> String {
    d.map(|d| format!("{} ms", ms(d)))
        .unwrap_or_else(|| "-".into())
}

/// What LocalStack does not do, and what the demo does instead: always in the summary.
fn standing_notes() -> Vec<String> {
    vec![
        "Lambda does not run on LocalStack without Docker: the handler runs in this process, \
         invoked per SQS batch by the demo's own poller, as Lambda's SQS event-source mapping would."
            .into(),
        "LocalStack does not emulate AWS's recursive-loop detection; the guard's hop limit \
         (default 16) mirrors it. The billing cap is the demo's own hard limit on invocations."
            .into(),
    ]
}

/// Connects, runs the scenarios `args` selects, and summarizes them.
pub async fn run_scenarios(
    args: &Args,
    endpoint: &Endpoint,
    reporter: &Reporter,
) -> Result<Summary, DemoError> {
    let (aws, leftovers) = connect(endpoint, reporter).await?;
    let ctx = Ctx::new(aws, reporter.clone());
    let settings = args.settings();
    let mut summary = Summary {
        notes: standing_notes(),
        ..Summary::default()
    };
    summary.notes.extend(leftovers);
    let mut headline = Vec::new();
    if matches!(args.scenario, Scenario::Happy | Scenario::All) {
        headline.push(happy(&ctx, &settings, &mut summary).await?);
    }
    if matches!(args.scenario, Scenario::Recursion | Scenario::All) {
        headline.push(recursion(&ctx, &settings, args, &mut summary).await?);
    }
    if matches!(args.scenario, Scenario::SilentStop | Scenario::All) {
        headline.push(silent(&ctx, &settings, &mut summary).await?);
    }
    summary.headline = headline.join("; ");
    Ok(summary)
}

/// Checks LocalStack answers and removes what an earlier run left; says what it removed.
async fn connect(
    endpoint: &Endpoint,
    reporter: &Reporter,
) -> Result<(Aws, Option<String>), DemoError> {
    reporter.phase("connect");
    if !endpoint.loopback {
        reporter.warn(format!(
            "{} is not loopback (allowed by --allow-remote-endpoint)",
            endpoint.url
        ));
    }
    let aws = Aws::new(endpoint);
    aws.probe().await?;
    reporter.info(format!(
        "LocalStack answers at {} (test credentials, path-style S3)",
        endpoint.url
    ));
    let (removed, problems) = crate::leftovers::remove(&aws).await?;
    for problem in problems {
        reporter.warn(format!("removing an earlier run's leftovers: {problem}"));
    }
    let leftovers = crate::leftovers::describe(&removed);
    if let Some(text) = &leftovers {
        reporter.warn(text.clone());
    }
    Ok((aws, leftovers))
}

/// The happy path, every guard on; its part of the headline.
async fn happy(
    ctx: &Ctx,
    settings: &scenario::Settings,
    summary: &mut Summary,
) -> Result<String, DemoError> {
    ctx.reporter.phase("happy path");
    let guard = GuardConfig {
        max_hops: Some(settings.max_hops),
        lineage: true,
        budget: Some(settings.budget),
    };
    let run = scenario::loop_run(ctx, settings, guard, false).await?;
    report_happy(&ctx.reporter, &run, summary);
    Ok(format!(
        "happy: {} in, {} out, {} processed exactly once",
        run.uploads,
        run.outputs.unwrap_or(0),
        run.uploads_once
    ))
}

/// The recursive pipeline unguarded, then under each guard alone; its part of the headline.
async fn recursion(
    ctx: &Ctx,
    settings: &scenario::Settings,
    args: &Args,
    summary: &mut Summary,
) -> Result<String, DemoError> {
    let configs = [
        GuardConfig::unguarded(),
        GuardConfig {
            max_hops: Some(settings.max_hops),
            ..GuardConfig::default()
        },
        GuardConfig {
            budget: Some(settings.budget),
            ..GuardConfig::default()
        },
        GuardConfig {
            lineage: true,
            ..GuardConfig::default()
        },
    ];
    let mut runs = Vec::new();
    for config in configs {
        ctx.reporter.phase(format!("recursion: {}", config.label()));
        let run = scenario::loop_run(ctx, settings, config, true).await?;
        ctx.reporter.info(describe_loop(&run));
        runs.push(run);
    }
    report_recursion(&ctx.reporter, &runs, settings, summary);
    if let Some(unguarded) = runs.iter().find(|r| !r.guarded) {
        report_cost(&ctx.reporter, unguarded, args, summary);
    }
    let unguarded = &runs[0];
    let stops: Vec<String> = runs[1..]
        .iter()
        .map(|r| format!("{} after {}", r.label, r.invocations))
        .collect();
    Ok(format!(
        "recursion: unguarded ran {} invocations until {}; guarded: {}",
        unguarded.invocations,
        if unguarded.capped {
            "the billing cap"
        } else {
            "the time cap"
        },
        stops.join(", ")
    ))
}

/// The silent stop; its part of the headline.
async fn silent(
    ctx: &Ctx,
    settings: &scenario::Settings,
    summary: &mut Summary,
) -> Result<String, DemoError> {
    ctx.reporter.phase("silent stop");
    let run = scenario::silent_stop(ctx, settings).await?;
    report_silent(&ctx.reporter, &run, settings, summary);
    let detected = match run.inject {
        Inject::RemoveNotification => run.stall_detected_after(),
        Inject::DeleteBucket => run.errors_detected_after().or(run.stall_detected_after()),
    };
    Ok(format!(
        "silent stop: error-only alerting saw {} failures, the monitor's alert arrived {}",
        run.invocation_failures,
        detected
            .map(|d| format!("{} ms after the break", ms(d)))
            .unwrap_or_else(|| "never (within the time cap)".into())
    ))
}

fn describe_loop(run: &LoopRun) -> String {
    let end = if run.capped {
        "stopped by the billing cap".to_owned()
    } else if run.timed_out {
        "stopped by the time cap".to_owned()
    } else if let Some((_, reason)) = &run.first_stop {
        format!("stopped by the {}: {reason}", reason.layer())
    } else {
        "settled".to_owned()
    };
    format!(
        "{}: {} invocations, {} objects written, {} refused, {} in {} ms",
        run.label,
        run.invocations,
        run.processed,
        run.stopped,
        end,
        ms(run.elapsed)
    )
}

fn report_happy(reporter: &Reporter, run: &LoopRun, summary: &mut Summary) {
    reporter.info(describe_loop(run));
    let outputs = run.outputs.unwrap_or(0);
    let exact = run.uploads_once == run.uploads && outputs == run.uploads as usize;
    if exact {
        reporter.info(format!(
            "{} objects in, {outputs} out, each processed exactly once",
            run.uploads
        ));
    } else {
        reporter.error(format!(
            "expected {} in and out, each once: got {outputs} out, {} once, {} more than once, {} never",
            run.uploads, run.uploads_once, run.uploads_repeated, run.uploads_missed
        ));
        summary.notes.push(format!(
            "happy path was NOT exact: {} uploads, {outputs} outputs, {} processed once, {} repeatedly, {} never",
            run.uploads, run.uploads_once, run.uploads_repeated, run.uploads_missed
        ));
    }
    for metric in [
        Metric::new("objects in", f64::from(run.uploads), "objects"),
        Metric::new("objects out", outputs as f64, "objects"),
        Metric::new(
            "processed exactly once",
            f64::from(run.uploads_once),
            "objects",
        ),
    ] {
        let metric = metric.in_group("happy");
        reporter.metric(metric.clone());
        summary.metrics.push(metric);
    }
}

fn report_recursion(
    reporter: &Reporter,
    runs: &[LoopRun],
    settings: &scenario::Settings,
    summary: &mut Summary,
) {
    reporter.table(recursion_table(runs, settings));
    recursion_charts(reporter, runs);
    if let Some(unguarded) = runs.iter().find(|r| !r.guarded) {
        let note = format!(
            "Unguarded, every upload starts a loop that never ends: {} loop(s) were still alive \
             when the {} stopped it. Invocations per second are capped here by LocalStack's \
             throughput on this machine (peak {:.0}/s); AWS would scale out instead.",
            unguarded.live_at_end,
            if unguarded.capped {
                "billing cap"
            } else {
                "time cap"
            },
            unguarded.peak_rate(RATE_BUCKET)
        );
        reporter.info(note.clone());
        summary.notes.push(note);
    }
    for r in runs {
        recursion_findings(reporter, r, summary);
    }
    if let Some(alert) = runs.iter().find_map(|r| r.alert.as_ref()) {
        reporter.info(format!("alert read back from SQS: {alert}"));
    }
}

/// One row per recursion run: how far it got and what stopped it.
fn recursion_table(runs: &[LoopRun], settings: &scenario::Settings) -> Table {
    let rows = runs
        .iter()
        .map(|r| {
            let stopped_by = if r.capped {
                "billing cap".to_owned()
            } else if r.timed_out {
                "time cap".to_owned()
            } else {
                r.first_stop
                    .as_ref()
                    .map(|(_, reason)| reason.layer().to_owned())
                    .unwrap_or_else(|| "-".into())
            };
            vec![
                r.label.clone(),
                r.invocations.to_string(),
                r.processed.to_string(),
                stopped_by,
                r.live_at_end.to_string(),
                format!("{}/{}", r.uploads_once, r.uploads),
                format!("{:.0}/s", r.peak_rate(RATE_BUCKET)),
                if r.guarded {
                    ms_text(r.alert_after)
                } else {
                    "none".into()
                },
                format!("{} ms", ms(r.elapsed)),
            ]
        })
        .collect();
    Table {
        title: format!(
            "Recursion: OUTPUT_BUCKET = input bucket, {} uploads, billing cap {} invocations \
             (alert after: from the first upload to the alert read back from SQS)",
            settings.objects, settings.billing_cap
        ),
        columns: [
            "guard",
            "invocations",
            "objects written",
            "stopped by",
            "loops alive",
            "uploads once",
            "peak rate",
            "alert after",
            "elapsed",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    }
}

/// The runs' invocations over time: so far, and per second.
fn recursion_charts(reporter: &Reporter, runs: &[LoopRun]) {
    let series = |f: SeriesFn| {
        runs.iter()
            .map(|r| Series {
                name: r.label.clone(),
                points: f(&r.invocation_times, RATE_BUCKET, r.elapsed),
            })
            .collect()
    };
    reporter.chart(
        "Invocations so far: guarded runs level off, the unguarded one climbs until the cap",
        ChartData::Lines {
            x_label: "seconds".into(),
            y_label: "invocations".into(),
            series: series(crate::pipeline::cumulative_series),
        },
    );
    reporter.chart(
        "Invocations per second (250 ms buckets)",
        ChartData::Lines {
            x_label: "seconds".into(),
            y_label: "invocations/s".into(),
            series: series(crate::pipeline::rate_series),
        },
    );
}

/// One recursion run's metrics, and notes where a guard missed its alert or stopped real work.
fn recursion_findings(reporter: &Reporter, r: &LoopRun, summary: &mut Summary) {
    let mut metrics = vec![Metric::new(
        "invocations until stopped",
        r.invocations as f64,
        "invocations",
    )];
    if let Some(after) = r.alert_after {
        metrics.push(Metric::new("time to alert", ms(after), "ms"));
    }
    if let Some(after) = r.alert_after_stop {
        metrics.push(Metric::new(
            "alert delivery after the stop",
            ms(after),
            "ms",
        ));
    }
    if r.guarded {
        metrics.push(Metric::new(
            "uploads processed exactly once",
            f64::from(r.uploads_once),
            "objects",
        ));
    }
    for metric in metrics {
        let metric = metric.in_group(r.label.clone());
        reporter.metric(metric.clone());
        summary.metrics.push(metric);
    }
    if r.guarded && r.alert.is_none() {
        summary.notes.push(format!(
            "{}: no alert arrived on the SNS -> SQS subscription",
            r.label
        ));
    }
    if r.guarded && r.uploads_once < r.uploads {
        summary.notes.push(format!(
            "{}: only {}/{} uploads were processed exactly once ({} repeatedly, {} never): \
             the guard stopped legitimate work too",
            r.label, r.uploads_once, r.uploads, r.uploads_repeated, r.uploads_missed
        ));
    }
}

fn report_silent(
    reporter: &Reporter,
    run: &SilentStop,
    settings: &scenario::Settings,
    summary: &mut Summary,
) {
    let what = run.inject.describe();
    let note = format!(
        "LocalStack Community stores bucket and queue policies but does not enforce them, so the \
         permission change is injected as a real API call with the same observable effect: {what}. \
         LocalStack also ignores FilterLogEvents patterns; the monitor filters log lines itself."
    );
    reporter.warn(note.clone());
    summary.notes.push(note);

    let mut rows = vec![vec![
        format!("{} ms", ms(run.injected_at)),
        "break".into(),
        what.into(),
    ]];
    for (at, tag) in &run.published {
        rows.push(vec![
            format!("{} ms", ms(*at)),
            "monitor published".into(),
            (*tag).into(),
        ]);
    }
    for (at, text) in &run.received {
        rows.push(vec![
            format!("{} ms", ms(*at)),
            "alert received (SQS)".into(),
            text.clone(),
        ]);
    }
    rows.sort_by(|a, b| {
        let t = |r: &Vec<String>| {
            r[0].trim_end_matches(" ms")
                .parse::<f64>()
                .unwrap_or(f64::MAX)
        };
        t(a).total_cmp(&t(b))
    });
    reporter.table(Table {
        title: format!(
            "Silent stop: monitor every {} ms, dead-man's switch after {} ms",
            ms(settings.monitor_every),
            ms(settings.stall_after)
        ),
        columns: ["at", "what", "detail"].map(String::from).to_vec(),
        rows,
    });
    reporter.info(format!(
        "uploaded {}, delivered {} before the break and {} in total; {} monitor runs",
        run.uploaded, run.delivered_before, run.delivered_after, run.monitor_runs
    ));
    if run.invocation_failures == 0 {
        reporter.warn(format!(
            "error-only alerting (on failed invocations) stayed silent: 0 failed invocations, \
             {} error line(s) logged",
            run.logged_errors
        ));
    }
    if run.timed_out {
        reporter.error("the monitor did not raise every expected alert within the time cap");
        summary
            .notes
            .push("silent stop: not every expected alert was raised within the time cap".into());
    }
    let mut metrics = vec![
        Metric::new(
            "failed invocations (error-only alerting)",
            run.invocation_failures as f64,
            "invocations",
        ),
        Metric::new("error lines logged", run.logged_errors as f64, "lines"),
        Metric::new(
            "delivered after the break",
            run.delivered_after.saturating_sub(run.delivered_before) as f64,
            "objects",
        ),
    ];
    if let Some(d) = run.stall_detected_after() {
        metrics.push(Metric::new("stall alert after the break", ms(d), "ms"));
    }
    if let Some(d) = run.errors_detected_after() {
        metrics.push(Metric::new("error alert after the break", ms(d), "ms"));
    }
    for metric in metrics {
        let metric = metric.in_group("silent stop");
        reporter.metric(metric.clone());
        summary.metrics.push(metric);
    }
}

/// The runaway's spend at the measured rate: a table, a chart over a day, how long the cap lasts.
fn report_cost(reporter: &Reporter, unguarded: &LoopRun, args: &Args, summary: &mut Summary) {
    let mean = unguarded.invocations as f64 / unguarded.elapsed.as_secs_f64().max(1e-9);
    let peak = unguarded.peak_rate(RATE_BUCKET);
    let at = |rate: f64| Runaway {
        invocations_per_s: rate,
        usd_per_invocation: args.usd_per_invocation,
    };
    let mut caps: Vec<f64> = vec![args.bill_cap_usd, 10.0, 100.0, 1000.0];
    caps.sort_by(f64::total_cmp);
    caps.dedup();
    reporter.table(cost_table(unguarded, args, mean, peak, &caps));
    let hours: Vec<f64> = (0..=24).map(f64::from).collect();
    let mut series = vec![
        Series {
            name: format!("at the mean rate, {mean:.0}/s"),
            points: at(mean).curve(&hours),
        },
        Series {
            name: format!("at the peak rate, {peak:.0}/s"),
            points: at(peak).curve(&hours),
        },
    ];
    series.push(Series {
        name: format!("bill cap ${:.0}", args.bill_cap_usd),
        points: vec![(0.0, args.bill_cap_usd), (24.0, args.bill_cap_usd)],
    });
    reporter.chart(
        "Runaway spend over a day at the measured rates (USD)",
        ChartData::Lines {
            x_label: "hours".into(),
            y_label: "USD".into(),
            series,
        },
    );
    let runaway = at(mean);
    let metrics = [
        Metric::new("runaway spend", runaway.usd_per_hour(), "USD/h"),
        Metric::new(
            format!("a ${:.0} bill cap lasts", args.bill_cap_usd),
            runaway
                .cap_lasts(args.bill_cap_usd)
                .map_or(f64::INFINITY, |d| d.as_secs_f64() / 3600.0),
            "h",
        ),
    ];
    for metric in metrics {
        let metric = metric.in_group(unguarded.label.clone());
        reporter.metric(metric.clone());
        summary.metrics.push(metric);
    }
    let default_price = (args.usd_per_invocation - cost::DEFAULT_USD_PER_INVOCATION).abs() < 1e-15;
    summary.notes.push(format!(
        "Runaway cost (measured rate x price): {mean:.0} invocations/s at ${:.9} each is \
         ${:.4}/h; a ${:.0} cap lasts {}. Price: {}. The rate is what LocalStack sustained on \
         this machine for {} loop(s); on AWS it depends on how fast each loop's events chain \
         and on how many loops run, and the spend scales with both. The story \
         says the bill was capped \"at some dollars\": the amount is not in the notes.",
        args.usd_per_invocation,
        runaway.usd_per_hour(),
        args.bill_cap_usd,
        lasts(runaway, args.bill_cap_usd),
        if default_price {
            cost::price_source()
        } else {
            "--usd-per-invocation, as given".to_owned()
        },
        unguarded.uploads
    ));
}

/// How long a bill cap lasts at a runaway's spend.
fn lasts(runaway: Runaway, cap: f64) -> String {
    runaway
        .cap_lasts(cap)
        .map_or_else(|| "forever".to_owned(), cost::human)
}

/// The runaway's spend at the mean and the peak measured rate, and how long each cap lasts.
fn cost_table(unguarded: &LoopRun, args: &Args, mean: f64, peak: f64, caps: &[f64]) -> Table {
    let rows = [("mean", mean), ("peak (250 ms)", peak)]
        .into_iter()
        .map(|(label, rate)| {
            let runaway = Runaway {
                invocations_per_s: rate,
                usd_per_invocation: args.usd_per_invocation,
            };
            let mut row = vec![
                format!("{label}: {rate:.0}/s"),
                format!("{:.4}", runaway.usd_per_hour()),
                format!("{:.2}", runaway.usd_per_hour() * 24.0),
            ];
            row.extend(caps.iter().map(|cap| lasts(runaway, *cap)));
            row
        })
        .collect();
    let mut columns = vec![
        "unguarded rate (measured)".to_owned(),
        "USD per hour".to_owned(),
        "USD per day".to_owned(),
    ];
    columns.extend(caps.iter().map(|cap| format!("a ${cap:.0} cap lasts")));
    Table {
        title: format!(
            "What the runaway costs at ${:.9} per invocation (from {} uploads, each a loop)",
            args.usd_per_invocation, unguarded.uploads
        ),
        columns,
        rows,
    }
}
