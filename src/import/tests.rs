use super::*;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import/notes");

fn fixture(name: &str) -> PathBuf {
    Path::new(FIXTURES).join(name)
}

fn new_drafts(report: &Report) -> Vec<&Draft> {
    report
        .outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::New(draft) => Some(&**draft),
            Outcome::Exists { .. } | Outcome::Duplicate { .. } => None,
        })
        .collect()
}

#[test]
fn obsidian_front_matter_maps_title_and_tags_and_keeps_the_rest_under_source() {
    let into = tempfile::tempdir().unwrap();
    let report = plan(&[fixture("obsidian.md")], into.path());
    assert_eq!(report.errors, []);
    let [draft] = &new_drafts(&report)[..] else {
        panic!("{report:#?}")
    };
    let meta = &draft.meta;
    assert_eq!(meta.title, "Combining Scrum and Kanban");
    assert_eq!(meta.id, "combining-scrum-and-kanban");
    assert_eq!(meta.tags, ["process", "agile"]);
    assert_eq!(meta.questions, ["Tell me about a process you improved?"]);
    assert!(meta.draft);
    let source = meta.source.as_ref().unwrap();
    assert_eq!(
        source.front_matter.keys().collect::<Vec<_>>(),
        ["aliases", "created"]
    );
    assert_eq!(
        source.front_matter["aliases"],
        serde_json::json!(["Scrum and Kanban", "bug SLA"])
    );
    assert_eq!(
        Path::new(&source.file),
        std::fs::canonicalize(fixture("obsidian.md")).unwrap()
    );
    // What is written loads as a story with the same front matter.
    let story = story::parse(&draft.path, &draft.text).unwrap();
    assert_eq!(&story.meta, meta);
    assert_eq!(
        story.section(SectionKind::Result).unwrap().text,
        "Daily unique users went up; my manager kept the two boards."
    );
}

#[test]
fn a_second_import_of_the_same_file_finds_every_story_already_there() {
    let into = tempfile::tempdir().unwrap();
    let notes = [fixture("headings.md"), fixture("label-lines.txt")];
    let first = write(plan(&notes, into.path()), into.path());
    assert_eq!(first.errors, []);
    let created = new_drafts(&first).len();
    assert_eq!(created, 5);
    let files = std::fs::read_dir(into.path()).unwrap().count();
    assert_eq!(files, 5);

    let second = write(plan(&notes, into.path()), into.path());
    assert_eq!(second.errors, []);
    assert_eq!(new_drafts(&second).len(), 0);
    assert_eq!(second.outcomes.len(), 5);
    assert_eq!(std::fs::read_dir(into.path()).unwrap().count(), 5);
}

#[test]
fn a_title_already_taken_by_another_story_gets_a_numbered_id() {
    let into = tempfile::tempdir().unwrap();
    std::fs::write(
        into.path().join("the-silent-stop.md"),
        "---\nid: the-silent-stop\ntitle: Mine\n---\n",
    )
    .unwrap();
    let report = plan(&[fixture("bold-labels.md")], into.path());
    let ids: Vec<&str> = new_drafts(&report)
        .iter()
        .map(|d| d.meta.id.as_str())
        .collect();
    assert_eq!(ids, ["the-silent-stop-2", "the-recursive-lambda"]);
}

#[test]
fn bad_files_are_named_and_the_good_ones_still_import() {
    let dir = tempfile::tempdir().unwrap();
    let into = dir.path().join("stories");
    let notes = dir.path().join("notes");
    std::fs::create_dir(&notes).unwrap();
    std::fs::write(notes.join("binary.md"), b"# T\n\0\x01\x02").unwrap();
    std::fs::write(notes.join("latin1.md"), b"# Caf\xe9\n\nSituation: x\n").unwrap();
    // Shift-JIS: mostly bytes above ASCII, not Windows-1252 text.
    std::fs::write(notes.join("sjis.md"), b"# \x82\xa0\x82\xa2\x82\xa4\n").unwrap();
    let utf16: Vec<u8> = "# Notepad\r\n\r\nSituation: saved as Unicode\r\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    std::fs::write(
        notes.join("notepad.txt"),
        [&[0xff, 0xfe][..], &utf16].concat(),
    )
    .unwrap();
    std::fs::write(notes.join("empty.md"), " \n\n").unwrap();
    std::fs::write(notes.join("thoughts.md"), "Nothing to see.\n").unwrap();
    std::fs::copy(fixture("bold-labels.md"), notes.join("good.md")).unwrap();
    let big = std::fs::File::create(notes.join("huge.md")).unwrap();
    big.set_len(MAX_NOTES_BYTES + 1).unwrap();
    let report = plan(&[notes.clone(), dir.path().join("missing.md")], &into);
    let messages: Vec<String> = report.errors.iter().map(ToString::to_string).collect();
    let expect = [
        ("missing.md", "no such file or folder"),
        ("binary.md", "line 2: looks like a binary file"),
        ("empty.md", "the file is empty"),
        ("huge.md", "notes to import may be at most 10 MB"),
        (
            "sjis.md",
            "line 1: not valid UTF-8 (byte 2), nor Windows-1252 text",
        ),
        ("thoughts.md", "no story found"),
    ];
    assert_eq!(messages.len(), expect.len(), "{messages:#?}");
    for (file, message) in expect {
        assert!(
            messages
                .iter()
                .any(|m| m.contains(file) && m.contains(message)),
            "{file}: {message} not in {messages:#?}"
        );
    }
    let decoded: Vec<String> = report.decoded.iter().map(ToString::to_string).collect();
    assert_eq!(decoded.len(), 2, "{decoded:#?}");
    assert!(decoded[0].contains("latin1.md: not UTF-8: read as Windows-1252"));
    assert!(decoded[1].contains("notepad.txt: not UTF-8: read as UTF-16LE"));
    let titles: Vec<&str> = new_drafts(&report)
        .iter()
        .map(|d| d.meta.title.as_str())
        .collect();
    assert!(
        titles.contains(&"Café") && titles.contains(&"Notepad"),
        "{titles:?}"
    );
    assert_eq!(titles.len(), 4);
}

#[test]
fn a_story_file_is_not_imported_again() {
    let into = tempfile::tempdir().unwrap();
    let story = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint/good.md");
    let report = plan(&[story], into.path());
    assert!(
        report.errors[0]
            .message
            .contains("already a rehearse story")
    );
    assert!(report.outcomes.is_empty());
}

#[test]
fn note_tags_come_as_a_list_or_one_string() {
    assert_eq!(
        tag_list(serde_json::json!("#aws, lambda  #perf")),
        ["aws", "lambda", "perf"]
    );
    assert_eq!(tag_list(serde_json::json!(["a", 2])), ["a", "2"]);
    assert_eq!(tag_list(serde_json::Value::Null), Vec::<String>::new());
}

#[test]
fn front_matter_that_is_not_a_yaml_map_stays_in_the_text() {
    let text = "---\njust: [unclosed\n---\n# T\n";
    let (front, body) = NoteFrontMatter::split(text);
    assert_eq!(body, text);
    assert!(front.title.is_none() && front.rest.is_empty());
}

#[test]
fn untitled_stories_take_the_note_title_once_then_their_question_then_the_file_name() {
    let found = |question: Option<&str>| Found {
        questions: question.into_iter().map(str::to_owned).collect(),
        ..Found::default()
    };
    let mut note_title = Some("Note".to_owned());
    let titles = titles(
        &[
            found(Some("Why?")),
            found(Some("Why?")),
            found(None),
            found(None),
        ],
        &mut note_title,
        "notes",
    );
    assert_eq!(titles, ["Note", "Why?", "notes", "notes (2)"]);
}
