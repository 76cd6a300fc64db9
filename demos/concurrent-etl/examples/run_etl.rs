//! Runs the demo as `rehearse demo run concurrent-etl [--json] [PARAMS]` would, without building
//! the app: `cargo run -p concurrent-etl --example run_etl -- --records 100000`.

fn main() -> std::process::ExitCode {
    demo_kit::run_example(&concurrent_etl::ConcurrentEtl)
}
