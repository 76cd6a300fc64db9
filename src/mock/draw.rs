//! Which questions a mock asks: one weight per competency from what the user is weak at (and,
//! with a job description, what the job asks for), then a seeded draw.
//!
//! The weight of a competency is `(1 + stories + retention + unasked) × job`, where
//! - `stories` = 2 / (1 + finished stories that declare it): 2 with none, 1 with one;
//! - `retention` = 2 × (1 − share of its stories' reviews passed), or 0.5 when never reviewed;
//! - `unasked` = 1 when no mock has asked it yet;
//! - `job` = 1 + 3 × its job score / the top job score (1 without a job, or when not asked for).
//!
//! Competencies are drawn without putting them back until every one has been asked; within a
//! competency a question whose pick card is due weighs 3, one never asked 2, any other 1. A
//! question is asked at most once in a session: asking for more than the bank holds (in the
//! chosen competency) draws each once. A competency asked once in the session no longer counts
//! as "never asked in a mock", for its weight and for the reason shown.

use std::collections::{BTreeMap, HashMap, HashSet};

use rand::{Rng, RngExt, SeedableRng};
use thiserror::Error;

use super::bank::{BankQuestion, questions};
use super::job::JobRanking;
use crate::srs::stats::true_retention;
use crate::srs::{Grade, ReviewKind};
use crate::story::Story;
use crate::story::question_bank::QuestionBank;

/// The seeded generator every mock uses: the same seed draws the same session on any machine.
pub type MockRng = rand::rngs::Xoshiro256PlusPlus;

pub fn rng(seed: u64) -> MockRng {
    MockRng::seed_from_u64(seed)
}

/// What the user has for one competency (an input: the practice core or the store says it).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CompetencyState {
    /// Finished (not draft) stories that declare it.
    pub finished_stories: usize,
    /// True retention of those stories' cards; None without a review of a graduated card.
    pub retention: Option<f64>,
    /// Questions of this competency asked in earlier mocks.
    pub mock_asked: usize,
}

/// Per competency key; a key that is missing counts as no stories, never reviewed, never asked.
pub type Weakness = BTreeMap<String, CompetencyState>;

/// The weakness map from what is at hand: the loaded stories, the reviews of each story's
/// cards by story id (kind and grade; retention is [`true_retention`], the stats screen's
/// definition, so learning steps and cram do not count) and graded mock questions per
/// competency. The draw only reads the map.
pub fn weakness(
    bank: &QuestionBank,
    stories: &[Story],
    reviews_by_story: &HashMap<String, Vec<(ReviewKind, Grade)>>,
    mock_asked: &HashMap<String, usize>,
) -> Weakness {
    bank.competencies
        .iter()
        .map(|c| {
            let finished: Vec<&Story> = stories
                .iter()
                .filter(|s| !s.meta.draft && s.meta.competencies.contains(&c.key))
                .collect();
            let reviews = finished
                .iter()
                .filter_map(|s| reviews_by_story.get(s.id()))
                .flatten()
                .copied();
            let state = CompetencyState {
                finished_stories: finished.len(),
                retention: true_retention(reviews),
                mock_asked: mock_asked.get(&c.key).copied().unwrap_or(0),
            };
            (c.key.clone(), state)
        })
        .collect()
}

#[derive(Debug, Error, PartialEq)]
pub enum DrawError {
    #[error("no competency `{key}` in the question bank; known: {known}")]
    UnknownCompetency { key: String, known: String },
    #[error("the competency `{0}` has no questions in the bank")]
    NoQuestions(String),
    #[error("the question bank has no questions")]
    EmptyBank,
}

/// One competency's weight and where it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct CompetencyWeight {
    pub key: String,
    pub stories: f64,
    pub retention: f64,
    pub unasked: f64,
    pub job: f64,
}

impl CompetencyWeight {
    pub fn total(&self) -> f64 {
        (1.0 + self.stories + self.retention + self.unasked) * self.job
    }

    /// Why this competency came up, in words: `no finished story; never asked in a mock`.
    pub fn reasons(&self, state: &CompetencyState) -> String {
        let mut reasons = Vec::new();
        match state.finished_stories {
            0 => reasons.push("no finished story".to_owned()),
            1 => reasons.push("one finished story".to_owned()),
            _ => {}
        }
        match state.retention {
            None if state.finished_stories > 0 => reasons.push("never reviewed".to_owned()),
            Some(r) if r < 0.8 => reasons.push(format!("{:.0}% of reviews passed", r * 100.0)),
            _ => {}
        }
        if state.mock_asked == 0 {
            reasons.push("never asked in a mock".to_owned());
        }
        if self.job > 1.0 {
            reasons.push("the job asks for it".to_owned());
        }
        if reasons.is_empty() {
            reasons.push("practice".to_owned());
        }
        format!("weight {:.1}: {}", self.total(), reasons.join("; "))
    }
}

/// The weight of every competency of the bank that has questions, in bank order.
pub fn weights(
    bank: &QuestionBank,
    weakness: &Weakness,
    job: Option<&JobRanking>,
) -> Vec<CompetencyWeight> {
    let top = job.map_or(0, JobRanking::top_score);
    bank.competencies
        .iter()
        .filter(|c| !c.questions.is_empty())
        .map(|c| {
            let state = weakness.get(&c.key).copied().unwrap_or_default();
            let job_score = job.map_or(0, |j| j.score(&c.key));
            CompetencyWeight {
                key: c.key.clone(),
                stories: 2.0 / (1.0 + state.finished_stories as f64),
                retention: state
                    .retention
                    .map_or(0.5, |r| 2.0 * (1.0 - r.clamp(0.0, 1.0))),
                unasked: if state.mock_asked == 0 { 1.0 } else { 0.0 },
                job: if top == 0 {
                    1.0
                } else {
                    1.0 + 3.0 * job_score as f64 / top as f64
                },
            }
        })
        .collect()
}

/// What a draw needs besides the bank and the weights.
#[derive(Debug, Clone, Default)]
pub struct DrawOptions {
    pub questions: usize,
    /// `--competency K`: only this one.
    pub competency: Option<String>,
    /// Keys of bank questions whose pick card is due: weak picks come back.
    pub due_picks: HashSet<String>,
    /// Keys of bank questions asked in earlier mocks.
    pub asked_before: HashSet<String>,
}

/// A question drawn for a session, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct DrawnQuestion {
    pub question: BankQuestion,
    /// `weight 4.5: no finished story; ...`, plus `pick card due` when it is.
    pub why: String,
}

/// Draws `options.questions` questions.
pub fn draw(
    bank: &QuestionBank,
    weights: &[CompetencyWeight],
    weakness: &Weakness,
    options: &DrawOptions,
    rng: &mut impl Rng,
) -> Result<Vec<DrawnQuestion>, DrawError> {
    let all = questions(bank);
    let mut by_competency: HashMap<&str, Vec<&BankQuestion>> = HashMap::new();
    for question in &all {
        by_competency
            .entry(question.competency.as_str())
            .or_default()
            .push(question);
    }
    let pool: Vec<&CompetencyWeight> = match &options.competency {
        Some(key) => {
            if bank.get(key).is_none() {
                return Err(DrawError::UnknownCompetency {
                    key: key.clone(),
                    known: bank.keys().collect::<Vec<_>>().join(", "),
                });
            }
            let found: Vec<_> = weights.iter().filter(|w| &w.key == key).collect();
            if found.is_empty() {
                return Err(DrawError::NoQuestions(key.clone()));
            }
            found
        }
        None => weights.iter().collect(),
    };
    if pool.is_empty() {
        return Err(DrawError::EmptyBank);
    }
    // Each question at most once: more than the pool holds is capped (the caller says so).
    let available: usize = pool
        .iter()
        .map(|w| by_competency[w.key.as_str()].len())
        .sum();
    let wanted = options.questions.min(available);
    let mut drawn = Vec::with_capacity(wanted);
    let mut left: Vec<&CompetencyWeight> = Vec::new();
    let mut used_questions: HashSet<&str> = HashSet::new();
    // Competencies asked so far in this session: no longer "never asked in a mock".
    let mut asked_now: HashMap<&str, usize> = HashMap::new();
    while drawn.len() < wanted {
        if left.is_empty() {
            left = pool
                .iter()
                .copied()
                .filter(|w| {
                    by_competency[w.key.as_str()]
                        .iter()
                        .any(|q| !used_questions.contains(q.key.as_str()))
                })
                .collect();
        }
        let now_weights: Vec<CompetencyWeight> = left
            .iter()
            .map(|w| asked_in_session(w, asked_now.get(w.key.as_str()).copied()))
            .collect();
        let index = weighted_index(
            &now_weights
                .iter()
                .map(CompetencyWeight::total)
                .collect::<Vec<_>>(),
            rng,
        );
        let weight = &now_weights[index];
        left.remove(index);
        let fresh: Vec<&BankQuestion> = by_competency[weight.key.as_str()]
            .iter()
            .copied()
            .filter(|q| !used_questions.contains(q.key.as_str()))
            .collect();
        let question = choose_question(&fresh, options, rng);
        used_questions.insert(question.key.as_str());
        let mut state = weakness.get(&weight.key).copied().unwrap_or_default();
        state.mock_asked += asked_now.get(weight.key.as_str()).copied().unwrap_or(0);
        let mut why = weight.reasons(&state);
        if options.due_picks.contains(&question.key) {
            why.push_str("; its pick card is due");
        }
        *asked_now.entry(question.competency.as_str()).or_default() += 1;
        drawn.push(DrawnQuestion {
            question: question.clone(),
            why,
        });
    }
    Ok(drawn)
}

/// One of a competency's questions not asked yet in this session: one whose pick card is due
/// weighs 3, one never asked in a mock 2, any other 1.
fn choose_question<'a>(
    fresh: &[&'a BankQuestion],
    options: &DrawOptions,
    rng: &mut impl Rng,
) -> &'a BankQuestion {
    let weights: Vec<f64> = fresh
        .iter()
        .map(|q| {
            if options.due_picks.contains(&q.key) {
                3.0
            } else if !options.asked_before.contains(&q.key) {
                2.0
            } else {
                1.0
            }
        })
        .collect();
    fresh[weighted_index(&weights, rng)]
}

/// A competency's weight once this session has asked it `asked` times: it is no longer
/// "never asked in a mock".
fn asked_in_session(weight: &CompetencyWeight, asked: Option<usize>) -> CompetencyWeight {
    CompetencyWeight {
        unasked: if asked.unwrap_or(0) > 0 {
            0.0
        } else {
            weight.unasked
        },
        ..weight.clone()
    }
}

/// A seed for a mock drawn without `--seed`: below 2^63, so the database (which keeps it as a
/// signed 64-bit integer) holds the number the user is shown.
pub fn random_seed() -> u64 {
    rand::random::<u64>() >> 1
}

/// An index drawn with probability proportional to its weight (weights are positive).
fn weighted_index(weights: &[f64], rng: &mut impl Rng) -> usize {
    let total: f64 = weights.iter().sum();
    let mut target = rng.random::<f64>() * total;
    for (index, weight) in weights.iter().enumerate() {
        if target < *weight {
            return index;
        }
        target -= weight;
    }
    weights.len() - 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::job::rank;
    use crate::mock::testing::fixture_bank;

    fn weak_on_conflict() -> Weakness {
        let strong = CompetencyState {
            finished_stories: 3,
            retention: Some(0.95),
            mock_asked: 4,
        };
        let mut weakness: Weakness = [
            "ownership",
            "performance",
            "failure",
            "customer",
            "motivation",
        ]
        .iter()
        .map(|k| (k.to_string(), strong))
        .collect();
        weakness.insert("conflict".into(), CompetencyState::default());
        weakness
    }

    #[test]
    fn the_weakness_map_counts_finished_stories_reviews_and_mocks() {
        let bank = fixture_bank();
        let stories = crate::mock::testing::fixture_stories();
        use Grade::{Again, Good};
        use ReviewKind::{Cram, Learn, Review};
        // Learning steps and cram count for nothing, as on the stats screen.
        let reviews = HashMap::from([
            (
                "cache-latency".to_owned(),
                vec![
                    (Review, Good),
                    (Review, Good),
                    (Review, Good),
                    (Review, Again),
                ],
            ),
            (
                "pager-outage".to_owned(),
                vec![
                    (Review, Good),
                    (Review, Again),
                    (Review, Again),
                    (Review, Again),
                    (Cram, Good),
                    (Learn, Good),
                ],
            ),
        ]);
        let asked = HashMap::from([("conflict".to_owned(), 2)]);
        let map = weakness(&bank, &stories, &reviews, &asked);
        assert_eq!(
            map["ownership"],
            CompetencyState {
                finished_stories: 2,
                retention: Some(0.5),
                mock_asked: 0
            }
        );
        assert_eq!(map["conflict"].retention, None);
        assert_eq!(map["conflict"].mock_asked, 2);
        // The only customer story is a draft.
        assert_eq!(map["customer"].finished_stories, 0);
    }

    #[test]
    fn weights_follow_the_formula_and_explain_themselves() {
        let bank = fixture_bank();
        let weakness = weak_on_conflict();
        let weights = weights(&bank, &weakness, None);
        let conflict = weights.iter().find(|w| w.key == "conflict").unwrap();
        // 1 + 2 (no story) + 0.5 (never reviewed) + 1 (never asked).
        assert!((conflict.total() - 4.5).abs() < 1e-9);
        assert_eq!(
            conflict.reasons(&weakness["conflict"]),
            "weight 4.5: no finished story; never asked in a mock"
        );
        let ownership = weights.iter().find(|w| w.key == "ownership").unwrap();
        // 1 + 2/4 + 2 × 0.05.
        assert!(
            (ownership.total() - 1.6).abs() < 1e-9,
            "{}",
            ownership.total()
        );
    }

    #[test]
    fn the_same_seed_draws_the_same_questions_and_another_seed_differs() {
        let bank = fixture_bank();
        let weakness = weak_on_conflict();
        let weights = weights(&bank, &weakness, None);
        let options = DrawOptions {
            questions: 5,
            ..DrawOptions::default()
        };
        let keys = |seed| -> Vec<String> {
            draw(&bank, &weights, &weakness, &options, &mut rng(seed))
                .unwrap()
                .into_iter()
                .map(|d| d.question.key)
                .collect()
        };
        assert_eq!(keys(7), keys(7));
        assert!((0..20).any(|seed| keys(seed) != keys(7)));
        // Five questions from five different competencies: none is asked twice before all are.
        let competencies: HashSet<String> = keys(7)
            .iter()
            .map(|k| k.split('/').next().unwrap().to_owned())
            .collect();
        assert_eq!(competencies.len(), 5);
    }

    #[test]
    fn weak_competencies_come_first_more_often() {
        let bank = fixture_bank();
        let weakness = weak_on_conflict();
        let weights = weights(&bank, &weakness, None);
        let options = DrawOptions {
            questions: 1,
            ..DrawOptions::default()
        };
        let firsts = (0..600)
            .filter(|seed| {
                draw(&bank, &weights, &weakness, &options, &mut rng(*seed)).unwrap()[0]
                    .question
                    .competency
                    == "conflict"
            })
            .count();
        // Conflict weighs 4.5 against 1.6 for each of the five others: 4.5 / 12.5 = 36%,
        // where an even draw would give 17%.
        assert!((170..270).contains(&firsts), "{firsts} of 600");
    }

    #[test]
    fn a_job_pulls_its_competencies_forward() {
        let bank = fixture_bank();
        let weakness = Weakness::new();
        let ad = include_str!("../../tests/fixtures/job/platform-engineer.md");
        let ranking = rank(&bank, ad);
        let weights = weights(&bank, &weakness, Some(&ranking));
        // The job's weight is 1 + 3 x (score / top score); unasked competencies stay at 1.
        let top = ranking.top_score() as f64;
        assert!(top > 0.0);
        for weight in &weights {
            let expected = match ranking.score(&weight.key) {
                0 => 1.0,
                score => 1.0 + 3.0 * score as f64 / top,
            };
            assert_eq!(weight.job, expected, "{}", weight.key);
        }
        let job = |key: &str| weights.iter().find(|w| w.key == key).unwrap().job;
        assert_eq!(job("performance"), 4.0);
        assert!(
            job("ownership") > 2.0 && job("conflict") > 1.0,
            "{weights:?}"
        );
        assert_eq!((job("failure"), job("motivation")), (1.0, 1.0));
        let options = DrawOptions {
            questions: 1,
            ..DrawOptions::default()
        };
        let performance_or_ownership = (0..400)
            .filter(|seed| {
                let first =
                    &draw(&bank, &weights, &weakness, &options, &mut rng(*seed)).unwrap()[0];
                let unasked_by_job =
                    ["failure", "motivation"].contains(&first.question.competency.as_str());
                assert_eq!(first.why.contains("the job asks for it"), !unasked_by_job);
                ["performance", "ownership"].contains(&first.question.competency.as_str())
            })
            .count();
        // The two the job asks for most take their share of the summed weights (each weighs
        // 4.5 before the job); without the job, 2 of 6.
        let total = |keys: &[&str]| -> f64 {
            weights
                .iter()
                .filter(|w| keys.is_empty() || keys.contains(&w.key.as_str()))
                .map(|w| w.total())
                .sum()
        };
        let expected = 400.0 * total(&["performance", "ownership"]) / total(&[]);
        assert!(expected > 400.0 * 2.0 / 6.0 * 1.3, "{expected}");
        assert!(
            (expected * 0.8..expected * 1.2).contains(&(performance_or_ownership as f64)),
            "{performance_or_ownership} vs {expected}: {weights:?}",
        );
    }

    #[test]
    fn a_competency_restriction_keeps_to_it_and_repeats_only_when_its_questions_run_out() {
        let bank = fixture_bank();
        let weakness = Weakness::new();
        let weights = weights(&bank, &weakness, None);
        let options = DrawOptions {
            questions: 4,
            competency: Some("conflict".into()),
            ..DrawOptions::default()
        };
        let drawn = draw(&bank, &weights, &weakness, &options, &mut rng(3)).unwrap();
        assert!(drawn.iter().all(|d| d.question.competency == "conflict"));
        let first_three: HashSet<&str> =
            drawn[..3].iter().map(|d| d.question.key.as_str()).collect();
        assert_eq!(
            first_three.len(),
            3,
            "the bank's three conflict questions, each once"
        );

        let unknown = DrawOptions {
            competency: Some("telepathy".into()),
            ..options
        };
        let error = draw(&bank, &weights, &weakness, &unknown, &mut rng(3)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "no competency `telepathy` in the question bank; known: ownership, performance, conflict, failure, customer, motivation"
        );
    }

    #[test]
    fn a_due_pick_card_pulls_its_question_forward_within_its_competency() {
        let bank = fixture_bank();
        let weakness = Weakness::new();
        let weights = weights(&bank, &weakness, None);
        let due = "failure/what-is-a-lesson-you-learned-the-hard-way".to_owned();
        let asked: HashSet<String> = questions(&bank).into_iter().map(|q| q.key).collect();
        let options = DrawOptions {
            questions: 1,
            competency: Some("failure".into()),
            due_picks: HashSet::from([due.clone()]),
            asked_before: asked,
        };
        let hits = (0..300)
            .filter(|seed| {
                let drawn =
                    &draw(&bank, &weights, &weakness, &options, &mut rng(*seed)).unwrap()[0];
                if drawn.question.key == due {
                    assert!(drawn.why.ends_with("its pick card is due"));
                    true
                } else {
                    false
                }
            })
            .count();
        // 3 of 3 + 1 + 1: 60%, against 33% for an even draw.
        assert!((150..210).contains(&hits), "{hits} of 300");
    }
}
