//! The [`Demo`] trait and the driver that wraps every run in `started` ... `finished|failed`.

use clap::{CommandFactory, Parser};

use crate::error::DemoError;
use crate::event::{Event, Summary};
use crate::reporter::Reporter;

/// What a demo is, for `rehearse demo list`, lint and the TUI.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoInfo {
    /// Stable id that stories name in their `demo:` field.
    pub id: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub params: Vec<ParamInfo>,
}

/// One parameter a demo accepts, derived from its clap definition so it cannot drift.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamInfo {
    /// As typed: `--records`.
    pub flag: String,
    pub help: String,
    pub default: Option<String>,
}

impl ParamInfo {
    /// The parameters of a clap-derived argument struct.
    pub fn of<A: CommandFactory>() -> Vec<ParamInfo> {
        A::command()
            .get_arguments()
            .filter(|arg| !matches!(arg.get_id().as_str(), "help" | "version"))
            .filter_map(|arg| {
                let flag = format!("--{}", arg.get_long()?);
                let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
                let defaults: Vec<String> = arg
                    .get_default_values()
                    .iter()
                    .map(|v| v.to_string_lossy().into_owned())
                    .collect();
                let default = (!defaults.is_empty()).then(|| defaults.join(","));
                Some(ParamInfo {
                    flag,
                    help,
                    default,
                })
            })
            .collect()
    }
}

/// A demo declared once: its id, its words and its argument type. The kit implements [`Demo`]
/// for every `DemoSpec`, so the id is written in one place and the arguments are parsed once.
pub trait DemoSpec: Sync {
    /// Stable id that stories name in their `demo:` field.
    const ID: &'static str;
    const TITLE: &'static str;
    const DESCRIPTION: &'static str;
    /// The clap definition of the words after `rehearse demo run ID`.
    type Args: Parser + 'static;

    /// Runs with the parsed arguments. Progress, logs, metrics, tables and charts go to
    /// `reporter`; the summary is returned.
    fn run(&self, args: Self::Args, reporter: &Reporter) -> Result<Summary, DemoError>;
}

/// A runnable demo. Nothing from a story is executed: stories name a demo by [`DemoInfo::id`].
/// Implement [`DemoSpec`]; this object-safe side is what the registry holds.
pub trait Demo: Sync {
    fn info(&self) -> DemoInfo;

    /// Parses the words that followed the demo id, once: `--help` becomes [`DemoError::Help`],
    /// a mistake [`DemoError::Usage`]; otherwise the run, ready to start.
    fn prepare(&self, args: &[String]) -> Result<Prepared<'_>, DemoError>;

    /// Checks the arguments without running.
    fn check_args(&self, args: &[String]) -> Result<(), DemoError> {
        self.prepare(args).map(drop)
    }
}

/// A demo's run, its arguments already bound.
type BoundRun<'a> = Box<dyn FnOnce(&Reporter) -> Result<Summary, DemoError> + 'a>;

/// A demo with its arguments parsed, not started yet.
pub struct Prepared<'a> {
    run: BoundRun<'a>,
}

impl Prepared<'_> {
    pub fn run(self, reporter: &Reporter) -> Result<Summary, DemoError> {
        (self.run)(reporter)
    }
}

impl<T: DemoSpec> Demo for T {
    fn info(&self) -> DemoInfo {
        DemoInfo {
            id: T::ID,
            title: T::TITLE,
            description: T::DESCRIPTION,
            params: ParamInfo::of::<T::Args>(),
        }
    }

    fn prepare(&self, args: &[String]) -> Result<Prepared<'_>, DemoError> {
        let parsed: T::Args = parse_args(T::ID, args)?;
        Ok(Prepared {
            run: Box::new(move |reporter| DemoSpec::run(self, parsed, reporter)),
        })
    }
}

/// Parses a demo's arguments with its clap definition; `--help` and mistakes become
/// [`DemoError::Usage`] with clap's own message.
pub fn parse_args<A: Parser>(id: &str, args: &[String]) -> Result<A, DemoError> {
    let argv = std::iter::once(format!("rehearse demo run {id}")).chain(args.iter().cloned());
    A::try_parse_from(argv).map_err(|e| match e.kind() {
        clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
            DemoError::Help(e.render().to_string())
        }
        _ => DemoError::Usage(e.render().to_string()),
    })
}

/// Runs a demo from `started` to `finished` or `failed`, and returns its outcome.
///
/// Arguments are checked first: `--help` or a usage mistake is returned without any event,
/// because it is not a run.
pub fn run_demo(
    demo: &dyn Demo,
    args: &[String],
    reporter: &Reporter,
) -> Result<Summary, DemoError> {
    let prepared = demo.prepare(args)?;
    reporter.emit(Event::Started {
        demo: demo.info().id.to_owned(),
        args: args.to_vec(),
    });
    let outcome = prepared.run(reporter);
    match &outcome {
        Ok(summary) => reporter.emit(Event::Finished {
            summary: summary.clone(),
        }),
        Err(error) => reporter.emit(Event::Failed {
            error: error.to_string(),
        }),
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reporter::CollectSink;

    #[derive(Parser)]
    struct EchoArgs {
        /// How many lines to echo.
        #[arg(long, default_value_t = 2)]
        lines: u32,
        /// Fail on purpose.
        #[arg(long)]
        fail: bool,
    }

    struct Echo;

    impl DemoSpec for Echo {
        const ID: &'static str = "echo";
        const TITLE: &'static str = "Echo";
        const DESCRIPTION: &'static str = "Says things.";
        type Args = EchoArgs;

        fn run(&self, args: EchoArgs, reporter: &Reporter) -> Result<Summary, DemoError> {
            if args.fail {
                return Err(DemoError::failed("asked to fail"));
            }
            for i in 0..args.lines {
                reporter.info(format!("line {i}"));
            }
            Ok(Summary {
                headline: format!("echoed {}", args.lines),
                ..Summary::default()
            })
        }
    }

    #[test]
    fn params_come_from_the_clap_definition() {
        let params = Echo.info().params;
        assert_eq!(params.len(), 2);
        assert_eq!(params[0].flag, "--lines");
        assert_eq!(params[0].help, "How many lines to echo");
        assert_eq!(params[0].default.as_deref(), Some("2"));
        assert_eq!(params[1].flag, "--fail");
    }

    #[test]
    fn info_comes_from_the_one_declaration() {
        let info = Echo.info();
        assert_eq!((info.id, info.title), ("echo", "Echo"));
        assert!(Echo.check_args(&["--lines".into(), "4".into()]).is_ok());
    }

    #[test]
    fn a_run_is_framed_by_started_and_finished() {
        let sink = CollectSink::new();
        let reporter = Reporter::new(sink.clone());
        let summary = run_demo(&Echo, &["--lines".into(), "3".into()], &reporter).unwrap();
        assert_eq!(summary.headline, "echoed 3");
        let events = sink.events();
        assert!(matches!(&events[0], Event::Started { demo, .. } if demo == "echo"));
        assert_eq!(events.len(), 5);
        assert!(matches!(events.last(), Some(Event::Finished { .. })));
    }

    #[test]
    fn a_failure_ends_with_failed_and_the_error() {
        let sink = CollectSink::new();
        let reporter = Reporter::new(sink.clone());
        let error = run_demo(&Echo, &["--fail".into()], &reporter).unwrap_err();
        assert_eq!(error.to_string(), "asked to fail");
        assert!(
            matches!(sink.events().last(), Some(Event::Failed { error }) if error == "asked to fail")
        );
    }

    #[test]
    fn bad_arguments_are_a_usage_error_naming_the_flag_and_no_run() {
        let sink = CollectSink::new();
        let reporter = Reporter::new(sink.clone());
        let error = run_demo(&Echo, &["--lines".into(), "many".into()], &reporter).unwrap_err();
        assert!(matches!(error, DemoError::Usage(_)));
        assert!(error.to_string().contains("--lines"), "{error}");
        assert!(sink.events().is_empty(), "not a run: no events");
        let help = run_demo(&Echo, &["--help".into()], &reporter).unwrap_err();
        assert!(matches!(help, DemoError::Help(_)));
        assert!(
            help.to_string().contains("How many lines to echo"),
            "{help}"
        );
    }
}
