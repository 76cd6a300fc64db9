//! `rehearse questions` and `rehearse new --competency` through the real binary.

mod sandbox;

use predicates::prelude::*;
use sandbox::Sandbox;

#[test]
fn questions_lists_every_competency_with_its_questions_and_stories() {
    let home = Sandbox::new();
    let output = home
        .cmd()
        .args(["questions", "--stories", "stories"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let out = String::from_utf8(output.stdout).unwrap();
    let bank = rehearse::story::question_bank::QuestionBank::bundled();
    for competency in &bank.competencies {
        assert!(
            out.contains(&format!("{} ({})", competency.name, competency.key)),
            "{} in:\n{out}",
            competency.key
        );
        for question in &competency.questions {
            assert!(out.contains(&format!("  - {question}")), "{question}");
        }
    }
    assert!(
        out.contains("  stories: xml-etl-lambda (primary), daily-refresh-18m (primary), lambda-limits-to-containers")
            || out.contains("  stories: daily-refresh-18m (primary), xml-etl-lambda (primary), lambda-limits-to-containers"),
        "{out}"
    );
    assert!(
        out.contains("Teamwork (teamwork)\n  stories: none yet\n"),
        "{out}"
    );
}

#[test]
fn questions_for_one_competency_and_an_unknown_one() {
    let home = Sandbox::new();
    let out = home
        .cmd()
        .args([
            "questions",
            "--competency",
            "failure-and-learning",
            "--stories",
            "stories",
        ])
        .output()
        .unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.starts_with("Failure and learning (failure-and-learning)\n"),
        "{out}"
    );
    assert!(out.contains("recursive-lambda-failure (primary)"), "{out}");
    assert!(!out.contains("Ownership (ownership)"), "{out}");
    home.cmd()
        .args([
            "questions",
            "--competency",
            "juggling",
            "--stories",
            "stories",
        ])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "unknown competency `juggling`; known: ",
        ));
}

#[test]
fn new_with_a_competency_scaffolds_a_draft_with_prompts_that_no_output_shows() {
    let home = Sandbox::new();
    let folder = home.path().join("stories");
    std::fs::create_dir_all(&folder).unwrap();
    let folder = folder.to_str().unwrap();
    let out = home
        .cmd()
        .args([
            "new",
            "--competency",
            "conflict",
            "Two dashboards",
            "--no-edit",
            "--stories",
            folder,
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("draft: true"), "{text}");
    assert!(
        text.contains("- Tell me about a time you disagreed with your manager."),
        "{text}"
    );
    assert!(
        text.contains("<!-- Who disagreed, and what was their view?"),
        "{text}"
    );

    // The prompts are comments: neither show nor the export prints them.
    let show = home
        .cmd()
        .args(["show", "two-dashboards", "--stories", folder])
        .output()
        .unwrap();
    let show = String::from_utf8(show.stdout).unwrap();
    assert!(show.contains("Two dashboards"), "{show}");
    assert!(!show.contains("Who disagreed"), "{show}");
    let pack = home
        .cmd()
        .args(["export", "-o", "-", "--stories", folder])
        .output()
        .unwrap();
    let pack = String::from_utf8(pack.stdout).unwrap();
    assert!(pack.contains("Two dashboards"), "{pack}");
    assert!(!pack.contains("Who disagreed"), "{pack}");
    assert!(!pack.contains("<!--"), "{pack}");

    // A draft with empty sections: lint says what to write in each, as warnings, with the
    // bank's prompts; `--strict` makes them errors.
    let lint = home.cmd().args(["lint", &path]).output().unwrap();
    assert_eq!(lint.status.code(), Some(0));
    let findings = String::from_utf8(lint.stdout).unwrap();
    assert!(
        findings.contains(
            "warning: section `Situation` is empty: write where you were and what was going on"
        ) && findings.contains("asks: Who disagreed, and what was their view?"),
        "{findings}"
    );
    let strict = home
        .cmd()
        .args(["lint", "--strict", &path])
        .output()
        .unwrap();
    assert_eq!(strict.status.code(), Some(1));
    let findings = String::from_utf8(strict.stdout).unwrap();
    assert!(
        findings.contains("error: section `Situation` is empty: write "),
        "{findings}"
    );

    home.cmd()
        .args([
            "new",
            "--competency",
            "juggling",
            "X",
            "--no-edit",
            "--stories",
            folder,
        ])
        .assert()
        .failure()
        .stderr(predicate::str::contains("unknown competency `juggling`"));
}

#[test]
fn show_lists_the_open_probes_to_prepare() {
    let home = Sandbox::new();
    let out = home
        .cmd()
        .args(["show", "recursive-lambda-failure", "--stories", "stories"])
        .output()
        .unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.contains("To prepare (open probes)\n  ☐ How was the bill capped?\n"),
        "{out}"
    );
    assert!(
        !out.contains("Some 5 years back"),
        "the story's comment stays in the file: {out}"
    );
}
