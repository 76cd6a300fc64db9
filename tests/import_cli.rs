//! `rehearse import` through the real binary: each notes shape becomes drafts that lint and
//! show read, the text byte for byte; a re-import adds nothing; bad files are named and skipped.
//! Also the story id rule and the front-matter writer as `rehearse new` uses them.

mod sandbox;

use sandbox::Sandbox;

use std::path::PathBuf;

use rehearse::story::{SectionKind, Story, read_story};

const NOTES: &str = "tests/fixtures/import/notes";
const SEED: &str = "tests/fixtures/import/seed/interview-notes.txt";

/// Its own HOME, XDG dirs and database, so tests never touch the user's files.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Sandbox {
    fn stories(&self) -> PathBuf {
        self.path().join("stories")
    }

    fn run(&self, args: &[&str]) -> Run {
        let output = self.cmd().args(args).output().unwrap();
        Run {
            code: output.status.code().unwrap(),
            stdout: String::from_utf8(output.stdout).unwrap(),
            stderr: String::from_utf8(output.stderr).unwrap(),
        }
    }

    /// `rehearse import PATHS --into <sandbox>/stories`, expected to succeed.
    fn import(&self, paths: &[&str]) -> Run {
        let into = self.stories();
        let mut args = vec!["import"];
        args.extend(paths);
        args.extend(["--into", into.to_str().unwrap()]);
        let run = self.run(&args);
        assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
        run
    }

    fn story_files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.stories())
            .map(|entries| entries.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        files
    }

    fn imported(&self) -> Vec<Story> {
        self.story_files()
            .iter()
            .map(|path| read_story(path).unwrap())
            .collect()
    }
}

fn by_title<'a>(stories: &'a [Story], title: &str) -> &'a Story {
    stories
        .iter()
        .find(|s| s.meta.title == title)
        .unwrap_or_else(|| panic!("no story titled {title:?}"))
}

fn text(story: &Story, kind: SectionKind) -> &str {
    &story
        .section(kind)
        .unwrap_or_else(|| panic!("no {kind:?} in {}", story.path.display()))
        .text
}

#[test]
fn a_folder_of_notes_in_every_shape_becomes_drafts_that_lint_and_show_read() {
    let sandbox = Sandbox::new();
    let run = sandbox.import(&[NOTES]);
    assert_eq!(
        run.stdout.matches("created /").count(),
        11,
        "{}",
        run.stdout
    );
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let stories = sandbox.imported();
    assert_eq!(stories.len(), 11);
    assert!(stories.iter().all(|s| s.meta.draft));

    // Lint reads every draft and says what each still needs; nothing fails to load.
    let stories_dir = sandbox.stories();
    let lint = sandbox.run(&["lint", stories_dir.to_str().unwrap()]);
    assert!(
        !lint.stdout.contains("invalid front matter"),
        "{}",
        lint.stdout
    );
    let faster = by_title(
        &stories,
        "Tell me about a system you made significantly faster.",
    );
    let faster_path = faster.path.display().to_string();
    let findings_for = |path: &str| -> Vec<&str> {
        lint.stdout
            .lines()
            .filter(|l| l.starts_with(&format!("{path}:")))
            .collect()
    };
    let faster_findings = findings_for(&faster_path);
    assert!(
        faster_findings
            .iter()
            .any(|f| f.contains("`## Unplaced` holds 7 word(s)")),
        "{faster_findings:#?}"
    );
    assert!(
        faster_findings
            .iter()
            .all(|f| !f.contains("missing section"))
    );
    let deadline = by_title(
        &stories,
        "Tell me about a time you shipped under a tight deadline.",
    );
    let deadline_findings = findings_for(&deadline.path.display().to_string());
    for missing in ["`## Task`", "`## Result`"] {
        assert!(
            deadline_findings
                .iter()
                .any(|f| f.contains(&format!("missing section {missing}"))),
            "{deadline_findings:#?}"
        );
    }
    let challenges = by_title(&stories, "Challenges");
    assert!(
        findings_for(&challenges.path.display().to_string())
            .iter()
            .any(|f| f.contains("imported as prose")),
        "{}",
        lint.stdout
    );

    // Show prints the imported text.
    let show = sandbox.run(&[
        "show",
        faster.id(),
        "--stories",
        stories_dir.to_str().unwrap(),
    ]);
    assert_eq!(show.code, 0, "{}", show.stderr);
    assert!(
        show.stdout.contains("instead of guessing"),
        "{}",
        show.stdout
    );
    assert!(
        show.stdout
            .contains("Tell me about a system you made significantly faster."),
        "{}",
        show.stdout
    );
}

#[test]
fn imported_text_is_the_source_byte_for_byte() {
    let sandbox = Sandbox::new();
    sandbox.import(&[NOTES]);
    let stories = sandbox.imported();
    let sources: Vec<String> = std::fs::read_dir(NOTES)
        .unwrap()
        .flatten()
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    for story in &stories {
        for section in &story.sections {
            assert!(
                sources.iter().any(|s| s.contains(section.text.as_str())),
                "{}: {:?} is not in the notes as written",
                story.path.display(),
                section.text
            );
        }
    }
    let silent = by_title(&stories, "The silent stop");
    assert_eq!(
        text(silent, SectionKind::Action),
        "I read the CloudWatch logs by hand, then wrote a time-triggered Lambda that scans them for\n`AccessDenied` and reports through SNS."
    );
    let proud = by_title(&stories, "Tell me about a project you are proud of.");
    assert_eq!(
        text(proud, SectionKind::Situation),
        "Our daily refresh loaded 18 million records and took around 3 hours."
    );
    let scrum = by_title(&stories, "Combining Scrum and Kanban");
    assert_eq!(scrum.meta.tags, ["process", "agile"]);
    let source = scrum.meta.source.as_ref().unwrap();
    assert_eq!(source.front_matter["created"], "2023-04-01");
    let looking = by_title(&stories, "What are you looking for in the new work?");
    assert_eq!(
        text(looking, SectionKind::Situation),
        "- Good Work and  work culture\n- In the long term, I want to be an architect."
    );
}

#[test]
fn the_seed_notes_become_one_draft_per_section_with_every_line_kept() {
    let sandbox = Sandbox::new();
    let run = sandbox.import(&[SEED]);
    let stories = sandbox.imported();
    let titles: Vec<&str> = stories.iter().map(|s| s.meta.title.as_str()).collect();
    for section in [
        "challenges",
        "Project/task you are proud of",
        "difficulties working with technologies and how did you resolved it?",
        "Biggest Failures",
        "Innovation - Process Improvement",
        "Managing Tight deadlines",
        "What are you looking for in the new work?",
    ] {
        assert!(
            titles.contains(&section),
            "{section} not in {titles:?}\n{}",
            run.stdout
        );
    }
    assert_eq!(stories.len(), 7, "{titles:?}");
    for story in &stories {
        assert!(
            story.meta.source.as_ref().unwrap().unsplit,
            "{}",
            story.path.display()
        );
        assert_eq!(
            story.sections.iter().map(|s| s.kind).collect::<Vec<_>>(),
            [SectionKind::Situation],
            "{}",
            story.path.display()
        );
    }
    // Every line of the notes is in a draft as written: the section titles in the front
    // matter, the rest in the text. Only the underlines are structure.
    let notes = std::fs::read_to_string(SEED).unwrap();
    let drafts: String = sandbox
        .story_files()
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    for line in notes.lines() {
        let underline = !line.is_empty() && line.chars().all(|c| c == '-');
        if line.trim().is_empty() || underline || titles.contains(&line.trim()) {
            continue;
        }
        assert!(drafts.contains(line), "lost: {line:?}");
    }
}

#[test]
fn importing_again_creates_nothing_and_says_what_exists() {
    let sandbox = Sandbox::new();
    sandbox.import(&[NOTES]);
    let before: Vec<(PathBuf, Vec<u8>)> = sandbox
        .story_files()
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    let again = sandbox.import(&[NOTES]);
    assert_eq!(
        again.stdout.matches("created /").count(),
        0,
        "{}",
        again.stdout
    );
    assert_eq!(
        again.stdout.matches("exists ").count(),
        11,
        "{}",
        again.stdout
    );
    assert!(
        again
            .stdout
            .contains("created 0 draft(s); 11 already imported; 0 duplicate(s); 0 skipped"),
        "{}",
        again.stdout
    );
    let after: Vec<(PathBuf, Vec<u8>)> = sandbox
        .story_files()
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    assert_eq!(before, after, "the stories are left alone");
}

#[test]
fn a_dry_run_says_what_it_would_create_and_writes_nothing() {
    let sandbox = Sandbox::new();
    let into = sandbox.stories();
    let run = sandbox.run(&[
        "import",
        &format!("{NOTES}/headings.md"),
        "--into",
        into.to_str().unwrap(),
        "--dry-run",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!into.exists(), "nothing is written");
    let line = run
        .stdout
        .lines()
        .find(|l| l.contains("made significantly faster"))
        .unwrap();
    assert!(line.starts_with("would create "), "{line}");
    assert!(
        line.ends_with(
            "(id tell-me-about-a-system-you-made-significantly-faster): Situation, Task, Action, Result; 1 question(s); unplaced: 7 word(s) (\"These are my answers, rough for now.\")"
        ),
        "{line}"
    );
    assert!(run.stdout.contains("nothing written (--dry-run)"));
}

#[test]
fn bad_files_are_named_one_by_one_and_the_rest_still_imported() {
    let sandbox = Sandbox::new();
    let notes = sandbox.path().join("notes");
    std::fs::create_dir(&notes).unwrap();
    let mut binary = b"# Story\n\nSituation: ".to_vec();
    binary.extend((0..=255u8).cycle().take(4096));
    std::fs::write(notes.join("photo.md"), binary).unwrap();
    // 50 MB of text that would otherwise be a valid story.
    let mut huge = b"# Huge\n\nSituation: ".to_vec();
    huge.resize(50 * 1024 * 1024, b'x');
    std::fs::write(notes.join("huge.md"), huge).unwrap();
    // Shift-JIS: neither UTF-8 nor the Windows-1252 an older Windows editor writes.
    std::fs::write(
        notes.join("sjis.txt"),
        b"# \x82\xa0\x82\xa2\n\nSituation: \x82\xa4\x82\xa6\n",
    )
    .unwrap();
    std::fs::write(notes.join("empty.md"), b"").unwrap();
    std::fs::write(notes.join("musings.md"), "Some thoughts with no story.\n").unwrap();
    let bad = |name: &str| notes.join(name).to_str().unwrap().to_owned();
    let into = sandbox.stories();
    let into = into.to_str().unwrap();

    let all_bad = ["photo.md", "huge.md", "sjis.txt", "empty.md", "musings.md"].map(bad);
    let mut args = vec!["import"];
    args.extend(all_bad.iter().map(String::as_str));
    args.extend(["--into", into]);
    let run = sandbox.run(&args);
    assert_eq!(run.code, 1, "nothing could be imported: {}", run.stdout);
    for (name, why) in [
        ("photo.md", "binary file"),
        ("huge.md", "file is 52.4 MB"),
        (
            "sjis.txt",
            "not valid UTF-8 (byte 2), nor Windows-1252 text",
        ),
        ("empty.md", "the file is empty"),
        ("musings.md", "no story found"),
    ] {
        let line = run
            .stderr
            .lines()
            .find(|l| l.contains(&format!("{name}:")))
            .unwrap_or_else(|| panic!("{name} not named in {}", run.stderr));
        assert!(line.starts_with("error: ") && line.contains(why), "{line}");
    }
    assert_eq!(sandbox.story_files(), Vec::<PathBuf>::new());

    // With one good file among them: the good one is imported, exit 0, the bad still named.
    let good = format!("{NOTES}/bold-labels.md");
    let mut args = vec!["import", good.as_str()];
    args.extend(all_bad.iter().map(String::as_str));
    args.extend(["--into", into]);
    let run = sandbox.run(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 5, "{}", run.stderr);
    assert_eq!(sandbox.story_files().len(), 2);
}

#[test]
fn notes_saved_as_windows_1252_are_read_and_the_import_says_so() {
    let sandbox = Sandbox::new();
    let notes = format!(
        "{}/tests/fixtures/import/fresh/windows-1252.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    let into = sandbox.stories();
    let run = sandbox.run(&["import", notes.as_str(), "--into", into.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("windows-1252.txt: not UTF-8: read as Windows-1252"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("\"Reducing the café app’s start time\""),
        "{}",
        run.stdout
    );
    assert_eq!(sandbox.story_files().len(), 2);
}

/// `rehearse import PATHS --into DIR` with a time limit, so a FIFO that blocks fails the test
/// instead of hanging it.
fn import_into(sandbox: &Sandbox, paths: &[&str], into: &std::path::Path) -> Run {
    let mut args = vec!["import"];
    args.extend(paths);
    args.extend(["--into", into.to_str().unwrap()]);
    let output = sandbox
        .cmd()
        .args(&args)
        .current_dir(sandbox.path())
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    Run {
        code: output
            .status
            .code()
            .expect("import ended by a signal or the time limit"),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

const SHAPES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import/shapes");

#[test]
fn underlined_headings_after_a_story_are_counted_alike_by_import_and_lint() {
    let sandbox = Sandbox::new();
    let notes = sandbox.path().join("notes.md");
    std::fs::write(
        &notes,
        "# Story one\n\nSituation: We had a slow job.\n\nResult: It got fast.\n\n\
         Other thoughts\n==============\n\nSome words about motivation, not a story part.\n\n\
         More notes\n----------\n\nAnd more words under another underlined heading.\n",
    )
    .unwrap();
    let run = sandbox.import(&[notes.to_str().unwrap()]);
    let words = |text: &str, before: &str| -> usize {
        let at = text
            .find(before)
            .unwrap_or_else(|| panic!("{before:?} not in {text}"));
        text[at + before.len()..]
            .split_whitespace()
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    let imported = words(&run.stdout, "unplaced: ");
    assert_eq!(imported, 19, "{}", run.stdout);
    let stories = sandbox.stories();
    let lint = sandbox.run(&["lint", stories.to_str().unwrap()]);
    assert_eq!(
        words(&lint.stdout, "`## Unplaced` holds "),
        imported,
        "{}",
        lint.stdout
    );
    // The text is in the draft as written, inside a fence that keeps it in `## Unplaced`.
    let story = &sandbox.imported()[0];
    let unplaced = text(story, SectionKind::Unplaced);
    assert!(
        unplaced.contains("Other thoughts\n==============\n"),
        "{unplaced}"
    );
    assert!(unplaced.contains("More notes\n----------\n"), "{unplaced}");
}

#[test]
fn into_a_file_says_it_is_a_file() {
    let sandbox = Sandbox::new();
    let file = sandbox.path().join("stories.md");
    std::fs::write(&file, "not a folder\n").unwrap();
    let run = import_into(&sandbox, &[&format!("{NOTES}/bold-labels.md")], &file);
    assert_eq!(run.code, 2, "an error that stops the command exits 2");
    assert!(
        run.stderr
            .contains("stories.md: is a file, not a folder: --into names the folder"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("File exists"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "not a folder\n");
}

#[test]
fn crlf_notes_give_drafts_and_output_with_one_kind_of_line_break() {
    let sandbox = Sandbox::new();
    let run = sandbox.import(&[&format!("{SHAPES}/single-letters-crlf.md")]);
    assert!(!run.stdout.contains('\r'), "{:?}", run.stdout);
    let files = sandbox.story_files();
    assert_eq!(files.len(), 3);
    for file in files {
        let draft = std::fs::read_to_string(&file).unwrap();
        assert!(!draft.contains('\r'), "{}: {draft:?}", file.display());
        // The rules between the stories are separators, not text.
        assert!(
            !draft
                .lines()
                .any(|l| l.trim() == "---" && !draft.starts_with("---\n")),
            "{draft}"
        );
    }
    let moving = by_title(&sandbox.imported(), "Moving billing off the cron box").clone();
    assert_eq!(
        text(&moving, SectionKind::Action),
        "I wrote down every step the script took, ran old and new side by side for two weeks,\nand compared the invoices line by line."
    );
    assert!(moving.section(SectionKind::Unplaced).is_none());
}

#[test]
fn a_folder_with_a_symlink_loop_a_fifo_and_repeats_imports_each_story_once() {
    let sandbox = Sandbox::new();
    let notes = sandbox.path().join("notes");
    std::fs::create_dir_all(notes.join("nested")).unwrap();
    std::fs::copy(
        format!("{SHAPES}/single-letters-crlf.md"),
        notes.join("letters.md"),
    )
    .unwrap();
    std::fs::copy(
        format!("{SHAPES}/synonyms.md"),
        notes.join("nested/synonyms.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink("..", notes.join("nested/loop")).unwrap();
    let fifo = notes.join("pipe.md");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let into = sandbox.stories();
    let run = import_into(
        &sandbox,
        &["notes", "notes/letters.md", "./notes/letters.md"],
        &into,
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(sandbox.story_files().len(), 5, "{}", run.stdout);
    for expected in [
        "skipped notes/nested/loop: a folder already read",
        "skipped notes/pipe.md: a FIFO (named pipe), not a notes file; not opened",
        "the same file as ./notes/letters.md: read once",
    ] {
        assert!(
            run.stdout.contains(expected),
            "{expected:?} not in {}",
            run.stdout
        );
    }
    assert!(
        run.stdout
            .contains("created 5 draft(s); 0 already imported; 0 duplicate(s); 4 skipped"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_reimport_knows_its_stories_by_their_text_not_their_title_or_file_name() {
    let sandbox = Sandbox::new();
    let notes = sandbox.path().join("synonyms.md");
    std::fs::copy(format!("{SHAPES}/synonyms.md"), &notes).unwrap();
    let first = sandbox.import(&[notes.to_str().unwrap()]);
    assert!(
        first.stdout.contains("created 2 draft(s)"),
        "{}",
        first.stdout
    );
    // The user renames a draft's title; then imports the same notes again, and a copy of them.
    let story = by_title(&sandbox.imported(), "Winning over the support team").clone();
    let renamed = std::fs::read_to_string(&story.path).unwrap().replace(
        "title: Winning over the support team",
        "title: Support, won over",
    );
    std::fs::write(&story.path, renamed).unwrap();
    let copy = sandbox.path().join("copy of synonyms.md");
    std::fs::copy(&notes, &copy).unwrap();
    let again = sandbox.import(&[notes.to_str().unwrap(), copy.to_str().unwrap()]);
    assert!(
        again
            .stdout
            .contains("created 0 draft(s); 4 already imported"),
        "{}",
        again.stdout
    );
    assert!(
        again.stdout.contains("(the same text as in ")
            && again.stdout.contains("copy of synonyms.md"),
        "{}",
        again.stdout
    );
    assert_eq!(sandbox.story_files().len(), 2);
}

#[test]
fn the_same_story_text_twice_in_one_run_gives_one_draft_and_says_so() {
    let sandbox = Sandbox::new();
    let a = sandbox.path().join("a.md");
    let b = sandbox.path().join("b.txt");
    std::fs::write(&a, "# Mine\n\nS: We had a problem.\nR: It went away.\n").unwrap();
    // The same words, other line breaks, another title.
    std::fs::write(&b, "Also mine\n\nS: We had a\nproblem.\nR: It went away.\n").unwrap();
    let run = sandbox.import(&[a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(sandbox.story_files().len(), 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("duplicate ")
            && run
                .stdout
                .contains("\"Also mine\": the same text as \"Mine\""),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("created 1 draft(s); 0 already imported; 1 duplicate(s)")
    );
}

#[test]
fn new_writes_any_title_so_it_loads_back_exactly() {
    let sandbox = Sandbox::new();
    std::fs::create_dir(sandbox.stories()).unwrap();
    let stories = sandbox.stories();
    let stories = stories.to_str().unwrap();
    for (title, id) in [
        (r"Fixed C:\temp\new build \u", "fixed-c-temp-new-build-u"),
        ("Ünïcödé résumé", "unicode-resume"),
        ("yes", "yes"),
        ("\"Quoted\" # not: a comment", "quoted-not-a-comment"),
        ("- leading dash", "leading-dash"),
    ] {
        let run = sandbox.run(&["new", "--no-edit", "--stories", stories, "--", title]);
        assert_eq!(run.code, 0, "{title}: {}", run.stderr);
        let path = PathBuf::from(run.stdout.trim());
        assert_eq!(
            path.file_name().unwrap().to_str().unwrap(),
            format!("{id}.md")
        );
        let story = read_story(&path).unwrap();
        assert_eq!(story.meta.title, title);
        assert_eq!(story.meta.id, id);
        let show = sandbox.run(&["show", id, "--stories", stories]);
        assert_eq!(show.code, 0, "{}", show.stderr);
        assert!(show.stdout.starts_with(title), "{}", show.stdout);
    }
    let japanese = sandbox.run(&["new", "面接の準備", "--no-edit", "--stories", stories]);
    assert_eq!(japanese.code, 0, "{}", japanese.stderr);
    let path = PathBuf::from(japanese.stdout.trim());
    let id = path.file_stem().unwrap().to_str().unwrap().to_owned();
    assert!(
        id.len() > 3
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
        "{id}"
    );
    assert_eq!(read_story(&path).unwrap().meta.title, "面接の準備");
    let lint = sandbox.run(&["lint", stories]);
    assert!(!lint.stdout.contains(": error: "), "{}", lint.stdout);
}

#[test]
fn hashtags_become_tags_and_short_part_names_are_read_as_parts() {
    let sandbox = Sandbox::new();
    let notes = sandbox.path().join("bear.md");
    std::fs::write(
        &notes,
        "# Prep #interviews\n\n## Cutting the deploy time #speed #work/infra #on call#\n\nSit: Deploys took 40 minutes.\nTsk. Get them under 10.\nAct - I cached the images and ran the checks in parallel.\n\n**Results & learnings**\nDeploys take 8 minutes now.\n",
    )
    .unwrap();
    sandbox.import(&[notes.to_str().unwrap()]);
    let stories = sandbox.imported();
    let story = by_title(&stories, "Cutting the deploy time");
    assert_eq!(
        story.meta.tags,
        ["prep", "interviews", "speed", "work-infra", "on-call"]
    );
    assert_eq!(
        text(story, SectionKind::Situation),
        "Deploys took 40 minutes."
    );
    assert_eq!(text(story, SectionKind::Task), "Get them under 10.");
    assert_eq!(
        text(story, SectionKind::Action),
        "I cached the images and ran the checks in parallel."
    );
    assert_eq!(
        text(story, SectionKind::Result),
        "Deploys take 8 minutes now."
    );
    let lint = sandbox.run(&["--stories", sandbox.stories().to_str().unwrap(), "lint"]);
    assert!(!lint.stdout.contains("Unplaced"), "{}", lint.stdout);
}

#[test]
fn html_notes_in_a_folder_are_read_as_text_and_the_import_says_so() {
    let sandbox = Sandbox::new();
    let folder = sandbox.path().join("exports");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("prep.enex"),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<en-export><note><title>Prep</title><content><![CDATA[<en-note>\
         <div><b>Halving the CI bill</b></div><div>Situation: CI cost &pound;9k a month.</div><div><br/></div>\
         <div>Task: cut it&nbsp;in half.</div><div>Action: I cached dependencies &amp; split the suite.</div>\
         <div>Result: &#8364;4k a month since.</div></en-note>]]></content><created>20250101T000000Z</created></note></en-export>",
    )
    .unwrap();
    std::fs::write(
        folder.join("saved page.htm"),
        "<!DOCTYPE html><html><head><title>ignored</title><style>p{}</style></head><body>\
         <h2>Owning the pager rota</h2><ul><li><strong>Situation:</strong> nobody owned the rota.</li>\
         <li><strong>Task:</strong> fix it.</li><li><strong>Action:</strong> I drew up a fair rota.</li>\
         <li><strong>Result:</strong> pages shared across six people.</li></ul></body></html>",
    )
    .unwrap();
    let run = sandbox.import(&[folder.to_str().unwrap()]);
    for file in ["prep.enex", "saved page.htm"] {
        assert!(
            run.stdout
                .contains(&format!("{file}: read as HTML: its text kept")),
            "{}",
            run.stdout
        );
    }
    let stories = sandbox.imported();
    assert_eq!(stories.len(), 2, "{}", run.stdout);
    let bill = by_title(&stories, "Halving the CI bill");
    assert_eq!(text(bill, SectionKind::Situation), "CI cost £9k a month.");
    assert_eq!(text(bill, SectionKind::Task), "cut it in half.");
    assert_eq!(
        text(bill, SectionKind::Action),
        "I cached dependencies & split the suite."
    );
    assert_eq!(text(bill, SectionKind::Result), "€4k a month since.");
    let rota = by_title(&stories, "Owning the pager rota");
    assert_eq!(
        text(rota, SectionKind::Result),
        "pages shared across six people."
    );
    assert!(!run.stdout.contains("ignored"), "{}", run.stdout);
}

#[test]
fn tabbed_labels_a_coachs_questions_and_footnotes_end_to_end() {
    let sandbox = Sandbox::new();
    let folder = sandbox.path().join("notes");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("saved as text.txt"),
        "Stories\r\n\r\nMoving the nightly batch\r\nSituation\tThe batch ran past 9 a.m.\r\nTask\tFinish it by 6.\r\nAction\tI split it into four jobs.\r\nResult\tIt ends at 4:30 now.\r\n",
    )
    .unwrap();
    std::fs::write(
        folder.join("coach.md"),
        "## Choosing the queue\n\n1. What was the context?\n   Two teams wanted different queues[^1].\n2. What was your role?\n   Pick one by Friday.\n3. How did you approach it?\n   I load-tested both with our real traffic.\n4. What was the impact?\n   We run one queue and the on-call doubles up less.\n\n[^1]: Check which team asked first.\n",
    )
    .unwrap();
    let run = sandbox.import(&[folder.to_str().unwrap()]);
    let stories = sandbox.imported();
    assert_eq!(stories.len(), 2, "{}", run.stdout);
    let batch = by_title(&stories, "Moving the nightly batch");
    assert_eq!(text(batch, SectionKind::Task), "Finish it by 6.");
    assert_eq!(text(batch, SectionKind::Result), "It ends at 4:30 now.");
    let queue = by_title(&stories, "Choosing the queue");
    assert_eq!(
        text(queue, SectionKind::Situation).trim(),
        "Two teams wanted different queues[^1]."
    );
    assert_eq!(text(queue, SectionKind::Task).trim(), "Pick one by Friday.");
    assert_eq!(
        text(queue, SectionKind::Action).trim(),
        "I load-tested both with our real traffic."
    );
    let result = text(queue, SectionKind::Result);
    assert!(result.contains("doubles up less."), "{result}");
    assert!(!result.contains("Check which team"), "{result}");
    // The footnote is kept, apart from the parts, where lint points at it.
    let draft = std::fs::read_to_string(&queue.path).unwrap();
    assert!(
        draft.contains("## Unplaced") && draft.contains("[^1]: Check which team asked first."),
        "{draft}"
    );
}

#[test]
fn latex_rst_and_json_notes_in_a_folder_are_converted_and_the_import_says_so() {
    let sandbox = Sandbox::new();
    let folder = sandbox.path().join("docs");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("cv-notes.tex"),
        "\\documentclass{article}\n\\begin{document}\n% my notes\n\\subsection*{Retiring the old queue}\n\
         \\textbf{Situation:} Two queues, 30\\% of pages from the old one.\n\n\\textbf{Task:} Retire it.\n\n\
         \\textbf{Action:}\n\\begin{enumerate}\n\\item I moved the \\emph{three} consumers.\n\\end{enumerate}\n\n\
         \\textbf{Result:} Pages fell by a third.\n\\end{document}\n",
    )
    .unwrap();
    std::fs::write(
        folder.join("handbook.rst"),
        "Rewriting the deploy docs\n-------------------------\n\n:Situation: New starters broke deploys.\n\
         :Task: Make the docs right.\n:Action: I rewrote them with each starter.\n:Result: No broken deploy since.\n\n\
         .. note::\n\n   Short version for the phone screen.\n",
    )
    .unwrap();
    std::fs::write(
        folder.join("keep.json"),
        r#"[{"title": "Saving the launch", "textContent": "S: The launch slipped.\nT: Ship by Monday.\nA: I cut two features.\nR: It shipped on Monday.", "isTrashed": false},
            {"title": "Thrown away", "textContent": "S: x\nR: y", "isTrashed": true}]"#,
    )
    .unwrap();
    let run = sandbox.import(&[folder.to_str().unwrap()]);
    for said in [
        "cv-notes.tex: read as LaTeX",
        "handbook.rst: read as reStructuredText",
        "keep.json: read as a JSON export: 1 note,",
    ] {
        assert!(run.stdout.contains(said), "{said}: {}", run.stdout);
    }
    let stories = sandbox.imported();
    assert_eq!(stories.len(), 3, "{}", run.stdout);
    let queue = by_title(&stories, "Retiring the old queue");
    assert_eq!(
        text(queue, SectionKind::Situation),
        "Two queues, 30% of pages from the old one."
    );
    assert_eq!(
        text(queue, SectionKind::Action),
        "- I moved the three consumers."
    );
    let docs = by_title(&stories, "Rewriting the deploy docs");
    assert_eq!(text(docs, SectionKind::Task), "Make the docs right.");
    let launch = by_title(&stories, "Saving the launch");
    assert_eq!(text(launch, SectionKind::Result), "It shipped on Monday.");
}
