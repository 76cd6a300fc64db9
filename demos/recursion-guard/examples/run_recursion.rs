//! Runs the demo in a terminal without the app (add `--json` for the events):
//! `cargo run -p recursion-guard --example run_recursion -- [--scenario happy|recursion|silent-stop|all]`.

fn main() -> std::process::ExitCode {
    demo_kit::run_example(&recursion_guard::RecursionGuard)
}
