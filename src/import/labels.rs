//! How notes name a STAR part, a question or a title. Every line is first read without its
//! decoration (`decoration`: heading marks, emphasis, HTML tags, list markers, numbering,
//! quote marks, symbols), so the names and their separators are matched once on plain words:
//! heading text ("S - Situation", "Situation (S)", "RESULTS", "Context"), a label before its
//! text (`Situation: ...`, `Task -> ...`, `S) ...`), or a name alone on its line.

use super::decoration;
use crate::story::SectionKind;

/// What a label line starts.
#[derive(Debug, Clone, PartialEq)]
pub enum LabelKind {
    Part(SectionKind),
    /// `Question: ...`, `Q: ...`: the text after the label is the question.
    Question,
    /// `Title: ...`, `Story: ...`: the text after the label is a story's title.
    Title,
}

/// A label at the start of a line: what it names and where its text starts (a byte offset into
/// the line; the line's length when the text starts on the next line).
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub kind: LabelKind,
    pub content: usize,
}

/// The STAR part (or other story section) a heading or label names, in any case, with an
/// optional letter: "Situation", "S - Situation", "S: Situation", "Situation (S)", "Results:".
pub fn part_named(text: &str) -> Option<SectionKind> {
    let lower = without_symbols(text)
        .trim()
        .trim_end_matches(SEPARATORS)
        .trim()
        .to_lowercase();
    let lower = unbracketed_initial(&lower);
    if !lower.starts_with(char::is_alphanumeric) {
        return None;
    }
    let mut name = lower.as_str();
    // "situation (s)"; "c (context)", as CARL notes write it
    if let Some(open) = name.rfind('(')
        && name.ends_with(')')
    {
        let inside = name[open + 1..name.len() - 1].trim();
        let before = name[..open].trim_end();
        if inside.chars().count() == 1 {
            name = before;
        } else if before.chars().count() == 1 && inside.starts_with(before) {
            name = inside;
        }
    }
    // "s - situation", "s: situation", "s) situation", "s. situation", "s – situation"
    let mut chars = name.chars();
    if let (Some(letter), Some(separator)) = (chars.next(), chars.next())
        && letter.is_ascii_alphabetic()
        && (separator.is_whitespace() || "-:.)–—".contains(separator))
    {
        let rest = chars
            .as_str()
            .trim_start_matches([' ', '-', ':', '.', ')', '–', '—']);
        let initial = rest.chars().next();
        if initial == Some(letter) {
            name = rest;
        }
    }
    if name.is_empty() || name.len() > 30 {
        return None;
    }
    SectionKind::from_heading(name)
        .or_else(|| synonym(name))
        .or_else(|| combined(name))
}

/// A part's first letter in brackets, as STAR templates write it, without the brackets:
/// `(s)ituation` -> `situation`, `[t]ask` -> `task`, `(s) situation` -> `s situation`,
/// `[r]` -> `r`. Any other text is returned as it is.
fn unbracketed_initial(name: &str) -> String {
    let mut chars = name.chars();
    match (chars.next(), chars.next(), chars.next()) {
        (Some(open @ ('(' | '[')), Some(letter), Some(close))
            if letter.is_ascii_alphabetic() && close == if open == '(' { ')' } else { ']' } =>
        {
            format!("{letter}{}", chars.as_str())
        }
        _ => name.to_owned(),
    }
}

/// Two part names under one heading, `Results & learnings`, `Situation / Task`, `Outcome and
/// lessons`: the text goes to the first, as a reader takes it.
fn combined(name: &str) -> Option<SectionKind> {
    let pieces: Vec<&str> = name
        .split(['&', '/', '+', ','])
        .flat_map(|piece| piece.split(" and "))
        .map(str::trim)
        .collect();
    if pieces.len() < 2 {
        return None;
    }
    let kinds: Option<Vec<SectionKind>> = pieces
        .iter()
        .map(|piece| SectionKind::from_heading(piece).or_else(|| synonym(piece)))
        .collect();
    kinds?.first().copied()
}

/// Other names notes give the parts (CAR, PAR and SOAR templates, "what I did"), the single
/// letters of STAR, and the short forms people write in quick notes (`Sit:`, `Act.`, `Res -`).
fn synonym(name: &str) -> Option<SectionKind> {
    let name = name.trim_end_matches(['-', '–', '—', ')', ':', ' ']);
    if let Some(kind) = abbreviation(name.strip_suffix('.').unwrap_or(name)) {
        return Some(kind);
    }
    Some(match name {
        "s" | "background" | "context" | "setting" | "the situation" => SectionKind::Situation,
        "t" | "problem" | "challenge" | "goal" | "objective" | "the ask" | "obstacle"
        | "obstacles" | "my role" | "role" | "my task" | "responsibility" => SectionKind::Task,
        "a" | "what i did" | "actions taken" | "action taken" | "approach" | "my actions"
        | "steps" | "steps taken" | "what we did" => SectionKind::Action,
        "r" | "outcome" | "outcomes" | "impact" | "results and impact" | "result and impact"
        | "the result" => SectionKind::Result,
        // STAR-L and CARL end with a Learning.
        "l" | "learnings" | "learning" | "learned" | "learnt" | "lesson" | "lesson learned"
        | "lesson learnt" | "key learnings" | "what i learned" | "what i learnt" | "takeaway"
        | "takeaways" | "reflection" => SectionKind::Lessons,
        _ => return None,
    })
}

/// A part's name cut short, with or without a dot in the notes: `sit`, `situ`, `tsk`, `act`,
/// `res`, `rslt`, `ctx` and `bg` (context, background), `lrn`.
fn abbreviation(name: &str) -> Option<SectionKind> {
    Some(match name {
        "sit" | "situ" | "sitn" | "situat" | "ctx" | "bg" | "bkgd" | "bkgrd" => {
            SectionKind::Situation
        }
        "tsk" => SectionKind::Task,
        "act" | "acts" | "actn" | "actns" => SectionKind::Action,
        "res" | "rslt" | "rslts" | "reslt" | "outc" => SectionKind::Result,
        "lrn" | "lrnd" | "lrng" | "lsn" | "lsns" => SectionKind::Lessons,
        _ => return None,
    })
}

fn is_question_label(text: &str) -> bool {
    matches!(
        text.trim()
            .trim_end_matches(':')
            .trim()
            .to_lowercase()
            .as_str(),
        "question" | "q" | "interview question" | "interviewer"
    )
}

fn is_title_label(text: &str) -> bool {
    matches!(
        text.trim()
            .trim_end_matches(':')
            .trim()
            .to_lowercase()
            .as_str(),
        "title" | "story"
    )
}

fn label_kind(text: &str) -> Option<LabelKind> {
    if is_question_label(text) {
        Some(LabelKind::Question)
    } else if is_title_label(text) {
        Some(LabelKind::Title)
    } else {
        part_named(text).map(LabelKind::Part)
    }
}

/// The label a line starts with, if any, whatever decorates it (see `decoration`):
/// `**Situation:** text`, `*Task:*`, `_Task:_`, `<b>Situation:</b>`, `**Situation**` alone,
/// `**S —** text`, `Situation: text`, `Situation - text`, `Situation → text`, `Task -> text`,
/// `S) text`, `s – text`, `Question: ...`, `Title: ...`, as a list item at any depth, numbered,
/// quoted or behind a checkbox. The line has no line break.
pub fn line_label(line: &str) -> Option<Label> {
    decoration::readings(line)
        .iter()
        .find_map(|plain| label_in(line, plain))
}

fn label_in(line: &str, plain: &decoration::Plain) -> Option<Label> {
    let rest = plain.text.as_str();
    // `Label: text` (the name may hold a dash: `S - Situation: text`), else `Label - text`,
    // `Label -> text`, `S) text`, `Sit. text`, `[S] text`.
    let colon = rest.find(':').map(|at| (&rest[..at], at + 1));
    for (name, after) in [
        colon,
        separated(rest),
        dotted(rest),
        bracketed(rest),
        column_gap(rest),
    ]
    .into_iter()
    .flatten()
    {
        if let Some(kind) = label_kind(name.trim_end()).filter(|_| !name.trim().is_empty()) {
            return Some(Label {
                kind,
                content: decoration::text_start(line, plain.origin_after(after)),
            });
        }
    }
    // A bold or italic name alone on its line is a heading in all but name.
    let alone = rest.trim().trim_end_matches(SEPARATORS).trim_end();
    let kind = label_kind(alone).filter(|_| plain.marked && !alone.is_empty())?;
    Some(Label {
        kind,
        content: line.len(),
    })
}

/// What may stand between a label and its text.
const SEPARATORS: &[char] = &[':', '-', '–', '—', '>', '→', '⇒', '⟶', '»', '|', '='];

/// A part label inside a line, past its start: `... doubled in a year. Task: find ...`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InlineLabel {
    pub kind: SectionKind,
    /// Where the label starts in the line, and where its text starts.
    pub start: usize,
    pub content: usize,
}

/// The part labels written inside `line` from byte `from` on, as people write a whole story in
/// one paragraph (`Situation: ... Task: ... Action: ...`): a STAR, CARL or SOAR part's name
/// followed by a colon (bold or not), at a sentence's start or in capitals; a single letter
/// (`T:`) only in capitals at a sentence's start. These are candidates: the caller keeps them
/// only when two or more parts are named in order.
pub fn inline_labels(line: &str, from: usize) -> Vec<InlineLabel> {
    line[from..]
        .match_indices(':')
        .filter_map(|(offset, _)| inline_label_at(line, from, from + offset))
        .collect()
}

fn inline_label_at(line: &str, from: usize, colon: usize) -> Option<InlineLabel> {
    // `**Task**: ...` has its colon after the bold.
    let before = line[from..colon].trim_end_matches(['*', '_']);
    let word_starts: Vec<usize> = before
        .char_indices()
        .filter(|(at, c)| {
            !c.is_whitespace() && (*at == 0 || before[..*at].ends_with(char::is_whitespace))
        })
        .map(|(at, _)| at)
        .collect();
    // The longest name first: "What I did:", "Actions taken:", then "Result:".
    for &word_start in word_starts.iter().rev().take(3).rev() {
        let written = &before[word_start..];
        let name = written.trim_start_matches(['*', '_']);
        if name.is_empty() || name.contains(['.', ',', ';', '!', '?', ':', '"']) {
            continue;
        }
        let Some(kind) = part_named(name).filter(|kind| {
            matches!(
                kind,
                SectionKind::Situation
                    | SectionKind::Task
                    | SectionKind::Action
                    | SectionKind::Result
                    | SectionKind::Lessons
            )
        }) else {
            continue;
        };
        let start = from + word_start;
        let previous = line[..start].trim_end();
        let sentence_start = previous.is_empty()
            || previous.ends_with(['.', '!', '?', ';', ')', '"', '”', '—', '–', '|']);
        let bold = written.len() > name.len();
        let letter = name.chars().filter(|c| c.is_alphabetic()).count() == 1;
        let capital = name.starts_with(|c: char| c.is_uppercase());
        let reads_as_label = if letter {
            capital && sentence_start
        } else {
            sentence_start || bold || capital
        };
        if reads_as_label {
            let after = &line[colon + 1..];
            let after = after.trim_start_matches(['*', '_']);
            let content = line.len() - after.trim_start().len();
            return Some(InlineLabel {
                kind,
                start,
                content,
            });
        }
    }
    None
}

/// A line that is nothing but a part's name, as a word processor or a note app writes a
/// heading in plain text: `Situation`, `1) Task`, `> [!example] Action`, `• Result`,
/// `🎯 TASK`. Its text starts on the next line. A single letter alone is not one.
pub fn bare_part(line: &str) -> Option<SectionKind> {
    decoration::readings(line).iter().find_map(|plain| {
        let name = plain.text.trim().trim_end_matches(SEPARATORS).trim_end();
        let letters = name.chars().filter(|c| c.is_alphanumeric()).count();
        (letters >= 2).then(|| part_named(name)).flatten()
    })
}

/// A text without the emoji and other pictographs that decorate it at the start (`🎯 Task`,
/// `📍 SITUATION`).
pub fn without_symbols(text: &str) -> &str {
    text.trim_start_matches(|c: char| c.is_whitespace() || decoration::is_symbol(c))
}

/// A label's name and the byte offset just past its separator, for a dash with a space before
/// it (`Name -`, `Name –`, `Name —`), an arrow or a bar (`Name ->`, `Name =>`, `Name →`,
/// `Name >`, `Name |`) and a letter with `)`, each followed by a space or the line's end: the
/// first such separator in the line's first 40 bytes.
fn separated(rest: &str) -> Option<(&str, usize)> {
    let spaced = |end: usize| rest[end..].is_empty() || rest[end..].starts_with([' ', '\t']);
    rest.char_indices()
        .take_while(|(at, _)| *at < 40)
        .find_map(|(at, c)| {
            let arrow = ["-->", "->", "=>", "==>"]
                .iter()
                .find(|a| rest[at..].starts_with(**a))
                .map(|a| at + a.len());
            let end = arrow.unwrap_or(at + c.len_utf8());
            let found = match c {
                _ if arrow.is_some() => spaced(end),
                '-' | '–' | '—' => rest[..at].ends_with(' ') && spaced(end),
                '→' | '⇒' | '⟶' | '»' | '>' | '|' => spaced(end),
                // `S) text`; a lower-case letter with `)` numbers a list: `a) first`.
                ')' => at == 1 && rest.starts_with(|c: char| c.is_ascii_uppercase()) && spaced(end),
                _ => false,
            };
            found.then_some((&rest[..at], end))
        })
}

/// A label and its text in two columns, as a table or a word processor saved as text writes
/// them (`Situation<TAB>text`, `Task    text`): its name and the offset past the gap, for a tab
/// or a run of two or more spaces, the first in the line's first 40 bytes. The caller keeps it
/// only when the name is a part's.
fn column_gap(rest: &str) -> Option<(&str, usize)> {
    let at = rest
        .char_indices()
        .take_while(|(at, _)| *at < 40)
        .find(|(at, c)| *c == '\t' || rest[*at..].starts_with("  "))?
        .0;
    let name = &rest[..at];
    let after = rest[at..].trim_start_matches([' ', '\t']);
    // A single letter only in capitals: "a  lot of it" is a sentence typed with a double space.
    let letter = name.trim().chars().count() == 1;
    let named = !name.trim().is_empty() && (!letter || name.trim() != name.trim().to_lowercase());
    (named && !after.is_empty()).then_some((name, rest.len() - after.len()))
}

/// A label in brackets before the text, as templates write it: `[S] text`, `(T) text`,
/// `[Situation] text`: its name and the offset past the bracket. A single letter counts only
/// in capitals: `(a) first, (b) second` is a lettered list.
fn bracketed(rest: &str) -> Option<(&str, usize)> {
    let close = match rest.chars().next()? {
        '(' => ')',
        '[' => ']',
        _ => return None,
    };
    let end = rest.char_indices().take(24).find(|(_, c)| *c == close)?.0;
    let inside = &rest[1..end];
    let after = &rest[end + 1..];
    let separated = after.is_empty() || after.starts_with([' ', '\t']);
    let letter = inside.len() == 1 && inside.chars().all(|c| c.is_ascii_uppercase());
    let word = inside.chars().count() > 1 && inside.chars().all(|c| c.is_alphabetic() || c == ' ');
    (separated && (letter || word)).then_some((inside, end + 1))
}

/// A short form with a dot as its separator, `Sit. text`, `Res.` (a full word or a letter
/// with a dot is a sentence's start, `A. Smith`, and not read so): its name and the offset
/// past the dot.
fn dotted(rest: &str) -> Option<(&str, usize)> {
    let (at, _) = rest.char_indices().take(8).find(|(_, c)| *c == '.')?;
    let after = &rest[at + 1..];
    let name = &rest[..at];
    let separated = after.is_empty() || after.starts_with([' ', '\t']);
    (separated && abbreviation(&name.to_lowercase()).is_some()).then_some((name, at + 1))
}

/// An interviewer's follow-up in notes kept as questions and answers, and the part its answer
/// is: `**Q: What was going on?**`, `Interviewer: Set the scene for me.`, a line of its own
/// `What did you do?`. A story's own question ("Tell me about a time ...") is not one: a
/// follow-up is short and asks for one part. Also says whether a label (`Q:`) introduced it.
pub fn prompt(line: &str) -> Option<(SectionKind, bool)> {
    let plain = decoration::plain(line, false)?;
    let text = plain.text.trim();
    let (labelled, text) = match text.split_once(':') {
        Some((label, rest)) if is_question_label(label) => (true, rest.trim()),
        _ => (false, text),
    };
    if !labelled && !text.ends_with('?') || text.split_whitespace().count() > MAX_PROMPT_WORDS {
        return None;
    }
    prompt_part(text).map(|kind| (kind, labelled))
}

/// Words a follow-up question has at most.
const MAX_PROMPT_WORDS: usize = 10;

/// A story's own question asks for a whole story, not for one of its parts.
const WHOLE_STORY_ASKS: &[&str] = &[
    " tell me about",
    " tell us about",
    " describe a time",
    " give me an example",
    " give an example",
    " talk me through a time",
    " walk me through a time",
];

/// The words of a follow-up question that name the part it asks for, first match wins.
const PART_ASKS: &[(SectionKind, &[&str])] = &[
    (
        SectionKind::Lessons,
        &[
            "what did you learn",
            "what have you learned",
            "what would you do differently",
            "do differently",
            "lesson",
            "lessons",
            "takeaway",
            "takeaways",
            "looking back",
            "in hindsight",
        ],
    ),
    (
        SectionKind::Result,
        &[
            "result",
            "results",
            "outcome",
            "turn out",
            "turned out",
            "how did it end",
            "how did it go",
            "impact",
            "in the end",
        ],
    ),
    (
        SectionKind::Task,
        &[
            "your role",
            "what did you have to",
            "what were you asked",
            "your task",
            "your goal",
            "what needed",
            "what was expected",
            "what was your part",
            "what was at stake",
            "what did you need to",
            "the goal",
            "what was the task",
            "the objective",
            "the aim",
            "your responsibility",
        ],
    ),
    (
        SectionKind::Action,
        &[
            "what did you do",
            "how did you go about",
            "what steps",
            "your approach",
            "what actions",
            "how did you handle",
            "how did you solve",
            "how did you fix",
            "what did you try",
            "how did you approach",
            "what was your approach",
        ],
    ),
    (
        SectionKind::Situation,
        &[
            "going on",
            "situation",
            "context",
            "background",
            "set the scene",
            "what happened",
            "what was the problem",
            "the challenge",
        ],
    ),
];

/// The part a follow-up question asks for, by its words ("What was the result?" -> Result).
fn prompt_part(text: &str) -> Option<SectionKind> {
    let words: String = text
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let padded = format!(
        " {} ",
        words.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    let says = |phrases: &[&str]| phrases.iter().any(|p| padded.contains(&format!(" {p} ")));
    if WHOLE_STORY_ASKS.iter().any(|p| padded.starts_with(p)) {
        return None;
    }
    PART_ASKS
        .iter()
        .find(|(_, phrases)| says(phrases))
        .map(|(kind, _)| *kind)
}

/// Where an answer's text starts past its speaker: `A:`, `**A:**`, `Answer:`, `Me:`,
/// `Candidate:`. `None` when the line names no answer.
pub fn answer_start(line: &str) -> Option<usize> {
    let plain = decoration::plain(line, false)?;
    let rest = plain.text.as_str();
    let colon = rest.get(..16).unwrap_or(rest).find(':')?;
    let name = rest[..colon].trim().to_lowercase();
    if !matches!(
        name.as_str(),
        "a" | "answer" | "me" | "candidate" | "my answer"
    ) {
        return None;
    }
    Some(decoration::text_start(line, plain.origin_after(colon + 1)))
}

/// The question in a heading or label text: without a `Question:` prefix and the quotes around
/// it. `None` unless it is one: a `Question:` prefix or a `?` at the end.
pub fn question_in(text: &str) -> Option<String> {
    let text = text.trim();
    let (prefixed, rest) = match text.split_once(':') {
        Some((label, rest)) if is_question_label(label) => (true, rest.trim()),
        _ => (false, text),
    };
    let unquoted = strip_quotes(rest);
    (prefixed || unquoted.ends_with('?')).then(|| unquoted.to_owned())
}

/// A title without what numbers or announces it: `1. Title`, `3) Title`, `Story 2 - Title`,
/// `Story: Title`, `Title: Title`.
pub fn bare_title(text: &str) -> &str {
    let mut text = without_symbols(text).trim();
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if (1..=2).contains(&digits)
        && let Some(rest) = text[digits..]
            .strip_prefix(". ")
            .or_else(|| text[digits..].strip_prefix(") "))
    {
        text = rest.trim_start();
    }
    let lower = text.to_lowercase();
    // The story's own label, or the framework its parts follow (`CARL: ...`, `STAR-L - ...`).
    for prefix in [
        "story", "title", "star-l", "starl", "star", "carl", "car", "par", "soar", "scqa",
    ] {
        let after = lower.as_bytes().get(prefix.len());
        // A framework is named in capitals: "Car: ..." may be a title.
        let framework = !matches!(prefix, "story" | "title");
        if lower.starts_with(prefix)
            && !after.is_some_and(u8::is_ascii_alphabetic)
            && !(framework && text[..prefix.len()].chars().any(|c| c.is_ascii_lowercase()))
        {
            let rest = text[prefix.len()..].trim_start();
            let rest = rest
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .trim_start();
            // `Story A: ...`: a letter numbers it.
            let rest = match rest.as_bytes() {
                [letter, b':' | b' ', ..] if letter.is_ascii_uppercase() && prefix == "story" => {
                    rest[1..].trim_start()
                }
                _ => rest,
            };
            for separator in [":", "-", "–", "—"] {
                if let Some(title) = rest.strip_prefix(separator)
                    && !title.trim().is_empty()
                {
                    return title.trim();
                }
            }
        }
    }
    text
}

pub fn strip_quotes(text: &str) -> &str {
    let text = text.trim();
    for (open, close) in [('"', '"'), ('“', '”'), ('\'', '\'')] {
        if let Some(inner) = text.strip_prefix(open).and_then(|t| t.strip_suffix(close))
            && !inner.is_empty()
        {
            return inner.trim();
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line is a label of `kind`, its text starting at `content`.
    fn assert_label(line: &str, kind: LabelKind, content: &str) {
        let label = line_label(line).unwrap_or_else(|| panic!("{line}"));
        assert_eq!(label.kind, kind, "{line}");
        assert_eq!(&line[label.content..], content, "{line}");
    }

    #[test]
    fn part_names_in_every_shape() {
        for (text, kind) in [
            ("Situation", SectionKind::Situation),
            ("SITUATION:", SectionKind::Situation),
            ("S - Situation", SectionKind::Situation),
            ("S: Situation", SectionKind::Situation),
            ("T) Task", SectionKind::Task),
            ("A – Action", SectionKind::Action),
            ("Situation (S)", SectionKind::Situation),
            ("Results", SectionKind::Result),
            ("R - Result:", SectionKind::Result),
            ("Lessons learned", SectionKind::Lessons),
            ("Follow-ups", SectionKind::Probes),
            ("Results & learnings", SectionKind::Result),
            ("Situation / Task", SectionKind::Situation),
            ("Outcome and lessons", SectionKind::Result),
            ("ACTIONS + RESULTS", SectionKind::Action),
            ("Res/Lrn", SectionKind::Result),
        ] {
            assert_eq!(part_named(text), Some(kind), "{text}");
        }
        for text in [
            "Story",
            "S - Task",
            "Situational awareness",
            "Actions speak",
            "A/B",
            "Q&A",
            "Results and next year's plans",
            "",
        ] {
            assert_eq!(part_named(text), None, "{text}");
        }
    }

    #[test]
    fn labels_on_their_own_line_or_before_text() {
        let part = |kind| LabelKind::Part(kind);
        for (line, kind, content) in [
            (
                "**Situation:** We had",
                part(SectionKind::Situation),
                "We had",
            ),
            (
                "**Situation**: We had",
                part(SectionKind::Situation),
                "We had",
            ),
            ("**Task**", part(SectionKind::Task), ""),
            ("__Action:__", part(SectionKind::Action), ""),
            ("Result: 30 min", part(SectionKind::Result), "30 min"),
            ("S - Situation: a", part(SectionKind::Situation), "a"),
            ("Situation (S):", part(SectionKind::Situation), ""),
            ("Question: Tell me?", LabelKind::Question, "Tell me?"),
            ("**Q:** Why?", LabelKind::Question, "Why?"),
            (
                "- **Situation:** listed",
                part(SectionKind::Situation),
                "listed",
            ),
            ("* Result: 2 h", part(SectionKind::Result), "2 h"),
            ("S: We had", part(SectionKind::Situation), "We had"),
            ("s - lower", part(SectionKind::Situation), "lower"),
            ("T) Task text", part(SectionKind::Task), "Task text"),
            ("A – en dash", part(SectionKind::Action), "en dash"),
            ("R — em dash", part(SectionKind::Result), "em dash"),
            (
                "**S —** bold letter",
                part(SectionKind::Situation),
                "bold letter",
            ),
            ("**R**: bold", part(SectionKind::Result), "bold"),
            ("Situation - dashed", part(SectionKind::Situation), "dashed"),
            ("Action -", part(SectionKind::Action), ""),
            ("**Context:** where", part(SectionKind::Situation), "where"),
            ("Challenge: what", part(SectionKind::Task), "what"),
            ("**What I did:** this", part(SectionKind::Action), "this"),
            ("Impact: 2x", part(SectionKind::Result), "2x"),
            ("\t\t- S: nested", part(SectionKind::Situation), "nested"),
            ("Title: Mine", LabelKind::Title, "Mine"),
        ] {
            assert_label(line, kind, content);
        }
        for line in [
            "We had a Situation: odd",
            "**Bold** text: no",
            "- Situation report: in a list",
            "-Situation: no space",
            "    Situation: indented code",
            "Time: 3 h",
            "Situation",
            "A/B tests ran",
            "S-bahn: no",
            "\tS: tab-indented, not a list item",
            "Team - the platform",
        ] {
            assert_eq!(line_label(line), None, "{line}");
        }
    }

    #[test]
    fn short_forms_of_the_part_names() {
        let part = |kind| LabelKind::Part(kind);
        for (line, kind, content) in [
            (
                "Sit: the rota broke",
                part(SectionKind::Situation),
                "the rota broke",
            ),
            (
                "sit. lower case, dot",
                part(SectionKind::Situation),
                "lower case, dot",
            ),
            ("SITU - capitals", part(SectionKind::Situation), "capitals"),
            ("**Ctx:** bold", part(SectionKind::Situation), "bold"),
            (
                "BG: short for background",
                part(SectionKind::Situation),
                "short for background",
            ),
            ("Tsk: own the fix", part(SectionKind::Task), "own the fix"),
            (
                "- Act: as a list item",
                part(SectionKind::Action),
                "as a list item",
            ),
            ("Acts. I paged", part(SectionKind::Action), "I paged"),
            ("Actn – en dash", part(SectionKind::Action), "en dash"),
            ("Res: 40% faster", part(SectionKind::Result), "40% faster"),
            ("Rslt. it held", part(SectionKind::Result), "it held"),
            ("Res.", part(SectionKind::Result), ""),
            ("Sit.: both", part(SectionKind::Situation), "both"),
            (
                "Lrn: ask earlier",
                part(SectionKind::Lessons),
                "ask earlier",
            ),
        ] {
            assert_label(line, kind, content);
        }
        for line in [
            "Act now, think later",
            "Sitting with the team: fine",
            "Resolution. 1080p",
            "A. Smith wrote the runbook.",
            "Sit.ups every morning",
            "Acting lead: two months",
        ] {
            assert_eq!(line_label(line), None, "{line}");
        }
        assert_eq!(bare_part("Sit."), Some(SectionKind::Situation));
        assert_eq!(bare_part("**Res**"), Some(SectionKind::Result));
    }

    #[test]
    fn single_letters_in_every_separator_and_case() {
        for (line, kind, content) in [
            (
                "S: the queue backed up",
                SectionKind::Situation,
                "the queue backed up",
            ),
            (
                "t - keep it under 5 min",
                SectionKind::Task,
                "keep it under 5 min",
            ),
            (
                "A) rewrote the consumer",
                SectionKind::Action,
                "rewrote the consumer",
            ),
            ("r — 4 min p99", SectionKind::Result, "4 min p99"),
            ("* **T:** nested bold", SectionKind::Task, "nested bold"),
            ("  - a: indented item", SectionKind::Action, "indented item"),
        ] {
            assert_label(line, LabelKind::Part(kind), content);
        }
        for line in ["A: note this", "S-bahn: late", "T-shirt sizes: S, M"] {
            // "A:" alone is read as Action; the others are not labels at all.
            if line.starts_with("A:") {
                assert!(line_label(line).is_some(), "{line}");
            } else {
                assert_eq!(line_label(line), None, "{line}");
            }
        }
    }

    #[test]
    fn labels_behind_bullets_emoji_numbers_and_callouts() {
        let part = |kind| LabelKind::Part(kind);
        for (line, kind, content) in [
            (
                "•\tSituation: note app",
                part(SectionKind::Situation),
                "note app",
            ),
            ("◦ Task: nested", part(SectionKind::Task), "nested"),
            ("📍 SITUATION: emoji", part(SectionKind::Situation), "emoji"),
            ("🛠️ Action — dash", part(SectionKind::Action), "dash"),
            ("💡 LEARNED: lesson", part(SectionKind::Lessons), "lesson"),
            (
                "1) Situation: numbered",
                part(SectionKind::Situation),
                "numbered",
            ),
            (
                "(2) Task: in brackets",
                part(SectionKind::Task),
                "in brackets",
            ),
            ("3. Action: dotted", part(SectionKind::Action), "dotted"),
            ("> Result: quoted", part(SectionKind::Result), "quoted"),
            (
                "**C (Context):** CARL",
                part(SectionKind::Situation),
                "CARL",
            ),
            ("**L:** STAR-L", part(SectionKind::Lessons), "STAR-L"),
            ("Obstacle: SOAR", part(SectionKind::Task), "SOAR"),
            ("My role: column", part(SectionKind::Task), "column"),
            ("Interviewer: Tell me?", LabelKind::Question, "Tell me?"),
        ] {
            assert_label(line, kind, content);
        }
        for line in ["1. Cutting the build", "2024: a good year", "•no space: x"] {
            assert_eq!(line_label(line), None, "{line}");
        }
    }

    #[test]
    fn initials_in_brackets_and_labels_behind_checkboxes() {
        let part = |kind| LabelKind::Part(kind);
        for (line, kind, content) in [
            (
                "**(S)ituation:** the rota",
                part(SectionKind::Situation),
                "the rota",
            ),
            ("(T)ask: own it", part(SectionKind::Task), "own it"),
            ("[A]ction - paged", part(SectionKind::Action), "paged"),
            ("**[R]esult**: 2x", part(SectionKind::Result), "2x"),
            ("(S) Situation: both", part(SectionKind::Situation), "both"),
            (
                "[S] bracketed letter",
                part(SectionKind::Situation),
                "bracketed letter",
            ),
            (
                "(R) round brackets",
                part(SectionKind::Result),
                "round brackets",
            ),
            ("**[T]** bold", part(SectionKind::Task), "bold"),
            ("[Action] a word", part(SectionKind::Action), "a word"),
            (
                "- [x] S: done item",
                part(SectionKind::Situation),
                "done item",
            ),
            (
                "- [ ] **Task:** open item",
                part(SectionKind::Task),
                "open item",
            ),
            (
                "* [X] Action - capital X",
                part(SectionKind::Action),
                "capital X",
            ),
            (
                "  - [-] R: cancelled",
                part(SectionKind::Result),
                "cancelled",
            ),
            (
                "- [x] (S)ituation: both",
                part(SectionKind::Situation),
                "both",
            ),
        ] {
            assert_label(line, kind, content);
        }
        for line in [
            "(a) a lettered list",
            "[x] a checkbox with no list marker",
            "- [x] Buy milk",
            "[Situation](#situation) a link",
            "(Sit)uation comedy",
            "[TODO] fix it",
            "- [x]S: no space",
        ] {
            assert_eq!(line_label(line), None, "{line}");
        }
        assert_eq!(part_named("(S)ituation"), Some(SectionKind::Situation));
        assert_eq!(part_named("[R]esults:"), Some(SectionKind::Result));
        assert_eq!(bare_part("- [ ] Situation"), Some(SectionKind::Situation));
        assert_eq!(part_named("(X)ylophone"), None);
    }

    #[test]
    fn labels_inside_a_line_as_candidates() {
        let found = |line: &str| -> Vec<(SectionKind, String)> {
            inline_labels(line, 0)
                .into_iter()
                .map(|l| (l.kind, line[l.start..l.content].to_owned()))
                .collect()
        };
        use SectionKind::*;
        assert_eq!(
            found("Context: a. Action: b. Result: c"),
            [
                (Situation, "Context: ".to_owned()),
                (Action, "Action: ".to_owned()),
                (Result, "Result: ".to_owned())
            ]
        );
        assert_eq!(
            found("we moved **Task:** fix. What I did: I paged"),
            [
                (Task, "**Task:** ".to_owned()),
                (Action, "What I did: ".to_owned())
            ]
        );
        assert_eq!(
            found("slow; T: own it. A: rewrote"),
            [(Task, "T: ".to_owned()), (Action, "A: ".to_owned())]
        );
        assert_eq!(
            found("Obstacle: x Outcome: y"),
            [
                (Task, "Obstacle: ".to_owned()),
                (Result, "Outcome: ".to_owned())
            ]
        );
        // Prose: a part's word in lower case in mid-sentence, a letter in mid-sentence, a time.
        for line in [
            "and the result: nobody ran the tests",
            "we had a problem: the disk",
            "Plan A: ship it",
            "at 10:30 the pager went",
            "see https://example.com",
            "Follow-ups: none",
        ] {
            assert_eq!(found(line), [], "{line}");
        }
    }

    #[test]
    fn a_part_name_alone_on_its_line() {
        for (line, kind) in [
            ("Situation", SectionKind::Situation),
            ("1) Task", SectionKind::Task),
            ("> [!example] Action", SectionKind::Action),
            ("> [!tip]- Lessons", SectionKind::Lessons),
            ("🏆 RESULT", SectionKind::Result),
            ("**Outcome**", SectionKind::Result),
        ] {
            assert_eq!(bare_part(line), Some(kind), "{line}");
        }
        for line in [
            "S",
            "A",
            "Situation report",
            "The situation was odd",
            "    Situation",
        ] {
            assert_eq!(bare_part(line), None, "{line}");
        }
    }

    #[test]
    fn follow_up_questions_and_their_answers() {
        for (line, kind, labelled) in [
            ("**Q: What was going on?**", SectionKind::Situation, true),
            (
                "Interviewer: Set the scene for me.",
                SectionKind::Situation,
                true,
            ),
            ("Q: What was your role in it?", SectionKind::Task, true),
            (
                "Interviewer: And what did you have to do?",
                SectionKind::Task,
                true,
            ),
            ("What did you do?", SectionKind::Action, false),
            ("How did you go about it?", SectionKind::Action, false),
            ("**Q:** How did it turn out?", SectionKind::Result, true),
            ("What did you learn?", SectionKind::Lessons, false),
            ("1. What was the challenge?", SectionKind::Situation, false),
            ("### What was the context?", SectionKind::Situation, false),
            ("- What was the goal?", SectionKind::Task, false),
            ("What was the task?", SectionKind::Task, false),
            ("**How did you approach it?**", SectionKind::Action, false),
            ("2) What was your approach?", SectionKind::Action, false),
            ("Q: What was the outcome?", SectionKind::Result, true),
            ("What was the impact?", SectionKind::Result, false),
        ] {
            assert_eq!(prompt(line), Some((kind, labelled)), "{line}");
        }
        // A story's own question asks for the whole story, whatever part word it holds.
        for line in [
            "Tell me about a time you had an impact?",
            "Q: Describe a time the result surprised you?",
            "Give me an example of a goal you missed?",
        ] {
            assert_eq!(prompt(line), None, "{line}");
        }
        for line in [
            "Q: Tell me about a time you had to learn something quickly and what came of it.",
            "Tell me about a time you failed.",
            "What was the hardest bug you fixed this year and why was it hard for you?",
        ] {
            assert_eq!(prompt(line), None, "{line}");
        }
        for (line, text) in [
            ("A: My manager", "My manager"),
            ("**A:** bold", "bold"),
            ("Me: I was", "I was"),
            ("Answer: we", "we"),
        ] {
            assert_eq!(
                answer_start(line).map(|at| &line[at..]),
                Some(text),
                "{line}"
            );
        }
        assert_eq!(answer_start("Action: not an answer"), None);
    }

    #[test]
    fn a_tab_or_two_spaces_after_a_part_name_separate_it_from_its_text() {
        for (line, kind, text) in [
            (
                "Situation\tThe build was slow.",
                SectionKind::Situation,
                "The build was slow.",
            ),
            ("Task\t\tShip it.", SectionKind::Task, "Ship it."),
            (
                "ACTION    I cached it.",
                SectionKind::Action,
                "I cached it.",
            ),
            ("- Outcome  Faster.", SectionKind::Result, "Faster."),
            ("**R**\tDone.", SectionKind::Result, "Done."),
        ] {
            assert_label(line, LabelKind::Part(kind), text);
        }
        // A gap after words that are no part name, or a name with nothing after it.
        for line in [
            "We met\ttwice.",
            "The  result was odd.",
            "Actually  no.",
            "Task\t",
        ] {
            assert!(
                !matches!(line_label(line), Some(l) if l.content < line.len()),
                "{line}"
            );
        }
    }

    #[test]
    fn titles_lose_their_numbers_and_prefixes() {
        for (text, title) in [
            ("1. Cutting the build", "Cutting the build"),
            ("3) Speeding up CI", "Speeding up CI"),
            ("Story 2 - Fixing the leak", "Fixing the leak"),
            ("Story: Rescuing the migration", "Rescuing the migration"),
            ("STORY — The outage", "The outage"),
            ("Title: Mine", "Mine"),
            ("2024 review", "2024 review"),
            ("Storytelling at work", "Storytelling at work"),
            ("STORY A: Shrinking the images", "Shrinking the images"),
            ("Story about the move", "Story about the move"),
            ("CARL: The SMS outage", "The SMS outage"),
            ("STAR-L - Reducing noise", "Reducing noise"),
            ("Car: the rental", "Car: the rental"),
            ("🚑 The failover", "The failover"),
        ] {
            assert_eq!(bare_title(text), title, "{text}");
        }
    }

    #[test]
    fn questions_lose_their_prefix_and_quotes() {
        assert_eq!(
            question_in("Question: \"Tell me about a failure.\"").as_deref(),
            Some("Tell me about a failure.")
        );
        assert_eq!(
            question_in("Tell me about a time you disagreed?").as_deref(),
            Some("Tell me about a time you disagreed?")
        );
        assert_eq!(question_in("Challenges"), None);
    }
}

#[cfg(test)]
mod decorated_tests;
