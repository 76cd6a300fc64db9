//! The live ear on a stand-in helper (a shell script speaking the protocol: one word per
//! stretch, "stretch" and the request's id) and recorders fed by the test, so no model and no
//! sound card are needed. Every wait is on an event or a file, bounded.

use std::path::Path;
use std::sync::{Arc, Mutex};

use super::*;
use crate::speech::capture::{CaptureError, Sink};

/// A helper that logs each request line to `log` and answers it with one word at 0.5 s.
fn fake_helper(dir: &Path) -> HelperCommand {
    let script = dir.join("fake-helper.sh");
    let log = dir.join("requests.log");
    std::fs::write(
        &script,
        format!(
            "echo '{{\"event\": \"ready\", \"load_seconds\": 0.1}}'\n\
             while read line; do\n\
               echo \"$line\" >> {log}\n\
               id=$(echo \"$line\" | sed 's/.*\"id\":\\([0-9]*\\).*/\\1/')\n\
               echo \"{{\\\"event\\\": \\\"transcript\\\", \\\"id\\\": $id, \\\"duration\\\": 1.0, \\\"seconds\\\": 0.1, \\\"words\\\": [{{\\\"text\\\": \\\" stretch$id\\\", \\\"start\\\": 0.5, \\\"end\\\": 0.9}}]}}\"\n\
             done\n",
            log = log.display()
        ),
    )
    .unwrap();
    HelperCommand {
        python: "sh".into(),
        script,
        model: dir.join("tiny.en"),
        threads: 1,
    }
}

/// A recorder whose samples the test hands over itself.
#[derive(Clone, Default)]
struct HandFed {
    sink: Arc<Mutex<Option<Sink>>>,
}

impl HandFed {
    fn feed(&self, captured: Captured) {
        (self.sink.lock().unwrap().as_mut().expect("started"))(captured);
    }
}

struct HandFedRecording;

impl Recording for HandFedRecording {
    fn stop(&mut self) {}
}

impl Recorder for HandFed {
    fn start(&self, sink: Sink) -> Result<Box<dyn Recording>, CaptureError> {
        *self.sink.lock().unwrap() = Some(sink);
        Ok(Box::new(HandFedRecording))
    }

    fn name(&self) -> String {
        "the test".to_owned()
    }
}

/// A tone with a silent gap of 0.4 s at each of `gaps` (seconds).
fn speech(seconds: f64, gaps: &[f64]) -> Vec<i16> {
    (0..(seconds * 16_000.0) as usize)
        .map(|i| {
            let t = i as f64 / 16_000.0;
            if gaps.iter().any(|g| t >= *g && t < g + 0.4) {
                0
            } else {
                ((t * 220.0 * std::f64::consts::TAU).sin() * 8000.0) as i16
            }
        })
        .collect()
}

fn next_heard(ear: &mut LiveEar) -> Heard {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(heard) = ear.poll() {
            return heard;
        }
        assert!(Instant::now() < deadline, "the ear said nothing");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Skips progress; the take's transcript or failure.
fn outcome(ear: &mut LiveEar) -> Heard {
    loop {
        match next_heard(ear) {
            Heard::Progress { .. } => {}
            other => return other,
        }
    }
}

fn requests(dir: &Path) -> usize {
    std::fs::read_to_string(dir.join("requests.log"))
        .map(|log| log.lines().count())
        .unwrap_or(0)
}

#[test]
fn a_finished_stretch_is_heard_while_the_answer_goes_on_and_only_the_tail_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let recorder = HandFed::default();
    let keep = dir.path().join("kept");
    let mut ear = LiveEar::new(LiveConfig {
        helper: fake_helper(dir.path()),
        recorder: Box::new(recorder.clone()),
        keep_in: Some(keep.clone()),
    });
    ear.start(1, "daily-refresh#q1").unwrap();
    let first = speech(26.0, &[21.0]);
    for block in first.chunks(1600) {
        recorder.feed(Captured::Samples(block.to_vec()));
    }
    // The first stretch goes to the helper before the answer ends.
    let deadline = Instant::now() + Duration::from_secs(60);
    while requests(dir.path()) < 1 {
        assert!(
            Instant::now() < deadline,
            "no stretch was sent while recording"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let Heard::Progress { heard, .. } = next_heard(&mut ear) else {
        panic!("progress first");
    };
    assert!((21.0..21.5).contains(&heard), "{heard}");
    recorder.feed(Captured::Samples(speech(6.0, &[])));
    ear.stop(1);
    recorder.feed(Captured::Ended(Ok(())));
    let Heard::Transcript {
        take,
        transcript,
        model,
    } = outcome(&mut ear)
    else {
        panic!("a transcript");
    };
    assert_eq!((take, model.as_str()), (1, "tiny.en"));
    assert_eq!(requests(dir.path()), 2, "the tail is the one stretch left");
    assert_eq!(transcript.text(), "stretch1 stretch2");
    // Each stretch's words on the take's timeline: the second starts where the first ended.
    let second = &transcript.words[1];
    assert!((21.5..22.0).contains(&second.start), "{}", second.start);
    assert!((transcript.duration - 32.0).abs() < 0.01);
    // Kept whole with keep_audio, the stretch files gone.
    let kept: Vec<_> = std::fs::read_dir(&keep).unwrap().flatten().collect();
    assert_eq!(kept.len(), 1);
    let name = kept[0].file_name().to_string_lossy().into_owned();
    assert!(name.starts_with("daily-refresh-q1-"), "{name}");
    let audio = audio::read_wav(&kept[0].path()).unwrap();
    assert!((audio.seconds() - 32.0).abs() < 0.01);
}

#[test]
fn silence_and_a_missing_microphone_are_said_and_nothing_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let recorder = HandFed::default();
    let mut ear = LiveEar::new(LiveConfig {
        helper: fake_helper(dir.path()),
        recorder: Box::new(recorder.clone()),
        keep_in: None,
    });
    ear.start(1, "x").unwrap();
    recorder.feed(Captured::Samples(vec![0; 16_000 * 3]));
    ear.stop(1);
    recorder.feed(Captured::Ended(Ok(())));
    let Heard::Failed { take: 1, message } = outcome(&mut ear) else {
        panic!("silence fails");
    };
    assert!(message.starts_with("the recording is silence"), "{message}");

    ear.start(2, "x").unwrap();
    recorder.feed(Captured::Ended(Err(CaptureError::NoMicrophone(
        "no soundcards found".to_owned(),
    ))));
    let Heard::Failed { take: 2, message } = outcome(&mut ear) else {
        panic!("no microphone fails");
    };
    assert!(
        message.starts_with("no microphone found (no soundcards found)"),
        "{message}"
    );
    assert_eq!(requests(dir.path()), 0);
}

#[test]
fn a_cancelled_take_says_nothing_more_and_a_helper_that_cannot_start_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let recorder = HandFed::default();
    let mut ear = LiveEar::new(LiveConfig {
        helper: fake_helper(dir.path()),
        recorder: Box::new(recorder.clone()),
        keep_in: None,
    });
    ear.start(1, "x").unwrap();
    recorder.feed(Captured::Samples(speech(3.0, &[])));
    ear.cancel(1);
    recorder.feed(Captured::Ended(Ok(())));
    ear.start(2, "x").unwrap();
    recorder.feed(Captured::Samples(speech(2.0, &[])));
    ear.stop(2);
    recorder.feed(Captured::Ended(Ok(())));
    // The first thing heard is about take 2: take 1 was dropped.
    let Heard::Transcript { take: 2, .. } = outcome(&mut ear) else {
        panic!("take 2 heard");
    };

    let mut missing = fake_helper(dir.path());
    missing.python = dir.path().join("no-such-python");
    let mut ear = LiveEar::new(LiveConfig {
        helper: missing,
        recorder: Box::new(recorder.clone()),
        keep_in: None,
    });
    ear.start(1, "x").unwrap();
    recorder.feed(Captured::Samples(speech(2.0, &[])));
    recorder.feed(Captured::Ended(Ok(())));
    let Heard::Failed { message, .. } = outcome(&mut ear) else {
        panic!("fails");
    };
    assert!(
        message.starts_with("cannot start the speech helper"),
        "{message}"
    );
}
