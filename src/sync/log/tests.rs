use super::*;

fn at(second: i64) -> Timestamp {
    Timestamp::from_second(1_800_000_000 + second).unwrap()
}

fn review(id: &str, second: i64) -> Entry {
    Entry::new(
        id,
        EntryBody::Review(ReviewEntry {
            story: "faster".into(),
            card: "q-tell-me".into(),
            at: at(second),
            grade: Grade::Good,
            cram: false,
            hash: "0011223344556677".into(),
            answer_ms: Some(95_000),
            sections_ms: [Some(14_000), None, Some(70_000), None],
        }),
    )
}

fn undo(target: &str) -> Entry {
    Entry::new(
        UndoEntry::id_for(target),
        EntryBody::Undo(UndoEntry {
            target: target.into(),
        }),
    )
}

#[test]
fn entries_written_are_read_back_the_same_one_line_each() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(file_name("laptop-0a1b2c3d"));
    let entries = vec![review("r1", 0), undo("r1"), review("r2", 60)];
    append(&read_log(&path).unwrap(), &entries).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.lines().count(), 3);
    assert!(
        text.starts_with(r#"{"v":1,"id":"r1","kind":"review","story":"faster""#),
        "{text}"
    );
    let log = read_log(&path).unwrap();
    assert_eq!(log.machine, "laptop-0a1b2c3d");
    assert_eq!(log.entries, entries);
    assert_eq!(log.cut_line, None);
    // Appending again adds after what is there.
    append(&log, &[review("r3", 120)]).unwrap();
    assert_eq!(read_log(&path).unwrap().entries.len(), 4);
}

#[test]
fn a_last_line_cut_off_by_a_crash_is_skipped_and_repaired_before_the_next_append() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.jsonl");
    append(&LogFile::empty(path.clone()), &[review("r1", 0)]).unwrap();
    let whole = std::fs::read(&path).unwrap();
    // A crash in the middle of writing the second line.
    let second = serde_json::to_string(&review("r2", 60)).unwrap();
    let mut cut = whole.clone();
    cut.extend_from_slice(&second.as_bytes()[..second.len() / 2]);
    std::fs::write(&path, &cut).unwrap();
    let log = read_log(&path).unwrap();
    assert_eq!(log.entries, [review("r1", 0)]);
    assert_eq!(log.cut_line, Some(2));
    append(&log, &[review("r2", 60)]).unwrap();
    let log = read_log(&path).unwrap();
    assert_eq!(log.entries, [review("r1", 0), review("r2", 60)]);
    assert_eq!(log.cut_line, None);
}

#[test]
fn a_whole_last_entry_without_its_newline_is_kept_and_its_line_ended() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.jsonl");
    std::fs::write(&path, serde_json::to_string(&review("r1", 0)).unwrap()).unwrap();
    let log = read_log(&path).unwrap();
    assert_eq!(log.entries, [review("r1", 0)]);
    append(&log, &[review("r2", 60)]).unwrap();
    let log = read_log(&path).unwrap();
    assert_eq!(log.entries, [review("r1", 0), review("r2", 60)]);
}

#[test]
fn a_damaged_line_before_the_end_keeps_the_file_out_and_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.jsonl");
    let good = serde_json::to_string(&review("r1", 0)).unwrap();
    std::fs::write(&path, format!("{good}\n{{\"v\":1,\"id\":\"x\"\n{good}\n")).unwrap();
    let error = read_log(&path).unwrap_err();
    assert!(
        matches!(error, LogError::BadLine { line: 2, .. }),
        "{error}"
    );
    let message = error.to_string();
    assert!(message.contains("other.jsonl, line 2"), "{message}");
    assert!(
        message.contains("nothing of that file was merged"),
        "{message}"
    );
}

#[test]
fn a_line_from_a_newer_version_keeps_the_file_out_and_says_to_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newer.jsonl");
    let good = serde_json::to_string(&review("r1", 0)).unwrap();
    // A future kind of entry this build cannot read: the version is checked first.
    std::fs::write(
        &path,
        format!("{good}\n{{\"v\":2,\"id\":\"x\",\"kind\":\"hologram\"}}\n"),
    )
    .unwrap();
    let error = read_log(&path).unwrap_err();
    assert!(
        matches!(
            error,
            LogError::Newer {
                line: 2,
                found: 2,
                ..
            }
        ),
        "{error}"
    );
    assert!(error.to_string().contains("upgrade rehearse"), "{error}");
}

#[test]
fn the_folder_lists_only_log_files_and_a_missing_folder_is_named_not_created() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("b.jsonl"), "").unwrap();
    std::fs::write(dir.path().join("a.jsonl"), "").unwrap();
    std::fs::write(dir.path().join("notes.md"), "").unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let files = log_files(dir.path()).unwrap();
    let names: Vec<_> = files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["a.jsonl", "b.jsonl"]);

    let gone = dir.path().join("unmounted");
    let error = log_files(&gone).unwrap_err();
    assert!(matches!(error, LogError::MissingFolder { .. }), "{error}");
    assert!(error.to_string().contains("unmounted"), "{error}");
    assert!(!gone.exists());
}
