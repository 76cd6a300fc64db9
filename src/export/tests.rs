use std::path::Path;

use demo_kit::{Metric, Summary};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::*;
use crate::story::{bundled, parse};

fn bundled_stories() -> Vec<Story> {
    bundled::STORIES
        .iter()
        .map(|(name, text)| parse(Path::new(name), text).unwrap())
        .collect()
}

/// The pack read back as Markdown: headings and tables (rows of cells).
struct Parsed {
    headings: Vec<String>,
    tables: Vec<Vec<Vec<String>>>,
}

fn read_back(markdown: &str) -> Parsed {
    let mut parsed = Parsed {
        headings: Vec::new(),
        tables: Vec::new(),
    };
    let mut text: Option<String> = None;
    let mut row: Vec<String> = Vec::new();
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { .. } | Tag::TableCell) => text = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => parsed.headings.extend(text.take()),
            Event::Start(Tag::Table(_)) => parsed.tables.push(Vec::new()),
            Event::End(TagEnd::TableCell) => row.extend(text.take()),
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                parsed
                    .tables
                    .last_mut()
                    .unwrap()
                    .push(std::mem::take(&mut row));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(text) = text.as_mut() {
                    text.push_str(&t);
                }
            }
            _ => {}
        }
    }
    parsed
}

fn input<'a>(stories: &'a [Story], bank: &'a QuestionBank) -> PackInput<'a> {
    PackInput {
        stories: stories.iter().collect(),
        bank,
        demo_runs: BTreeMap::new(),
        progress: Vec::new(),
        skipped: Vec::new(),
        generated: "2026-11-25".into(),
        tag: None,
        mocks: String::new(),
        spoken: String::new(),
    }
}

#[test]
fn the_pack_parses_back_with_every_story_and_the_key_numbers_table() {
    let stories = bundled_stories();
    let bank = QuestionBank::bundled();
    let pack = read_back(&render(&input(&stories, &bank)));
    for story in &stories {
        assert!(
            pack.headings.contains(&story.meta.title),
            "{}",
            story.meta.title
        );
    }
    let numbers = &pack.tables[0];
    assert_eq!(
        numbers[0],
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
    let xml = numbers
        .iter()
        .find(|row| row[1].starts_with("time per XML, end to end"))
        .expect("the XML story's headline metric");
    assert_eq!(
        xml[2..5],
        ["19.5 s", "5 s", "about 4x faster (74% less time)"]
    );
    assert!(xml[5].starts_with("✔ 3.9x faster"), "{}", xml[5]);
    assert_eq!(
        xml[6], "demo not run yet: rehearse demo run xml-cherry-pick",
        "the demo's column, before any run"
    );
    // A cost that fell, claimed as cheaper, is right.
    let mut cost = stories[0].clone();
    cost.meta.metrics = vec![crate::story::MetricClaim {
        name: "monthly AWS cost".into(),
        before: Some("$10,000".into()),
        after: Some("$2,000".into()),
        claim: Some("80% cheaper".into()),
        note: None,
    }];
    let costs = [cost];
    let pack = read_back(&render(&input(&costs, &bank)));
    assert!(
        pack.tables[0][1][5].starts_with("✔ 80% less, a fifth of the cost"),
        "{:?}",
        pack.tables[0][1]
    );
}

#[test]
fn a_claim_the_numbers_do_not_support_is_marked_in_the_pack() {
    let mut stories = bundled_stories();
    let xml = stories
        .iter_mut()
        .find(|s| s.id() == "xml-etl-lambda")
        .unwrap();
    xml.meta.metrics[0].claim = Some("around 400%".into());
    let bank = QuestionBank::bundled();
    let pack = read_back(&render(&input(&stories, &bank)));
    let row = pack.tables[0]
        .iter()
        .find(|r| r[4] == "around 400%")
        .unwrap();
    assert!(
        row[5].starts_with("✘ 19.5 s -> 5 s is 3.9x faster")
            && row[5].contains("\"around 400%\" does not follow"),
        "{}",
        row[5]
    );
}

#[test]
fn coverage_marks_primary_apart_from_secondary_and_flags_gaps_and_thin_rows() {
    let stories = bundled_stories();
    let bank = QuestionBank::bundled();
    let markdown = render(&input(&stories, &bank));
    let pack = read_back(&markdown);
    let matrix = &pack.tables[1];
    assert_eq!(matrix.len(), bank.competencies.len() + 1);
    assert_eq!(matrix[0].len(), stories.len() + 2);
    let column = |id: &str| 1 + stories.iter().position(|s| s.id() == id).unwrap();
    let row = |name: &str| matrix.iter().find(|r| r[0] == name).unwrap();

    // Two stories list performance first; one lists it third.
    let performance = row("Performance and scale");
    assert_eq!(performance[column("xml-etl-lambda")], "●");
    assert_eq!(performance[column("lambda-limits-to-containers")], "○");
    assert_eq!(performance.last().unwrap(), "3 (2 primary)");
    // One finished story: thin.
    let learning = row("Learning and curiosity");
    assert_eq!(learning.last().unwrap(), "1 (thin)");
    assert!(
        markdown.contains("Learning and curiosity (`lambda-limits-to-containers`)"),
        "{markdown}"
    );
    // Only the draft answers "delivering under pressure": marked, not counted, and a gap.
    let pressure = row("Delivering under pressure");
    assert_eq!(pressure[column("tight-deadlines")], "✎");
    assert_eq!(pressure.last().unwrap(), "gap (draft only)");
    assert!(
        markdown.contains("Delivering under pressure (only in draft: tight-deadlines)"),
        "{markdown}"
    );
    assert_eq!(row("Teamwork").last().unwrap(), "gap");
    // Without the draft at all it is a plain gap.
    let no_draft: Vec<Story> = stories.into_iter().filter(|s| !s.meta.draft).collect();
    let markdown = render(&input(&no_draft, &bank));
    assert!(
        markdown.contains("- Gaps, no finished story: Tell me about yourself, "),
        "{markdown}"
    );
    assert!(
        markdown.contains(", Delivering under pressure, "),
        "{markdown}"
    );
    assert!(!markdown.contains("only in draft"), "{markdown}");
}

#[test]
fn the_open_probes_are_a_checklist_per_story_and_answered_ones_are_printed() {
    let stories = bundled_stories();
    let bank = QuestionBank::bundled();
    let markdown = render(&input(&stories, &bank));
    let pack = read_back(&markdown);
    assert!(pack.headings.contains(&"To prepare".to_owned()));
    let recursion = stories
        .iter()
        .find(|s| s.id() == "recursive-lambda-failure")
        .unwrap();
    for probe in recursion.open_probes() {
        assert!(
            markdown.contains(&format!("- [ ] {}\n", probe.question)),
            "{}",
            probe.question
        );
    }
    assert!(
        markdown.contains("**Why did no alert fire?**"),
        "{markdown}"
    );
    assert!(
        !markdown.contains("- [ ] Why did no alert fire?"),
        "{markdown}"
    );
}

#[test]
fn html_comments_in_a_story_never_reach_the_pack() {
    let stories = bundled_stories();
    assert!(
        bundled::STORIES
            .iter()
            .any(|(_, text)| text.contains("<!--")),
        "the bundled stories have comments to hide"
    );
    let bank = QuestionBank::bundled();
    let markdown = render(&input(&stories, &bank));
    assert!(!markdown.contains("<!--"), "{markdown}");
    assert!(!markdown.contains("Some 5 years back"), "{markdown}");
}

#[test]
fn the_latest_demo_result_and_progress_appear_once_they_exist() {
    let stories = bundled_stories();
    let bank = QuestionBank::bundled();
    let mut with_runs = input(&stories, &bank);
    assert!(render(&with_runs).contains("Not run yet: `rehearse demo run xml-cherry-pick`."));
    with_runs.demo_runs.insert(
        "xml-cherry-pick".into(),
        DemoRun {
            demo_id: "xml-cherry-pick".into(),
            args: vec!["--records".into(), "500".into()],
            started_at: "2026-11-25T10:00:00Z".parse().unwrap(),
            finished_at: "2026-11-25T10:00:09Z".parse().unwrap(),
            outcome: Ok(Summary {
                headline: "streaming is 9.1x faster than full conversion".into(),
                metrics: vec![Metric::new("throughput", 812.5, "MB/s").in_group("streaming")],
                notes: vec!["parse only".into()],
            }),
        },
    );
    with_runs.progress.push(StoryProgress {
        story_id: "xml-etl-lambda".into(),
        cards: 9,
        reviewed_cards: 2,
        due_now: 7,
        reviews: 3,
    });
    let markdown = render(&with_runs);
    let pack = read_back(&markdown);
    assert!(markdown.contains("streaming is 9.1x faster than full conversion"));
    assert!(markdown.contains(
        "Measured 2026-11-25 10:00 UTC with `rehearse demo run xml-cherry-pick --records 500`."
    ));
    let results = pack
        .tables
        .iter()
        .find(|t| t[0] == ["Metric", "Value", "Unit"])
        .unwrap();
    assert_eq!(results[1], ["throughput (streaming)", "812.5", "MB/s"]);
    let progress = pack
        .tables
        .iter()
        .find(|t| t[0][0] == "Story" && t[0][1] == "Cards")
        .unwrap();
    assert_eq!(progress[1], ["xml-etl-lambda", "9", "2", "7", "3"]);
}

#[test]
fn anchors_follow_github() {
    assert_eq!(
        anchor("Cutting an SAP XML ETL Lambda from 19.5 s to 5 s"),
        "cutting-an-sap-xml-etl-lambda-from-195-s-to-5-s"
    );
    assert_eq!(anchor("Key numbers"), "key-numbers");
}

#[test]
fn run_times_read_to_the_minute() {
    let at: jiff::Timestamp = "2026-11-25T18:53:49.794652544Z".parse().unwrap();
    assert_eq!(when(at), "2026-11-25 18:53 UTC");
}

#[test]
fn a_demo_result_that_contradicts_a_key_number_is_a_warning_beside_it() {
    let stories = bundled_stories();
    let bank = QuestionBank::bundled();
    let mut with_run = input(&stories, &bank);
    with_run.demo_runs.insert(
        "concurrent-etl".into(),
        DemoRun {
            demo_id: "concurrent-etl".into(),
            args: vec!["--source-latency".into(), "0ms".into()],
            started_at: "2026-11-25T10:00:00Z".parse().unwrap(),
            finished_at: "2026-11-25T10:00:09Z".parse().unwrap(),
            outcome: Ok(Summary {
                headline: "async is 0.7x as fast as sequential".into(),
                metrics: vec![Metric::new("speedup", 0.7, "x")],
                notes: vec![format!(
                    "{}no modeled wait, SQLite (one writer)",
                    crate::demo::claims::ASSUMPTION_PREFIX
                )],
            }),
        },
    );
    let pack = read_back(&render(&with_run));
    let demo_cells: Vec<&String> = pack.tables[0]
        .iter()
        .filter(|row| row[0] == "daily-refresh-18m" && !row[6].is_empty())
        .map(|row| &row[6])
        .collect();
    assert!(
        !demo_cells.is_empty(),
        "the refresh's time has a demo figure"
    );
    for cell in demo_cells {
        assert!(cell.starts_with("demo 0.7x"), "{cell}");
        assert!(
            cell.ends_with("WARNING: the demo contradicts the story's claim"),
            "{cell}"
        );
        assert!(cell.contains("no modeled wait"), "{cell}");
    }
}
