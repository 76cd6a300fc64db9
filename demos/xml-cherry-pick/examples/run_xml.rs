//! Runs the demo as `rehearse demo run xml-cherry-pick [--json] [PARAMS]` would:
//! `cargo run -p xml-cherry-pick --example run_xml -- --records 5000` (add `--json` for the events).

fn main() -> std::process::ExitCode {
    demo_kit::run_example(&xml_cherry_pick::XmlCherryPick)
}
