//! The story-bank commands through the real binary: list, show, new, export, demo list,
//! first-run install of the bundled stories.

mod sandbox;

use sandbox::Sandbox;

use std::path::PathBuf;

use assert_cmd::Command;
use predicates::prelude::*;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

impl Sandbox {
    /// A copy of the bundled stories plus `extra` files, in a folder of their own.
    fn stories_with(&self, extra: &[(&str, &[u8])]) -> PathBuf {
        let folder = self.path().join("stories");
        std::fs::create_dir_all(&folder).unwrap();
        for entry in std::fs::read_dir("stories").unwrap().flatten() {
            std::fs::copy(entry.path(), folder.join(entry.file_name())).unwrap();
        }
        for (name, bytes) in extra {
            std::fs::write(folder.join(name), bytes).unwrap();
        }
        folder
    }
}

fn stdout(cmd: &mut Command) -> String {
    let output = cmd.output().unwrap();
    assert!(
        output.status.success(),
        "{:?}: {}",
        cmd,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn list_shows_every_story_with_its_lint_status() {
    let sandbox = Sandbox::new();
    let out = stdout(sandbox.cmd().args(["list", "--stories", "stories"]));
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("ID"), "{out}");
    assert_eq!(lines.len(), 1 + 8, "{out}");
    let xml = lines
        .iter()
        .find(|l| l.starts_with("xml-etl-lambda "))
        .unwrap();
    // Its open probes are warnings: things to prepare, not faults.
    assert!(
        xml.contains("xml-cherry-pick") && xml.trim_end().ends_with("warning(s)"),
        "{xml}"
    );
    let draft = lines
        .iter()
        .find(|l| l.starts_with("tight-deadlines "))
        .unwrap();
    assert!(draft.trim_end().ends_with("draft"), "{draft}");
}

#[test]
fn list_lines_up_cjk_and_emoji_titles_by_their_width_on_screen() {
    use unicode_width::UnicodeWidthStr;
    let sandbox = Sandbox::new();
    let story = |id: &str, title: &str| {
        format!(
            "---\nid: {id}\ntitle: \"{title}\"\ntags: [tag-{id}]\n---\n\n## Situation\n\nWhere.\n"
        )
    };
    let folder = sandbox.path().join("wide");
    std::fs::create_dir_all(&folder).unwrap();
    for (id, title) in [
        ("ascii", "Plain title"),
        ("cjk", "面接の準備: 失敗から学んだこと"),
        ("emoji", "emoji 🚀 story 🎉"),
        (
            "long-cjk",
            "とても長いタイトルで列の幅を超えてしまうので途中で切られるはずのものです",
        ),
    ] {
        std::fs::write(folder.join(format!("{id}.md")), story(id, title)).unwrap();
    }
    let out = stdout(
        sandbox
            .cmd()
            .args(["list", "--stories", folder.to_str().unwrap()]),
    );
    // Where each row's tags start, in terminal cells: the same column for every row.
    let columns: Vec<(usize, &str)> = out
        .lines()
        .skip(1)
        .map(|line| {
            let at = line.find("tag-").unwrap_or_else(|| panic!("{line}"));
            (line[..at].width(), line)
        })
        .collect();
    assert_eq!(columns.len(), 4, "{out}");
    let header_at = out.lines().next().unwrap().find("TAGS").unwrap();
    for (column, line) in &columns {
        assert_eq!(*column, header_at, "misaligned:\n{out}\n{line}");
    }
    assert!(out.contains('…'), "the long title is cut: {out}");
}

#[test]
fn a_malformed_story_never_hides_the_others() {
    let sandbox = Sandbox::new();
    let folder = sandbox.stories_with(&[
        ("broken.md", b"---\nid: broken\ntitle: [unclosed\n---\n"),
        ("binary.md", b"\x00\x01\x02"),
    ]);
    let output = sandbox
        .cmd()
        .args(["list", "--stories", folder.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(output.status.success());
    let out = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        out.lines().filter(|l| l.contains("  ")).count(),
        1 + 8,
        "{out}"
    );
    assert!(out.contains("8 stories listed; 2 file(s) skipped"), "{out}");
    let err = String::from_utf8(output.stderr).unwrap();
    assert!(err.contains("broken.md:3: invalid front matter"), "{err}");
    assert!(
        err.contains("binary.md:1: looks like a binary file"),
        "{err}"
    );

    let pack =
        stdout(
            sandbox
                .cmd()
                .args(["export", "-o", "-", "--stories", folder.to_str().unwrap()]),
        );
    assert!(pack.contains("**2 file(s) skipped**"), "{pack}");
    assert!(pack.contains("### Cutting an SAP XML ETL Lambda from 19.5 s to 5 s"));
}

#[test]
fn show_renders_a_story_without_markup_and_checks_its_numbers() {
    let sandbox = Sandbox::new();
    let out = stdout(
        sandbox
            .cmd()
            .args(["show", "xml-etl", "--stories", "stories"]),
    );
    assert!(
        out.starts_with("Cutting an SAP XML ETL Lambda from 19.5 s to 5 s\n"),
        "{out}"
    );
    assert!(
        out.contains("time per XML, end to end: 19.5 s → 5 s  about 4x faster (74% less time)")
    );
    assert!(
        out.contains("\nAction\n"),
        "headings are rendered, not raw: {out}"
    );
    assert!(!out.contains("## "), "no raw Markdown headings: {out}");
    assert!(out.contains("\n• I profiled it with cProfile"), "{out}");

    sandbox
        .cmd()
        .args(["show", "nope", "--stories", "stories"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no story with id `nope`"));
    sandbox
        .cmd()
        .args(["show", "s", "--stories", "stories"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "matches several stories: scrum-kanban-bugs, silent-permission-stop",
        ));
}

/// Headings and table header rows of a Markdown document.
fn structure(markdown: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut headings = Vec::new();
    let mut table_heads = Vec::new();
    let mut text: Option<String> = None;
    let mut cells = Vec::new();
    let mut in_head = false;
    for event in Parser::new_ext(markdown, pulldown_cmark::Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { .. } | Tag::TableCell) => text = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => headings.extend(text.take()),
            Event::Start(Tag::TableHead) => in_head = true,
            Event::End(TagEnd::TableCell) if in_head => cells.extend(text.take()),
            Event::End(TagEnd::TableHead) => {
                in_head = false;
                table_heads.push(std::mem::take(&mut cells));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(text) = text.as_mut() {
                    text.push_str(&t);
                }
            }
            _ => {}
        }
    }
    (headings, table_heads)
}

#[test]
fn export_writes_a_pack_that_parses_back_and_never_overwrites_without_force() {
    let sandbox = Sandbox::new();
    let pack = sandbox.path().join("pack.md");
    sandbox
        .cmd()
        .args([
            "export",
            "-o",
            pack.to_str().unwrap(),
            "--stories",
            "stories",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("wrote"));
    let text = std::fs::read_to_string(&pack).unwrap();
    let (headings, tables) = structure(&text);
    for heading in [
        "Interview prep pack",
        "Contents",
        "Key numbers",
        "Coverage",
        "Stories",
        "Review progress",
        "Latest demo results",
    ] {
        assert!(
            headings.iter().any(|h| h == heading),
            "missing heading {heading}: {headings:?}"
        );
    }
    assert_eq!(
        tables[0],
        [
            "Story",
            "Metric",
            "Before",
            "After",
            "Claim",
            "Numbers check",
            "Demo"
        ]
    );
    assert_eq!(tables[1][0], "Competency");

    std::fs::write(&pack, "my notes").unwrap();
    sandbox
        .cmd()
        .args([
            "export",
            "-o",
            pack.to_str().unwrap(),
            "--stories",
            "stories",
        ])
        .assert()
        .failure()
        .stderr(predicate::str::contains("already exists; pass --force"));
    assert_eq!(std::fs::read_to_string(&pack).unwrap(), "my notes");
    sandbox
        .cmd()
        .args([
            "export",
            "--force",
            "-o",
            pack.to_str().unwrap(),
            "--stories",
            "stories",
        ])
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&pack).unwrap(), text);
    let leftovers: Vec<_> = std::fs::read_dir(sandbox.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temp files left behind");
}

#[test]
fn a_metric_that_was_not_measured_says_so_in_show_and_export() {
    let sandbox = Sandbox::new();
    let note = "(an example from the notes, not measured";
    let shown = stdout(
        sandbox
            .cmd()
            .args(["show", "xml-etl-lambda", "--stories", "stories"]),
    );
    let lines: Vec<&str> = shown.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("processing time for one minute of input"))
        .unwrap_or_else(|| panic!("{shown}"));
    assert!(lines[at + 1].trim_start().starts_with(note), "{shown}");

    let pack = stdout(
        sandbox
            .cmd()
            .args(["export", "-o", "-", "--stories", "stories"]),
    );
    let row = pack
        .lines()
        .find(|l| l.contains("| processing time for one minute of input"))
        .unwrap_or_else(|| panic!("{pack}"));
    assert!(row.contains(&format!("*{}", &note[1..])), "{row}");
    let row = pack
        .lines()
        .find(|l| l.starts_with("| daily-refresh-18m | records per second"))
        .unwrap_or_else(|| panic!("{pack}"));
    assert!(row.contains("(*implied by 18 million records"), "{row}");
}

#[test]
fn export_by_tag_keeps_only_those_stories() {
    let sandbox = Sandbox::new();
    let pack = stdout(sandbox.cmd().args([
        "export",
        "-o",
        "-",
        "--tag",
        "async",
        "--stories",
        "stories",
    ]));
    assert!(pack.contains("from stories tagged `async` (1)"), "{pack}");
    assert!(!pack.contains("### Cutting an SAP XML"), "{pack}");
    sandbox
        .cmd()
        .args(["export", "-o", "-", "--tag", "nope", "--stories", "stories"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no story has the tag `nope`"));
}

#[test]
fn first_run_installs_the_bundled_stories_into_the_data_dir() {
    let sandbox = Sandbox::new();
    let empty_cwd = sandbox.path().join("elsewhere");
    std::fs::create_dir_all(&empty_cwd).unwrap();
    let out = stdout(sandbox.cmd().current_dir(&empty_cwd).arg("list"));
    assert!(out.contains("xml-etl-lambda"), "{out}");
    let installed = sandbox
        .path()
        .join("data/rehearse/stories/xml-etl-lambda.md");
    assert!(installed.is_file(), "installed at {}", installed.display());
    // The user's edits survive the next run.
    std::fs::write(
        &installed,
        std::fs::read_to_string(&installed)
            .unwrap()
            .replace("Cutting an SAP", "Speeding up an SAP"),
    )
    .unwrap();
    let out = stdout(sandbox.cmd().current_dir(&empty_cwd).arg("list"));
    assert!(out.contains("Speeding up an SAP"), "{out}");
}

#[test]
fn new_scaffolds_a_story_with_a_fresh_id_that_lint_reads() {
    let sandbox = Sandbox::new();
    let folder = sandbox.stories_with(&[]);
    let out = stdout(sandbox.cmd().args([
        "new",
        "Cutting a Lambda from 19.5 s to 5 s",
        "--stories",
        folder.to_str().unwrap(),
    ]));
    let path = PathBuf::from(out.trim());
    assert_eq!(
        path.file_name().unwrap(),
        "cutting-a-lambda-from-19-5-s-to-5-s.md"
    );
    let again = stdout(sandbox.cmd().args([
        "new",
        "Cutting a Lambda from 19.5 s to 5 s",
        "--stories",
        folder.to_str().unwrap(),
    ]));
    assert!(
        again
            .trim()
            .ends_with("cutting-a-lambda-from-19-5-s-to-5-s-2.md"),
        "{again}"
    );
    let lint = sandbox
        .cmd()
        .args(["lint", path.to_str().unwrap()])
        .output()
        .unwrap();
    let findings = String::from_utf8(lint.stdout).unwrap();
    assert!(
        !findings.contains(": error: "),
        "the template is a valid story: {findings}"
    );
    assert_eq!(lint.status.code(), Some(0));
}

#[test]
fn new_refuses_a_blank_title_and_writes_nothing() {
    let sandbox = Sandbox::new();
    let folder = sandbox.stories_with(&[]);
    let before = std::fs::read_dir(&folder).unwrap().flatten().count();
    for title in ["", "   ", "\t"] {
        for competency in [None, Some("teamwork")] {
            let mut cmd = sandbox.cmd();
            cmd.args(["new", "--no-edit", "--stories", folder.to_str().unwrap()]);
            if let Some(key) = competency {
                cmd.args(["--competency", key]);
            }
            let output = cmd.arg(title).output().unwrap();
            let err = String::from_utf8_lossy(&output.stderr);
            assert!(!output.status.success(), "{title:?} {competency:?}");
            assert!(
                err.contains("the title is blank: a story needs a title"),
                "{title:?} {competency:?}: {err}"
            );
        }
    }
    let after = std::fs::read_dir(&folder).unwrap().flatten().count();
    assert_eq!(after, before, "no file was written");
}

#[test]
fn demo_list_names_every_registered_demo_with_its_parameters() {
    let sandbox = Sandbox::new();
    let out = stdout(sandbox.cmd().args(["demo", "list"]));
    for id in ["xml-cherry-pick", "concurrent-etl", "recursion-guard"] {
        assert!(out.lines().any(|l| l.starts_with(id)), "{id} in {out}");
    }
    sandbox
        .cmd()
        .args(["demo", "run", "definitely-not-a-demo"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("unknown demo `definitely-not-a-demo`; known demos: xml-cherry-pick, concurrent-etl, recursion-guard"));
}

#[test]
fn a_database_that_is_not_sqlite_is_refused_and_kept() {
    let sandbox = Sandbox::new();
    let db = sandbox.path().join("test.db");
    std::fs::write(&db, "not a database ".repeat(100)).unwrap();
    sandbox
        .cmd()
        .args(["export", "-o", "-", "--stories", "stories"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("is not a rehearse database"));
    assert!(
        std::fs::read_to_string(&db)
            .unwrap()
            .starts_with("not a database")
    );
}

#[test]
fn export_reports_review_progress_after_a_drill() {
    let sandbox = Sandbox::new();
    let before = stdout(
        sandbox
            .cmd()
            .args(["export", "-o", "-", "--stories", "stories"]),
    );
    assert!(before.contains("No reviews yet"), "{before}");
    // Reveal, grade Easy (graduates for days, so it is no longer due), then quit.
    sandbox
        .cmd()
        .args([
            "drill",
            "--plain",
            "--story",
            "xml-etl-lambda",
            "--stories",
            "stories",
        ])
        .write_stdin("\n4\nq\n")
        .assert()
        .success();
    let pack = stdout(
        sandbox
            .cmd()
            .args(["export", "-o", "-", "--stories", "stories"]),
    );
    let row = pack
        .lines()
        .find(|l| l.starts_with("| xml-etl-lambda | ") && l.matches('|').count() == 6)
        .unwrap_or_else(|| panic!("no progress row in:\n{pack}"));
    let cells: Vec<&str> = row.split('|').map(str::trim).collect();
    // Story, cards, reviewed, due now, reviews: 3 questions + 3 answered probes + numbers = 7
    // cards (open probes are not drilled).
    assert_eq!(cells[1..6], ["xml-etl-lambda", "7", "1", "6", "1"], "{row}");
}

#[test]
fn a_demo_run_is_recorded_and_quoted_by_show_and_export() {
    let sandbox = Sandbox::new();
    sandbox
        .cmd()
        .args([
            "demo",
            "run",
            "xml-cherry-pick",
            "--records",
            "200",
            "--json",
        ])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            r#"{"event":"started","demo":"xml-cherry-pick""#,
        ))
        .stdout(predicate::str::contains(r#"{"event":"finished""#));
    let store = rehearse::store::Store::open(&sandbox.path().join("test.db")).unwrap();
    let run = store
        .latest_demo_run("xml-cherry-pick")
        .unwrap()
        .expect("recorded");
    assert_eq!(run.args, ["--records", "200"]);
    let headline = run.outcome.expect("succeeded").headline;
    let shown = stdout(
        sandbox
            .cmd()
            .args(["show", "xml-etl-lambda", "--stories", "stories"]),
    );
    assert!(shown.contains(&headline), "{shown}");
    let pack = stdout(
        sandbox
            .cmd()
            .args(["export", "-o", "-", "--stories", "stories"]),
    );
    assert!(pack.contains(&headline), "{pack}");
    assert!(
        pack.contains("`rehearse demo run xml-cherry-pick --records 200`"),
        "{pack}"
    );
}

/// A process's state letter from /proc (`R`, `S`, `Z`, ...); `None` once it is gone.
#[cfg(target_os = "linux")]
fn process_state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(')')?.1.trim_start().chars().next()
}

/// Kills `pid` when dropped: a demo a failed test left running does not outlive it.
#[cfg(target_os = "linux")]
struct KillOnDrop(u32);

#[cfg(target_os = "linux")]
impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill")
            .args(["-KILL", &self.0.to_string()])
            .status();
    }
}

/// The app that started a demo is killed with SIGKILL (here a shell standing in for the TUI,
/// naming itself as the runner does): the demo ends with it and records nothing.
#[cfg(target_os = "linux")]
#[test]
fn a_demo_ends_when_the_app_that_started_it_is_killed_and_records_nothing() {
    use std::io::BufRead;
    let sandbox = Sandbox::new();
    // Minutes of work: 3 million records with the default 40 ms wait per page.
    let mut app = std::process::Command::new("sh");
    let bin = assert_cmd::cargo::cargo_bin("rehearse");
    sandbox
        .set_env(&mut app)
        .env("REHEARSE_BIN", &bin)
        .args([
            "-c",
            &format!(
                "{}=$$ \"$REHEARSE_BIN\" demo run concurrent-etl --records 3000000 --json \
                 >/dev/null 2>&1 & echo $!; wait",
                rehearse::demo::lifeline::PARENT_ENV
            ),
        ])
        .stdout(std::process::Stdio::piped());
    let mut app = app.spawn().unwrap();
    let mut line = String::new();
    std::io::BufReader::new(app.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let demo: u32 = line.trim().parse().unwrap();
    let _guard = KillOnDrop(demo);
    assert!(process_state(demo).is_some(), "the demo started");

    app.kill().unwrap();
    app.wait().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while process_state(demo).is_some_and(|state| state != 'Z') {
        assert!(
            std::time::Instant::now() < deadline,
            "the demo (pid {demo}) outlived the app that started it by 30 s"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let store = rehearse::store::Store::open(&sandbox.path().join("test.db")).unwrap();
    assert_eq!(store.latest_demo_run("concurrent-etl").unwrap(), None);
}

/// Nobody reads the demo's output to the end: the run is not recorded, and says so.
#[test]
fn a_demo_whose_output_is_closed_is_not_recorded() {
    use std::io::BufRead;
    let sandbox = Sandbox::new();
    let mut demo = sandbox
        .std_cmd()
        .args([
            "demo",
            "run",
            "concurrent-etl",
            "--records",
            "50000",
            "--json",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(demo.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with(r#"{"event":"started""#), "{first}");
    // The reader goes away: the stdout pipe is closed here.
    let output = demo.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(
        err.contains("its output was closed before the run ended; not recorded"),
        "{err}"
    );
    let store = rehearse::store::Store::open(&sandbox.path().join("test.db")).unwrap();
    assert_eq!(store.latest_demo_run("concurrent-etl").unwrap(), None);
}

#[test]
fn a_demo_parameter_mistake_is_a_usage_error_and_not_a_recorded_run() {
    let sandbox = Sandbox::new();
    sandbox
        .cmd()
        .args(["demo", "run", "concurrent-etl", "--recrods", "5"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "a similar argument exists: '--records'",
        ));
    sandbox
        .cmd()
        .args(["demo", "run", "concurrent-etl", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--source-latency"));
    // The database was opened (and so created), but no run, not even a failed one, was recorded.
    let db = rusqlite::Connection::open(sandbox.path().join("test.db")).unwrap();
    let runs: i64 = db
        .query_row("SELECT count(*) FROM demo_runs", [], |row| row.get(0))
        .unwrap();
    assert_eq!(runs, 0);
}

#[test]
fn new_opens_visual_or_editor_with_its_arguments() {
    let sandbox = Sandbox::new();
    let folder = sandbox.stories_with(&[]);
    // An editor command with arguments, as `code --wait` has: it appends a line to the file.
    let editor = r##"sh -c 'echo "# edited by $0" >> "$1"' the-editor"##;
    let out = stdout(sandbox.cmd().env("EDITOR", editor).args([
        "new",
        "An editor with arguments",
        "--stories",
        folder.to_str().unwrap(),
    ]));
    let text = std::fs::read_to_string(out.trim()).unwrap();
    assert!(text.ends_with("# edited by the-editor\n"), "{text}");
    // $VISUAL comes first; a failing editor is an error that keeps the file.
    let failed = sandbox
        .cmd()
        .env("EDITOR", editor)
        .env("VISUAL", "false")
        .args(["new", "Another", "--stories", folder.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!failed.status.success());
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(
        stderr.contains("`false` (from $VISUAL) exited with") && stderr.contains("kept"),
        "{stderr}"
    );
}

fn short_story(id: &str, title: &str, situation: &str) -> String {
    format!(
        "---\nid: {id}\ntitle: {title}\nquestions:\n  - Tell me about {title}.\n---\n\n## Situation\n\n{situation}\n\n## Task\n\nFix it.\n\n## Action\n\nI fixed it.\n\n## Result\n\nIt worked.\n"
    )
}

#[test]
fn an_id_edited_onto_another_storys_stays_with_the_file_the_database_knows_everywhere() {
    let sandbox = Sandbox::new();
    let folder = sandbox.story_folder(
        "stories",
        &[
            (
                "a.md",
                &short_story("alpha", "The alpha story", "Alpha happened."),
            ),
            (
                "b.md",
                &short_story("beta", "The beta story", "Beta happened."),
            ),
        ],
    );
    let stories = folder.to_str().unwrap();
    // Beta is drilled: the database holds its cards and a review.
    stdout(
        sandbox
            .cmd()
            .args(["--stories", stories, "drill", "--plain", "--story", "beta"])
            .write_stdin("\n3\nq\n"),
    );
    // Then a.md, which sorts first, is edited to say `id: beta`.
    std::fs::write(
        folder.join("a.md"),
        short_story("beta", "The alpha story", "Alpha happened."),
    )
    .unwrap();
    let run = |args: &[&str]| {
        let output = sandbox
            .cmd()
            .args(["--stories", stories])
            .args(args)
            .write_stdin("\nq\n")
            .output()
            .unwrap();
        (
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    // Every command keeps the untouched b.md and names the edited a.md.
    let (list, warned) = run(&["list"]);
    assert!(
        list.contains("The beta story") && !list.contains("The alpha story"),
        "{list}"
    );
    assert!(
        warned.contains("a.md") && warned.contains("b.md keeps it"),
        "{warned}"
    );
    let (show, _) = run(&["show", "beta"]);
    assert!(
        show.contains("Beta happened.") && show.contains("b.md"),
        "{show}"
    );
    let (lint, _) = run(&["lint"]);
    assert!(
        lint.lines().any(
            |l| l.contains("a.md:2: error: duplicate id `beta`") && l.contains("b.md keeps it")
        ),
        "{lint}"
    );
    let (pack, _) = run(&["export", "-o", "-"]);
    assert!(
        pack.contains("The beta story") && !pack.contains("The alpha story"),
        "{pack}"
    );
    let (drill, _) = run(&["drill", "--plain", "--story", "beta"]);
    assert!(
        drill.contains("Story: The beta story") && drill.contains("Beta happened."),
        "beta's history is drilled against beta's text: {drill}"
    );
    assert!(!drill.contains("Alpha happened."), "{drill}");
}

#[test]
fn the_packs_contents_list_the_mock_section() {
    let sandbox = Sandbox::new();
    let pack = stdout(
        sandbox
            .cmd()
            .args(["export", "-o", "-", "--stories", "stories"]),
    );
    assert!(
        pack.contains(
            "- [Latest demo results](#latest-demo-results)\n- [Mock interviews](#mock-interviews)\n"
        ),
        "{pack}"
    );
    assert!(pack.contains("\n## Mock interviews\n"), "{pack}");
}
