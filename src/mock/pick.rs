//! Step 2 of a mock question: the short list to pick from, reading what the user typed as a
//! story (an id, a unique id prefix, a list number, or nothing for "I have none"), and the
//! feedback on the pick.
//!
//! How well a story fits a question: 3 when the story lists the competency first (its primary
//! one), 2 when it lists it later, 0 when not at all; plus half a point for each word the
//! question shares with the story's title or own questions (common words left out), at most
//! 1.5. Only a finished story that declares the competency can "fit better".

use std::collections::HashSet;
use std::time::Duration;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use rand::Rng;
use rand::seq::SliceRandom;

use super::words::{is_filler, stems};
use crate::srs::Grade;
use crate::story::Story;

/// Stories on the short list, at most.
pub const LIST_SIZE: usize = 6;
/// Fitting stories on the short list, at most (the rest do not fit).
pub const LIST_FITTING: usize = 3;
/// A pick this fast, of the best story, is Easy for the pick card.
pub const QUICK_PICK: Duration = Duration::from_secs(5);
/// A pick slower than this is at best Hard: in an interview the silence shows.
pub const SLOW_PICK: Duration = Duration::from_secs(20);

/// How a story's front matter relates to a competency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Declares {
    /// Listed first in `competencies`.
    Primary,
    Secondary,
    No,
}

impl Declares {
    pub fn of(story: &Story, competency: &str) -> Declares {
        match story.meta.competencies.iter().position(|c| c == competency) {
            Some(0) => Declares::Primary,
            Some(_) => Declares::Secondary,
            None => Declares::No,
        }
    }

    pub fn declared(self) -> bool {
        self != Declares::No
    }
}

/// How well `story` fits a question of `competency` (see the module comment).
pub fn fit(story: &Story, competency: &str, question: &str) -> f64 {
    let declared = match Declares::of(story, competency) {
        Declares::Primary => 3.0,
        Declares::Secondary => 2.0,
        Declares::No => 0.0,
    };
    let asked: HashSet<String> = stems(question)
        .into_iter()
        .filter(|s| !is_filler(s))
        .collect();
    let mut own: HashSet<String> = stems(&story.meta.title).into_iter().collect();
    for q in &story.meta.questions {
        own.extend(stems(q));
    }
    let shared = asked.intersection(&own).count();
    declared + (shared as f64 * 0.5).min(1.5)
}

/// The short list: up to [`LIST_FITTING`] best-fitting finished stories that declare the
/// competency, filled up to [`LIST_SIZE`] with stories that do not, in a seeded order so the
/// position says nothing. Indices into `stories`.
pub fn short_list(
    stories: &[Story],
    competency: &str,
    question: &str,
    rng: &mut impl Rng,
) -> Vec<usize> {
    let mut fitting: Vec<(usize, f64)> = stories
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.meta.draft && Declares::of(s, competency).declared())
        .map(|(i, s)| (i, fit(s, competency, question)))
        .collect();
    fitting.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut list: Vec<usize> = fitting.iter().take(LIST_FITTING).map(|(i, _)| *i).collect();
    let mut others: Vec<usize> = stories
        .iter()
        .enumerate()
        .filter(|(i, s)| {
            !s.meta.draft && !list.contains(i) && !Declares::of(s, competency).declared()
        })
        .map(|(i, _)| i)
        .collect();
    others.shuffle(rng);
    list.extend(
        others
            .into_iter()
            .take(LIST_SIZE.saturating_sub(list.len())),
    );
    list.shuffle(rng);
    list
}

/// What the user typed at the pick step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pick {
    /// An index into the stories.
    Story(usize),
    /// "I have none."
    Nothing,
}

/// Reads a pick: an empty line is "none"; a number picks from `list`; else an exact id, then a
/// unique id prefix. Anything else is refused with a hint (and near matches by title or id);
/// the front end quotes the line before it (`` `x`: hint ``), cut if it is long.
pub fn read_pick(line: &str, stories: &[Story], list: &[usize]) -> Result<Pick, String> {
    let line = line.trim();
    if line.is_empty() {
        return Ok(Pick::Nothing);
    }
    // Any whole number, signed or not, is a list number (`-1` is not an id to look up).
    if let Ok(number) = line.parse::<i128>() {
        let at = usize::try_from(number).ok().and_then(|n| n.checked_sub(1));
        return match at.and_then(|i| list.get(i)) {
            Some(index) => Ok(Pick::Story(*index)),
            None => Err(format!(
                "the list has numbers 1 to {}; or type a story id, or an empty line for none",
                list.len()
            )),
        };
    }
    if let Some(index) = stories.iter().position(|s| s.id() == line) {
        return Ok(Pick::Story(index));
    }
    let prefixed: Vec<usize> = (0..stories.len())
        .filter(|i| stories[*i].id().starts_with(line))
        .collect();
    match prefixed.as_slice() {
        [one] => Ok(Pick::Story(*one)),
        [] => {
            let near = near_matches(line, stories);
            let hint = if near.is_empty() {
                String::new()
            } else {
                format!(" (did you mean {}?)", near.join(", "))
            };
            Err(format!(
                "no story has that id{hint}; type an id, an id prefix, a number from the list, or an empty line for none"
            ))
        }
        many => Err(format!(
            "it starts {} ids ({}); type more of it",
            many.len(),
            many.iter()
                .map(|i| stories[*i].id())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Longer than this, a typed pick is no id or title to guess at.
const NEAR_MATCH_CHARS: usize = 200;

/// Story ids whose id or title fuzzily matches `text`, best first, at most three.
pub fn near_matches(text: &str, stories: &[Story]) -> Vec<String> {
    if text.chars().count() > NEAR_MATCH_CHARS {
        return Vec::new();
    }
    let matcher = SkimMatcherV2::default();
    let mut scored: Vec<(i64, &str)> = stories
        .iter()
        .filter_map(|s| {
            let by_id = matcher.fuzzy_match(s.id(), text);
            let by_title = matcher.fuzzy_match(&s.meta.title, text);
            by_id.max(by_title).map(|score| (score, s.id()))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(3)
        .map(|(_, id)| id.to_owned())
        .collect()
}

/// A story that would have answered the question better than the pick.
#[derive(Debug, Clone, PartialEq)]
pub struct BetterFit {
    pub id: String,
    pub title: String,
    pub declares: Declares,
}

/// What the user is told about a pick.
#[derive(Debug, Clone, PartialEq)]
pub struct PickFeedback {
    pub competency: String,
    /// None: "I have none".
    pub picked: Option<String>,
    pub declares: Declares,
    pub picked_is_draft: bool,
    /// Best first, at most three.
    pub better: Vec<BetterFit>,
    /// For "none" and for a competency no finished story declares: how to start one.
    pub gap_command: Option<String>,
    /// The grade the pick card gets for this pick.
    pub pick_grade: Grade,
}

impl PickFeedback {
    /// The feedback as lines for the user.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        match &self.picked {
            None => lines.push(format!(
                "No story picked: recorded as a gap in `{}`.",
                self.competency
            )),
            Some(id) => lines.push(match self.declares {
                Declares::Primary => format!(
                    "{id} declares `{}` as its main competency.",
                    self.competency
                ),
                Declares::Secondary => format!("{id} declares `{}`.", self.competency),
                Declares::No => format!(
                    "{id} does not declare `{}`: say why it fits, or pick another.",
                    self.competency
                ),
            }),
        }
        if self.picked_is_draft {
            lines.push("It is still a draft: finish it before an interview.".to_owned());
        }
        if !self.better.is_empty() {
            let names: Vec<String> = self
                .better
                .iter()
                .map(|b| format!("{} ({})", b.id, b.title))
                .collect();
            lines.push(format!("Fits better: {}.", names.join("; ")));
        }
        if let Some(command) = &self.gap_command {
            // For "none", every finished story that declares the competency fits better.
            if self.picked.is_none() && !self.better.is_empty() {
                lines.push(format!("Or start a story of your own for it: {command}"));
            } else {
                lines.push(format!(
                    "No finished story for it yet? Start one: {command}"
                ));
            }
        }
        lines
    }
}

/// Judges a pick. `picked` indexes `stories`; `pick_time` decides between Easy, Good and Hard.
pub fn feedback(
    stories: &[Story],
    competency: &str,
    question: &str,
    picked: &Pick,
    pick_time: Duration,
) -> PickFeedback {
    let picked_story = match picked {
        Pick::Story(index) => stories.get(*index),
        Pick::Nothing => None,
    };
    let picked_fit = picked_story.map_or(f64::NEG_INFINITY, |s| fit(s, competency, question));
    let mut better: Vec<(f64, usize)> = stories
        .iter()
        .enumerate()
        .filter(|(i, s)| {
            !s.meta.draft
                && Declares::of(s, competency).declared()
                && Some(*i) != picked_index(picked)
        })
        .map(|(i, s)| (fit(s, competency, question), i))
        .filter(|(f, _)| *f > picked_fit)
        .collect();
    better.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let better: Vec<BetterFit> = better
        .into_iter()
        .take(3)
        .map(|(_, i)| BetterFit {
            id: stories[i].id().to_owned(),
            title: stories[i].meta.title.clone(),
            declares: Declares::of(&stories[i], competency),
        })
        .collect();
    let declares = picked_story.map_or(Declares::No, |s| Declares::of(s, competency));
    let any_finished = stories
        .iter()
        .any(|s| !s.meta.draft && Declares::of(s, competency).declared());
    let gap_command = (picked_story.is_none() || !any_finished)
        .then(|| format!("rehearse new --competency {competency} \"TITLE\""));
    let pick_grade = if !declares.declared() {
        Grade::Again
    } else if !better.is_empty() || pick_time > SLOW_PICK {
        Grade::Hard
    } else if pick_time <= QUICK_PICK {
        Grade::Easy
    } else {
        Grade::Good
    };
    PickFeedback {
        competency: competency.to_owned(),
        picked: picked_story.map(|s| s.id().to_owned()),
        declares,
        picked_is_draft: picked_story.is_some_and(|s| s.meta.draft),
        better,
        gap_command,
        pick_grade,
    }
}

fn picked_index(pick: &Pick) -> Option<usize> {
    match pick {
        Pick::Story(index) => Some(*index),
        Pick::Nothing => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::draw::rng;
    use crate::mock::testing::fixture_stories;

    fn index(stories: &[Story], id: &str) -> usize {
        stories.iter().position(|s| s.id() == id).unwrap()
    }

    const FASTER: &str = "Tell me about a system you made significantly faster.";

    #[test]
    fn fit_counts_the_declared_competency_and_shared_words() {
        let stories = fixture_stories();
        let cache = &stories[index(&stories, "cache-latency")];
        let pager = &stories[index(&stories, "pager-outage")];
        // Primary, and "system", "made", "significantly", "faster" are in its own question.
        assert_eq!(fit(cache, "performance", FASTER), 3.0 + 1.5);
        assert_eq!(
            fit(
                cache,
                "ownership",
                "Tell me about a time you owned a hard problem."
            ),
            2.0
        );
        assert_eq!(fit(pager, "performance", FASTER), 0.0);
    }

    #[test]
    fn a_pick_that_does_not_declare_the_competency_is_told_what_fits_better() {
        let stories = fixture_stories();
        let pager = Pick::Story(index(&stories, "pager-outage"));
        let feedback = feedback(
            &stories,
            "performance",
            FASTER,
            &pager,
            Duration::from_secs(3),
        );
        assert_eq!(feedback.declares, Declares::No);
        assert_eq!(
            feedback
                .better
                .iter()
                .map(|b| b.id.as_str())
                .collect::<Vec<_>>(),
            ["cache-latency"]
        );
        assert_eq!(feedback.pick_grade, Grade::Again);
        assert_eq!(feedback.gap_command, None);
        assert_eq!(
            feedback.lines(),
            [
                "pager-outage does not declare `performance`: say why it fits, or pick another.",
                "Fits better: cache-latency (Cutting checkout latency with a cache).",
            ]
        );
    }

    #[test]
    fn the_best_pick_is_easy_when_quick_good_when_not_and_hard_when_slow() {
        let stories = fixture_stories();
        let cache = Pick::Story(index(&stories, "cache-latency"));
        let grade = |secs| {
            feedback(
                &stories,
                "performance",
                FASTER,
                &cache,
                Duration::from_secs(secs),
            )
            .pick_grade
        };
        assert_eq!(grade(4), Grade::Easy);
        assert_eq!(grade(12), Grade::Good);
        assert_eq!(grade(25), Grade::Hard);
        // Ownership: pager-outage lists it first, cache-latency second: picking the cache
        // story leaves a better fit, so Hard however quick.
        let question = "Tell me about a production issue you owned from detection to prevention.";
        let feedback = feedback(
            &stories,
            "ownership",
            question,
            &cache,
            Duration::from_secs(2),
        );
        assert_eq!(feedback.declares, Declares::Secondary);
        assert_eq!(feedback.better[0].id, "pager-outage");
        assert_eq!(feedback.pick_grade, Grade::Hard);
    }

    #[test]
    fn none_is_a_gap_with_the_command_that_starts_a_story() {
        let stories = fixture_stories();
        let feedback = feedback(
            &stories,
            "customer",
            "Tell me about a user.",
            &Pick::Nothing,
            Duration::ZERO,
        );
        assert_eq!(feedback.picked, None);
        // The only customer story is a draft: nothing fits better.
        assert!(feedback.better.is_empty());
        assert_eq!(feedback.pick_grade, Grade::Again);
        assert_eq!(
            feedback.lines(),
            [
                "No story picked: recorded as a gap in `customer`.",
                "No finished story for it yet? Start one: rehearse new --competency customer \"TITLE\"",
            ]
        );
    }

    #[test]
    fn none_where_a_finished_story_declares_it_names_that_story() {
        let stories = fixture_stories();
        let feedback = feedback(
            &stories,
            "conflict",
            "Tell me about a time you disagreed with your manager.",
            &Pick::Nothing,
            Duration::from_secs(4),
        );
        assert_eq!(feedback.pick_grade, Grade::Again);
        assert_eq!(
            feedback.lines(),
            [
                "No story picked: recorded as a gap in `conflict`.",
                "Fits better: queue-disagreement (Disagreeing with my lead about a queue design).",
                "Or start a story of your own for it: rehearse new --competency conflict \"TITLE\"",
            ]
        );
    }

    #[test]
    fn the_short_list_holds_fitting_and_unfitting_stories_in_a_seeded_order() {
        let stories = fixture_stories();
        let list = short_list(
            &stories,
            "ownership",
            "Tell me about ownership.",
            &mut rng(1),
        );
        let ids: HashSet<&str> = list.iter().map(|i| stories[*i].id()).collect();
        // Four finished stories: two declare ownership, two do not; the draft is left out.
        assert_eq!(
            ids,
            HashSet::from([
                "cache-latency",
                "pager-outage",
                "queue-disagreement",
                "next-role"
            ])
        );
        assert_eq!(
            list,
            short_list(
                &stories,
                "ownership",
                "Tell me about ownership.",
                &mut rng(1)
            )
        );
    }

    #[test]
    fn a_pick_is_read_as_a_number_an_id_a_prefix_or_none() {
        let stories = fixture_stories();
        let list = vec![
            index(&stories, "queue-disagreement"),
            index(&stories, "pager-outage"),
        ];
        assert_eq!(read_pick("", &stories, &list), Ok(Pick::Nothing));
        assert_eq!(read_pick("2", &stories, &list), Ok(Pick::Story(list[1])));
        assert_eq!(
            read_pick("cache-latency", &stories, &list),
            Ok(Pick::Story(index(&stories, "cache-latency")))
        );
        assert_eq!(read_pick("pag", &stories, &list), Ok(Pick::Story(list[1])));
        // A number off the list, negative or huge too, is not an id to guess at.
        for number in ["3", "-1", "0", "+3", "99999999999999999999"] {
            assert_eq!(
                read_pick(number, &stories, &list).unwrap_err(),
                "the list has numbers 1 to 2; or type a story id, or an empty line for none"
            );
        }
        let error = read_pick("latency", &stories, &list).unwrap_err();
        assert!(error.contains("did you mean cache-latency"), "{error}");
        // "u" starts only usage-dashboard (a draft may be picked: the feedback says so).
        assert_eq!(
            read_pick("u", &stories, &list),
            Ok(Pick::Story(index(&stories, "usage-dashboard")))
        );
        let mut twins = stories.clone();
        twins[index(&stories, "next-role")].meta.id = "pager-rota".into();
        assert_eq!(
            read_pick("pager", &twins, &list).unwrap_err(),
            "it starts 2 ids (pager-rota, pager-outage); type more of it"
        );
    }
}
