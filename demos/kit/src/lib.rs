//! The demo protocol: how a demo describes itself, reports what it does, and ends.
//!
//! A demo is declared once as a [`DemoSpec`] (id, words, argument type; the kit parses the
//! arguments once and makes it a [`Demo`]): it does its work and reports through a
//! [`Reporter`] as a stream of [`Event`]s. The app renders those events for a person
//! ([`HumanSink`]) or as one JSON object per line ([`JsonLinesSink`]) for the TUI, which runs
//! `rehearse demo run ID --json` as a child process and reads them back with [`Event::parse_line`].

mod demo;
mod error;
mod event;
mod example;
mod human;
mod reporter;
mod workdir;

pub use demo::{Demo, DemoInfo, DemoSpec, ParamInfo, Prepared, parse_args, run_demo};
pub use error::DemoError;
pub use event::{
    ASSUMPTION_PREFIX, Bar, Chart, ChartData, Event, GanttTask, Level, Metric, Series, Summary,
    Table,
};
pub use example::{run_example, write_ignoring_closed};
pub use human::HumanSink;
pub use reporter::{CollectSink, EventSink, JsonLinesSink, Reporter};
pub use workdir::{remove_scratch_of, scratch_dir, scratch_root};
