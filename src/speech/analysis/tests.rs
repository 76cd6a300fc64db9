//! The analysis on text transcripts with timestamps: no model, no audio.

use std::path::Path;

use super::key_numbers::Heard;
use super::*;
use crate::story::bundled::STORIES;

pub(crate) fn bundled(file: &str) -> Story {
    let (_, text) = STORIES.iter().find(|(name, _)| *name == file).unwrap();
    crate::story::parse(Path::new(file), text).unwrap()
}

/// The daily-refresh story told right, in the words a speaker might use (numbers in words).
pub(crate) const RIGHT: &str = "In my current project the daily data refresh handles about eighteen million \
    records and each one is either a create or an update. All the daily ETL jobs behind it used to take \
    around three hours. It is the project I am proud of: I set out to make that refresh complete faster. \
    I refactored these scripts. I used an async module to run concurrently the jobs that do not depend on \
    others. The daily refresh now completes in just thirty minutes instead of around three hours. By those \
    numbers that is six times faster, or eighty three percent less time.";

fn feedback(text: &str) -> Feedback {
    let story = bundled("daily-refresh-18m.md");
    analyse(
        &story,
        &Transcript::from_text(text, 0.4),
        &SectionMarks::default(),
    )
}

/// Another story's STAR sections, told as written.
fn told(file: &str) -> String {
    let other = bundled(file);
    let sections: Vec<String> = SectionKind::STAR
        .iter()
        .filter_map(|k| other.section(*k))
        .map(|s| s.text.replace("- ", ""))
        .collect();
    sections.join(" ")
}

fn metric<'a>(feedback: &'a Feedback, name: &str) -> &'a NumberCheck {
    feedback
        .numbers
        .iter()
        .find(|n| n.metric.starts_with(name))
        .unwrap()
}

#[test]
fn the_story_told_right_covers_it_says_its_numbers_and_earns_easy() {
    let feedback = feedback(RIGHT);
    assert!(feedback.coverage > 0.95, "{:#?}", feedback.sections);
    assert_eq!(feedback.result_said, Some(true));
    let wall = metric(&feedback, "daily refresh wall time");
    assert_eq!(wall.verdict, Heard::Said, "{wall:#?}");
    assert_eq!(metric(&feedback, "records in").verdict, Heard::Said);
    // The implied rate is never spoken; its 6x is.
    assert_eq!(
        metric(&feedback, "records per second").verdict,
        Heard::Partly
    );
    assert_eq!(feedback.number_counts().wrong, 0);
    assert_eq!(
        feedback.suggested_grade,
        Grade::Easy,
        "{:?}",
        feedback.reasons
    );
    assert!(feedback.marks.contains(&Mark::Story));
    assert!(feedback.marks.contains(&Mark::Number));
}

#[test]
fn digits_and_words_are_the_same_numbers() {
    let digits = RIGHT
        .replace("eighteen million", "18 million")
        .replace("three hours", "3 hours")
        .replace("thirty minutes", "30 minutes")
        .replace("six times", "6x")
        .replace("eighty three percent", "83%");
    let (words, digits) = (feedback(RIGHT), feedback(&digits));
    assert_eq!(words.numbers, digits.numbers);
    assert_eq!(digits.suggested_grade, Grade::Easy);
}

#[test]
fn a_wrong_number_is_called_wrong_never_said_and_the_grade_drops() {
    let feedback = feedback(&RIGHT.replace("thirty minutes", "forty five minutes"));
    let wall = metric(&feedback, "daily refresh wall time");
    assert_eq!(wall.verdict, Heard::Wrong);
    let after = wall.values.iter().find(|v| v.part == "after").unwrap();
    assert_eq!(after.verdict, Heard::Wrong);
    assert_eq!(after.heard.as_deref(), Some("45 min"));
    // The before is still said: the wrong number stands in for the after only.
    let before = wall.values.iter().find(|v| v.part == "before").unwrap();
    assert_eq!(before.verdict, Heard::Said);
    assert_eq!(feedback.suggested_grade, Grade::Hard);
    assert!(
        feedback.reasons[0].contains("said wrong"),
        "{:?}",
        feedback.reasons
    );
    assert!(feedback.marks.contains(&Mark::WrongNumber));
}

#[test]
fn a_wrong_count_is_wrong_too() {
    let feedback = feedback(&RIGHT.replace("eighteen million", "eight million"));
    assert_eq!(metric(&feedback, "records in").verdict, Heard::Wrong);
}

#[test]
fn a_number_of_another_order_near_the_metrics_words_is_not_a_wrong_one() {
    // "S3" near "created" (the claim says "creates") is not a record count.
    let feedback = feedback("When a file is created in an S3 bucket a Lambda is triggered.");
    assert_eq!(metric(&feedback, "records in").verdict, Heard::NotSaid);
}

#[test]
fn an_answer_that_stops_after_the_action_has_no_result() {
    let cut = RIGHT.split(" The daily refresh now").next().unwrap();
    let feedback = feedback(cut);
    assert_eq!(feedback.result_said, Some(false));
    let result = feedback
        .sections
        .iter()
        .find(|s| s.section == "Result")
        .unwrap();
    assert_eq!(result.came_through(), 0);
    assert_eq!(feedback.suggested_grade, Grade::Hard);
    assert!(feedback.reasons.iter().any(|r| r.contains("Result")));
}

#[test]
fn an_answer_about_another_story_covers_almost_nothing() {
    let feedback = feedback(&told("silent-permission-stop.md"));
    assert!(feedback.coverage < 0.2, "{:#?}", feedback.sections);
    assert_eq!(feedback.result_said, Some(false));
    assert_eq!(feedback.number_counts().said, 0);
    assert_eq!(feedback.suggested_grade, Grade::Again);
}

#[test]
fn the_other_way_round_the_xml_story_told_for_the_refresh_scores_low_and_numbers_are_not_said() {
    let feedback = feedback(&told("xml-etl-lambda.md"));
    assert!(feedback.coverage < 0.3, "{:#?}", feedback.sections);
    assert_eq!(feedback.number_counts().said, 0, "{:#?}", feedback.numbers);
    assert_eq!(feedback.suggested_grade, Grade::Again);
}

#[test]
fn fillers_are_counted_per_minute_and_keep_the_grade_from_easy() {
    let with_fillers = RIGHT
        .replace(". ", ". Um, ")
        .replace(" the jobs", " uh, the jobs")
        .replace("I refactored", "So, like, I basically refactored");
    let feedback = feedback(&with_fillers);
    assert!(
        feedback.delivery.fillers.len() >= 9,
        "{:?}",
        feedback.delivery.fillers
    );
    assert!(feedback.delivery.fillers_per_minute > 10.0);
    assert_eq!(feedback.suggested_grade, Grade::Good);
    assert!(feedback.reasons.iter().any(|r| r.contains("filler")));
    assert!(feedback.marks.contains(&Mark::Filler));
}

#[test]
fn paraphrase_still_counts_but_a_bag_of_the_same_words_scattered_does_not() {
    let paraphrase = "I refactored the scripts and used an async module so jobs with no \
        dependencies ran concurrently.";
    let feedback = feedback(paraphrase);
    let action = feedback
        .sections
        .iter()
        .find(|s| s.section == "Action")
        .unwrap();
    assert_eq!(action.came_through(), 2, "{action:#?}");
    // The same content words, far apart among unrelated talk, cover nothing.
    let filler_talk = "the weather was fine and the team went out for lunch on friday afternoon";
    let scattered = format!(
        "I refactored {filler_talk} {filler_talk} scripts {filler_talk} async {filler_talk} module \
         {filler_talk} concurrently {filler_talk} jobs {filler_talk} depend"
    );
    let feedback = analyse(
        &bundled("daily-refresh-18m.md"),
        &Transcript::from_text(&scattered, 0.4),
        &SectionMarks::default(),
    );
    let action = feedback
        .sections
        .iter()
        .find(|s| s.section == "Action")
        .unwrap();
    assert_eq!(action.came_through(), 0, "{action:#?}");
}

#[test]
fn pace_per_section_follows_the_marks() {
    let story = bundled("daily-refresh-18m.md");
    let transcript = Transcript::from_text(RIGHT, 0.4);
    let marks = SectionMarks::star(&[0.0, 10.0, 14.0, 24.0]);
    let feedback = analyse(&story, &transcript, &marks);
    let paces = &feedback.delivery.sections;
    assert_eq!(paces.len(), 4);
    assert_eq!(
        paces.iter().map(|p| p.words).sum::<usize>(),
        transcript.words.len()
    );
    // Evenly spaced words, 0.4 s apart: 150 words a minute in every section.
    for pace in paces {
        assert!((pace.words_per_minute - 150.0).abs() < 8.0, "{pace:?}");
    }
}

#[test]
fn silence_is_no_answer() {
    let feedback = feedback("");
    assert_eq!(feedback.suggested_grade, Grade::Again);
    assert_eq!(feedback.coverage, 0.0);
    assert_eq!(feedback.reasons, ["no words were heard"]);
}

#[test]
fn a_result_retold_in_other_words_is_said_when_its_own_figures_come_through() {
    let stops_after_action = "In my current project the daily data refresh handles about eighteen \
        million records and each one is either a create or an update. All the daily ETL jobs behind \
        it used to take around three hours. I set out to make that refresh complete faster. I used an \
        async module to run concurrently the jobs that do not depend on others.";
    let retold =
        format!("{stops_after_action} Now it completes in thirty minutes, six times faster.");
    let heard = feedback(&retold);
    assert_eq!(heard.result_said, Some(true), "{:#?}", heard.sections);
    let result = heard
        .sections
        .iter()
        .find(|s| s.section == "Result")
        .unwrap();
    assert_eq!(result.came_through(), 2, "{result:#?}");

    // The figures alone, with none of their sentence's words, or a figure the Situation holds
    // too, retell nothing.
    for tail in [
        "Thirty minutes. Six times.",
        "It took around three hours.",
        "Now it completes in forty five minutes, twice as fast.",
    ] {
        let feedback = feedback(&format!("{stops_after_action} {tail}"));
        assert_eq!(
            feedback.result_said,
            Some(false),
            "{tail}: {:#?}",
            feedback.sections
        );
    }
}

#[test]
fn one_wrong_number_is_one_wrong_value_though_two_metrics_are_near_it() {
    let story = bundled("xml-etl-lambda.md");
    let answer = "I pulled the xmltodict code into my own code, which got it down to fourteen \
        seconds per XML. Then I used regular expressions to cherry pick the tags, and in the end \
        the time per XML went down to just eight seconds, about four times faster.";
    let heard = analyse(
        &story,
        &Transcript::from_text(answer, 0.4),
        &SectionMarks::default(),
    );
    assert_eq!(heard.number_counts().wrong, 1, "{:#?}", heard.numbers);
    let end_to_end = metric(&heard, "time per XML, end to end");
    assert_eq!(end_to_end.verdict, Heard::Wrong, "{end_to_end:#?}");
    let inlined = metric(&heard, "time per XML after inlining");
    assert_ne!(inlined.verdict, Heard::Wrong, "{inlined:#?}");
}
