//! The ranking: every competency's terms looked for in every sentence of the ad, each match
//! weighed BM25-style, competencies sorted and split at the bar of [`asks_for`].

use std::collections::{HashMap, HashSet};

use super::terms::{Origin, Term, competency_terms};
use super::text::{Sentence, not_english, sentences};
use super::{JobRanking, MAX_COUNTED, RankedCompetency, WordMatch, asks_for};
use crate::story::question_bank::QuestionBank;

/// BM25's usual constants: how fast repeats stop adding, and how much a long sentence dilutes.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// Ranks `bank`'s competencies by what `text` asks for.
pub fn rank(bank: &QuestionBank, text: &str) -> JobRanking {
    let ad = Ad::new(text);
    let competencies: Vec<(usize, Vec<Term>)> = bank
        .competencies
        .iter()
        .enumerate()
        .map(|(order, c)| (order, competency_terms(c)))
        .collect();
    let shared = shared_terms(&competencies);
    let with_terms = competencies.iter().filter(|(_, t)| !t.is_empty()).count();
    let mut found = Vec::new();
    let mut unmentioned = Vec::new();
    let mut without_words = Vec::new();
    for (order, terms) in &competencies {
        let competency = &bank.competencies[*order];
        if terms.is_empty() {
            without_words.push(competency.key.clone());
            continue;
        }
        let spread = |term: &Term| {
            let sharing = shared.get(&term_key(term)).copied().unwrap_or(1);
            (1.0 + with_terms as f64 / sharing as f64).ln() / (1.0 + with_terms as f64).ln()
        };
        let matches = ad.matches(terms, spread);
        if matches.is_empty() {
            unmentioned.push(competency.key.clone());
            continue;
        }
        let score = matches.iter().map(WordMatch::points).sum();
        found.push((
            *order,
            RankedCompetency {
                key: competency.key.clone(),
                name: competency.name.clone(),
                score,
                matches,
            },
        ));
    }
    found.sort_by(|(a_order, a), (b_order, b)| {
        b.score
            .cmp(&a.score)
            .then(b.matches.len().cmp(&a.matches.len()))
            .then(a.first_line().cmp(&b.first_line()))
            .then(a_order.cmp(b_order))
    });
    let top = found.first().map_or(0, |(_, r)| r.score);
    let (ranked, in_passing): (Vec<_>, Vec<_>) = found
        .into_iter()
        .map(|(_, r)| r)
        .partition(|r| asks_for(r.score, top));
    JobRanking {
        ranked,
        in_passing,
        unmentioned,
        without_words,
        language: not_english(text),
    }
}

/// A term's content stems: two competencies with the same key share the term.
fn term_key(term: &Term) -> String {
    term.content().collect::<Vec<_>>().join(" ")
}

/// How many competencies have each term: a term many share tells them apart less.
fn shared_terms(competencies: &[(usize, Vec<Term>)]) -> HashMap<String, usize> {
    let mut shared: HashMap<String, usize> = HashMap::new();
    for (_, terms) in competencies {
        let keys: HashSet<String> = terms.iter().map(term_key).collect();
        for key in keys {
            *shared.entry(key).or_default() += 1;
        }
    }
    shared
}

/// The ad's sentences and their mean length in content words.
struct Ad {
    sentences: Vec<Sentence>,
    mean_length: f64,
}

/// One term's matches in one sentence.
struct Hit {
    sentence: usize,
    /// The line each match starts on (a sentence may be wrapped over several).
    lines: Vec<usize>,
    first_word: usize,
    count: usize,
    forms: Vec<String>,
}

impl Ad {
    fn new(text: &str) -> Ad {
        let sentences = sentences(text);
        let total: usize = sentences.iter().map(Sentence::content_len).sum();
        let mean_length = (total as f64 / sentences.len().max(1) as f64).max(1.0);
        Ad {
            sentences,
            mean_length,
        }
    }

    /// One competency's terms in the ad, weighed, in the order the text first uses them.
    /// Terms come longest first: a phrase claims its words before a word inside it can.
    fn matches(&self, terms: &[Term], spread: impl Fn(&Term) -> f64) -> Vec<WordMatch> {
        let mut claimed: Vec<Vec<bool>> = self
            .sentences
            .iter()
            .map(|s| vec![false; s.words.len()])
            .collect();
        let mut found: Vec<((usize, usize), WordMatch)> = Vec::new();
        for term in terms {
            let hits = self.hits(term, &mut claimed);
            let Some(first) = hits.first() else { continue };
            let position = (first.sentence, first.first_word);
            let weight = term.weight() * spread(term) * self.bm25(&hits);
            let mut lines: Vec<usize> = hits.iter().flat_map(|h| h.lines.clone()).collect();
            lines.sort_unstable();
            lines.dedup();
            let mut found_as: Vec<String> = Vec::new();
            for form in hits.iter().flat_map(|h| &h.forms) {
                if !found_as.contains(form) {
                    found_as.push(form.clone());
                }
            }
            found.push((
                position,
                WordMatch {
                    word: term.phrase.clone(),
                    lines,
                    length: term.length(),
                    found_as,
                    from_question: term.origin == Origin::Question,
                    weight,
                },
            ));
        }
        found.sort_by_key(|(position, _)| *position);
        found.into_iter().map(|(_, m)| m).collect()
    }

    /// Where `term` is, sentence by sentence; the words it covers become claimed.
    fn hits(&self, term: &Term, claimed: &mut [Vec<bool>]) -> Vec<Hit> {
        let mut hits = Vec::new();
        for (index, sentence) in self.sentences.iter().enumerate() {
            let found = term.find(sentence, &claimed[index]);
            if found.is_empty() {
                continue;
            }
            let mut forms = Vec::new();
            for at in &found {
                for word in at {
                    claimed[index][*word] = true;
                }
                let form: Vec<&str> = (at[0]..=at[at.len() - 1])
                    .map(|i| sentence.words[i].text.as_str())
                    .collect();
                forms.push(form.join(" "));
            }
            hits.push(Hit {
                sentence: index,
                lines: found.iter().map(|at| sentence.words[at[0]].line).collect(),
                first_word: found[0][0],
                count: found.len(),
                forms,
            });
        }
        hits
    }

    /// BM25 of one term over the ad's sentences: its inverse sentence frequency times the
    /// saturated count in each sentence it is in, the [`MAX_COUNTED`] best sentences.
    fn bm25(&self, hits: &[Hit]) -> f64 {
        // BM25's inverse document frequency, as a share of a term found in one sentence only:
        // a one-line ad and a long one score on the same scale.
        let total = self.sentences.len() as f64;
        let idf = |n: f64| (1.0 + (total - n + 0.5) / (n + 0.5)).ln();
        let idf = idf(hits.len() as f64) / idf(1.0);
        let mut per_sentence: Vec<f64> = hits
            .iter()
            .map(|hit| {
                let tf = hit.count as f64;
                let length = self.sentences[hit.sentence].content_len() as f64;
                tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * length / self.mean_length))
            })
            .collect();
        per_sentence.sort_by(|a, b| b.total_cmp(a));
        idf * per_sentence.iter().take(MAX_COUNTED).sum::<f64>()
    }
}
