//! `rehearse lint`: what a story needs to be told well, as `path:line: severity: message`.

use std::fmt;
use std::path::PathBuf;

use super::numbers::{self, Quantity, Verdict};
use super::question_bank::QuestionBank;
use super::{LoadReport, SectionKind, Story, StoryKind, count_words};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub path: PathBuf,
    pub line: usize,
    pub severity: Severity,
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(
            f,
            "{}:{}: {severity}: {}",
            self.path.display(),
            self.line,
            self.message
        )
    }
}

/// How many errors and warnings some findings hold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
}

impl Tally {
    pub fn of(findings: &[Finding]) -> Tally {
        let errors = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        Tally {
            errors,
            warnings: findings.len() - errors,
        }
    }

    /// A story's status in a list: `draft`, `ok`, `2 warning(s)`, `1 error(s)`.
    pub fn status(self, draft: bool) -> String {
        match (draft, self.errors, self.warnings) {
            (true, _, _) => "draft".to_owned(),
            (false, 0, 0) => "ok".to_owned(),
            (false, 0, w) => format!("{w} warning(s)"),
            (false, e, _) => format!("{e} error(s)"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct LintOptions {
    pub target_minutes: f64,
    pub words_per_minute: f64,
    /// A draft's missing parts are errors, as in a finished story (`lint --strict`).
    pub strict: bool,
}

impl Default for LintOptions {
    fn default() -> Self {
        Self {
            target_minutes: 2.0,
            words_per_minute: 150.0,
            strict: false,
        }
    }
}

/// Where a good Action sits, as a share of the STAR words.
const ACTION_SHARE: std::ops::RangeInclusive<f64> = 0.40..=0.65;

/// Everything lint finds in a loaded folder: load errors first, then each story's findings.
pub fn lint_report(
    report: &LoadReport,
    bank: &QuestionBank,
    known_demo: &dyn Fn(&str) -> bool,
    options: &LintOptions,
) -> Vec<Finding> {
    let mut findings: Vec<Finding> = report
        .errors
        .iter()
        .map(|e| Finding {
            path: e.path.clone(),
            line: e.line,
            severity: Severity::Error,
            message: e.message.clone(),
        })
        .collect();
    for story in &report.stories {
        findings.extend(lint_story(story, bank, known_demo, options));
    }
    findings.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    findings
}

/// The findings for one story.
pub fn lint_story(
    story: &Story,
    bank: &QuestionBank,
    known_demo: &dyn Fn(&str) -> bool,
    options: &LintOptions,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut add = |line: usize, severity: Severity, message: String| {
        out.push(Finding {
            path: story.path.clone(),
            line,
            severity,
            message,
        });
    };
    front_matter(story, bank, known_demo, &mut add);

    if let Some(line) = story.unclosed_comment {
        add(
            line,
            Severity::Error,
            "`<!--` opens a comment that is never closed, so it hides the rest of the file from \
             show, the drill and the export: close it with `-->`"
                .to_owned(),
        );
    }
    required_sections(story, bank, options, &mut add);

    if story.meta.kind == StoryKind::Story {
        star_balance(story, options, &mut add);
    }

    for metric in &story.meta.metrics {
        let line = metric
            .claim
            .as_deref()
            .and_then(|c| story.meta_line_of(c))
            .unwrap_or_else(|| story.meta_line("metrics"));
        if let Verdict::Contradicted { why, .. } | Verdict::Incomparable { why } =
            numbers::check(metric)
        {
            add(
                line,
                Severity::Error,
                format!("metric `{}`: {why}", metric.name),
            );
        }
    }

    for probe in story.open_probes() {
        add(
            probe.line,
            Severity::Warning,
            format!(
                "open probe: \"{}\" has no answer yet: prepare one",
                probe.question.trim()
            ),
        );
    }
    out
}

/// What the front matter says: title, draft, demo, competencies, questions.
fn front_matter(
    story: &Story,
    bank: &QuestionBank,
    known_demo: &dyn Fn(&str) -> bool,
    add: &mut impl FnMut(usize, Severity, String),
) {
    let meta = &story.meta;

    if meta.title.trim().is_empty() {
        add(
            story.meta_line("title"),
            Severity::Error,
            "the title is blank: a story needs a title, one line that says what happened"
                .to_owned(),
        );
    }
    if meta.draft {
        add(
            story.meta_line("draft"),
            Severity::Warning,
            "draft: left out of drills until `draft: true` is removed".to_owned(),
        );
    }
    imported_leftovers(story, add);
    if let Some(demo) = &meta.demo
        && !known_demo(demo)
    {
        add(
            story.meta_line("demo"),
            Severity::Error,
            format!("unknown demo `{demo}` (see `rehearse demo list`)"),
        );
    }
    for competency in &meta.competencies {
        if bank.get(competency).is_none() {
            let known: Vec<&str> = bank.keys().collect();
            add(
                story.meta_line("competencies"),
                Severity::Error,
                format!(
                    "unknown competency `{competency}`; known: {}",
                    known.join(", ")
                ),
            );
        }
    }
    if meta.questions.is_empty() {
        add(
            story.meta_line("questions"),
            Severity::Warning,
            "no `questions:`: nothing to drill this story with".to_owned(),
        );
    }
}

/// The STAR sections (`## Answer` for motivation), each present and written. In a draft a
/// missing part is a warning that says what to write, unless `strict`.
fn required_sections(
    story: &Story,
    bank: &QuestionBank,
    options: &LintOptions,
    add: &mut impl FnMut(usize, Severity, String),
) {
    let required: &[SectionKind] = match story.meta.kind {
        StoryKind::Story => &SectionKind::STAR,
        StoryKind::Motivation => &[SectionKind::Answer],
    };
    let draft = story.meta.draft;
    let severity = if draft && !options.strict {
        Severity::Warning
    } else {
        Severity::Error
    };
    let hint = |kind: SectionKind| {
        if draft {
            format!(": write {}", what_to_write(story, bank, kind))
        } else {
            String::new()
        }
    };
    for &kind in required {
        match story.section(kind) {
            None => {
                let hidden = story
                    .unclosed_comment
                    .map(|line| {
                        format!(
                            " (the comment left open on line {line} hides the rest of the file)"
                        )
                    })
                    .unwrap_or_default();
                add(
                    story.body_line,
                    severity,
                    format!(
                        "missing section `## {}`{hidden}{}",
                        kind.title(),
                        hint(kind)
                    ),
                );
            }
            Some(section) if count_words(&section.text) == 0 => add(
                section.line,
                severity,
                format!("section `{}` is empty{}", kind.title(), hint(kind)),
            ),
            Some(_) => {}
        }
    }
}

/// What a STAR part holds, and the question bank's recall prompts for it from the story's
/// first competency that has any: "what you had to achieve ... (delivering-under-pressure
/// asks: Why was it tight?)".
fn what_to_write(story: &Story, bank: &QuestionBank, kind: SectionKind) -> String {
    let part = match kind {
        SectionKind::Situation => {
            "where you were and what was going on, the context a listener needs"
        }
        SectionKind::Task => "what you had to achieve, and what made it hard",
        SectionKind::Action => "what you did, step by step, saying \"I\"",
        SectionKind::Result => "what changed because of it, with a number if you have one",
        _ => "your answer, in a few points",
    };
    let prompts = story.meta.competencies.iter().find_map(|key| {
        let prompts = bank.get(key)?.prompts.for_section(kind);
        (!prompts.is_empty()).then(|| format!(" ({key} asks: {})", prompts.join(" ")))
    });
    format!("{part}{}", prompts.unwrap_or_default())
}

/// What `rehearse import` left for the user to sort: unplaced text, prose not yet split.
fn imported_leftovers(story: &Story, add: &mut impl FnMut(usize, Severity, String)) {
    if let Some(unplaced) = story.section(SectionKind::Unplaced) {
        add(
            unplaced.line,
            Severity::Warning,
            format!(
                "`## Unplaced` holds {} word(s) the import could not place: move them into the right section, then delete the heading",
                count_words(&unplaced.text)
            ),
        );
    }
    if story.meta.source.as_ref().is_some_and(|s| s.unsplit) {
        add(
            story.meta_line("source"),
            Severity::Warning,
            "imported as prose: all of it is in Situation; split it into Situation, Task, Action and Result by hand, then remove `unsplit: true`".to_owned(),
        );
    }
}

fn star_balance(
    story: &Story,
    options: &LintOptions,
    add: &mut impl FnMut(usize, Severity, String),
) {
    if let Some(result) = story.section(SectionKind::Result)
        && count_words(&result.text) > 0
    {
        let afters: Vec<&str> = story
            .meta
            .metrics
            .iter()
            .filter_map(|m| m.after.as_deref())
            .collect();
        if !afters.is_empty() {
            if !states_any(&result.text, &afters) {
                add(
                    result.line,
                    Severity::Warning,
                    format!(
                        "Result has no quantified outcome: it states none of the metrics' after values ({})",
                        afters.join(", ")
                    ),
                );
            }
        } else if !has_quantified_outcome(&result.text) {
            add(
                result.line,
                Severity::Warning,
                "Result has no quantified outcome (a number with a unit, like `30 min` or `74%`, that says what changed; a limit or an age does not count)"
                    .to_owned(),
            );
        }
    }

    let total = story.spoken_words();
    if let Some(action) = story.section(SectionKind::Action)
        && total > 0
    {
        let action_words = count_words(&action.text);
        let share = action_words as f64 / total as f64;
        let all_written = SectionKind::STAR
            .iter()
            .all(|k| story.section(*k).is_some_and(|s| count_words(&s.text) > 0));
        if all_written && !ACTION_SHARE.contains(&share) {
            add(
                action.line,
                Severity::Warning,
                format!(
                    "Action is {:.0}% of the story's words; aim for {:.0}-{:.0}% (what you did is what they hire)",
                    share * 100.0,
                    ACTION_SHARE.start() * 100.0,
                    ACTION_SHARE.end() * 100.0
                ),
            );
        }
        let (we, i) = pronouns(&action.text);
        if we > i {
            add(
                action.line,
                Severity::Warning,
                format!("Action says \"we\" {we} times and \"I\" {i} times; say what you did"),
            );
        }
    }

    let minutes = total as f64 / options.words_per_minute;
    if minutes > options.target_minutes {
        add(
            story.body_line,
            Severity::Warning,
            format!(
                "about {minutes:.1} min spoken ({total} words at {:.0} words a minute); target {} min",
                options.words_per_minute, options.target_minutes
            ),
        );
    }
}

/// True when the text states one of `values` (a metric's after value), in any unit spelling
/// that parses to the same quantity: "30 min" is stated by "30 minutes".
pub fn states_any(text: &str, values: &[&str]) -> bool {
    let wanted: Vec<Quantity> = values.iter().filter_map(|v| Quantity::parse(v)).collect();
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        let from = &rest[start..];
        let prefix_start = rest[..start]
            .char_indices()
            .next_back()
            .filter(|(_, c)| matches!(c, '$' | '€' | '£'))
            .map_or(start, |(i, _)| i);
        let candidate = &rest[prefix_start..];
        // The number with up to two words of unit after it, longest first.
        let words: Vec<&str> = candidate.split_whitespace().take(3).collect();
        for n in (1..=words.len()).rev() {
            let phrase = words[..n].join(" ");
            let phrase = phrase.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '%');
            if let Some(q) = Quantity::parse(phrase)
                && wanted.iter().any(|w| same_quantity(w, &q))
            {
                return true;
            }
        }
        let skip = from
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
            .unwrap_or(from.len());
        rest = &from[skip..];
    }
    false
}

fn same_quantity(a: &Quantity, b: &Quantity) -> bool {
    a.unit == b.unit && (a.value - b.value).abs() <= 0.01 * a.value.abs().max(1e-9)
}

/// True when the text has a number followed by a unit (`30 min`, `74%`, `18 million records`)
/// that can be an outcome: a limit ("beyond 15 minutes") or an age ("5 years ago") is not.
pub fn has_quantified_outcome(text: &str) -> bool {
    let mut rest = text;
    while let Some((_, after)) = numbers::leading_number(rest) {
        let before_number = &rest[..rest.len() - after.len()];
        if is_limit_or_age(before_number, after) {
            rest = after;
            continue;
        }
        let unit = after.trim_start_matches([' ', '\u{a0}', '-']);
        let word: String = unit
            .chars()
            .take_while(|c| c.is_alphabetic())
            .collect::<String>()
            .to_lowercase();
        let is_unit = unit.starts_with(['%', '×'])
            || (!word.is_empty() && !NOT_UNITS.contains(&word.as_str()));
        if is_unit {
            return true;
        }
        rest = after;
    }
    false
}

/// "beyond 15 minutes", "a 15-minute limit", "5 years ago", "5 years on": not outcomes.
fn is_limit_or_age(before_number: &str, after: &str) -> bool {
    let before: Vec<String> = before_number
        .split_whitespace()
        .rev()
        .skip(1) // the number itself
        .take(3)
        .map(|w| w.to_lowercase())
        .collect();
    let after_words: Vec<String> = after
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .take(3)
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .collect();
    let limit_before = before.iter().any(|w| {
        matches!(
            w.trim_matches(|c: char| !c.is_alphanumeric()),
            "beyond" | "limit" | "limits" | "max" | "maximum" | "most" | "cap" | "capped"
        )
    });
    let limit_after = after_words
        .iter()
        .any(|w| matches!(w.as_str(), "limit" | "limits" | "cap" | "maximum"));
    let age = after_words
        .first()
        .is_some_and(|w| matches!(w.as_str(), "year" | "years"));
    limit_before || limit_after || age
}

/// Words that can follow a number without being its unit ("version 2 of the job").
const NOT_UNITS: &[&str] = &[
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "is", "of", "on", "or", "the", "to",
    "was", "were", "with",
];

/// Counts of "we"-words and "I"-words.
fn pronouns(text: &str) -> (usize, usize) {
    let mut we = 0;
    let mut i = 0;
    for word in text.split(|c: char| !(c.is_alphanumeric() || c == '\'')) {
        match word.to_lowercase().as_str() {
            "we" | "we're" | "we've" | "we'd" | "our" | "us" => we += 1,
            "i" | "i'm" | "i've" | "i'd" | "my" | "me" => i += 1,
            _ => {}
        }
    }
    (we, i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantified_outcomes_need_a_unit() {
        assert!(has_quantified_outcome("cut the refresh to 30 min"));
        assert!(has_quantified_outcome("74% less time"));
        assert!(has_quantified_outcome("18 million records"));
        assert!(!has_quantified_outcome("it got much faster"));
        assert!(!has_quantified_outcome("version 2 of the job"));
    }

    #[test]
    fn a_limit_or_an_age_is_not_an_outcome() {
        assert!(!has_quantified_outcome(
            "No function runs beyond 15 minutes."
        ));
        assert!(!has_quantified_outcome("the 15-minute limit"));
        assert!(!has_quantified_outcome(
            "5 years on it is still my biggest failure"
        ));
        assert!(has_quantified_outcome(
            "5 years on, the refresh takes 30 min"
        ));
    }

    #[test]
    fn a_result_states_a_metric_after_value_in_any_spelling() {
        assert!(states_any("It went to about 30 minutes.", &["30 min"]));
        assert!(states_any("from 19.5 s to 5 s per XML", &["5 s"]));
        assert!(states_any("down to $2,000 a month", &["$2,000"]));
        assert!(states_any("10,000 records/s", &["10,000 records/s"]));
        assert!(!states_any("It went to about 45 minutes.", &["30 min"]));
        assert!(!states_any("much faster", &["30 min"]));
    }

    #[test]
    fn pronouns_count_possessives() {
        assert_eq!(
            pronouns("We built our tool; I wrote my part and I shipped it."),
            (2, 3)
        );
    }
}
