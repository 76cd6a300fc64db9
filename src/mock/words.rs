//! Words as the mock compares them: split at anything that is not a letter or digit,
//! lower-cased and stemmed lightly, so "owned", "owning" and "owns" all read as `own`.
//!
//! The stemmer is deliberately small and predictable (plural, `-ing`, `-ed`, a final `e`,
//! a doubled last consonant): it only has to make a job ad's wording meet the bank's.

/// One word of a text, where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub stem: String,
    /// The word as written, lower-cased.
    pub text: String,
    /// 1-based line the word is on.
    pub line: usize,
}

/// The words of `text` with their line numbers.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    for (index, line) in text.lines().enumerate() {
        for word in line
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            out.push(Token {
                stem: stem(word),
                text: word.to_lowercase(),
                line: index + 1,
            });
        }
    }
    out
}

/// The stems of a word or phrase, in order: `"Taking ownership"` -> `["tak", "ownership"]`.
pub fn stems(phrase: &str) -> Vec<String> {
    phrase
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(stem)
        .collect()
}

/// Common words that say nothing about a competency; left out when comparing questions.
pub fn is_filler(stem_: &str) -> bool {
    const FILLER: &[&str] = &[
        "a",
        "an",
        "and",
        "the",
        "to",
        "of",
        "in",
        "on",
        "for",
        "with",
        "you",
        "your",
        "me",
        "my",
        "tell",
        "about",
        "time",
        "describe",
        "what",
        "how",
        "when",
        "did",
        "do",
        "it",
        "that",
        "this",
        "i",
        "we",
        "was",
        "were",
        "had",
        "have",
        "has",
        "is",
        "are",
        "be",
        "or",
        "at",
        "by",
        "from",
        "something",
        "walk",
        "through",
        "give",
        "example",
        "not",
        "so",
        "as",
    ];
    FILLER.iter().any(|word| stem(word) == stem_)
}

/// A light stem of one word (lower-cased first).
pub fn stem(word: &str) -> String {
    let mut w = word.to_lowercase();
    if w.chars().count() <= 3 || !w.chars().all(|c| c.is_ascii_alphabetic()) {
        return w;
    }
    // Plurals.
    if w.ends_with("ies") && w.len() > 4 {
        w.truncate(w.len() - 3);
        w.push('y');
    } else if w.ends_with("es")
        && ["sses", "xes", "ches", "shes", "zzes"]
            .iter()
            .any(|s| w.ends_with(s))
    {
        w.truncate(w.len() - 2);
    } else if w.ends_with('s') && !["ss", "us", "is"].iter().any(|s| w.ends_with(s)) {
        w.truncate(w.len() - 1);
    }
    // Verb forms.
    if w.ends_with("ing") && w.len() >= 6 {
        w.truncate(w.len() - 3);
        undouble(&mut w);
    } else if w.ends_with("ied") && w.len() >= 5 {
        w.truncate(w.len() - 3);
        w.push('y');
    } else if w.ends_with("ed") && w.len() >= 5 {
        w.truncate(w.len() - 2);
        undouble(&mut w);
    }
    if w.ends_with('e') && w.len() > 3 {
        w.pop();
    }
    w
}

/// `runn` -> `run`, `plann` -> `plan`; `call` and `pass` stay.
fn undouble(w: &mut String) {
    let bytes = w.as_bytes();
    let n = bytes.len();
    if n >= 3 && bytes[n - 1] == bytes[n - 2] && !b"aeioulsz".contains(&bytes[n - 1]) {
        w.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_forms_meet_at_one_stem() {
        for group in [
            &["own", "owns", "owned", "owning"][..],
            &["scale", "scales", "scaled", "scaling"],
            &["mentor", "mentors", "mentoring", "mentored"],
            &["process", "processes"],
            &["run", "running", "runs"],
            &["plan", "planned", "planning", "plans"],
            &["priority", "priorities"],
            &["deadline", "deadlines"],
            &["debug", "debugging", "debugged"],
        ] {
            let first = stem(group[0]);
            for word in group {
                assert_eq!(stem(word), first, "{word} vs {}", group[0]);
            }
        }
        // Different words stay apart.
        assert_ne!(stem("lead"), stem("leadership"));
        assert_ne!(stem("call"), stem("cal"));
        assert_eq!(stem("CI"), "ci");
    }

    #[test]
    fn tokens_keep_their_lines_and_split_hyphens() {
        let tokens = tokens("## Role\nCross-functional teams;\n\nOn-call rota");
        let words: Vec<(&str, usize)> = tokens.iter().map(|t| (t.stem.as_str(), t.line)).collect();
        assert_eq!(tokens[1].text, "cross");
        assert_eq!(
            words,
            [
                ("rol", 1),
                ("cross", 2),
                ("functional", 2),
                ("team", 2),
                ("on", 4),
                ("call", 4),
                ("rota", 4)
            ]
        );
    }
}
