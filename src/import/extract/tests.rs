use super::*;

const HEADINGS: &str = include_str!("../../../tests/fixtures/import/notes/headings.md");
const BOLD: &str = include_str!("../../../tests/fixtures/import/notes/bold-labels.md");
const LINES: &str = include_str!("../../../tests/fixtures/import/notes/label-lines.txt");
const PROSE: &str = include_str!("../../../tests/fixtures/import/notes/prose-notes.txt");

fn part(story: &Found, kind: SectionKind) -> &str {
    story
        .parts
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, t)| t.as_str())
        .unwrap_or_else(|| panic!("no {kind:?} in {story:#?}"))
}

fn kinds(story: &Found) -> Vec<SectionKind> {
    story.parts.iter().map(|(k, _)| *k).collect()
}

/// Every part is cut out of the source as it was written.
fn assert_verbatim(source: &str, stories: &[Found]) {
    for story in stories {
        for (_, text) in &story.parts {
            assert!(source.contains(text.as_str()), "not verbatim: {text:?}");
        }
        for text in &story.unplaced {
            assert!(source.contains(text.as_str()), "not verbatim: {text:?}");
        }
    }
}

#[test]
fn question_headings_under_group_headings_with_lettered_part_headings() {
    use SectionKind::*;
    let stories = find_stories(HEADINGS);
    assert_verbatim(HEADINGS, &stories);
    let titles: Vec<&str> = stories.iter().filter_map(|s| s.title.as_deref()).collect();
    assert_eq!(
        titles,
        [
            "Tell me about a system you made significantly faster.",
            "Tell me about a time you shipped under a tight deadline.",
            "Tell me about a time you disagreed with your manager?",
        ]
    );
    let [faster, deadline, disagreed] = &stories[..] else {
        panic!("{stories:#?}")
    };
    assert_eq!(faster.groups, ["Interview prep", "Technical"]);
    assert_eq!(disagreed.groups, ["Interview prep", "People"]);
    assert_eq!(
        faster.questions,
        ["Tell me about a system you made significantly faster."]
    );
    assert_eq!(kinds(faster), [Situation, Task, Action, Result]);
    assert_eq!(
        part(faster, Action),
        "- I profiled the Lambda with cProfile instead of guessing.\n- I replaced the full XML-to-dict conversion with a regex that picks the 20 fields we used."
    );
    assert_eq!(
        part(faster, Task),
        "Performance testing showed **19.5 seconds** per XML; the job could not keep up."
    );
    assert_eq!(faster.unplaced, ["These are my answers, rough for now."]);
    assert_eq!(kinds(deadline), [Situation, Action]);
    assert_eq!(kinds(disagreed), [Situation, Result]);
    assert_eq!(
        part(disagreed, Result),
        "Bugs were picked up within 2 days instead of 4 weeks."
    );
    assert!(stories.iter().all(|s| !s.unsplit));
}

#[test]
fn bold_labels_before_the_text_or_on_their_own_line() {
    use SectionKind::*;
    let stories = find_stories(BOLD);
    assert_verbatim(BOLD, &stories);
    let [silent, recursive] = &stories[..] else {
        panic!("{stories:#?}")
    };
    assert_eq!(silent.title.as_deref(), Some("The silent stop"));
    assert_eq!(kinds(silent), [Situation, Task, Action, Result]);
    assert_eq!(
        part(silent, Situation),
        "Files landing in S3 triggered a Lambda that copied them on; a permission\nchange on an intermediate bucket stopped the pipeline mid-way."
    );
    assert_eq!(
        part(silent, Task),
        "Find out why data had stopped arriving, with no alert having fired."
    );
    assert_eq!(
        part(silent, Result),
        "The next stop was reported within 15 min."
    );
    assert_eq!(
        silent.unplaced,
        ["A note to myself: check the dates before telling this one."]
    );
    assert_eq!(kinds(recursive), [Situation, Result]);
    assert_eq!(
        part(recursive, Result),
        "The capped bill stopped everything; AWS waived it."
    );
}

#[test]
fn label_lines_and_question_lines_split_stories_without_headings() {
    use SectionKind::*;
    let stories = find_stories(LINES);
    assert_verbatim(LINES, &stories);
    let [proud, limit] = &stories[..] else {
        panic!("{stories:#?}")
    };
    assert_eq!(proud.title, None);
    assert_eq!(
        proud.questions,
        ["Tell me about a project you are proud of."]
    );
    assert_eq!(kinds(proud), [Situation, Task, Action, Result]);
    assert_eq!(part(proud, Result), "The refresh finished in 30 min.");
    assert_eq!(
        limit.questions,
        ["Tell me about a time you worked around a platform limit."]
    );
    assert_eq!(kinds(limit), [Situation, Action]);
    assert_eq!(limit.unplaced, ["Some line I never labelled."]);
}

#[test]
fn prose_under_underlined_headings_is_kept_whole_in_situation() {
    let stories = find_stories(PROSE);
    assert_verbatim(PROSE, &stories);
    let titles: Vec<&str> = stories.iter().filter_map(|s| s.title.as_deref()).collect();
    assert_eq!(
        titles,
        [
            "Challenges",
            "Project you are proud of",
            "What are you looking for in the new work?"
        ]
    );
    assert!(stories.iter().all(|s| s.unsplit && s.unplaced.is_empty()));
    assert!(stories.iter().all(|s| kinds(s) == [SectionKind::Situation]));
    assert_eq!(
        part(&stories[0], SectionKind::Situation),
        "\tThere is an ETL job, where there is a stream of XML records.\n\tWhen I did performance testing, I found that it took 19.5 seconds.\n\n\tFinally, it resulted in optimization from 19.5 seconds, to just 5 seconds."
    );
    assert_eq!(
        stories[2].questions,
        ["What are you looking for in the new work?"]
    );
}

#[test]
fn text_with_no_heading_and_no_label_is_no_story() {
    assert_eq!(find_stories("Just some thoughts.\n\nNothing more.\n"), []);
    assert_eq!(find_stories(""), []);
}

#[test]
fn labels_inside_code_blocks_are_text() {
    let text = "## Story\n\nSituation: real.\n\n```\nTask: not a label\n```\n";
    let stories = find_stories(text);
    assert_eq!(kinds(&stories[0]), [SectionKind::Situation]);
    assert_eq!(
        part(&stories[0], SectionKind::Situation),
        "real.\n\n```\nTask: not a label\n```"
    );
}

#[test]
fn a_sibling_heading_that_is_not_a_part_ends_the_part_and_is_kept_as_unplaced() {
    let text = "## Story\n\n### Situation\n\nWhere.\n\n### Notes\n\nAside.\n\n### Result\n\n2 h.\n";
    let stories = find_stories(text);
    let [story] = &stories[..] else {
        panic!("{stories:#?}")
    };
    assert_eq!(part(story, SectionKind::Situation), "Where.");
    assert_eq!(part(story, SectionKind::Result), "2 h.");
    assert_eq!(story.unplaced, ["### Notes\n\nAside."]);
}

#[test]
fn crlf_notes_keep_their_line_endings() {
    let text = "# S\r\n\r\nSituation: a\r\nb\r\n\r\nResult: 3 h\r\n";
    let stories = find_stories(text);
    assert_eq!(part(&stories[0], SectionKind::Situation), "a\r\nb");
    assert_eq!(part(&stories[0], SectionKind::Result), "3 h");
}

#[test]
fn follow_up_questions_place_the_answers_after_them() {
    use SectionKind::*;
    let body = "### Tell me about a time you disagreed.\n\n**Q: What was going on?**\nA: A rewrite was planned.\n\n**Q: What did you do?**\nA: I compared the options.\n\nInterviewer: What was the result?\nMe: We fixed three modules.\n";
    let stories = find_stories(body);
    let [story] = &stories[..] else {
        panic!("{stories:#?}")
    };
    assert_eq!(kinds(story), [Situation, Action, Result]);
    assert_eq!(part(story, Situation), "A rewrite was planned.");
    assert_eq!(part(story, Action), "I compared the options.");
    assert_eq!(part(story, Result), "We fixed three modules.");
    assert_verbatim(body, &stories);
}

#[test]
fn part_names_alone_on_their_lines_count_when_the_notes_use_two_or_more() {
    use SectionKind::*;
    let body = "Moving the index\nSituation\nThe cluster was old.\nTask\nMove it.\n\nAction\nI replayed queries.\n";
    let stories = find_stories(body);
    let [story] = &stories[..] else {
        panic!("{stories:#?}")
    };
    assert_eq!(story.title.as_deref(), Some("Moving the index"));
    assert_eq!(kinds(story), [Situation, Task, Action]);
    assert_eq!(part(story, Task), "Move it.");
    // One such line alone is a line of prose.
    let one = find_stories("# Notes\n\nSituation\nwas odd that day.\n");
    assert!(one[0].unsplit, "{one:#?}");
}

#[test]
fn a_callout_part_loses_its_quote_markers() {
    let body = "# Audit\n\n> [!info] Situation\n> The form failed\n> every check.\n\n> [!example] Action\n> I fixed it.\n";
    let stories = find_stories(body);
    assert_eq!(
        part(&stories[0], SectionKind::Situation),
        "The form failed\nevery check."
    );
    assert_eq!(part(&stories[0], SectionKind::Action), "I fixed it.");
}

#[test]
fn org_headlines_hold_stories_and_their_parts() {
    use SectionKind::*;
    let body = "#+TITLE: Stories\n* Cutting the deploys   :ops:\n** Situation\n   One in four failed.\n** Action\n   - Logged them.\n     Then fixed.\n* TODO Later\n  Numbers first.\n";
    let stories = find_stories_as(body, Syntax::Org);
    let [story] = &stories[..] else {
        panic!("{stories:#?}")
    };
    assert_eq!(story.title.as_deref(), Some("Cutting the deploys"));
    assert_eq!(kinds(story), [Situation, Action]);
    assert_eq!(part(story, Action), "- Logged them.\n  Then fixed.");
    // Nothing is lost: the keyword line and the headline without parts stay as unplaced text.
    assert!(
        story.unplaced.iter().any(|t| t.contains("#+TITLE")),
        "{story:#?}"
    );
    assert!(
        story.unplaced.iter().any(|t| t.contains("Numbers first.")),
        "{story:#?}"
    );
}

#[test]
fn hashtags_leave_titles_and_tag_the_stories() {
    use SectionKind::*;
    let notes = "# Prep #jobs/2026\n\n## Halving the build time #speed #work/infra\n\n**Situation**\nBuilds took 30 minutes.\n\n**Action**\nI cached the dependencies.\n\n### #people The intern who froze\n\nS: Their first demo went badly.\nR: They ran the next one.\n";
    let stories = find_stories(notes);
    assert_verbatim(notes, &stories);
    let titles: Vec<&str> = stories.iter().filter_map(|s| s.title.as_deref()).collect();
    assert_eq!(titles, ["Halving the build time", "The intern who froze"]);
    assert_eq!(stories[0].tags, ["speed", "work-infra"]);
    assert_eq!(stories[0].groups, ["Prep", "jobs/2026"]);
    assert_eq!(stories[1].tags, ["people"]);
    assert_eq!(kinds(&stories[0]), [Situation, Action]);
    assert_eq!(kinds(&stories[1]), [Situation, Result]);
}

#[test]
fn short_part_names_split_a_plain_text_story() {
    use SectionKind::*;
    let notes = "Title: Rescuing the import job #ops\nSit. The nightly import had failed for a week.\nTsk - get the data back before month end.\nAct: replayed the files in order.\nRes: every row was back by Friday.\n";
    let stories = find_stories(notes);
    assert_verbatim(notes, &stories);
    let [story] = &stories[..] else {
        panic!("{stories:#?}")
    };
    assert_eq!(story.title.as_deref(), Some("Rescuing the import job"));
    assert_eq!(story.tags, ["ops"]);
    assert_eq!(kinds(story), [Situation, Task, Action, Result]);
    assert_eq!(part(story, Task), "get the data back before month end.");
    assert_eq!(part(story, Result), "every row was back by Friday.");
}

#[test]
fn labels_inline_in_one_paragraph_split_it() {
    use SectionKind::*;
    let notes = "Shrinking the Docker images\n\nContext: our images were 2 GB and deploys took 12 minutes. Challenge: halve the deploy time.\nAction: I moved to multi-stage builds and a slim base. Outcome: images of 180 MB and\n4-minute deploys. Lesson: measure the layers first.\n";
    let stories = find_stories(notes);
    assert_verbatim(notes, &stories);
    let [story] = &stories[..] else {
        panic!("{stories:#?}")
    };
    assert_eq!(story.title.as_deref(), Some("Shrinking the Docker images"));
    assert_eq!(kinds(story), [Situation, Task, Action, Result, Lessons]);
    assert_eq!(
        part(story, Situation),
        "our images were 2 GB and deploys took 12 minutes."
    );
    assert_eq!(part(story, Task), "halve the deploy time.");
    assert_eq!(
        part(story, Result),
        "images of 180 MB and\n4-minute deploys."
    );
    assert!(story.unplaced.is_empty(), "{story:#?}");
}

#[test]
fn inline_labels_wrapped_over_lines_and_in_bold_and_letters() {
    use SectionKind::*;
    let notes = "## The pager storm\n\n**S:** 300 pages a night. **T:** cut the noise. **A:** I deleted alerts nobody\nacted on. **R:** 20 pages a night.\n\n## The lost backups\n\nS: backups had silently failed. T: restore trust.\nA: I added a restore test. R: it caught two failures.\n";
    let stories = find_stories(notes);
    assert_verbatim(notes, &stories);
    let [pager, backups] = &stories[..] else {
        panic!("{stories:#?}")
    };
    assert_eq!(kinds(pager), [Situation, Task, Action, Result]);
    assert_eq!(part(pager, Action), "I deleted alerts nobody\nacted on.");
    assert_eq!(kinds(backups), [Situation, Task, Action, Result]);
    assert_eq!(part(backups, Task), "restore trust.");
    assert_eq!(part(backups, Result), "it caught two failures.");
}

#[test]
fn prose_that_names_a_part_once_or_out_of_order_is_not_split() {
    use SectionKind::*;
    // One label and a "the result:" in a sentence: Situation keeps it all.
    let notes = "## The migration\n\nSituation: we moved 40 services, and the result: nobody noticed, so our action: none was needed.\n";
    let stories = find_stories(notes);
    let [story] = &stories[..] else {
        panic!("{stories:#?}")
    };
    assert_eq!(kinds(story), [Situation]);
    // Out of order: a Situation named after a Result in the same line stays in the Result.
    let notes = "## The audit\n\nResult: we passed. Situation: it was our first audit.\n";
    let stories = find_stories(notes);
    let [story] = &stories[..] else {
        panic!("{stories:#?}")
    };
    assert_eq!(kinds(story), [Result]);
    assert!(part(story, Result).contains("Situation: it was"));
}

#[test]
fn labels_behind_checkboxes_and_initials_in_brackets() {
    use SectionKind::*;
    let notes = "# Prep\n\n## On-call handover\n- [x] Situation: handovers were lost in chat.\n- [ ] Task: make them stick.\n  - [x] Action: a template in the incident channel.\n- [ ] Result: no repeat pages in a month.\n\n## Cache stampede\n\n(S)ituation - the cache expired at once.\n[T]ask - stop the stampede.\n**(A)ction** - jittered the expiry.\n**(R)esult** - the database load stayed flat.\n";
    let stories = find_stories(notes);
    assert_verbatim(notes, &stories);
    let [handover, cache] = &stories[..] else {
        panic!("{stories:#?}")
    };
    assert_eq!(kinds(handover), [Situation, Task, Action, Result]);
    assert_eq!(part(handover, Task), "make them stick.");
    assert_eq!(kinds(cache), [Situation, Task, Action, Result]);
    assert_eq!(part(cache, Action), "jittered the expiry.");
    assert_eq!(part(cache, Result), "the database load stayed flat.");
}

/// The stories in `body`, checked to be the two titled "Title one" and "Title two".
fn two_titled_stories(body: &str, shape: &str) -> Vec<Found> {
    let stories = find_stories(body);
    let titles: Vec<Option<&str>> = stories.iter().map(|s| s.title.as_deref()).collect();
    assert_eq!(
        titles,
        [Some("Title one"), Some("Title two")],
        "{shape:?}:\n{body}"
    );
    stories
}

/// Title lines decorated in every way notes do, each before two stories' labelled parts: both
/// stories are found with their titles bare and their four parts.
#[test]
fn a_title_is_read_whatever_decorates_it() {
    use SectionKind::*;
    const TITLES: &[&str] = &[
        "{}",
        "**{}**",
        "__{}__",
        "*{}*",
        "_{}_",
        "<b>{}</b>",
        "<strong>{}</strong>",
        "<h3>{}</h3>",
        "<div><b>{}</b></div>",
        "## {}",
        "### **{}**",
        "h2. {}",
        "h3. Story 1 - {}",
        "== {} ==",
        "1. {}",
        "1) **{}**",
        "Story 2 - {}",
        "Story: {}",
        "🚀 {}",
        "- {}",
        "* **{}**",
    ];
    const PARTS: &[&str] = &[
        "Situation: the situation {}",
        "**Task:** the task {}",
        "_Action:_ the action {}",
        "<b>Result</b> -> the result {}",
    ];
    for title in TITLES {
        let mut body = String::from("My stories\n\n");
        for number in ["one", "two"] {
            body.push_str(&title.replace("{}", &format!("Title {number}")));
            body.push_str("\n\n");
            for part in PARTS {
                body.push_str(&part.replace("{}", number));
                body.push('\n');
            }
            body.push('\n');
        }
        let stories = two_titled_stories(&body, title);
        for (story, number) in stories.iter().zip(["one", "two"]) {
            assert_eq!(kinds(story), [Situation, Task, Action, Result], "{title:?}");
            assert_eq!(part(story, Result), format!("the result {number}"));
        }
    }
}

/// An outline: each title an item (bulleted or numbered, bold or not) with its parts nested
/// under it, the stories one after another with no blank line between them.
#[test]
fn outline_items_hold_the_parts_nested_under_them() {
    use SectionKind::*;
    for (item, child) in [
        ("- {}", "  - "),
        ("* **{}**", "    * "),
        ("1. **{}**", "   - "),
        ("1) {}", "   a) "),
        ("- [ ] {}", "  - "),
        ("- {}", "\t- "),
    ] {
        let mut body = String::from("Stories for the panel\n\n");
        for (number, title) in ["Title one", "Title two"].iter().enumerate() {
            body.push_str(
                &item
                    .replace("1", &(number + 1).to_string())
                    .replace("{}", title),
            );
            body.push('\n');
            for part in ["Situation: s", "Task: t", "Action: a", "Result: r"] {
                body.push_str(&format!("{child}{part}{number}\n"));
            }
        }
        let stories = two_titled_stories(&body, item);
        for story in &stories {
            assert_eq!(kinds(story), [Situation, Task, Action, Result], "{item:?}");
        }
    }
}

/// Part names and their text in two columns, as a word processor or a note app saves a table
/// as text: a tab, tabs, or a run of spaces between them; no colon. Prose with a double space
/// after a word that is no part name stays prose.
#[test]
fn a_tab_or_a_run_of_spaces_separates_a_label_from_its_text() {
    use SectionKind::*;
    for gap in ["\t", "\t\t", "  ", "    ", " \t "] {
        for (situation, result) in [("Situation", "Result"), ("CONTEXT", "Outcome"), ("S", "R")] {
            let body = format!(
                "Notes\r\n\r\nTitle one\r\n{situation}{gap}The queue backed up.\r\nTask{gap}Drain it.\r\nAction{gap}I added consumers.\r\n{result}{gap}Lag fell to 2 s.\r\n\r\nTitle two\r\n{situation}{gap}Alerts were noisy.\r\n{result}{gap}Pages halved.\r\n"
            );
            let stories = two_titled_stories(&body, gap);
            assert_eq!(
                kinds(&stories[0]),
                [Situation, Task, Action, Result],
                "{body}"
            );
            assert_eq!(part(&stories[0], Action), "I added consumers.");
            assert_eq!(part(&stories[1], Result), "Pages halved.");
            assert_verbatim(&body, &stories);
        }
    }
    let prose = find_stories("# Notes\n\nWe met  twice.\nThe  result was odd.\n");
    assert!(prose[0].unsplit, "{prose:#?}");
}

/// A coach's questions, each naming the part its answer is, in any decoration, with the answer
/// under them (indented or not): the answers are placed by the question's words.
#[test]
fn questions_that_name_a_part_place_the_answer_under_them() {
    use SectionKind::*;
    let asked = [
        ("What was the situation?", Situation),
        ("What was your role?", Task),
        ("How did you approach it?", Action),
        ("What was the impact?", Result),
        ("What did you learn?", Lessons),
    ];
    let decorations: [(&str, &str, &str); 7] = [
        ("{n}. ", "", "   "),
        ("{n}) ", "", "    "),
        ("- ", "", "  "),
        ("**", "**", ""),
        ("### ", "", ""),
        ("Q: ", "", ""),
        ("", "", ""),
    ];
    for (before, after, indent) in decorations {
        let mut body = String::from("## Title one\n\n");
        for (n, (question, _)) in asked.iter().enumerate() {
            let lead = before.replace("{n}", &(n + 1).to_string());
            body.push_str(&format!("{lead}{question}{after}\n{indent}Answer {n}.\n\n"));
        }
        let stories = find_stories(&body);
        let [story] = &stories[..] else {
            panic!("{body}\n{stories:#?}")
        };
        assert_eq!(
            kinds(story),
            [Situation, Task, Action, Result, Lessons],
            "{body}"
        );
        for (n, (_, kind)) in asked.iter().enumerate() {
            assert_eq!(part(story, *kind).trim(), format!("Answer {n}."), "{body}");
        }
    }
    // Other wordings of the same questions.
    let body = "# Title one\n\n1. What was the context?\n   We had two vendors.\n2. What was the goal?\n   Pick one.\n3. What did you do?\n   I ran a bake-off.\n4. What was the outcome?\n   We chose the cheaper one.\n";
    let stories = find_stories(body);
    assert_eq!(kinds(&stories[0]), [Situation, Task, Action, Result]);
    assert_eq!(part(&stories[0], Task).trim(), "Pick one.");
    // One such question alone is a line of the story (or its own question), not a label.
    let one = find_stories("# Notes\n\nWhat was the result?\nNobody knew.\n");
    assert!(one[0].unsplit, "{one:#?}");
}

/// Footnote definitions at a Markdown file's end are notes on the text: they are kept, apart
/// from the parts, in the last story's unplaced text; a reference inside a part stays in it.
#[test]
fn footnote_definitions_are_kept_apart_from_the_parts() {
    use SectionKind::*;
    let body = "## Title one\n\n**Situation**: The index was old[^1].\n\n**Result**: No failed searches[^old].\n\n[^1]: Check the date.\n[^old]: From the dashboard,\n    p95 at the time.\n";
    let stories = find_stories(body);
    let [story] = &stories[..] else {
        panic!("{stories:#?}")
    };
    assert_eq!(part(story, Situation), "The index was old[^1].");
    assert_eq!(part(story, Result), "No failed searches[^old].");
    let unplaced = story.unplaced.join("\n");
    assert!(unplaced.contains("[^1]: Check the date."), "{story:#?}");
    assert!(unplaced.contains("p95 at the time."), "{story:#?}");
    assert_verbatim(body, &stories);
    // Not a definition: a reference inside a sentence, a link, brackets with a space.
    for line in [
        "Result: it fell[^2]: by half.",
        "[link]: https://example.com",
        "[^a b]: no",
    ] {
        assert!(!footnote_definition(line), "{line}");
    }
    assert!(footnote_definition("   [^note-2]: yes"));
}

#[test]
fn a_details_blocks_summary_titles_the_story_folded_in_it() {
    use SectionKind::*;
    // Markdown with raw HTML: the summary line follows `<details>`, not a blank line; a
    // summary with attributes-free bold inside, in capitals, is one too.
    let notes = "# Stories\n\n<details>\n<summary>Taming the flaky suite</summary>\n\n\
                 * Situation - 1 run in 4 failed.\n* Action - I quarantined the flaky tests.\n\n\
                 </details>\n<details><SUMMARY><b>Owning the outage</b></SUMMARY>\nS: the site was down.\n\
                 R: back in 20 minutes.\n</details>\n";
    let stories = find_stories(notes);
    let titles: Vec<&str> = stories.iter().filter_map(|s| s.title.as_deref()).collect();
    assert_eq!(titles, ["Taming the flaky suite", "Owning the outage"]);
    assert_eq!(kinds(&stories[0]), [Situation, Action]);
    assert_eq!(part(&stories[1], Result), "back in 20 minutes.");
}
