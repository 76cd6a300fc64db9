//! The TOML config and the paths the app uses, resolved once at start.
//!
//! Precedence: command line (and its environment variables) > config file > defaults.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use directories::ProjectDirs;
use serde::Deserialize;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid config file {path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("no home directory found: pass --stories and --db explicitly")]
    NoHome,
    #[error(
        "the story folder {path} is a file, not a folder: pass the folder that holds the story files"
    )]
    StoriesNotAFolder { path: PathBuf },
    #[error("the database {path} is a folder: pass the path of a database file, e.g. {}", .path.join("rehearse.db").display())]
    DbIsAFolder { path: PathBuf },
}

/// `config.toml`. Every key is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Story folder.
    pub stories: Option<PathBuf>,
    /// SQLite file.
    pub db: Option<PathBuf>,
    pub lint: LintConfig,
    pub srs: SrsConfig,
    pub drill: DrillConfig,
    pub mock: MockConfig,
    pub sync: SyncConfig,
    pub speech: SpeechConfig,
    /// Key overrides for the TUI: action name -> key (e.g. `reveal = "enter"`).
    pub keys: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LintConfig {
    /// How long a spoken answer may take.
    pub target_minutes: f64,
    /// Speaking pace used to turn words into time.
    pub words_per_minute: f64,
}

impl From<&LintConfig> for crate::story::lint::LintOptions {
    fn from(config: &LintConfig) -> Self {
        Self {
            target_minutes: config.target_minutes,
            words_per_minute: config.words_per_minute,
            strict: false,
        }
    }
}

impl Default for LintConfig {
    fn default() -> Self {
        Self {
            target_minutes: 2.0,
            words_per_minute: 150.0,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SrsConfig {
    /// Probability of recall the scheduler aims for.
    pub desired_retention: f64,
    /// The interview day, `YYYY-MM-DD`: intervals are capped so every card is seen before it.
    pub interview_date: Option<jiff::civil::Date>,
    /// Delays between the first gradings of a new card (`"1m"`, `"10m"`); empty: none.
    pub learning_steps: Vec<jiff::SignedDuration>,
    /// Delays after forgetting a graduated card.
    pub relearning_steps: Vec<jiff::SignedDuration>,
    /// The longest interval, in days.
    pub maximum_interval_days: u32,
    /// Lapses after which a card is flagged as a leech (its story probably needs rewriting).
    pub leech_lapses: u32,
}

impl Default for SrsConfig {
    fn default() -> Self {
        let defaults = crate::srs::SchedulerConfig::default();
        Self {
            desired_retention: defaults.desired_retention,
            interview_date: None,
            learning_steps: defaults.learning_steps,
            relearning_steps: defaults.relearning_steps,
            maximum_interval_days: defaults.maximum_interval_days,
            leech_lapses: defaults.leech_lapses,
        }
    }
}

impl SrsConfig {
    /// The scheduler's settings; `interview_date` (the command line's, else this config's)
    /// starts at midnight in `tz`.
    pub fn scheduler_config(
        &self,
        interview_date: Option<jiff::civil::Date>,
        tz: &jiff::tz::TimeZone,
    ) -> crate::srs::SchedulerConfig {
        crate::srs::SchedulerConfig {
            desired_retention: self.desired_retention,
            learning_steps: self.learning_steps.clone(),
            relearning_steps: self.relearning_steps.clone(),
            maximum_interval_days: self.maximum_interval_days,
            leech_lapses: self.leech_lapses,
            interview: interview_date
                .or(self.interview_date)
                .map(|date| crate::srs::stats::start_of(date, tz)),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DrillConfig {
    /// Seconds budgeted per STAR section while answering aloud.
    pub situation_seconds: u32,
    pub task_seconds: u32,
    pub action_seconds: u32,
    pub result_seconds: u32,
}

impl Default for DrillConfig {
    fn default() -> Self {
        Self {
            situation_seconds: 15,
            task_seconds: 10,
            action_seconds: 60,
            result_seconds: 25,
        }
    }
}

impl DrillConfig {
    /// The STAR timer's budgets, for the drill and the mock alike.
    pub fn budgets(&self) -> crate::pacing::Budgets {
        let secs = |s: u32| std::time::Duration::from_secs(u64::from(s));
        crate::pacing::Budgets {
            situation: secs(self.situation_seconds),
            task: secs(self.task_seconds),
            action: secs(self.action_seconds),
            result: secs(self.result_seconds),
        }
    }
}

/// `[mock]`: the mock interview's defaults (the command line's flags win).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MockConfig {
    /// A job description the mock weights its questions by, and the TUI's stats screen ranks
    /// (as `--job FILE` does).
    pub job: Option<PathBuf>,
}

/// `[sync]`: practice on more than one machine.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SyncConfig {
    /// A folder the machines share (kept in step by git, Syncthing, Dropbox...): each writes
    /// its reviews to a log of its own there and merges the others' (`rehearse sync`, and the
    /// TUI on start and on leaving).
    pub dir: Option<PathBuf>,
}

/// `[speech]`: spoken answers, transcribed on this machine (`rehearse speech setup`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SpeechConfig {
    /// A CTranslate2 Whisper model folder (base.en, small.en, ...) in place of the bundled
    /// tiny.en.
    pub model: Option<PathBuf>,
    /// Keep each recording after it is transcribed (they are deleted by default).
    pub keep_audio: bool,
    /// CPU threads the model may use; 0: all.
    pub threads: usize,
    /// The command that records the microphone (program, then its arguments): it must write
    /// 16 kHz mono 16-bit little-endian raw audio to stdout until SIGINT. Default: the first
    /// of `arecord`, `parec`, `rec` found.
    pub record_command: Option<Vec<String>>,
}

impl Config {
    /// Loads `path`, or the default config file; a missing default file means defaults.
    pub fn load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
        let path = match explicit {
            Some(path) => path.to_owned(),
            None => match project_dirs() {
                Some(dirs) => dirs.config_dir().join("config.toml"),
                None => return Ok(Config::default()),
            },
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && explicit.is_none() => {
                return Ok(Config::default());
            }
            Err(source) => return Err(ConfigError::Read { path, source }),
        };
        Self::parse(&text).map_err(|message| ConfigError::Parse { path, message })
    }

    /// Parses config text; the error names the line and the key at fault.
    pub fn parse(text: &str) -> Result<Config, String> {
        toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|span| text[..span.start].matches('\n').count() + 1);
            match line {
                Some(line) => format!("line {line}: {}", e.message()),
                None => e.message().to_owned(),
            }
        })
    }
}

/// The folders the app keeps its data in (`rehearse` under the XDG dirs on Linux).
pub fn project_dirs() -> Option<ProjectDirs> {
    ProjectDirs::from("", "", "rehearse")
}

/// Where the stories and the database are, after command line, config and defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Paths {
    pub stories: StoriesLocation,
    pub db: PathBuf,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StoriesLocation {
    /// A folder the user chose (or `./stories`).
    Folder(PathBuf),
    /// The bundled stories, copied on first run to this folder in the user's data dir.
    Bundled(PathBuf),
}

impl StoriesLocation {
    pub fn path(&self) -> &Path {
        match self {
            StoriesLocation::Folder(path) | StoriesLocation::Bundled(path) => path,
        }
    }
}

impl Paths {
    pub fn resolve(
        stories: Option<PathBuf>,
        db: Option<PathBuf>,
        config: &Config,
    ) -> Result<Paths, ConfigError> {
        let data_dir = || {
            project_dirs()
                .map(|dirs| dirs.data_dir().to_owned())
                .ok_or(ConfigError::NoHome)
        };
        let stories = match stories.or_else(|| config.stories.clone()) {
            // A file where a folder belongs is named as such here; a missing folder is
            // reported where the stories are loaded.
            Some(folder) if folder.exists() && !folder.is_dir() => {
                return Err(ConfigError::StoriesNotAFolder { path: folder });
            }
            Some(folder) => StoriesLocation::Folder(folder),
            None if Path::new("stories").is_dir() => StoriesLocation::Folder("stories".into()),
            None => StoriesLocation::Bundled(data_dir()?.join("stories")),
        };
        let db = match db.or_else(|| config.db.clone()) {
            Some(db) if db.is_dir() => return Err(ConfigError::DbIsAFolder { path: db }),
            Some(db) => db,
            None => data_dir()?.join("rehearse.db"),
        };
        Ok(Paths { stories, db })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_config_means_defaults() {
        let config = Config::parse("").unwrap();
        assert_eq!(config.lint.target_minutes, 2.0);
        assert_eq!(config.srs.desired_retention, 0.9);
        assert_eq!(config.drill.action_seconds, 60);
        assert!(config.speech.model.is_none() && !config.speech.keep_audio);
    }

    #[test]
    fn the_speech_section_names_a_model_folder_and_keeps_audio() {
        let config =
            Config::parse("[speech]\nmodel = \"/models/small.en\"\nkeep_audio = true\n").unwrap();
        assert_eq!(config.speech.model, Some(PathBuf::from("/models/small.en")));
        assert!(config.speech.keep_audio);
        let error = Config::parse("[speech]\nmodle = \"x\"\n").unwrap_err();
        assert!(error.starts_with("line 2:"), "{error}");
    }

    #[test]
    fn values_override_defaults() {
        let config = Config::parse(
            "[lint]\ntarget_minutes = 3\n[srs]\ninterview_date = \"2026-12-10\"\n[keys]\nreveal = \"enter\"\n",
        )
        .unwrap();
        assert_eq!(config.lint.target_minutes, 3.0);
        assert_eq!(
            config.srs.interview_date,
            Some(jiff::civil::date(2026, 12, 10))
        );
        assert_eq!(config.keys["reveal"], "enter");
    }

    #[test]
    fn learning_steps_read_as_friendly_durations() {
        let config = Config::parse(
            "[srs]\nlearning_steps = [\"30s\", \"5m\", \"1h\"]\nrelearning_steps = []\n",
        )
        .unwrap();
        assert_eq!(
            config.srs.learning_steps,
            [
                jiff::SignedDuration::from_secs(30),
                jiff::SignedDuration::from_mins(5),
                jiff::SignedDuration::from_hours(1)
            ]
        );
        assert!(config.srs.relearning_steps.is_empty());
        assert_eq!(
            Config::parse("").unwrap().srs.learning_steps,
            [
                jiff::SignedDuration::from_mins(1),
                jiff::SignedDuration::from_mins(10)
            ]
        );
    }

    #[test]
    fn the_sync_folder_is_read_from_its_own_section() {
        assert_eq!(Config::parse("").unwrap().sync.dir, None);
        let config = Config::parse("[sync]\ndir = \"/home/me/Dropbox/rehearse\"\n").unwrap();
        assert_eq!(
            config.sync.dir,
            Some(PathBuf::from("/home/me/Dropbox/rehearse"))
        );
        let error = Config::parse("[sync]\nfolder = \"x\"\n").unwrap_err();
        assert!(
            error.starts_with("line 2:") && error.contains("folder"),
            "{error}"
        );
    }

    #[test]
    fn a_typo_names_the_line_and_key() {
        let error = Config::parse("[lint]\ntarget_minutes = 2\ntarget_minuets = 3\n").unwrap_err();
        assert!(error.starts_with("line 3:"), "{error}");
        assert!(error.contains("target_minuets"), "{error}");
    }

    #[test]
    fn the_command_line_wins_over_the_config() {
        let config = Config {
            db: Some("from-config.db".into()),
            ..Config::default()
        };
        let paths = Paths::resolve(Some("mine".into()), Some("cli.db".into()), &config).unwrap();
        assert_eq!(paths.stories, StoriesLocation::Folder("mine".into()));
        assert_eq!(paths.db, PathBuf::from("cli.db"));
        let paths = Paths::resolve(Some("mine".into()), None, &config).unwrap();
        assert_eq!(paths.db, PathBuf::from("from-config.db"));
    }
}
