//! `rehearse lint` on fixtures: each rule has a failing fixture, and `good.md` passes them all.

mod sandbox;

use predicates::prelude::*;
use sandbox::Sandbox;

/// Lints one fixture and returns (exit code, stdout).
fn lint(fixture: &str) -> (i32, String) {
    let output = Sandbox::new()
        .cmd()
        .args(["lint", &format!("tests/fixtures/{fixture}")])
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

#[test]
fn the_good_fixture_passes_every_rule() {
    let (code, out) = lint("lint/good.md");
    assert_eq!(out, "");
    assert_eq!(code, 0);
}

#[test]
fn each_failing_fixture_gets_exactly_its_finding_at_its_line() {
    let cases = [
        (
            "unknown-demo",
            1,
            "8: error: unknown demo `rm-rf-everything`",
        ),
        (
            "unknown-competency",
            1,
            "5: error: unknown competency `juggling`",
        ),
        ("missing-section", 1, "15: error: missing section `## Task`"),
        ("empty-section", 1, "20: error: section `Task` is empty"),
        (
            "no-quantified-result",
            0,
            "30: warning: Result has no quantified outcome",
        ),
        (
            "numbers-contradicted",
            1,
            "13: error: metric `time per run`: 19.5 s -> 5 s is 3.9x faster: 74% less time, or 290% faster; \"around 400%\" does not follow",
        ),
        (
            "cost-wrong",
            1,
            "13: error: metric `monthly AWS cost`: $10,000 -> $2,000 is 80% less, a fifth of the cost; \"5x more expensive\" does not follow: the numbers went down, not up",
        ),
        (
            "open-probe",
            0,
            "40: warning: open probe: \"How big were the records?\" has no answer yet",
        ),
        (
            "result-not-a-metric",
            0,
            "30: warning: Result has no quantified outcome: it states none of the metrics' after values (5 s)",
        ),
        (
            "result-limit-only",
            0,
            "25: warning: Result has no quantified outcome",
        ),
        (
            "we-over-i",
            0,
            "24: warning: Action says \"we\" 5 times and \"I\" 1 times",
        ),
        (
            "action-share-low",
            0,
            "24: warning: Action is 26% of the story's words",
        ),
        ("draft", 0, "4: warning: draft"),
        (
            "units-mixed",
            1,
            "13: error: metric `monthly AWS cost`: 2 GB -> 500 ms cannot be compared: 2 GB is a size and 500 ms a duration, so \"4x less\" cannot follow from them; state both sides in one unit",
        ),
        (
            "currencies-mixed",
            1,
            "13: error: metric `monthly AWS cost`: $10,000 -> €2,000 cannot be compared: $10,000 is in USD and €2,000 in EUR (convert one, and say at what rate), so \"80% cheaper\" cannot follow from them; state both sides in one unit",
        ),
        (
            "blank-title",
            1,
            "3: error: the title is blank: a story needs a title",
        ),
    ];
    for (name, expected_code, expected) in cases {
        let (code, out) = lint(&format!("lint/{name}.md"));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 1, "{name}: {out}");
        let prefix = format!("tests/fixtures/lint/{name}.md:");
        assert!(
            lines[0].starts_with(&format!("{prefix}{expected}")),
            "{name}: expected `{prefix}{expected}`, got `{}`",
            lines[0]
        );
        assert_eq!(code, expected_code, "{name}");
    }
}

#[test]
fn a_right_claim_about_a_cost_is_not_an_error() {
    let (code, out) = lint("lint/cost-right.md");
    assert_eq!(out, "");
    assert_eq!(code, 0);
}

#[test]
fn a_long_story_is_flagged_at_the_configured_target_only() {
    let (code, out) = lint("lint/too-long.md");
    assert_eq!(code, 0);
    assert!(
        out.contains(
            "warning: about 4.2 min spoken (632 words at 150 words a minute); target 2 min"
        ),
        "{out}"
    );
    let output = Sandbox::new()
        .cmd()
        .args([
            "lint",
            "--target-minutes",
            "5",
            "tests/fixtures/lint/too-long.md",
        ])
        .output()
        .unwrap();
    assert!(
        !String::from_utf8(output.stdout)
            .unwrap()
            .contains("min spoken")
    );
}

#[test]
fn malformed_files_are_named_with_their_line_and_never_hide_the_valid_one() {
    let output = Sandbox::new()
        .cmd()
        .args(["lint", "tests/fixtures/malformed"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let out = String::from_utf8(output.stdout).unwrap();
    let expected = [
        "malformed/bad-id.md:2: error: invalid id `Good Story!`",
        "malformed/bad-yaml.md:5: error: invalid front matter: ",
        "malformed/binary.md:3: error: looks like a binary file",
        "malformed/invalid-utf8.md:18: error: not valid UTF-8",
        "malformed/no-front-matter.md:1: error: missing front matter",
        "malformed/unknown-field.md:5: error: invalid front matter: unknown field `titel`",
        "malformed/unterminated.md:1: error: front matter is never closed",
    ];
    for line in expected {
        assert!(out.contains(line), "missing `{line}` in:\n{out}");
    }
    assert!(
        !out.contains("valid.md:"),
        "the valid story has no findings:\n{out}"
    );
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("1 stories checked, 7 file(s) not loaded"),
        "{stderr}"
    );
}

#[test]
fn duplicate_ids_keep_the_first_file_and_name_it() {
    let (code, out) = lint("duplicates");
    assert_eq!(code, 1);
    assert_eq!(
        out.trim(),
        "tests/fixtures/duplicates/b.md:2: error: duplicate id `same-id`: tests/fixtures/duplicates/a.md already uses it (ids must be unique; this file was skipped)"
    );
}

#[test]
fn the_bundled_stories_pass_and_only_the_draft_fails_strict() {
    let output = Sandbox::new()
        .cmd()
        .args(["lint", "stories"])
        .output()
        .unwrap();
    let out = String::from_utf8(output.stdout).unwrap();
    assert!(!out.contains(": error: "), "{out}");
    assert_eq!(output.status.code(), Some(0), "{out}");
    // The draft's empty parts are warnings that say what to write.
    let draft: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("stories/tight-deadlines.md:"))
        .collect();
    assert!(
        draft
            .iter()
            .any(|l| l.contains(": warning: section `Result` is empty: write what changed")),
        "{out}"
    );
    // What the notes do not say is asked, not answered: each technical story has at least 3
    // open probes, reported as warnings.
    for story in [
        "daily-refresh-18m",
        "xml-etl-lambda",
        "lambda-limits-to-containers",
        "silent-permission-stop",
    ] {
        let open = out
            .lines()
            .filter(|l| l.starts_with(&format!("stories/{story}.md:")))
            .filter(|l| l.contains(": warning: open probe: "))
            .count();
        assert!(open >= 3, "{story}: {open} open probes in\n{out}");
    }
    let output = Sandbox::new()
        .cmd()
        .args(["lint", "--strict", "stories"])
        .output()
        .unwrap();
    let out = String::from_utf8(output.stdout).unwrap();
    let errors: Vec<&str> = out.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(
        errors.len(),
        3,
        "Task, Action and Result of the draft: {out}"
    );
    assert!(
        errors
            .iter()
            .all(|l| l.starts_with("stories/tight-deadlines.md:")),
        "{out}"
    );
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn a_drafts_missing_parts_are_warnings_naming_what_to_write_and_strict_makes_them_errors() {
    let (code, out) = lint("lint/draft-parts-missing.md");
    let prefix = "tests/fixtures/lint/draft-parts-missing.md:";
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            format!("{prefix}4: warning: draft: left out of drills until `draft: true` is removed"),
            format!(
                "{prefix}16: warning: missing section `## Result`: write what changed because of \
                 it, with a number if you have one (performance-and-scale asks: {})",
                prompts("performance-and-scale", "result")
            ),
            format!(
                "{prefix}21: warning: section `Task` is empty: write what you had to achieve, and \
                 what made it hard (performance-and-scale asks: {})",
                prompts("performance-and-scale", "task")
            ),
        ],
        "{out}"
    );
    assert_eq!(code, 0);

    let output = Sandbox::new()
        .cmd()
        .args([
            "lint",
            "--strict",
            "tests/fixtures/lint/draft-parts-missing.md",
        ])
        .output()
        .unwrap();
    let out = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(1));
    let errors: Vec<&str> = out.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(errors.len(), 2, "{out}");
    assert!(
        errors[0].contains("missing section `## Result`: write "),
        "{out}"
    );
    assert!(
        errors[1].contains("section `Task` is empty: write "),
        "{out}"
    );
}

/// The bank's recall prompts for one competency and STAR part, as lint quotes them.
fn prompts(competency: &str, part: &str) -> String {
    let bank = rehearse::story::question_bank::QuestionBank::bundled();
    let kind = match part {
        "task" => rehearse::story::SectionKind::Task,
        _ => rehearse::story::SectionKind::Result,
    };
    bank.get(competency)
        .unwrap()
        .prompts
        .for_section(kind)
        .join(" ")
}

#[test]
fn an_unclosed_comment_is_reported_at_its_line_as_the_cause() {
    let (code, out) = lint("lint/unclosed-comment.md");
    let prefix = "tests/fixtures/lint/unclosed-comment.md:";
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            format!(
                "{prefix}15: error: missing section `## Result` (the comment left open on line 30 \
                 hides the rest of the file)"
            ),
            format!(
                "{prefix}30: error: `<!--` opens a comment that is never closed, so it hides the \
                 rest of the file from show, the drill and the export: close it with `-->`"
            ),
        ],
        "{out}"
    );
    assert_eq!(code, 1);
}

#[test]
fn a_huge_file_is_refused_unread_and_the_others_still_load() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("huge.md");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(50 * 1024 * 1024).unwrap();
    std::fs::copy("tests/fixtures/lint/good.md", dir.path().join("good.md")).unwrap();
    let output = Sandbox::new()
        .cmd()
        .args(["lint", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    let out = String::from_utf8(output.stdout).unwrap();
    assert!(
        out.contains("huge.md:1: error: file is 52.4 MB; a story file may be at most 1024 KB"),
        "{out}"
    );
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .contains("1 stories checked, 1 file(s) not loaded")
    );
}

#[test]
fn a_missing_path_is_an_error_that_names_it() {
    Sandbox::new()
        .cmd()
        .args(["lint", "no/such/stories"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "no/such/stories: no such file or folder",
        ));
}
