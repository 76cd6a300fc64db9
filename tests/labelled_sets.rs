//! Import and job matching measured on the labelled sets under `tests/fixtures` (see the README
//! there): prints the figures, and fails below the targets of issue 22 on the tuning sets.
//! The sets never tuned on are printed too, and gated only at floors they cleared with a margin;
//! each set's header says how far it was tuned on.
//!
//! `cargo test --test labelled_sets -- --nocapture` shows the tables.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rehearse::import::{self, Outcome};
use rehearse::mock::job::rank;
use rehearse::story::question_bank::QuestionBank;
use rehearse::story::{self, SectionKind};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// Job matching: recall and precision of the competencies `rehearse job` lists as asked for.
const JOB_RECALL: f64 = 0.85;
const JOB_PRECISION: f64 = 0.8;
/// Job matching on the ads written after a tuning pass ended (`unseen`, and `post-tuning` and
/// `last`, run once before they were tuned on): a floor they cleared with a margin.
const LATER_SETS_FLOOR: f64 = 0.6;
/// Import: every labelled story found, and this share of its parts placed.
const PARTS_PLACED: f64 = 0.9;
/// The `blind` job ads: run once (recall 0.355, precision 0.733), then their story-told ad was
/// tuned on (0.581, 0.818 after): floors below what they measure now, to catch a matcher that
/// gets worse; they claim nothing about the targets.
const BLIND_JOB_RECALL: f64 = 0.5;
const BLIND_JOB_PRECISION: f64 = 0.7;
/// The `cold` job ads: run once (recall 0.552, precision 0.727), then tuned on (0.828, 0.923
/// after): floors below what they measure now, to catch a matcher that gets worse.
const COLD_JOB_RECALL: f64 = 0.7;
const COLD_JOB_PRECISION: f64 = 0.8;

/// The `frozen` note files, never tuned on: run once they found 4 of 6 stories and placed 16
/// of 24 parts (the Trello board's cards keep their text in `desc`, not read). Floors below
/// that: they catch an importer that stops reading the AsciiDoc page or the definition lists.
const FROZEN_STORIES_FOUND: f64 = 0.5;
const FROZEN_PARTS_PLACED: f64 = 0.5;

/// What each set's figures can claim, printed with them.
fn how_tuned(folder: &str) -> &'static str {
    match folder {
        "ads" | "shapes" => "tuned on",
        "fresh" | "post-tuning" | "last" | "blind" => "tuned on after being run once",
        "held-out" => "not tuned on; the job ads' misses seen once",
        "unseen" => "not tuned on; run during tuning",
        "sealed" | "unrun" | "cold" => "tuned on after being run once",
        "frozen" => "never tuned on: run once",
        _ => "",
    }
}

#[derive(Debug, Default, Clone, Copy)]
struct JobFigures {
    labelled: usize,
    listed: usize,
    right: usize,
}

impl JobFigures {
    fn recall(&self) -> f64 {
        self.right as f64 / self.labelled.max(1) as f64
    }
    fn precision(&self) -> f64 {
        self.right as f64 / self.listed.max(1) as f64
    }
    fn add(&mut self, other: JobFigures) {
        self.labelled += other.labelled;
        self.listed += other.listed;
        self.right += other.right;
    }
}

fn job_figures(folder: &str) -> JobFigures {
    let dir = Path::new(FIXTURES).join("job").join(folder);
    let labels: BTreeMap<String, Vec<String>> =
        serde_saphyr::from_str(&std::fs::read_to_string(dir.join("labels.yaml")).unwrap()).unwrap();
    let bank = QuestionBank::bundled();
    let mut total = JobFigures::default();
    println!("\njob matching, {folder} ({}):", how_tuned(folder));
    for (file, wanted) in &labels {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let ranking = rank(&bank, &text);
        let listed: Vec<&str> = ranking.ranked.iter().map(|r| r.key.as_str()).collect();
        let wanted: BTreeSet<&str> = wanted.iter().map(String::as_str).collect();
        for key in &wanted {
            assert!(bank.get(key).is_some(), "{file}: unknown label {key}");
        }
        let figures = JobFigures {
            labelled: wanted.len(),
            listed: listed.len(),
            right: listed.iter().filter(|k| wanted.contains(*k)).count(),
        };
        let missed: Vec<&str> = wanted
            .iter()
            .filter(|k| !listed.contains(k))
            .copied()
            .collect();
        let extra: Vec<&str> = listed
            .iter()
            .filter(|k| !wanted.contains(*k))
            .copied()
            .collect();
        println!(
            "  {file:<24} recall {:.2} precision {:.2}  missed {missed:?} extra {extra:?}",
            figures.recall(),
            figures.precision()
        );
        total.add(figures);
    }
    println!(
        "  all {} ads: recall {:.3} ({}/{}), precision {:.3} ({}/{})",
        labels.len(),
        total.recall(),
        total.right,
        total.labelled,
        total.precision(),
        total.right,
        total.listed
    );
    total
}

/// Job matching on `folder` at or above `recall` and `precision`.
fn assert_job_floors(folder: &str, recall: f64, precision: f64) {
    let figures = job_figures(folder);
    assert!(
        figures.recall() >= recall && figures.precision() >= precision,
        "{folder} job ads: recall {:.3} (floor {recall}), precision {:.3} (floor {precision})",
        figures.recall(),
        figures.precision()
    );
}

#[test]
fn job_matching_finds_what_the_labelled_ads_ask_for() {
    // Tuned on: the first 12 ads, and the 16 fresh ads of the generalisation pass (their figures
    // before any change on them are in tests/fixtures/README.md): held to the targets.
    for folder in ["ads", "fresh"] {
        assert_job_floors(folder, JOB_RECALL, JOB_PRECISION);
    }
    // Never tuned on (their misses seen once): a looser floor that still catches a matcher
    // fitted to the tuning sets.
    assert_job_floors("held-out", 0.7, 0.7);
    // `unseen` was run during a tuning pass (0.765/0.867); `post-tuning` (0.720/0.750) and `last`
    // (0.565/0.812) were run once and then tuned on (see tests/fixtures/README.md): gated only
    // well below what they measure, to catch a matcher that stops generalising, not to claim
    // the targets on them.
    for folder in ["unseen", "post-tuning", "last"] {
        assert_job_floors(folder, LATER_SETS_FLOOR, LATER_SETS_FLOOR);
    }
    // Written after the pass that tuned on `last` ended, before anything ran on them; run once,
    // then tuned on (see tests/fixtures/README.md).
    assert_job_floors("blind", BLIND_JOB_RECALL, BLIND_JOB_PRECISION);
    // Written after the pass that tuned on the `unrun` notes ended, before anything ran on
    // them; run once, then tuned on (see tests/fixtures/README.md).
    assert_job_floors("cold", COLD_JOB_RECALL, COLD_JOB_PRECISION);
}

/// One labelled story: its title and a phrase per STAR part.
#[derive(Debug, serde::Deserialize)]
struct StoryLabel {
    title: String,
    #[serde(flatten)]
    parts: BTreeMap<String, String>,
}

#[derive(Debug, Default, Clone, Copy)]
struct ImportFigures {
    stories: usize,
    found: usize,
    parts: usize,
    placed: usize,
}

impl ImportFigures {
    fn placed_share(&self) -> f64 {
        self.placed as f64 / self.parts.max(1) as f64
    }
}

fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn import_figures(folder: &str) -> (ImportFigures, Vec<String>) {
    let dir = Path::new(FIXTURES).join("import").join(folder);
    let labels: BTreeMap<String, Vec<StoryLabel>> =
        serde_saphyr::from_str(&std::fs::read_to_string(dir.join("labels.yaml")).unwrap()).unwrap();
    let into = tempfile::tempdir().unwrap();
    let mut total = ImportFigures::default();
    let mut lost = Vec::new();
    println!("\nimport, {folder} ({}):", how_tuned(folder));
    for (file, stories) in &labels {
        let path: PathBuf = dir.join(file);
        let report = import::plan(std::slice::from_ref(&path), into.path());
        let drafts: Vec<story::Story> = report
            .outcomes
            .iter()
            .filter_map(|o| match o {
                Outcome::New(draft) => Some(story::parse(&draft.path, &draft.text).unwrap()),
                _ => None,
            })
            .collect();
        let mut figures = ImportFigures::default();
        for label in stories {
            figures.stories += 1;
            figures.parts += label.parts.len();
            let Some(draft) = drafts
                .iter()
                .find(|d| d.meta.title.eq_ignore_ascii_case(label.title.trim()))
            else {
                lost.push(format!("{file}: story {:?} not found", label.title));
                continue;
            };
            figures.found += 1;
            for (part, phrase) in &label.parts {
                let kind = SectionKind::from_heading(part)
                    .unwrap_or_else(|| panic!("{file}: unknown part {part}"));
                let placed = draft
                    .section(kind)
                    .is_some_and(|s| squeeze(&s.text).contains(&squeeze(phrase)));
                if placed {
                    figures.placed += 1;
                } else {
                    lost.push(format!("{file}: {:?} {part} not placed", label.title));
                }
            }
        }
        let titles: Vec<&str> = drafts.iter().map(|d| d.meta.title.as_str()).collect();
        println!(
            "  {file:<24} stories {}/{} parts {}/{}  drafts {titles:?}",
            figures.found, figures.stories, figures.placed, figures.parts
        );
        total.stories += figures.stories;
        total.found += figures.found;
        total.parts += figures.parts;
        total.placed += figures.placed;
    }
    println!(
        "  all {} files: stories found {}/{}, parts placed {}/{} ({:.3})",
        labels.len(),
        total.found,
        total.stories,
        total.placed,
        total.parts,
        total.placed_share()
    );
    for line in &lost {
        println!("    {line}");
    }
    (total, lost)
}

#[test]
fn import_finds_every_labelled_story_and_places_its_parts() {
    // Tuned on: the first shapes, and the fresh note files of the generalisation pass (run once
    // first).
    for folder in ["shapes", "fresh"] {
        let (tuned, lost) = import_figures(folder);
        assert_eq!(
            tuned.found, tuned.stories,
            "{folder}: stories not found: {lost:#?}"
        );
        assert!(
            tuned.placed_share() >= PARTS_PLACED,
            "{folder}: parts placed {:.3} < {PARTS_PLACED}: {lost:#?}",
            tuned.placed_share()
        );
    }
    let (held_out, lost) = import_figures("held-out");
    assert_eq!(
        held_out.found, held_out.stories,
        "held-out stories not found: {lost:#?}"
    );
    // Run once (4/6 stories, 10/24 parts), then tuned on: now held to the tuned sets' bar.
    let (post_tuning, lost) = import_figures("post-tuning");
    assert!(
        post_tuning.found == post_tuning.stories && post_tuning.placed_share() >= PARTS_PLACED,
        "post-tuning notes below the tuned sets' bar: {lost:#?}"
    );
    // Run once (6/6 stories, 6/24 parts), then tuned on: held to the tuned sets' bar too.
    let (last, lost) = import_figures("last");
    assert!(
        last.found == last.stories && last.placed_share() >= PARTS_PLACED,
        "last notes below the tuned sets' bar: {lost:#?}"
    );
    // Run once (3/8 stories, 6/32 parts), then tuned on by the normalising pass: held to the
    // tuned sets' bar too.
    let (blind, lost) = import_figures("blind");
    assert!(
        blind.found == blind.stories && blind.placed_share() >= PARTS_PLACED,
        "blind notes below the tuned sets' bar: {lost:#?}"
    );
    // Run once (6/10 stories, 24/40 parts), then tuned on by reading HTML notes as text and
    // roman numerals as an outline's numbering: held to the tuned sets' bar too.
    let (sealed, lost) = import_figures("sealed");
    assert!(
        sealed.found == sealed.stories && sealed.placed_share() >= PARTS_PLACED,
        "sealed notes below the tuned sets' bar: {lost:#?}"
    );
    // Run once (6/8 stories, 18/32 parts), then tuned on (tabs and runs of spaces as
    // separators, a coach's questions, footnotes kept apart): held to the tuned sets' bar too.
    let (unrun, lost) = import_figures("unrun");
    assert!(
        unrun.found == unrun.stories && unrun.placed_share() >= PARTS_PLACED,
        "unrun notes below the tuned sets' bar: {lost:#?}"
    );
    // Run once (2/8 stories, 2/32 parts), then tuned on (LaTeX, reStructuredText and JSON
    // exports converted to text first, a `<details>` block's `<summary>` as its title): held
    // to the tuned sets' bar too.
    let (cold, lost) = import_figures("cold");
    assert!(
        cold.found == cold.stories && cold.placed_share() >= PARTS_PLACED,
        "cold notes below the tuned sets' bar: {lost:#?}"
    );
    // Never tuned on, run once: a floor below what it measured, to catch an importer that
    // gets worse on it, not to claim the targets on it.
    let (frozen, lost) = import_figures("frozen");
    let found_share = frozen.found as f64 / frozen.stories.max(1) as f64;
    assert!(
        found_share >= FROZEN_STORIES_FOUND && frozen.placed_share() >= FROZEN_PARTS_PLACED,
        "frozen notes: stories found {found_share:.3} (floor {FROZEN_STORIES_FOUND}), parts placed {:.3} (floor {FROZEN_PARTS_PLACED}): {lost:#?}",
        frozen.placed_share()
    );
}
