//! What the demo does without LocalStack: offline, no network beyond loopback.

use std::net::TcpListener;

use demo_kit::{CollectSink, Demo, DemoError, Reporter, run_demo};
use recursion_guard::endpoint::Endpoint;
use recursion_guard::{Args, RecursionGuard, run_scenarios};

use clap::Parser;

/// A loopback port nothing listens on: bind one, then let it go.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[test]
fn nothing_listening_is_unavailable_with_the_start_command() {
    let endpoint = Endpoint {
        url: format!("http://127.0.0.1:{}", closed_port()),
        loopback: true,
    };
    let args = Args::parse_from(["recursion-guard"]);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let reporter = Reporter::new(CollectSink::new());
    let error = runtime
        .block_on(run_scenarios(&args, &endpoint, &reporter))
        .unwrap_err();
    assert!(matches!(error, DemoError::Unavailable(_)), "{error}");
    assert!(
        error.to_string().contains("scripts/localstack.sh start"),
        "{error}"
    );
}

#[test]
fn params_are_listed_from_the_clap_definition() {
    let params = RecursionGuard.info().params;
    let scenario = params.iter().find(|p| p.flag == "--scenario").unwrap();
    assert_eq!(scenario.default.as_deref(), Some("all"));
    assert!(params.iter().any(|p| p.flag == "--allow-remote-endpoint"));
    assert!(params.iter().any(|p| p.flag == "--billing-cap"));
}

#[test]
fn bad_arguments_are_usage_errors() {
    let reporter = Reporter::new(CollectSink::new());
    let error = run_demo(
        &RecursionGuard,
        &["--scenario".into(), "sideways".into()],
        &reporter,
    )
    .unwrap_err();
    assert!(matches!(error, DemoError::Usage(_)), "{error}");
    let error = run_demo(
        &RecursionGuard,
        &["--objects".into(), "0".into()],
        &reporter,
    )
    .unwrap_err();
    assert!(matches!(error, DemoError::Usage(_)), "{error}");
}
