//! The command line. No subcommand opens the TUI.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "rehearse", version, about, long_about = None)]
pub struct Cli {
    /// Folder of story files [default: ./stories if present, else the bundled stories]
    #[arg(long, global = true, env = "REHEARSE_STORIES", value_name = "DIR")]
    pub stories: Option<PathBuf>,

    /// SQLite file for review history and demo results [default: in the user's data dir]
    #[arg(long, global = true, env = "REHEARSE_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Config file [default: config.toml in the user's config dir]
    #[arg(long, global = true, env = "REHEARSE_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// `rehearse demo run ID --db x.db --json` puts the app's own options among the demo's
    /// words, where clap cannot see them: take `--json`, `--stories`, `--db` and `--config`
    /// back out (the demos use none of them).
    pub fn hoist_app_options(mut self) -> Self {
        let Some(Command::Demo(DemoCommand::Run { params, json, .. })) = &mut self.command else {
            return self;
        };
        let (mut stories, mut db, mut config) = (None, None, None);
        let mut rest = Vec::with_capacity(params.len());
        let mut words = std::mem::take(params).into_iter();
        while let Some(word) = words.next() {
            if word == "--json" {
                *json = true;
                continue;
            }
            let (flag, inline) = match word.split_once('=') {
                Some((flag, value)) => (flag.to_owned(), Some(value.to_owned())),
                None => (word.clone(), None),
            };
            let slot = match flag.as_str() {
                "--stories" => &mut stories,
                "--db" => &mut db,
                "--config" => &mut config,
                _ => {
                    rest.push(word);
                    continue;
                }
            };
            match inline.or_else(|| words.next()) {
                Some(value) => *slot = Some(PathBuf::from(value)),
                // A flag with no value: leave it for the demo to report.
                None => rest.push(word),
            }
        }
        *params = rest;
        self.stories = stories.or(self.stories);
        self.db = db.or(self.db);
        self.config = config.or(self.config);
        self
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check stories: structure, STAR balance, spoken length, and whether the numbers add up
    Lint(LintArgs),
    /// List the stories: id, title, tags, demo, lint status
    List,
    /// Show one story, formatted for the terminal
    Show {
        /// Story id (or a unique prefix)
        id: String,
    },
    /// Create a new story from the template, with a fresh id
    New {
        /// Title of the story
        title: String,
        /// Do not open $EDITOR on the new file
        #[arg(long)]
        no_edit: bool,
        /// Start a draft for this competency: its questions and recall prompts from the bank
        #[arg(long, value_name = "KEY")]
        competency: Option<String>,
    },
    /// The question bank: every question under its competency, and the stories answering it
    Questions {
        /// Only this competency (a key from the bank)
        #[arg(long, value_name = "KEY")]
        competency: Option<String>,
    },
    /// Turn notes you already have (Markdown, plain text, Obsidian) into draft stories
    Import(ImportArgs),
    /// Write the prep pack: stories, key numbers, coverage, progress, demo results
    Export(ExportArgs),
    /// List or run the demos that reproduce the stories' technical core
    #[command(subcommand)]
    Demo(DemoCommand),
    /// What is due for review now and this week, by story
    Due(DueArgs),
    /// Review statistics: reviews a day, true retention, 14-day forecast, leeches
    Stats,
    /// Practice session; `--plain` for a line-oriented session on stdin/stdout
    Drill(DrillArgs),
    /// The review cards derived from the stories
    Cards(CardsArgs),
    /// Mock interview: unseen questions from the bank; pick a story, tell it, take the probes
    Mock(MockArgs),
    /// Rank the question bank's competencies by what a job description asks for
    Job(JobArgs),
    /// Write this machine's reviews to the sync folder and merge the other machines'
    Sync(SyncArgs),
    /// The cards as an Anki deck, and the reviews made in Anki back
    #[command(subcommand)]
    Anki(AnkiCommand),
    /// Spoken answers: set up the offline speech model, or see what is installed
    #[command(subcommand)]
    Speech(SpeechCommand),
    /// Check a recorded answer (WAV) against its story: key numbers, STAR coverage, delivery
    Listen(ListenArgs),
    /// Print shell completions
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Story files or folders [default: the story folder]
    pub paths: Vec<PathBuf>,
    /// Spoken-length target in minutes [default: from config, else 2]
    #[arg(long, value_name = "MINUTES")]
    pub target_minutes: Option<f64>,
    /// Treat a draft's missing parts as errors, as in a finished story
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Notes files or folders (in folders: .md, .markdown, .txt files)
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Folder to write the drafts to [default: the story folder]
    #[arg(long, value_name = "DIR")]
    pub into: Option<PathBuf>,
    /// Print what would be created; write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Output file, or - for stdout
    #[arg(
        short,
        long,
        default_value = "rehearse-prep-pack.md",
        value_name = "FILE"
    )]
    pub output: PathBuf,
    /// Only stories with this tag
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
    /// Replace the output file if it exists
    #[arg(long)]
    pub force: bool,
    /// Add the transcript of each story's latest spoken answer
    #[arg(long)]
    pub transcripts: bool,
}

#[derive(Debug, Args)]
pub struct DueArgs {
    /// The interview day (YYYY-MM-DD): intervals are capped so every card is seen before it
    #[arg(long, value_name = "DATE")]
    pub interview_date: Option<jiff::civil::Date>,
}

#[derive(Debug, Args)]
pub struct DrillArgs {
    /// Line-oriented session on stdin/stdout (scripts, screen readers)
    #[arg(long)]
    pub plain: bool,
    /// Only this story's cards
    #[arg(long, value_name = "ID")]
    pub story: Option<String>,
    /// Only cards of stories with this tag
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
    /// Practise cards that are not due yet without changing their schedule
    #[arg(long)]
    pub cram: bool,
    /// The interview day (YYYY-MM-DD): intervals are capped so every card is seen before it
    #[arg(long, value_name = "DATE")]
    pub interview_date: Option<jiff::civil::Date>,
    /// At most this many cards
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
}

#[derive(Debug, Args)]
pub struct MockArgs {
    /// Line-oriented session on stdin/stdout (scripts, screen readers)
    #[arg(long)]
    pub plain: bool,
    /// Questions in the session
    #[arg(long, value_name = "N", default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..=50))]
    pub questions: u16,
    /// Only questions of this competency (a key from the question bank)
    #[arg(long, value_name = "KEY")]
    pub competency: Option<String>,
    /// Weight the questions towards what this job description asks for
    #[arg(long, value_name = "FILE")]
    pub job: Option<PathBuf>,
    /// Seed of the question draw: the same seed asks the same questions (0 to 9223372036854775807)
    #[arg(long, value_name = "S", value_parser = clap::value_parser!(u64).range(..=i64::MAX as u64))]
    pub seed: Option<u64>,
    /// Question bank YAML [default: the bundled bank]
    #[arg(long, value_name = "FILE")]
    pub bank: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct JobArgs {
    /// The job description: plain text or Markdown
    pub file: PathBuf,
    /// Question bank YAML [default: the bundled bank]
    #[arg(long, value_name = "FILE")]
    pub bank: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CardsArgs {
    /// Only cards whose question was deleted from its story (kept with their history)
    #[arg(long)]
    pub orphans: bool,
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// The sync folder [default: `[sync] dir` in the config]
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum AnkiCommand {
    /// Write the cards as an Anki deck (.apkg); exporting again updates the notes in Anki
    Export {
        /// Output file
        #[arg(short, long, default_value = "rehearse.apkg", value_name = "FILE")]
        output: PathBuf,
        /// Only stories with this tag
        #[arg(long, value_name = "TAG")]
        tag: Option<String>,
    },
    /// Bring back the reviews made in Anki: a deck (.apkg) or collection (.colpkg) exported
    /// from Anki with scheduling
    Import {
        /// The file Anki exported
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum SpeechCommand {
    /// Install the speech model and its runtime into the data dir (safe to re-run)
    Setup,
    /// What is installed for speech, and where
    Status,
}

#[derive(Debug, Args)]
pub struct ListenArgs {
    /// The story the answer tells (id or unique prefix)
    #[arg(long, value_name = "ID")]
    pub story: String,
    /// The question the answer was given to (kept with the feedback)
    #[arg(long, value_name = "TEXT")]
    pub question: Option<String>,
    /// Seconds where Situation, Task, Action and Result began, e.g. 0,12,20,80
    #[arg(long, value_name = "S,T,A,R", value_delimiter = ',')]
    pub marks: Vec<f64>,
    /// Print the feedback and the transcript as JSON
    #[arg(long)]
    pub json: bool,
    /// Do not keep the transcript and feedback in the database
    #[arg(long)]
    pub no_save: bool,
    /// The recording: a WAV file (any rate; stereo is mixed down)
    pub file: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum DemoCommand {
    /// The registered demos and their parameters
    List,
    /// Run a demo; the words after its id are the demo's own parameters
    #[command(disable_help_flag = true)]
    Run {
        /// Demo id, as named in a story's `demo:` field
        #[arg(required_unless_present = "help")]
        id: Option<String>,
        /// Print help (with a demo id: that demo's parameters)
        #[arg(short, long)]
        help: bool,
        /// One JSON event per line on stdout (for the TUI and scripts)
        #[arg(long)]
        json: bool,
        /// The demo's parameters (see `rehearse demo list`)
        #[arg(
            trailing_var_arg = true,
            allow_hyphen_values = true,
            value_name = "PARAMS"
        )]
        params: Vec<String>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn app_options_after_the_demo_id_still_count() {
        let cli = Cli::parse_from([
            "rehearse",
            "demo",
            "run",
            "concurrent-etl",
            "--records",
            "10",
            "--db",
            "x.db",
            "--json",
            "--stories=mine",
        ])
        .hoist_app_options();
        assert_eq!(cli.db, Some(PathBuf::from("x.db")));
        assert_eq!(cli.stories, Some(PathBuf::from("mine")));
        let Some(Command::Demo(DemoCommand::Run { params, json, .. })) = cli.command else {
            panic!("expected demo run");
        };
        assert_eq!(params, ["--records", "10"]);
        assert!(json);
    }

    #[test]
    fn demo_params_pass_through_untouched() {
        let cli = Cli::parse_from([
            "rehearse",
            "demo",
            "run",
            "--json",
            "concurrent-etl",
            "--records",
            "10",
            "--mode",
            "both",
        ]);
        let Some(Command::Demo(DemoCommand::Run {
            id, json, params, ..
        })) = cli.command
        else {
            panic!("expected demo run");
        };
        assert_eq!(id.as_deref(), Some("concurrent-etl"));
        assert!(json);
        assert_eq!(params, ["--records", "10", "--mode", "both"]);
    }
}
