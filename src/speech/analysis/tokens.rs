//! Words as the analysis compares them: lower case, punctuation off, numbers split from their
//! signs ("$10,000" -> "$" "10000", "83%" -> "83" "%", "6x" -> "6" "x", "30-minute" -> "30"
//! "minute"), each token remembering which word of the transcript it came from.

use rust_stemmers::{Algorithm, Stemmer};

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub text: String,
    /// Index of the word it came from.
    pub word: usize,
    /// A comma (or other clause mark) right before or after it: "Like, I ..." vs "I like it".
    pub pause_before: bool,
    pub pause_after: bool,
}

impl Token {
    pub fn is_number(&self) -> bool {
        self.text.starts_with(|c: char| c.is_ascii_digit())
    }

    pub fn is_word(&self) -> bool {
        self.text.starts_with(|c: char| c.is_alphabetic())
    }
}

/// Tokens of a sequence of words (a transcript's, or a story's text split on white space).
pub(crate) fn tokenize<'a>(words: impl IntoIterator<Item = &'a str>) -> Vec<Token> {
    let mut tokens: Vec<Token> = Vec::new();
    let mut pause_pending = false;
    for (index, word) in words.into_iter().enumerate() {
        let lower = glued_scales(word)
            .to_lowercase()
            .replace(['-', '–', '—'], " ");
        for piece in lower.split_whitespace() {
            let trimmed_start = piece.trim_start_matches(|c: char| "\"'(“‘[".contains(c));
            let core = trimmed_start.trim_end_matches(|c: char| ".,!?;:\"')”’]…".contains(c));
            let tail = &trimmed_start[core.len()..];
            let first = tokens.len();
            for run in runs(core) {
                tokens.push(Token {
                    text: run,
                    word: index,
                    pause_before: false,
                    pause_after: false,
                });
            }
            if tokens.len() > first {
                tokens[first].pause_before = pause_pending;
                pause_pending = false;
            }
            if tail.contains([',', '.', '!', '?', ';', ':', '…']) {
                if tokens.len() > first
                    && let Some(last) = tokens.last_mut()
                {
                    last.pause_after = true;
                }
                pause_pending = true;
            }
        }
    }
    tokens
}

/// "18M", "$2B", "10K" as Whisper writes them for "eighteen million", "two billion", "ten
/// thousand": the scale said in words, before lower case makes "18m" minutes.
fn glued_scales(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let mut out = String::with_capacity(word.len());
    for (i, &c) in chars.iter().enumerate() {
        let after_digit = i > 0 && chars[i - 1].is_ascii_digit();
        let alone = chars.get(i + 1).is_none_or(|n| !n.is_alphanumeric());
        match c {
            'M' if after_digit && alone => out.push_str(" million"),
            'B' if after_digit && alone => out.push_str(" billion"),
            'K' | 'k' if after_digit && alone => out.push_str(" thousand"),
            _ => out.push(c),
        }
    }
    out
}

/// Splits "$10,000" into "$" and "10000", "83%" into "83" and "%", "6x" into "6" and "x".
fn runs(core: &str) -> Vec<String> {
    let chars: Vec<char> = core.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let mut number = String::new();
            while i < chars.len() {
                let c = chars[i];
                let inner =
                    (c == ',' || c == '.') && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
                if c.is_ascii_digit() || (c == '.' && inner) {
                    number.push(c);
                } else if !(c == ',' && inner) {
                    break;
                }
                i += 1;
            }
            out.push(number);
        } else if c.is_alphabetic() {
            let mut word = String::new();
            while i < chars.len() && (chars[i].is_alphabetic() || chars[i] == '\'') {
                word.push(chars[i]);
                i += 1;
            }
            out.push(word.trim_end_matches('\'').to_owned());
        } else {
            if "$€£%×/".contains(c) {
                out.push(c.to_string());
            }
            i += 1;
        }
    }
    out
}

/// Function words that say nothing about what a story is about.
const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "around",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "don't",
    "down",
    "during",
    "each",
    "either",
    "even",
    "ever",
    "every",
    "few",
    "for",
    "from",
    "further",
    "get",
    "got",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "him",
    "his",
    "how",
    "i",
    "i'm",
    "i've",
    "if",
    "in",
    "into",
    "is",
    "it",
    "it's",
    "its",
    "just",
    "me",
    "more",
    "most",
    "much",
    "my",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "our",
    "out",
    "over",
    "own",
    "really",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "that's",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "us",
    "used",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "um",
    "uh",
    "er",
    "erm",
    "hmm",
    "like",
    "okay",
    "yeah",
    "well",
    "basically",
    "actually",
    "know",
    "mean",
    "sort",
    "kind",
    "instead",
    "within",
    "without",
    "upon",
    "via",
    "per",
    "x",
];

pub(crate) fn is_stopword(word: &str) -> bool {
    STOPWORDS.contains(&word)
}

/// Stems words with Snowball's English stemmer: "refactored" and "refactoring" are one word.
pub(crate) struct Stems(Stemmer);

impl Stems {
    pub fn new() -> Stems {
        Stems(Stemmer::create(Algorithm::English))
    }

    pub fn stem(&self, word: &str) -> String {
        self.0.stem(word).into_owned()
    }

    /// The stem of a content word; `None` for function words, fillers and signs.
    pub fn content(&self, token: &Token) -> Option<String> {
        if token.is_number() {
            return Some(token.text.clone());
        }
        (token.is_word() && !is_stopword(&token.text)).then(|| self.stem(&token.text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(words: &[&str]) -> Vec<String> {
        tokenize(words.iter().copied())
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn numbers_are_split_from_their_signs_and_separators() {
        assert_eq!(
            texts(&[" $10,000", " 83%", " 6x", " 30-minute", " 19.5.", " 1,667"]),
            [
                "$", "10000", "83", "%", "6", "x", "30", "minute", "19.5", "1667"
            ]
        );
    }

    #[test]
    fn commas_are_remembered_as_pauses_and_tokens_keep_their_word() {
        let tokens = tokenize([" Like,", " I", " like", " it."]);
        assert!(tokens[0].pause_after);
        assert!(tokens[1].pause_before);
        assert!(!tokens[2].pause_before && !tokens[2].pause_after);
        assert_eq!(
            tokens.iter().map(|t| t.word).collect::<Vec<_>>(),
            [0, 1, 2, 3]
        );
    }

    #[test]
    fn content_words_are_stemmed_and_function_words_dropped() {
        let stems = Stems::new();
        let tokens = tokenize([" I", " refactored", " the", " scripts", " 18"]);
        let content: Vec<String> = tokens.iter().filter_map(|t| stems.content(t)).collect();
        assert_eq!(content, ["refactor", "script", "18"]);
    }
}
