//! Hashtags in a title, as note apps write them (Bear, Obsidian, Logseq, Apple Notes):
//! `#ownership`, `#work/interviews` (nested), Bear's `#tag with spaces#`. They tag the story;
//! they are not part of its title.

/// A title without its hashtags, and the tags. Tags before and after the words are dropped from
/// the title; a tag between words keeps its words there, without the `#` (`Moving #billing off
/// cron` -> `Moving billing off cron`). `C#`, `#1` and a lone `#` are not tags. A title that is
/// nothing but tags keeps their words.
pub fn split(title: &str) -> (String, Vec<String>) {
    let mut pieces: Vec<Piece> = Vec::new();
    let mut rest = title;
    let mut at_word_start = true;
    while let Some(c) = rest.chars().next() {
        if c == '#'
            && at_word_start
            && let Some((tag, length)) = hashtag(rest)
        {
            pieces.push(Piece::Tag(tag));
            rest = &rest[length..];
            at_word_start = false;
            continue;
        }
        at_word_start = c.is_whitespace() || "([{\"'“".contains(c);
        match pieces.last_mut() {
            Some(Piece::Text(text)) => text.push(c),
            _ => pieces.push(Piece::Text(c.to_string())),
        }
        rest = &rest[c.len_utf8()..];
    }
    let tags: Vec<String> = pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Tag(tag) => Some(tag.clone()),
            Piece::Text(_) => None,
        })
        .collect();
    let first = pieces.iter().position(Piece::is_words);
    let last = pieces.iter().rposition(Piece::is_words);
    let kept = match (first, last) {
        (Some(first), Some(last)) => &pieces[first..=last],
        _ => &pieces[..],
    };
    let text: String = kept
        .iter()
        .map(|p| match p {
            Piece::Text(text) => text.as_str(),
            Piece::Tag(tag) => tag.as_str(),
        })
        .collect();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (text, tags)
}

enum Piece {
    Text(String),
    Tag(String),
}

impl Piece {
    /// Text with a letter or digit in it (not only spaces and punctuation between tags).
    fn is_words(&self) -> bool {
        matches!(self, Piece::Text(text) if text.chars().any(char::is_alphanumeric))
    }
}

/// The tag at the start of `text` (which starts with `#`) and the bytes it takes: Bear's
/// `#words with spaces#` when a closing `#` follows a word on the same line (and is followed by
/// a space or the end), else `#word` up to the next space. A tag needs a letter.
fn hashtag(text: &str) -> Option<(String, usize)> {
    let after = &text[1..];
    if after.starts_with(char::is_whitespace) || after.starts_with('#') {
        return None;
    }
    let single_end = after
        .find(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '#'))
        .unwrap_or(after.len());
    let closed = after.find('#').filter(|&close| {
        let inside = &after[..close];
        inside.contains(' ')
            && !inside.ends_with(char::is_whitespace)
            && after[close + 1..]
                .chars()
                .next()
                .is_none_or(char::is_whitespace)
    });
    let (inside, length) = match closed {
        Some(close) => (&after[..close], close + 2),
        None => {
            let word = after[..single_end].trim_end_matches(['.', ':', '!', '?', ')']);
            (word, 1 + word.len())
        }
    };
    let inside = inside.trim_end_matches('/');
    inside
        .chars()
        .any(char::is_alphabetic)
        .then(|| (inside.to_owned(), length))
}

#[cfg(test)]
mod tests {
    use super::split;

    fn tags(list: &[&str]) -> Vec<String> {
        list.iter().map(|t| (*t).to_owned()).collect()
    }

    #[test]
    fn tags_at_the_ends_leave_the_title() {
        for (title, clean, found) in [
            (
                "Shipping the search rewrite #delivery",
                "Shipping the search rewrite",
                &["delivery"][..],
            ),
            (
                "#conflict The staging freeze",
                "The staging freeze",
                &["conflict"],
            ),
            (
                "Paying down the queue debt #work/interviews #tech-debt",
                "Paying down the queue debt",
                &["work/interviews", "tech-debt"],
            ),
            (
                "A night on call #on call stories#",
                "A night on call",
                &["on call stories"],
            ),
            (
                "Learning Go fast #growth, #learning",
                "Learning Go fast",
                &["growth", "learning"],
            ),
        ] {
            assert_eq!(split(title), (clean.to_owned(), tags(found)), "{title}");
        }
    }

    #[test]
    fn a_tag_between_words_keeps_its_words() {
        assert_eq!(
            split("Moving #billing off the cron box"),
            (
                "Moving billing off the cron box".to_owned(),
                tags(&["billing"])
            )
        );
        assert_eq!(
            split("#leadership"),
            ("leadership".to_owned(), tags(&["leadership"]))
        );
    }

    #[test]
    fn what_only_looks_like_a_tag_stays() {
        for title in [
            "Porting the C# service to Rust",
            "Fixing bug #1234 in the importer",
            "Ranked # 1 in the survey",
            "Issue#12 and the rota",
            "The ## mystery",
        ] {
            assert_eq!(split(title), (title.to_owned(), Vec::new()), "{title}");
        }
    }
}
