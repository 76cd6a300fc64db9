//! Python's xmltodict on the same records picks what strategy 1 picks.

use xml_cherry_pick::breaks::{cases, malformed_cases};
use xml_cherry_pick::corpus::{Corpus, real_idocs};
use xml_cherry_pick::generate::{GenConfig, generate};
use xml_cherry_pick::python::{Outcome, run};
use xml_cherry_pick::{Picker, Strategy};

#[test]
#[ignore = "needs python3 with xmltodict (scripts/test runs ignored tests)"]
fn xmltodict_picks_what_strategy_1_picks() {
    let mut corpus = Corpus::default();
    for record in generate(&GenConfig {
        records: 200,
        seed: 3,
        record_bytes: 3000,
    }) {
        corpus.push(record.as_bytes(), "generated");
    }
    let real = real_idocs();
    for (i, record) in real.records().enumerate() {
        corpus.push(record, real.source(i));
    }
    for case in cases() {
        corpus.push(case.xml.as_bytes(), case.name);
    }
    let valid = String::from_utf8(corpus.record(0).to_vec()).unwrap();
    for case in malformed_cases(&valid) {
        corpus.push(&case.bytes, case.name);
    }

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corpus.xmls");
    corpus.write_joined(&path).unwrap();
    let run = match run("python3", &path, dir.path()).unwrap() {
        Outcome::Ran(run) => run,
        Outcome::Skipped(why) => panic!("{why}"),
    };
    assert_eq!(run.records, corpus.len());
    let picker = Picker::new();
    for i in 0..corpus.len() {
        let ours = picker.pick(Strategy::Full, corpus.record(i));
        match (run.picked(i), ours) {
            (Some(theirs), Ok(ours)) => {
                assert_eq!(theirs, ours, "record {i} ({})", corpus.source(i));
            }
            (None, Err(_)) => {}
            (theirs, ours) => panic!(
                "record {i} ({}): xmltodict {theirs:?}, strategy 1 {ours:?}",
                corpus.source(i)
            ),
        }
    }
}
