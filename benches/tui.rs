//! The TUI's speed targets, as benchmarks (not timed tests):
//!
//! - first frame with 1,000 stories: under 100 ms (parse the stories, derive their cards, build
//!   the search index and the app, draw the library at 100x30, which lints the rows shown);
//! - a search keystroke over 10,000 stories: under 5 ms (a full search, no narrowing from the
//!   previous query; and the usual case, one more character narrowing the last hits);
//! - one full frame: under 2 ms (the library with its Markdown preview, and the drill).
//!
//! The stories are synthetic but shaped like real ones: front matter with tags, competencies,
//! questions and metrics, four STAR sections of a few hundred words, follow-ups.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::Timestamp;
use rehearse::story::Story;
use rehearse::story::lint::LintOptions;
use rehearse::tui::Offscreen;
use rehearse::tui::app::{Action, App};
use rehearse::tui::data::Data;
use rehearse::tui::keymap::Keymap;
use rehearse::tui::theme::Theme;

const WORDS: &[&str] = &[
    "lambda",
    "pipeline",
    "latency",
    "throughput",
    "queue",
    "deadline",
    "customer",
    "schema",
    "migration",
    "profiling",
    "regex",
    "parser",
    "async",
    "batch",
    "retry",
    "alert",
    "permission",
    "bucket",
    "container",
    "kubernetes",
    "budget",
    "rollback",
    "incident",
    "postmortem",
    "index",
    "cache",
    "shard",
    "replica",
    "stream",
    "window",
    "mentor",
    "review",
    "estimate",
    "scope",
    "stakeholder",
    "priority",
    "kanban",
    "sprint",
    "backlog",
    "release",
    "canary",
    "metric",
];

/// A small deterministic generator (no dependency needed for this).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }

    fn word(&mut self) -> &'static str {
        WORDS[self.next() % WORDS.len()]
    }

    fn sentence(&mut self, words: usize) -> String {
        let mut out: Vec<&str> = (0..words).map(|_| self.word()).collect();
        out.insert(words / 2, "I");
        format!("{}.", out.join(" "))
    }
}

fn story_text(i: usize, rng: &mut Lcg) -> String {
    let title = format!("{} {} {} story {i}", rng.word(), rng.word(), rng.word());
    let mut text = format!(
        "---\nid: story-{i:05}\ntitle: {title}\ntags: [{}, {}]\ncompetencies: [ownership, performance-and-scale]\n\
         questions:\n  - Tell me about a {} you improved.\n  - How did you handle the {}?\n\
         metrics:\n  - name: time per run\n    before: 19.5 s\n    after: 5 s\n    claim: about 3.9x faster\n---\n\n",
        rng.word(),
        rng.word(),
        rng.word(),
        rng.word()
    );
    for (section, sentences) in [("Situation", 3), ("Task", 2), ("Action", 8), ("Result", 3)] {
        text.push_str(&format!("## {section}\n\n"));
        if section == "Action" {
            for _ in 0..sentences {
                text.push_str(&format!("- {}\n", rng.sentence(12)));
            }
        } else {
            for _ in 0..sentences {
                text.push_str(&rng.sentence(14));
                text.push(' ');
            }
            if section == "Result" {
                text.push_str("It went from 19.5 s to 5 s per record.");
            }
        }
        text.push_str("\n\n");
    }
    text.push_str("## Follow-ups\n\n### What would you do differently?\n\n");
    text.push_str(&rng.sentence(20));
    text.push('\n');
    text
}

fn texts(n: usize) -> Vec<(PathBuf, String)> {
    let mut rng = Lcg(42);
    (0..n)
        .map(|i| {
            (
                PathBuf::from(format!("stories/story-{i:05}.md")),
                story_text(i, &mut rng),
            )
        })
        .collect()
}

fn parse_all(texts: &[(PathBuf, String)]) -> Vec<Story> {
    texts
        .iter()
        .map(|(path, text)| rehearse::story::parse(path, text).expect("synthetic stories parse"))
        .collect()
}

fn now() -> Timestamp {
    "2026-11-25T18:00:00Z".parse().unwrap()
}

fn build(stories: Vec<Story>) -> App {
    // The deck is the practice core's now; built here too so "first frame" measures the same
    // work as before.
    black_box(rehearse::srs::Deck::from_stories(&stories, true));
    let data = Data::new(
        stories,
        vec![],
        &LintOptions::default(),
        rehearse::demo::is_known,
    );
    App::new(data, Keymap::defaults(), Theme::colored(), now())
}

fn first_frame(c: &mut Criterion) {
    let texts = texts(1_000);
    c.bench_function(
        "first frame, 1000 stories (parse + cards + index + draw)",
        |b| {
            b.iter(|| {
                let app = build(parse_all(&texts));
                let mut screen = Offscreen::new(100, 30);
                screen.draw(&app);
                black_box(screen);
            });
        },
    );
}

/// The part of the first frame that is the story bank's, not the TUI's: for comparison.
fn parse_only(c: &mut Criterion) {
    let texts = texts(1_000);
    c.bench_function("parse 1000 stories (story::parse alone)", |b| {
        b.iter(|| black_box(parse_all(&texts)));
    });
    c.bench_function(
        "first frame, 1000 stories already parsed (index + draw)",
        |b| {
            b.iter_batched(
                || parse_all(&texts),
                |stories| {
                    let app = build(stories);
                    let mut screen = Offscreen::new(100, 30);
                    screen.draw(&app);
                    black_box(screen);
                },
                criterion::BatchSize::LargeInput,
            );
        },
    );
}

fn breakdown(c: &mut Criterion) {
    let stories = parse_all(&texts(1_000));
    c.bench_function("deck (cards) from 1000 stories", |b| {
        b.iter(|| black_box(rehearse::srs::Deck::from_stories(&stories, true)));
    });
    c.bench_function("search index of 1000 stories", |b| {
        b.iter(|| black_box(rehearse::tui::data::SearchIndex::build(stories.iter())));
    });
}

fn search(c: &mut Criterion) {
    let mut app = build(parse_all(&texts(10_000)));
    c.bench_function("search keystroke, 10000 stories, full scan", |b| {
        let mut flip = false;
        b.iter(|| {
            // Alternate two queries so each search starts from scratch.
            flip = !flip;
            app.search(if flip { "lat" } else { "pip" });
            black_box(app.library.hits.len());
        });
    });
    c.bench_function(
        "search keystroke, 10000 stories, narrowing (la -> lat)",
        |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    app.search("la");
                    let start = Instant::now();
                    app.update(Action::SearchInput('t'));
                    total += start.elapsed();
                    black_box(app.library.hits.len());
                }
                total
            });
        },
    );
    app.search("lat");
    assert!(
        !app.library.hits.is_empty(),
        "the query matches some stories"
    );
}

fn frame(c: &mut Criterion) {
    let mut app = build(parse_all(&texts(1_000)));
    let mut screen = Offscreen::new(100, 30);
    c.bench_function("one full frame: library + preview, 100x30", |b| {
        b.iter(|| {
            // Every frame is drawn whole; the terminal diff is what makes it cheap to send.
            screen.draw(black_box(&app));
        });
    });
    app.search("lat");
    c.bench_function(
        "one full frame: library with search highlights, 100x30",
        |b| {
            b.iter(|| screen.draw(black_box(&app)));
        },
    );
}

criterion_group!(benches, first_frame, parse_only, breakdown, search, frame);
criterion_main!(benches);
