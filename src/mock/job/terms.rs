//! Each competency's text as the matcher looks for it in an ad: the bank's job words and short
//! phrases (strong evidence), found in a sentence as written or, for a phrase, with a few words
//! between its own; and its questions (weaker evidence), found when a sentence uses two or more
//! of one question's words ("decisions with incomplete information" for "decide without all the
//! information"). A question's single words alone say too little ("work", "changed").

use super::text::{Sentence, Word, is_generic, words};
use crate::story::question_bank::Competency;

/// Where a term comes from: how much a match says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    JobWord,
    Question,
}

/// A word or phrase to look for.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// As the bank writes it.
    pub phrase: String,
    pub words: Vec<Word>,
    pub origin: Origin,
}

/// Weight of a match on a question's words, against 1 for a job word.
const QUESTION_WEIGHT: f64 = 0.5;
/// Words of one question a sentence must use to match it.
const QUESTION_WORDS: usize = 2;
/// A term made only of words every ad uses.
const GENERIC_WEIGHT: f64 = 0.2;
/// Words between a phrase's own that still read as the phrase ("disagree with a peer or a
/// manager and still commit" is "disagree and commit").
const PHRASE_SLACK: usize = 3;

impl Term {
    /// Content stems (not function words), in order.
    pub fn content(&self) -> impl Iterator<Item = &str> {
        self.words
            .iter()
            .filter(|w| !w.stop)
            .map(|w| w.stem.as_str())
    }

    pub fn length(&self) -> usize {
        self.content().count()
    }

    pub fn weight(&self) -> f64 {
        let origin = match self.origin {
            Origin::JobWord => 1.0,
            Origin::Question => QUESTION_WEIGHT,
        };
        if self.content().all(is_generic) {
            origin * GENERIC_WEIGHT
        } else {
            origin
        }
    }

    /// Where the term is in `sentence`, skipping claimed words: for each match, the indices
    /// of the sentence's words it covers.
    pub fn find(&self, sentence: &Sentence, claimed: &[bool]) -> Vec<Vec<usize>> {
        if self.origin == Origin::Question {
            return find_together(self, sentence, claimed);
        }
        let mut found = self.find_exact(sentence, claimed);
        // Loosely only when the first word says something: "work with others" is not
        // "patience with others' work", "a plan that changes" is "plan will change".
        let anchored = self.content().next().is_some_and(|w| !is_generic(w));
        if found.is_empty() && self.length() >= 2 && anchored {
            found = self.find_loose(sentence, claimed);
        }
        found
    }

    /// Every word in order, side by side ("end to end", "on call").
    fn find_exact(&self, sentence: &Sentence, claimed: &[bool]) -> Vec<Vec<usize>> {
        let n = self.words.len();
        // One word with function words around it ("on-call", "own the"): as written, since a
        // stem alone reads "on calls with staff" as "on-call".
        let as_written = self.length() == 1 && n > 1;
        let same = |a: &Word, b: &Word| {
            // A word the ad uses as a function word ("your own") is not the term's content word.
            if a.stop && !b.stop {
                return false;
            }
            if as_written {
                a.text == b.text
            } else {
                a.stem == b.stem
            }
        };
        let mut found = Vec::new();
        let mut start = 0;
        while start + n <= sentence.words.len() {
            let here = &sentence.words[start..start + n];
            let free = !claimed[start..start + n].iter().any(|c| *c);
            if free && here.iter().zip(&self.words).all(|(a, b)| same(a, b)) {
                found.push((start..start + n).collect());
                start += n;
            } else {
                start += 1;
            }
        }
        found
    }

    /// The content words in order, with at most [`PHRASE_SLACK`] other content words between.
    fn find_loose(&self, sentence: &Sentence, claimed: &[bool]) -> Vec<Vec<usize>> {
        let wanted: Vec<&str> = self.content().collect();
        let content: Vec<usize> = (0..sentence.words.len())
            .filter(|i| !sentence.words[*i].stop && !claimed[*i])
            .collect();
        let mut found = Vec::new();
        let mut from = 0;
        'outer: while from < content.len() {
            if sentence.words[content[from]].stem != wanted[0] {
                from += 1;
                continue;
            }
            let mut at = vec![content[from]];
            let mut position = from;
            for stem in &wanted[1..] {
                let window = position + 1..(position + 2 + PHRASE_SLACK).min(content.len());
                match window
                    .clone()
                    .find(|p| sentence.words[content[*p]].stem == *stem)
                {
                    Some(p) => {
                        at.push(content[p]);
                        position = p;
                    }
                    None => {
                        from += 1;
                        continue 'outer;
                    }
                }
            }
            found.push(at);
            from = position + 1;
        }
        found
    }
}

/// [`QUESTION_WORDS`] or more of the question's words anywhere in the sentence: one match.
fn find_together(term: &Term, sentence: &Sentence, claimed: &[bool]) -> Vec<Vec<usize>> {
    let mut at = Vec::new();
    for stem in term.content() {
        let word = (0..sentence.words.len())
            .find(|i| !claimed[*i] && !sentence.words[*i].stop && sentence.words[*i].stem == stem);
        if let Some(index) = word
            && !at.contains(&index)
        {
            at.push(index);
        }
    }
    at.sort_unstable();
    if at.len() >= QUESTION_WORDS {
        vec![at]
    } else {
        Vec::new()
    }
}

/// A competency's terms: its job words, longest first, so a phrase claims its words before a
/// word inside it can; then its questions, which take only what the job words left.
pub fn competency_terms(competency: &Competency) -> Vec<Term> {
    let mut terms: Vec<Term> = competency
        .job_words
        .iter()
        .map(|phrase| Term {
            phrase: phrase.clone(),
            words: words(phrase),
            origin: Origin::JobWord,
        })
        .filter(|t| t.length() > 0)
        .collect();
    for question in &competency.questions {
        let mut content: Vec<Word> = Vec::new();
        for word in words(question) {
            let telling = !word.stop && !is_question_filler(&word.text) && !is_generic(&word.stem);
            if telling && !content.iter().any(|w| w.stem == word.stem) {
                content.push(word);
            }
        }
        if content.len() >= QUESTION_WORDS {
            terms.push(Term {
                phrase: question.clone(),
                words: content,
                origin: Origin::Question,
            });
        }
    }
    terms.sort_by_key(|t| {
        (
            t.origin == Origin::Question,
            std::cmp::Reverse(t.words.len()),
        )
    });
    terms
}

/// How a question is asked, not what it is about.
fn is_question_filler(word: &str) -> bool {
    const FILLER: &[&str] = &[
        "tell",
        "describe",
        "time",
        "walk",
        "through",
        "give",
        "example",
        "something",
        "someone",
        "piece",
        "kind",
        "where",
        "why",
        "while",
        "after",
        "before",
        "once",
        "even",
        "though",
        "anyway",
        "afterwards",
        "first",
        "next",
        "last",
        "made",
        "make",
        "did",
        "went",
        "got",
        "had",
        "found",
        "several",
    ];
    FILLER.contains(&word) || word.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::super::text::sentences;
    use super::*;

    fn term(phrase: &str) -> Term {
        Term {
            phrase: phrase.to_owned(),
            words: words(phrase),
            origin: Origin::JobWord,
        }
    }

    fn found(phrase: &str, text: &str) -> Vec<Vec<usize>> {
        let sentence = &sentences(text)[0];
        term(phrase).find(sentence, &vec![false; sentence.words.len()])
    }

    #[test]
    fn phrases_match_as_written_or_with_a_few_words_between() {
        assert_eq!(found("end-to-end", "own it end to end"), [vec![2, 3, 4]]);
        assert_eq!(
            found(
                "disagree and commit",
                "disagree with a peer or a manager and still commit to the decision"
            )
            .len(),
            1
        );
        assert_eq!(
            found("learn from mistakes", "you learn from failures").len(),
            1
        );
        assert_eq!(found("collaboration", "collaborate with product").len(), 1);
        // Too far apart: not the phrase.
        assert!(
            found(
                "root cause",
                "root access to many of the old servers and their cause"
            )
            .is_empty()
        );
        // A phrase of one content word matches only as written: "calls" is not "on-call".
        assert!(found("on-call", "sit in on calls with staff").is_empty());
    }

    #[test]
    fn claimed_words_are_not_matched_again() {
        let sentence = &sentences("customer obsession and customer needs")[0];
        let mut claimed = vec![false; sentence.words.len()];
        claimed[0] = true;
        assert_eq!(term("customer").find(sentence, &claimed), [vec![3]]);
    }
}
