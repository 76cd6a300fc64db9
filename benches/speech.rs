//! Speech speed: a 2-minute spoken answer (espeak-ng reading a long telling of the
//! daily-refresh story) heard by the installed model. Prints the model's load time, the
//! real-time factor, the time from the end of speech to the feedback (the helper already
//! running, as the drill starts it when recording starts), and the helper's peak memory.
//! Targets on 2 cores with tiny.en: feedback within 10 s, memory under 500 MB.
//!
//! Needs `rehearse speech setup` (or REHEARSE_SPEECH_DIR naming an installed environment)
//! and espeak-ng; `SPEECH_BENCH_WAV=FILE` uses a recording of your own instead.
//! Run: `cargo bench --bench speech`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use rehearse::config::SpeechConfig;
use rehearse::speech::audio;
use rehearse::speech::setup::{self, SpeechHome};
use rehearse::speech::transcriber::{Event, Transcriber};
use rehearse::speech::{SectionMarks, analyse};

const RUNS: usize = 3;

/// About 300 words: at espeak-ng's 125 words a minute, a two-minute answer.
const ANSWER: &str = "In my current project, the daily data refresh handles about eighteen million \
records, and each one is either a create or an update. All the daily ETL jobs behind it used to take \
around three hours. Um, every morning the team waited for the refresh before they could trust the \
numbers on their dashboards, and when a job failed late in the run we lost most of the morning. It is \
the project I am proud of. I set out to make that refresh complete faster, without changing what it \
loaded. First, I refactored these scripts. They had grown over the years, and each job opened its own \
connection, read its own configuration and wrote its own logs, so I pulled the shared parts into one \
module and made every job look the same. Then, uh, I looked at which jobs really depended on others. \
Most of them did not: they read from different sources and wrote to different tables. So I used an \
async module to run concurrently the jobs that do not depend on others, and kept the few that do \
depend on each other in their original order. I checked the results table by table against the old \
run for a couple of weeks before switching over. The daily refresh now completes in just thirty \
minutes instead of around three hours. By those numbers that is six times faster, or eighty three \
percent less time. The team gets its dashboards before the working day starts, and a failed job can \
be rerun in minutes instead of hours.";

fn recording(scratch: &Path) -> PathBuf {
    if let Some(file) = std::env::var_os("SPEECH_BENCH_WAV") {
        return PathBuf::from(file);
    }
    let file = scratch.join("answer.wav");
    let status = Command::new("espeak-ng")
        .args(["-v", "en-us", "-s", "125", "-w"])
        .arg(&file)
        .arg(ANSWER)
        .status()
        .expect("espeak-ng is needed to make the 2-minute answer (or set SPEECH_BENCH_WAV)");
    assert!(status.success());
    file
}

/// Peak resident memory of a live process, from /proc (Linux).
fn peak_rss_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let data_dir = rehearse::config::project_dirs().map(|d| d.data_dir().to_owned());
    let home = SpeechHome::locate(data_dir.as_deref()).expect("a data dir");
    let config = SpeechConfig::default();
    let helper = match setup::helper_command(&home, &config) {
        Ok(helper) => helper,
        Err(error) => {
            eprintln!("speech bench not run: {error}");
            std::process::exit(2);
        }
    };
    let scratch = tempfile::tempdir().unwrap();
    let source = recording(scratch.path());
    let audio = audio::read_wav(&source).unwrap();
    let converted = scratch.path().join("answer-16k.wav");
    audio::write_wav(&converted, &audio.samples).unwrap();
    let story_text = rehearse::story::bundled::STORIES
        .iter()
        .find(|(name, _)| *name == "daily-refresh-18m.md")
        .unwrap()
        .1;
    let story = rehearse::story::parse(Path::new("daily-refresh-18m.md"), story_text).unwrap();

    let started = Instant::now();
    let mut transcriber = Transcriber::start(&helper).unwrap();
    loop {
        match transcriber.next_event(Duration::from_secs(300)) {
            Some(Event::Ready { .. }) => break,
            Some(Event::Fatal(message)) => panic!("{message}"),
            None | Some(Event::Closed) => panic!("the helper did not start"),
            _ => {}
        }
    }
    println!(
        "speech: model {} loaded in {:.2} s; answer {:.1} s long ({} Hz, {} ch)",
        setup::model_name(&helper.model),
        started.elapsed().as_secs_f64(),
        audio.seconds(),
        audio.source_rate,
        audio.source_channels
    );
    let mut feedback_times = Vec::new();
    for run in 1..=RUNS {
        // End of speech: the recording is complete; the clock runs until the feedback exists.
        let end_of_speech = Instant::now();
        let id = transcriber.request(&converted).unwrap();
        let (mut transcript, helper_seconds) =
            transcriber.wait_for(id, Duration::from_secs(600)).unwrap();
        transcript.drop_words_after(audio::last_sound(&audio.samples));
        let feedback = analyse(&story, &transcript, &SectionMarks::default());
        let to_feedback = end_of_speech.elapsed().as_secs_f64();
        feedback_times.push(to_feedback);
        println!(
            "speech run {run}: real-time factor {:.3} ({:.2} s of model time for {:.1} s of audio); end of speech to feedback {:.2} s; {} words, coverage {:.0}%, grade {}",
            helper_seconds / audio.seconds(),
            helper_seconds,
            audio.seconds(),
            to_feedback,
            transcript.words.len(),
            feedback.coverage * 100.0,
            feedback.suggested_grade
        );
    }
    feedback_times.sort_by(f64::total_cmp);
    let median = feedback_times[feedback_times.len() / 2];
    match peak_rss_mb(transcriber.pid()) {
        Some(mb) => println!(
            "speech: median end of speech to feedback {median:.2} s (target 10 s); helper peak memory {mb:.0} MB (target 500 MB)"
        ),
        None => println!("speech: median end of speech to feedback {median:.2} s (target 10 s)"),
    }
    transcriber.finish();
}
