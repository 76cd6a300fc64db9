//! The mock's report as Markdown: one session question by question, and the history across
//! sessions (gaps, over-used stories, the trend of pick times and grades) for the prep pack.
//! Pure: the stored sessions, stories and bank come in as arguments.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::time::Duration;

use jiff::tz::TimeZone;

use super::answer::{Budgets, MockAnswer, seconds};
use super::pick::Declares;
use super::stored::StoredMockSession;
use crate::story::Story;
use crate::story::question_bank::QuestionBank;

/// A closed session's report.
#[derive(Debug, Clone, PartialEq)]
pub struct MockReport {
    pub answered: usize,
    pub questions: usize,
    /// The session question by question and, once there are two sessions, the trend.
    pub markdown: String,
}

/// What a report reads besides the sessions.
pub struct ReportContext<'a> {
    pub stories: &'a [Story],
    pub bank: &'a QuestionBank,
    pub budgets: Budgets,
    pub tz: TimeZone,
}

/// A story is over-used when mocks picked it for this many competencies or more.
pub const OVERUSED_COMPETENCIES: usize = 3;

/// One session: each question with the pick, times, self-check and grade, then its gaps.
pub fn session_markdown(session: &StoredMockSession, context: &ReportContext<'_>) -> String {
    let mut out = String::new();
    let date = context
        .tz
        .to_datetime(session.started_at)
        .strftime("%Y-%m-%d %H:%M")
        .to_string();
    let _ = writeln!(
        out,
        "### Mock interview {} ({} of {} questions answered, seed {})\n",
        date,
        session.answers.len(),
        session.setup.questions,
        session.setup.seed
    );
    if session.answers.is_empty() {
        let _ = writeln!(out, "No question was graded.\n");
        return out;
    }
    let _ = writeln!(
        out,
        "| # | Question | Story picked | Pick | Answer against the budget | Probes | Self-check | Grade |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|---|");
    for answer in &session.answers {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            answer.position,
            cell(&format!(
                "{} (`{}`)",
                answer.question.text, answer.question.competency
            )),
            cell(&picked(answer)),
            seconds(answer.pick_time),
            cell(
                &answer
                    .answer
                    .map_or_else(|| "–".to_owned(), |a| a.against(&context.budgets))
            ),
            cell(&probes(answer)),
            cell(&self_check(answer)),
            answer.grade
        );
    }
    out.push('\n');
    gaps(&mut out, std::slice::from_ref(session), context);
    overused(&mut out, std::slice::from_ref(session));
    out
}

/// The prep pack's section: the latest session, gaps, over-used stories and the trend.
pub fn history_markdown(history: &[StoredMockSession], context: &ReportContext<'_>) -> String {
    let mut out = String::from("## Mock interviews\n\n");
    let Some(latest) = history.iter().rev().find(|s| !s.answers.is_empty()) else {
        let _ = writeln!(
            out,
            "No mock interview yet: `rehearse mock --plain` asks unseen questions from the bank.\n"
        );
        return out;
    };
    out.push_str(&session_markdown(latest, context).replacen("### ", "### Latest: ", 1));
    out.push_str(&across_sessions_markdown(history, context));
    out
}

/// Gaps, over-used stories and the trend over every session: the end of the prep pack's
/// section, and of a plain mock's report once there is more than one session.
pub fn across_sessions_markdown(
    history: &[StoredMockSession],
    context: &ReportContext<'_>,
) -> String {
    let mut out = String::from("### Across all sessions\n\n");
    gaps(&mut out, history, context);
    overused(&mut out, history);
    trend(&mut out, history, context);
    out
}

fn picked(answer: &MockAnswer) -> String {
    match (&answer.story_id, answer.declares) {
        (None, _) => "none (a gap)".to_owned(),
        (Some(id), Some(true)) => id.clone(),
        (Some(id), _) => format!("{id} (does not declare it)"),
    }
}

fn probes(answer: &MockAnswer) -> String {
    if answer.probes.is_empty() {
        return "–".to_owned();
    }
    answer
        .probes
        .iter()
        .map(|p| {
            format!(
                "{} ({}{})",
                p.question,
                seconds(p.time),
                if p.open { ", open: prepare it" } else { "" }
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn self_check(answer: &MockAnswer) -> String {
    if answer.self_check.is_empty() {
        return "–".to_owned();
    }
    answer
        .self_check
        .iter()
        .map(|c| format!("{} {}", if c.yes { "✔" } else { "✘" }, c.item.label()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Competencies asked with no story picked, and the bank's competencies no finished story
/// declares.
fn gaps(out: &mut String, sessions: &[StoredMockSession], context: &ReportContext<'_>) {
    let answered_none: BTreeSet<&str> = sessions
        .iter()
        .flat_map(|s| &s.answers)
        .filter(|a| a.story_id.is_none())
        .map(|a| a.question.competency.as_str())
        .collect();
    let has_finished = |key: &str| {
        context
            .stories
            .iter()
            .any(|s| !s.meta.draft && Declares::of(s, key).declared())
    };
    let undeclared: BTreeSet<&str> = context.bank.keys().filter(|k| !has_finished(k)).collect();
    if answered_none.is_empty() && undeclared.is_empty() {
        let _ = writeln!(out, "Every competency has a finished story.\n");
        return;
    }
    let _ = writeln!(out, "Competencies with no story:\n");
    for key in answered_none.union(&undeclared) {
        let why = match (answered_none.contains(key), has_finished(key)) {
            (true, false) => "no story picked, and no finished story declares it",
            (true, true) => "no story picked, though a finished story declares it",
            (false, _) => "no finished story declares it",
        };
        let _ = writeln!(
            out,
            "- `{key}`: {why}; `rehearse new --competency {key} \"TITLE\"`"
        );
    }
    out.push('\n');
}

/// Stories picked for many competencies: one story cannot answer everything.
fn overused(out: &mut String, sessions: &[StoredMockSession]) {
    let mut by_story: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for answer in sessions.iter().flat_map(|s| &s.answers) {
        if let Some(id) = &answer.story_id {
            by_story
                .entry(id)
                .or_default()
                .insert(&answer.question.competency);
        }
    }
    let overused: Vec<_> = by_story
        .into_iter()
        .filter(|(_, competencies)| competencies.len() >= OVERUSED_COMPETENCIES)
        .collect();
    if overused.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "Over-used stories (picked for {OVERUSED_COMPETENCIES} or more competencies):\n"
    );
    for (id, competencies) in overused {
        let list: Vec<String> = competencies.iter().map(|c| format!("`{c}`")).collect();
        let _ = writeln!(out, "- {id}: {}", list.join(", "));
    }
    out.push('\n');
}

fn trend(out: &mut String, history: &[StoredMockSession], context: &ReportContext<'_>) {
    let sessions: Vec<&StoredMockSession> =
        history.iter().filter(|s| !s.answers.is_empty()).collect();
    let _ = writeln!(out, "Trend, oldest session first:\n");
    let _ = writeln!(
        out,
        "| Session | Questions | Median pick time | Stories that declare it | Gaps | Mean grade |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|");
    for session in &sessions {
        let answers = &session.answers;
        let declared = answers.iter().filter(|a| a.declares == Some(true)).count();
        let gaps = answers.iter().filter(|a| a.story_id.is_none()).count();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {declared} of {} | {gaps} | {:.1} |",
            context
                .tz
                .to_datetime(session.started_at)
                .strftime("%Y-%m-%d %H:%M"),
            answers.len(),
            seconds(median_pick(answers)),
            answers.len(),
            mean_grade(answers)
        );
    }
    if let [first, .., last] = sessions.as_slice() {
        let _ = writeln!(
            out,
            "\nFrom the first session to the last: median pick time {} -> {}, mean grade {:.1} -> {:.1}.",
            seconds(median_pick(&first.answers)),
            seconds(median_pick(&last.answers)),
            mean_grade(&first.answers),
            mean_grade(&last.answers)
        );
    }
    out.push('\n');
}

fn median_pick(answers: &[MockAnswer]) -> Duration {
    let mut times: Vec<Duration> = answers.iter().map(|a| a.pick_time).collect();
    times.sort_unstable();
    match times.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => times[n / 2],
        n => (times[n / 2 - 1] + times[n / 2]) / 2,
    }
}

fn mean_grade(answers: &[MockAnswer]) -> f64 {
    if answers.is_empty() {
        return 0.0;
    }
    answers
        .iter()
        .map(|a| f64::from(a.grade.number()))
        .sum::<f64>()
        / answers.len() as f64
}

/// A table cell: no pipes, no line breaks.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::answer::{AnswerTime, AskedProbe, CheckAnswer, CheckItem, SectionTimes};
    use crate::mock::bank::questions;
    use crate::mock::stored::{MockSessionId, MockSetup};
    use crate::mock::testing::{fixture_bank, fixture_stories};
    use crate::srs::Grade;
    use jiff::Timestamp;

    fn session(id: i64, start: i64, answers: Vec<MockAnswer>) -> StoredMockSession {
        StoredMockSession {
            id: MockSessionId(id),
            started_at: Timestamp::from_second(start).unwrap(),
            finished_at: None,
            setup: MockSetup {
                seed: 42,
                questions: 3,
                competency: None,
                job: None,
                interface: "plain".into(),
            },
            answers,
        }
    }

    fn answer(
        position: usize,
        question: usize,
        story: Option<&str>,
        pick: u64,
        grade: Grade,
    ) -> MockAnswer {
        let question = questions(&fixture_bank())[question].clone();
        MockAnswer {
            position,
            asked_at: Timestamp::from_second(1_800_000_000).unwrap(),
            story_id: story.map(str::to_owned),
            declares: story.map(|s| s != "queue-disagreement"),
            better: vec![],
            pick_time: Duration::from_secs(pick),
            answer: story.map(|_| AnswerTime {
                total: Duration::from_secs(120),
                sections: SectionTimes {
                    situation: Some(Duration::from_secs(20)),
                    ..SectionTimes::default()
                },
            }),
            probes: story
                .map(|_| {
                    vec![AskedProbe {
                        question: "What would you measure next?".into(),
                        time: Duration::from_secs(30),
                        open: true,
                    }]
                })
                .unwrap_or_default(),
            self_check: story
                .map(|_| {
                    vec![
                        CheckAnswer {
                            item: CheckItem::SituationGiven,
                            yes: true,
                        },
                        CheckAnswer {
                            item: CheckItem::NumberRight,
                            yes: false,
                        },
                    ]
                })
                .unwrap_or_default(),
            grade,
            pick_grade: grade,
            question,
        }
    }

    fn context<'a>(stories: &'a [Story], bank: &'a QuestionBank) -> ReportContext<'a> {
        ReportContext {
            stories,
            bank,
            budgets: crate::config::DrillConfig::default().budgets(),
            tz: TimeZone::UTC,
        }
    }

    #[test]
    fn a_session_report_lists_each_question_and_the_gaps() {
        let stories = fixture_stories();
        let bank = fixture_bank();
        let report = session_markdown(
            &session(
                1,
                1_800_000_000,
                vec![
                    answer(1, 3, Some("cache-latency"), 6, Grade::Good),
                    answer(2, 12, None, 9, Grade::Again),
                ],
            ),
            &context(&stories, &bank),
        );
        insta::assert_snapshot!("mock_session_report", report);
    }

    #[test]
    fn the_history_shows_overused_stories_and_the_trend() {
        let stories = fixture_stories();
        let bank = fixture_bank();
        let first = session(
            1,
            1_800_000_000,
            vec![
                answer(1, 0, Some("cache-latency"), 20, Grade::Hard),
                answer(2, 3, Some("cache-latency"), 10, Grade::Good),
                answer(3, 6, Some("queue-disagreement"), 30, Grade::Again),
            ],
        );
        let second = session(
            2,
            1_800_086_400,
            vec![
                answer(1, 9, Some("cache-latency"), 4, Grade::Good),
                answer(2, 6, Some("queue-disagreement"), 6, Grade::Easy),
            ],
        );
        let report = history_markdown(&[first, second], &context(&stories, &bank));
        assert!(
            report.starts_with("## Mock interviews\n\n### Latest: Mock interview 2027-01-16"),
            "{report}"
        );
        assert!(
            report.contains("- cache-latency: `failure`, `ownership`, `performance`"),
            "{report}"
        );
        assert!(report.contains(
            "From the first session to the last: median pick time 20 s -> 5 s, mean grade 2.0 -> 3.5."
        ), "{report}");
        assert!(
            report.contains("| 2027-01-15 08:00 | 3 | 20 s | 2 of 3 | 0 | 2.0 |"),
            "{report}"
        );
    }

    #[test]
    fn an_empty_history_says_how_to_start() {
        let stories = fixture_stories();
        let bank = fixture_bank();
        assert!(history_markdown(&[], &context(&stories, &bank)).contains("No mock interview yet"));
    }
}
