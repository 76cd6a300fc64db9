//! One normalising step for label and title lines: the decoration a note app, a wiki or a word
//! processor puts around a would-be label or title is taken off, whatever it is, so the names
//! are matched once on the plain words. Taken off at the line's start: indentation, list
//! markers and checkboxes, quote and callout marks (`>`, `> [!info]`, `|`), heading marks
//! (`#`, `h2.`, `==`), numbering (`1.`, `1)`, `(1)`, and `a.`, `iv)` when asked), emoji and
//! symbols. Taken off anywhere: emphasis (`**`, `__`, `*`, `_`, `~~`, backticks), HTML tags
//! (`<b>`, `</strong>`, `<h3>`) and wiki heading closers (`==`). Each byte left keeps where it
//! was in the line, so the text after a label is cut from the line as it was written.

/// A line without its decoration.
#[derive(Debug, Clone, PartialEq)]
pub struct Plain {
    /// What a reader sees of the line.
    pub text: String,
    /// For each byte of `text`, its offset in the line.
    origin: Vec<usize>,
    /// Emphasis or tags were taken off (a bold or italic name alone is a label).
    pub marked: bool,
    /// The line is a list item or numbered (an outline's item).
    pub listed: bool,
}

impl Plain {
    /// The offset in the line just past the byte before `at` in the plain text.
    pub fn origin_after(&self, at: usize) -> usize {
        match at.checked_sub(1) {
            Some(before) => self.origin[before] + 1,
            None => self.origin.first().copied().unwrap_or(0),
        }
    }
}

/// The readings of `line` to try, in order: past a letter numbering it first (`a) Situation:
/// ...`), when there is one, then with the letter kept (`S) ...` is a label).
pub fn readings(line: &str) -> Vec<Plain> {
    let Some(plain) = plain(line, false) else {
        return Vec::new();
    };
    match self::plain(line, true).filter(|p| p.text.len() < plain.text.len()) {
        Some(lettered) => vec![lettered, plain],
        None => vec![plain],
    }
}

/// `line` without its decoration; `None` for an indented line that is no list item (Markdown's
/// indented code). With `lettered`, a letter or a small roman numeral numbering the line
/// (`a.`, `b)`, `iv.`) is decoration too: a caller tries both, as `S) text` is a label.
pub fn plain(line: &str, lettered: bool) -> Option<Plain> {
    let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
    let (start, listed) = past_lead(line, indent, lettered);
    if !listed && (line[..indent].contains('\t') || indent > 3) {
        return None;
    }
    let (text, origin, marked) = without_markup(line, start);
    Some(Plain {
        text,
        origin,
        marked,
        listed,
    })
}

/// Past everything that may stand before a label or title, repeated until none is left; and
/// whether a list marker or a number was among it.
fn past_lead(line: &str, mut at: usize, lettered: bool) -> (usize, bool) {
    let mut listed = false;
    loop {
        let rest = &line[at..];
        let skipped = rest.trim_start_matches([' ', '\t']);
        if skipped.len() < rest.len() {
            at = line.len() - skipped.len();
            continue;
        }
        let step = if let Some(n) = list_marker(rest).or_else(|| numbering(rest, lettered)) {
            listed = true;
            n
        } else if let Some(n) = checkbox(rest)
            .or_else(|| quote_mark(rest))
            .or_else(|| heading_mark(rest))
        {
            n
        } else if let Some(c) = rest.chars().next().filter(|c| is_symbol(*c)) {
            c.len_utf8()
        } else {
            return (at, listed);
        };
        at += step;
    }
}

fn followed_by_space(rest: &str, at: usize) -> bool {
    rest[at..].starts_with([' ', '\t'])
}

/// `- `, `* `, `+ ` and the bullets note apps write (`•`, `◦`, `▪`, `‣`).
fn list_marker(rest: &str) -> Option<usize> {
    let c = rest.chars().next()?;
    let bullet = matches!(c, '-' | '*' | '+' | '•' | '◦' | '▪' | '‣' | '·');
    (bullet && followed_by_space(rest, c.len_utf8())).then_some(c.len_utf8())
}

/// A task list's checkbox, `[ ]`, `[x]`, and the states Obsidian themes add.
fn checkbox(rest: &str) -> Option<usize> {
    let boxed = ["[ ]", "[x]", "[X]", "[-]", "[/]", "[>]", "[~]"]
        .iter()
        .any(|state| rest.starts_with(state));
    (boxed && followed_by_space(rest, 3)).then_some(3)
}

/// A quote's `>`, a callout's `[!type]` (with Obsidian's fold sign), a `|` before a line.
fn quote_mark(rest: &str) -> Option<usize> {
    if rest.starts_with('>') && !rest.starts_with(">>>") {
        return Some(1);
    }
    if rest.starts_with("| ") {
        return Some(1);
    }
    if rest.starts_with("[!") {
        let close = rest.find(']')?;
        let fold = usize::from(rest[close + 1..].starts_with(['-', '+']));
        return Some(close + 1 + fold);
    }
    None
}

/// `#` to `######`, a wiki's `h1.` to `h6.`, and `=` runs (MediaWiki, AsciiDoc), each followed
/// by a space.
fn heading_mark(rest: &str) -> Option<usize> {
    let bytes = rest.as_bytes();
    if let [b'h' | b'H', b'1'..=b'6', b'.', b' ' | b'\t', ..] = bytes {
        return Some(3);
    }
    for mark in ['#', '='] {
        let run = rest.len() - rest.trim_start_matches(mark).len();
        if (1..=6).contains(&run) && followed_by_space(rest, run) {
            return Some(run);
        }
    }
    None
}

/// `1.`, `12)`, `(3)`, `1.2.`; with `lettered`, also `a.`, `B)`, `(c)`, `iv.`; each followed
/// by a space.
fn numbering(rest: &str, lettered: bool) -> Option<usize> {
    let open = usize::from(rest.starts_with('('));
    let body = &rest[open..];
    let digits = body.len()
        - body
            .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
            .len();
    let mut length = if body.starts_with(|c: char| c.is_ascii_digit()) && digits <= 6 {
        digits
    } else {
        0
    };
    if length == 0 {
        let word = body.len()
            - body
                .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                .len();
        let roman = body[..word].chars().all(|c| "ivx".contains(c)) && word <= 4;
        let letter = lettered && (word == 1 || (roman && word > 0));
        if letter || outline_numeral(&body[..word]) {
            length = word;
        }
    }
    if length == 0 {
        return None;
    }
    let after = &body[length..];
    let close = if open == 1 {
        usize::from(after.starts_with(')'))
    } else if body[..length].ends_with('.') {
        0
    } else {
        usize::from(after.starts_with([')', '.']))
    };
    let end = open + length + close;
    let numbered = close == 1 || (open == 0 && rest[..end].ends_with('.'));
    (numbered && followed_by_space(rest, end)).then_some(end)
}

/// A roman numeral numbering an outline's item, `I` to `XXXIX` in capitals, or `ii` to
/// `xxxix` in small letters (a single small `i`, `v` or `x` is left to the lettered reading):
/// `II. Title`, `iv) Title`. Only `I`, `V` and `X`, so that no STAR letter (`C`, `L`) is one.
fn outline_numeral(word: &str) -> bool {
    let upper = word.chars().all(|c| "IVX".contains(c));
    let lower = word.chars().all(|c| "ivx".contains(c)) && word.len() >= 2;
    (upper || lower) && !word.is_empty() && (1..=39).any(|n| roman(n).eq_ignore_ascii_case(word))
}

/// `n` in roman numerals, for `n` below 40.
fn roman(n: usize) -> String {
    let ones = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"];
    format!("{}{}", "X".repeat(n / 10), ones[n % 10])
}

/// Emoji, dingbats, arrows, stars and ticks, and the joiners and selectors between them; not
/// letters, digits, quotes or dashes.
pub fn is_symbol(c: char) -> bool {
    matches!(c,
        '\u{2190}'..='\u{2BFF}'
        | '\u{1F000}'..='\u{1FAFF}'
        | '\u{FE0E}'..='\u{FE0F}'
        | '\u{200D}'
        | '\u{20E3}'
        | '\u{E0020}'..='\u{E007F}')
}

/// The line from `start` without emphasis marks, HTML tags and `==` runs: the text, where each
/// of its bytes was, and whether anything was taken off.
fn without_markup(line: &str, start: usize) -> (String, Vec<usize>, bool) {
    let mut text = String::with_capacity(line.len() - start);
    let mut origin = Vec::with_capacity(line.len() - start);
    let mut marked = false;
    let mut at = start;
    while at < line.len() {
        let rest = &line[at..];
        let skip = if rest.starts_with(['*', '_', '`']) || rest.starts_with("~~") {
            let c = rest.as_bytes()[0] as char;
            rest.len() - rest.trim_start_matches(c).len()
        } else if rest.starts_with("==") {
            rest.len() - rest.trim_start_matches('=').len()
        } else {
            html_tag(rest).unwrap_or(0)
        };
        if skip > 0 {
            marked = true;
            at += skip;
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        text.push(c);
        origin.extend(at..at + c.len_utf8());
        at += c.len_utf8();
    }
    (text, origin, marked)
}

/// The length of an HTML tag at the start of `rest`: `<b>`, `</strong>`, `<span class="x">`,
/// `<br/>`.
fn html_tag(rest: &str) -> Option<usize> {
    let inner = rest.strip_prefix('<')?;
    let inner = inner.strip_prefix('/').unwrap_or(inner);
    if !inner.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let close = rest.find('>')?;
    let name_end = rest[1..close]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '/'))
        .map_or(close, |i| i + 1);
    let attributes = &rest[name_end..close];
    (close <= 80 && (attributes.is_empty() || attributes.starts_with(' '))).then_some(close + 1)
}

/// Past white space and the closing marks a label leaves after its separator (`:**`, `:*`,
/// `:</b>`), to where its text starts. Opening emphasis of the text (`**big**`) stays.
pub fn text_start(line: &str, mut at: usize) -> usize {
    loop {
        let rest = line[at..].trim_start();
        at = line.len() - rest.len();
        let closing = if rest.starts_with(['*', '_', '`']) || rest.starts_with("~~") {
            let run = rest.len() - rest.trim_start_matches(['*', '_', '`', '~']).len();
            (rest[run..].is_empty() || rest[run..].starts_with([' ', '\t'])).then_some(run)
        } else if rest.starts_with("</") {
            html_tag(rest)
        } else {
            None
        };
        match closing {
            Some(run) => at += run,
            None => return at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoration_comes_off_whatever_it_is() {
        for (line, seen) in [
            ("**Situation:** text", "Situation: text"),
            (
                "h2. Replacing the release spreadsheet",
                "Replacing the release spreadsheet",
            ),
            ("== Task ==", "Task "),
            ("<b>Situation:</b> Our", "Situation: Our"),
            ("> [!info]- Situation", "Situation"),
            ("   - [x] 2. _Task_ -> x", "Task -> x"),
            ("| 🎯 ~~Result~~ → y", "Result → y"),
            ("### (3) <h3>Action</h3>", "Action"),
        ] {
            assert_eq!(plain(line, false).unwrap().text, seen, "{line}");
        }
        assert_eq!(plain("a) Situation: x", true).unwrap().text, "Situation: x");
        assert_eq!(
            plain("a) Situation: x", false).unwrap().text,
            "a) Situation: x"
        );
        assert!(plain("1. **Title**", false).unwrap().listed);
        assert!(plain("    indented code", false).is_none());
    }

    #[test]
    fn roman_numerals_number_an_outline() {
        for (line, seen) in [
            ("I. Untangling the model", "Untangling the model"),
            ("XIV) Owning a miss", "Owning a miss"),
            ("iv) A small one", "A small one"),
            ("  - XXXIX. Last", "Last"),
        ] {
            let plain = plain(line, false).unwrap();
            assert_eq!(plain.text, seen, "{line}");
            assert!(plain.listed, "{line}");
        }
        // Not numerals, or not followed by `.`/`)` and a space: kept.
        for line in [
            "IIII. Not a numeral",
            "IC. Not a small numeral",
            "C) Context first",
            "L) Lessons",
            "I.e. this stays",
            "Iv. mixed case",
            "VI.Title",
            "X-ray results",
        ] {
            assert_eq!(plain(line, false).unwrap().text, line, "{line}");
        }
    }

    #[test]
    fn each_byte_left_knows_where_it_was() {
        let line = "<b>Situation:</b> Our hire";
        let seen = plain(line, false).unwrap();
        let colon = seen.text.find(':').unwrap();
        let after = seen.origin_after(colon + 1);
        assert_eq!(&line[text_start(line, after)..], "Our hire");
        assert_eq!(text_start("*S:* **big** x", 3), 5);
    }
}
