//! Label detection over the cross product of decorations, part names and separators, and the
//! prose lines that start like a label but are not one.

use super::*;

/// What may stand before a label: heading marks, list markers, checkboxes, numbering, quote
/// and callout marks, symbols.
const LEADS: &[&str] = &[
    "",
    "# ",
    "### ",
    "h2. ",
    "h4. ",
    "== ",
    "- ",
    "* ",
    "+ ",
    "• ",
    "  - ",
    "\t- ",
    "- [ ] ",
    "- [x] ",
    "1. ",
    "12) ",
    "(3) ",
    "a. ",
    "b) ",
    "iv. ",
    "> ",
    "> > ",
    "> [!note] ",
    "> [!info]- ",
    "| ",
    "🎯 ",
    "✅ ",
    "➡️ ",
    "- 1. ",
];

/// Emphasis and tags around the name, `{}` standing for the name (and, in the second form,
/// the separator inside the emphasis).
const WRAPS: &[&str] = &[
    "{}",
    "**{}**",
    "__{}__",
    "*{}*",
    "_{}_",
    "~~{}~~",
    "`{}`",
    "<b>{}</b>",
    "<strong>{}</strong>",
    "<em>{}</em>",
    "<i>{}</i>",
    "<h3>{}</h3>",
    "<span class=\"x\">{}</span>",
    "**_{}_**",
];

const SEPARATORS_WRITTEN: &[&str] = &[
    ":", " :", " -", " –", " —", " ->", " =>", " →", " ⇒", " >", " |", " -->",
];

/// Part names as notes write them: full, in capitals and lower case, synonyms, short forms
/// and single letters.
const NAMES: &[(&str, SectionKind)] = &[
    ("Situation", SectionKind::Situation),
    ("SITUATION", SectionKind::Situation),
    ("situation", SectionKind::Situation),
    ("S", SectionKind::Situation),
    ("Sit", SectionKind::Situation),
    ("Context", SectionKind::Situation),
    ("Background", SectionKind::Situation),
    ("Task", SectionKind::Task),
    ("T", SectionKind::Task),
    ("Challenge", SectionKind::Task),
    ("Action", SectionKind::Action),
    ("ACTIONS", SectionKind::Action),
    ("A", SectionKind::Action),
    ("What I did", SectionKind::Action),
    ("Actions taken", SectionKind::Action),
    ("Result", SectionKind::Result),
    ("R", SectionKind::Result),
    ("Outcome", SectionKind::Result),
    ("Impact", SectionKind::Result),
    ("Res", SectionKind::Result),
    ("Lessons learned", SectionKind::Lessons),
    ("Learning", SectionKind::Lessons),
];

const TEXT: &str = "the text, as written";

fn check(line: &str, kind: SectionKind) -> Result<(), String> {
    let label = line_label(line).ok_or_else(|| format!("no label in {line:?}"))?;
    if label.kind != LabelKind::Part(kind) {
        return Err(format!("{line:?} read as {:?}", label.kind));
    }
    if &line[label.content..] != TEXT {
        return Err(format!("{line:?}: text {:?}", &line[label.content..]));
    }
    Ok(())
}

#[test]
fn every_decoration_name_and_separator_reads_as_the_part() {
    let mut failures = Vec::new();
    let mut tried = 0;
    for lead in LEADS {
        for wrap in WRAPS {
            for (name, kind) in NAMES {
                for separator in SEPARATORS_WRITTEN {
                    // The separator after the emphasis (`**Task**:`), and inside it (`**Task:**`).
                    let outside = format!("{lead}{}{separator} {TEXT}", wrap.replace("{}", name));
                    let inside = format!(
                        "{lead}{} {TEXT}",
                        wrap.replace("{}", &format!("{name}{separator}"))
                    );
                    for line in [outside, inside] {
                        tried += 1;
                        if let Err(failure) = check(&line, *kind) {
                            failures.push(failure);
                        }
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {tried} decorated labels misread, e.g. {:#?}",
        failures.len(),
        &failures[..failures.len().min(20)]
    );
}

#[test]
fn a_decorated_name_alone_is_a_part_with_its_text_on_the_next_line() {
    for lead in LEADS {
        for wrap in WRAPS.iter().filter(|w| **w != "{}" && **w != "`{}`") {
            for (name, kind) in NAMES.iter().filter(|(n, _)| n.len() > 1) {
                let line = format!("{lead}{}", wrap.replace("{}", name));
                let label = line_label(&line);
                assert_eq!(
                    label.map(|l| (l.kind, l.content)),
                    Some((LabelKind::Part(*kind), line.len())),
                    "{line:?}"
                );
                assert_eq!(bare_part(&line), Some(*kind), "{line:?}");
            }
        }
    }
}

#[test]
fn prose_that_starts_with_a_part_word_is_no_label() {
    for line in [
        "Action items were assigned to everyone.",
        "Action items: write the runbook, book the review.",
        "Task force meetings ran every week.",
        "Situation normal — nobody noticed the outage.",
        "Results vary - see the dashboard.",
        "Actionable feedback: always ask for it.",
        "Impactful work -> a promotion, eventually.",
        "Resulting in: less toil for everyone.",
        "Contextually, it was hard: we had no data.",
        "A. Smith led the team that quarter.",
        "a) first option, b) second option",
        "S3 bucket: the logs went there.",
        "Tasks > 40 were dropped.",
        "**Note:** remember to time each answer.",
        "<b>Tip:</b> keep it under two minutes.",
        "- [ ] Buy milk",
        "1. Read the job ad twice.",
        "h2. Replacing the release spreadsheet",
        "Background reading for the panel",
        "Results-driven engineers wanted.",
    ] {
        assert_eq!(line_label(line), None, "{line:?}");
        assert_eq!(bare_part(line), None, "{line:?}");
    }
}

#[test]
fn a_part_word_inside_a_sentence_is_no_inline_label() {
    for line in [
        "We tried twice and the result: nothing changed.",
        "It was a long week. The result: we shipped late.",
        "The task: keep it running. Nothing else.",
    ] {
        // A lone inline candidate is dropped by the caller unless two parts follow in order;
        // here none of them is a sentence-initial run of parts.
        let labels = inline_labels(line, 0);
        assert!(labels.len() <= 1, "{line:?}: {labels:?}");
    }
    assert!(inline_labels("We tried twice and the result: nothing changed.", 0).is_empty());
}
