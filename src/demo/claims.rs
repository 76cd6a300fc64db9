//! The story's key numbers beside the latest demo result for the same quantity. No UI here:
//! `rehearse show`, the export and the TUI's story screen all render what [`compare`] returns.
//!
//! A demo answers a story's before -> after claim with one of its summary metrics (a factor,
//! like the story's) and states the conditions it ran under in a note that starts with
//! [`ASSUMPTION_PREFIX`]. A demo result that goes the other way from the story's claim (no gain,
//! or a loss, where the story claims a gain) is a contradiction, shown as a warning.

pub use demo_kit::ASSUMPTION_PREFIX;
use demo_kit::Summary;

use crate::story::numbers::{Change, Quantity};
use crate::story::{MetricClaim, Story};

/// Which metric of which demo answers a story's claimed factor.
struct Answer {
    demo: &'static str,
    /// The summary metric, a factor ("x").
    metric: &'static str,
    group: Option<&'static str>,
    /// Words of the story metrics it answers (lower case); when none match, it answers the
    /// story's first before -> after metric.
    answers: &'static [&'static str],
}

const ANSWERS: &[Answer] = &[
    Answer {
        demo: "concurrent-etl",
        metric: "speedup",
        group: None,
        answers: &["wall time", "records per second"],
    },
    Answer {
        demo: "xml-cherry-pick",
        metric: "end-to-end speedup over full conversion",
        // The story cherry-picked with a regex.
        group: Some("regex"),
        answers: &["end to end", "one minute of input"],
    },
];

/// How a demo result stands to the story's claim.
#[derive(Debug, Clone, PartialEq)]
pub enum Standing {
    /// No successful run of the demo is recorded yet.
    NotRun,
    /// The demo ran but its summary has no figure for this quantity.
    NoFigure,
    /// Same direction as the story (the sizes may differ: both are shown).
    SameDirection,
    /// The demo measured no gain or a loss where the story claims a gain.
    Contradicts,
}

/// One story number beside the demo's.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimCheck {
    /// The story metric's name.
    pub metric: String,
    /// The story's factor, e.g. 6.0 for 3 h -> 30 min.
    pub story_factor: f64,
    /// The story's own words: "3 h -> 30 min (6x faster (83% less time))".
    pub story_text: String,
    pub demo: String,
    /// The demo's factor for the same quantity, from its latest successful run.
    pub demo_factor: Option<f64>,
    /// What that run assumed, in its own words.
    pub assumption: Option<String>,
    pub standing: Standing,
}

impl ClaimCheck {
    /// One line for a terminal or a Markdown list item.
    pub fn line(&self) -> String {
        let story = format!("story {:.1}x ({})", self.story_factor, self.story_text);
        format!("{}: {story}; {}", self.metric, self.demo_text())
    }

    /// The demo's side alone, with the warning when it contradicts the story: for a table
    /// that shows the story's numbers in columns of their own.
    pub fn demo_text(&self) -> String {
        let demo = match (&self.standing, self.demo_factor) {
            (Standing::NotRun, _) => format!("demo not run yet: rehearse demo run {}", self.demo),
            (Standing::NoFigure, _) | (_, None) => {
                format!("the latest {} run reports no such figure", self.demo)
            }
            (_, Some(factor)) => format!(
                "demo {factor:.1}x{}",
                self.assumption
                    .as_deref()
                    .map(|a| format!(" ({a})"))
                    .unwrap_or_default()
            ),
        };
        let warning = if self.standing == Standing::Contradicts {
            " — WARNING: the demo contradicts the story's claim"
        } else {
            ""
        };
        format!("{demo}{warning}")
    }

    pub fn contradicts(&self) -> bool {
        self.standing == Standing::Contradicts
    }
}

/// The factor a story metric claims, with its before and after in the story's words.
fn story_factor(metric: &MetricClaim) -> Option<(f64, String)> {
    let (before, after) = (metric.before.as_deref()?, metric.after.as_deref()?);
    let change = Change {
        before: Quantity::parse(before)?,
        after: Quantity::parse(after)?,
    };
    if change.before.unit != change.after.unit
        || change.before.value <= 0.0
        || change.after.value <= 0.0
    {
        return None;
    }
    let claim = metric
        .claim
        .as_deref()
        .map(|c| format!(" ({c})"))
        .unwrap_or_default();
    // The size of the change whichever way it went: 3 h -> 30 min and 1.7 k -> 10 k
    // records/s are both 6x.
    let ratio = change.ratio();
    let factor = if ratio < 1.0 { 1.0 / ratio } else { ratio };
    Some((factor, format!("{before} -> {after}{claim}")))
}

/// The story's key numbers that its demo answers, each beside `latest` (the summary of the
/// demo's latest successful run, if any). Empty when the story names no demo that answers one.
pub fn compare(story: &Story, latest: Option<&Summary>) -> Vec<ClaimCheck> {
    let Some(demo) = story.meta.demo.as_deref() else {
        return Vec::new();
    };
    let Some(answer) = ANSWERS.iter().find(|a| a.demo == demo) else {
        return Vec::new();
    };
    let with_factor: Vec<(&MetricClaim, (f64, String))> = story
        .meta
        .metrics
        .iter()
        .filter_map(|m| story_factor(m).map(|f| (m, f)))
        .collect();
    let named: Vec<_> = with_factor
        .iter()
        .filter(|(m, _)| {
            let name = m.name.to_lowercase();
            answer.answers.iter().any(|w| name.contains(w))
        })
        .cloned()
        .collect();
    let chosen = if named.is_empty() {
        with_factor.into_iter().take(1).collect()
    } else {
        named
    };
    let figure = latest.and_then(|summary| {
        summary
            .metrics
            .iter()
            .find(|m| m.name == answer.metric && m.group.as_deref() == answer.group)
            .map(|m| m.value)
    });
    let assumption = latest.and_then(|summary| {
        summary
            .notes
            .iter()
            .find_map(|n| n.strip_prefix(ASSUMPTION_PREFIX))
            .map(str::to_owned)
    });
    chosen
        .into_iter()
        .map(|(metric, (story_factor, story_text))| {
            let standing = match (latest, figure) {
                (None, _) => Standing::NotRun,
                (Some(_), None) => Standing::NoFigure,
                (Some(_), Some(f)) if story_factor > 1.0 && f <= 1.0 => Standing::Contradicts,
                (Some(_), Some(f)) if story_factor < 1.0 && f >= 1.0 => Standing::Contradicts,
                (Some(_), Some(_)) => Standing::SameDirection,
            };
            ClaimCheck {
                metric: metric.name.clone(),
                story_factor,
                story_text,
                demo: demo.to_owned(),
                demo_factor: figure,
                assumption: assumption.clone(),
                standing,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use demo_kit::Metric;

    use super::*;

    fn story(demo: &str) -> Story {
        let text = format!(
            "---\nid: refresh\ntitle: Refresh\ndemo: {demo}\nmetrics:\n  - name: daily refresh \
             wall time\n    before: 3 h\n    after: 30 min\n    claim: 6x faster\n  - name: \
             records in the refresh\n    claim: 18 million\n---\n\n## Situation\n\nSlow.\n"
        );
        crate::story::parse(std::path::Path::new("refresh.md"), &text).unwrap()
    }

    fn summary(speedup: f64) -> Summary {
        Summary {
            headline: "done".into(),
            metrics: vec![Metric::new("speedup", speedup, "x")],
            notes: vec![format!(
                "{ASSUMPTION_PREFIX}40 ms modeled wait per page, SQLite"
            )],
        }
    }

    #[test]
    fn the_story_number_sits_beside_the_demo_result_and_its_assumption() {
        let checks = compare(&story("concurrent-etl"), Some(&summary(5.8)));
        assert_eq!(checks.len(), 1, "only the metric with a before and after");
        let check = &checks[0];
        assert_eq!(check.story_factor, 6.0);
        assert_eq!(check.standing, Standing::SameDirection);
        assert_eq!(
            check.line(),
            "daily refresh wall time: story 6.0x (3 h -> 30 min (6x faster)); demo 5.8x (40 ms \
             modeled wait per page, SQLite)"
        );
    }

    #[test]
    fn a_demo_that_measures_no_gain_contradicts_the_story_and_says_so() {
        let checks = compare(&story("concurrent-etl"), Some(&summary(0.97)));
        assert!(checks[0].contradicts());
        assert!(checks[0].line().contains("WARNING"), "{}", checks[0].line());
    }

    #[test]
    fn no_run_and_no_figure_are_told_apart_and_unknown_demos_answer_nothing() {
        let checks = compare(&story("concurrent-etl"), None);
        assert_eq!(checks[0].standing, Standing::NotRun);
        assert!(
            checks[0]
                .line()
                .contains("rehearse demo run concurrent-etl")
        );
        let empty = Summary::default();
        assert_eq!(
            compare(&story("concurrent-etl"), Some(&empty))[0].standing,
            Standing::NoFigure
        );
        assert!(compare(&story("recursion-guard"), Some(&summary(2.0))).is_empty());
    }
}
