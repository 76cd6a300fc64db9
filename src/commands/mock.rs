//! `rehearse mock`: the full-screen mock (the TUI, opened on the mock), or with `--plain` a
//! mock interview on stdin/stdout, one line per step: a pick (story id, id prefix, list
//! number, or an empty line for none), an empty line to end an answer or a probe (`n` moves to
//! the next STAR section, `c` shows the story), y/n per self-check item, 1-4 for the grade. A
//! line that does not fit is refused with a hint and the step asked again; end of input ends
//! the session with every graded question already saved.

use std::io::{BufRead, Write};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use rehearse::mock::answer::{
    AskedProbe, Budgets, CheckAnswer, CheckItem, StarTimer, key_numbers, seconds,
};
use rehearse::mock::job::{JobRanking, JobText, rank};
use rehearse::mock::pick::{Pick, read_pick};
use rehearse::mock::probes::StoryProbes;
use rehearse::mock::report::ReportContext;
use rehearse::mock::session::{Attempt, MockRun};
use rehearse::practice::mock::{MockRequest, StartedMock};
use rehearse::practice::{Interface, Practice};
use rehearse::srs::format_interval;
use rehearse::store::{MockSessionId, Store};
use rehearse::story::{SectionKind, Story};

use super::Env;
use super::prompt::{Lines, grade};
use crate::cli::MockArgs;

pub fn run(env: &Env, args: MockArgs) -> Result<ExitCode> {
    let bank = super::job::bank(args.bank.as_deref())?;
    let job_file = args.job.clone().or_else(|| env.config.mock.job.clone());
    let job = match &job_file {
        Some(path) => {
            let job = JobText::read(path)?;
            Some((path.display().to_string(), rank(&bank, &job.text)))
        }
        None => None,
    };
    if !args.plain {
        let options = rehearse::tui::MockOptions {
            questions: usize::from(args.questions),
            competency: args.competency,
            seed: args.seed,
            bank: args.bank,
            job: job_file,
        };
        return super::tui_mock(env, options);
    }
    // The practice core loads the stories, opens the store with their cards synced, draws the
    // questions and stores each graded one with its pick card, as it does for the TUI.
    let practice = super::cards::practice(env, None)?;
    let request = MockRequest {
        questions: usize::from(args.questions),
        competency: args.competency.clone(),
        job: job.clone(),
        seed: args.seed,
        interface: Interface::Plain,
    };
    let StartedMock { run, id, setup } = practice.start_mock(&bank, request)?;
    let budgets = env.config.drill.budgets();
    let mut plain = PlainMock {
        practice: &practice,
        id,
        budgets,
        run,
        lines: Lines::stdio(),
    };
    let out = &mut plain.lines.out;
    writeln!(
        out,
        "Mock interview: {} question(s), seed {seed} (`--seed {seed}` draws them again while your history is the same).",
        setup.questions,
        seed = setup.seed
    )?;
    if let Some((file, ranking)) = &job {
        writeln!(out, "{}", job_line(file, ranking))?;
    }
    let finished = plain.questions()?;
    let report = practice.finish_mock(id, &bank, budgets)?;
    let out = &mut plain.lines.out;
    if !finished {
        writeln!(
            out,
            "\nEnd of input: {} of {} question(s) graded and saved.",
            report.answered, report.questions
        )?;
    }
    writeln!(out, "\n{}", report.markdown)?;
    Ok(ExitCode::SUCCESS)
}

/// `Weighted by job.md: it asks most for ownership, conflict, performance.`
fn job_line(file: &str, ranking: &JobRanking) -> String {
    if ranking.ranked.is_empty() {
        return format!(
            "{file}: none of the bank's job words appear in it, so it changes no weight."
        );
    }
    let top: Vec<&str> = ranking
        .ranked
        .iter()
        .take(3)
        .map(|r| r.key.as_str())
        .collect();
    format!("Weighted by {file}: it asks most for {}.", top.join(", "))
}

/// The prep pack's "Mock interviews" section (`rehearse export`), from the stored sessions.
pub(super) fn export_section(
    env: &Env,
    store: &Store,
    stories: &[Story],
    bank: &rehearse::story::question_bank::QuestionBank,
) -> Result<String> {
    let history = store.mock_history().context("reading the mock sessions")?;
    let context = ReportContext {
        stories,
        bank,
        budgets: env.config.drill.budgets(),
        tz: TimeZone::system(),
    };
    Ok(rehearse::mock::report::history_markdown(&history, &context))
}

struct PlainMock<'a, R, W> {
    practice: &'a Practice,
    id: MockSessionId,
    budgets: Budgets,
    run: MockRun<StoryProbes>,
    lines: Lines<R, W>,
}

/// Input ended (EOF) during a step.
struct Ended;

type Step<T> = Result<std::result::Result<T, Ended>>;

impl<R: BufRead, W: Write> PlainMock<'_, R, W> {
    /// Asks every question; false when input ended first.
    fn questions(&mut self) -> Result<bool> {
        while self.run.current().is_some() {
            if self.question()?.is_err() {
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn question(&mut self) -> Step<()> {
        let (position, drawn) = self.run.current().expect("a current question");
        let drawn = drawn.clone();
        let total = self.run.total();
        writeln!(
            self.lines.out,
            "\n[{position}/{total}] {} (`{}`) - {}",
            drawn.question.competency_name, drawn.question.competency, drawn.why
        )?;
        writeln!(self.lines.out, "Q: {}", drawn.question.text)?;
        let stories = self.run.stories();
        let list = self.run.short_list();
        writeln!(self.lines.out, "Which story answers it?")?;
        for (number, index) in list.iter().enumerate() {
            let story = &stories[*index];
            writeln!(
                self.lines.out,
                "  {}. {}  {}",
                number + 1,
                story.id(),
                story.meta.title
            )?;
        }
        let asked_at = self.practice.now();
        let pick = self.lines.ask(
            "Pick [number, story id or prefix; empty line: I have none]> ",
            |line| read_pick(line, &stories, &list),
        )?;
        let Some(pick) = pick else {
            return Ok(Err(Ended));
        };
        let pick_time = elapsed(asked_at, self.practice.now());
        let feedback = self
            .run
            .judge(&pick, pick_time)
            .expect("a current question");
        writeln!(self.lines.out, "Picked in {}.", seconds(pick_time))?;
        for line in feedback.lines() {
            writeln!(self.lines.out, "  {line}")?;
        }
        let mut attempt = Attempt::picked(asked_at, pick.clone(), pick_time, feedback);
        if let Pick::Story(index) = pick {
            match self.tell(index, &mut attempt)? {
                Ok(()) => {}
                Err(ended) => return Ok(Err(ended)),
            }
        } else {
            writeln!(self.lines.out, "Nothing to tell: graded Again.")?;
        }
        let answer = self.run.answer(attempt).expect("a current question");
        let card = self
            .practice
            .record_mock_answer(self.id, &answer)
            .with_context(|| format!("saving the answer to question {position}"))?;
        self.run.advance();
        let now = self.practice.now();
        writeln!(
            self.lines.out,
            "saved: {} (pick card \"{}\": {}, next in {})",
            answer.grade,
            card.prompt,
            answer.pick_grade,
            format_interval(card.state.due.duration_since(now))
        )?;
        Ok(Ok(()))
    }

    /// The answer, the probes, the self-check and the grade of a picked story.
    fn tell(&mut self, index: usize, attempt: &mut Attempt) -> Step<()> {
        let stories = self.run.stories();
        let story = &stories[index];
        let budget: Vec<String> = SectionKind::STAR
            .iter()
            .map(|k| format!("{} {}", k.title(), seconds(self.budgets.get(*k))))
            .collect();
        writeln!(
            self.lines.out,
            "Answer aloud now ({}). n + Enter: next STAR section; c: check the story; an empty line: done.",
            budget.join(", ")
        )?;
        let mut timer = StarTimer::start(self.practice.now());
        loop {
            let line = self.lines.ask(&format!("{}> ", timer.section().title()), |line| {
                match line.to_lowercase().as_str() {
                    "" => Ok(AnswerLine::Done),
                    "n" => Ok(AnswerLine::NextSection),
                    "c" => Ok(AnswerLine::Check),
                    _ => Err(format!(
                        "`{line}`: an empty line ends the answer; n moves to the next section; c shows the story"
                    )),
                }
            })?;
            match line {
                None => return Ok(Err(Ended)),
                Some(AnswerLine::Done) => break,
                Some(AnswerLine::NextSection) => {
                    if !timer.next_section(self.practice.now()) {
                        writeln!(
                            self.lines.out,
                            "Result is the last section; an empty line ends the answer."
                        )?;
                    }
                }
                Some(AnswerLine::Check) => self.show_story(story)?,
            }
        }
        let time = timer.stop(self.practice.now());
        writeln!(self.lines.out, "Time: {}.", time.against(&self.budgets))?;
        attempt.answer = Some(time);

        let (probes, items) = self.run.follow_up(index);
        for (number, probe) in probes.iter().enumerate() {
            writeln!(
                self.lines.out,
                "Probe {}/{}: {}",
                number + 1,
                probes.len(),
                probe.question
            )?;
            let started = self.practice.now();
            let answered = self
                .lines
                .ask("Answer aloud, then an empty line> ", |line| {
                    if line.is_empty() {
                        Ok(())
                    } else {
                        Err(format!(
                            "`{line}`: press Enter on an empty line when you have answered"
                        ))
                    }
                })?;
            if answered.is_none() {
                return Ok(Err(Ended));
            }
            let time = elapsed(started, self.practice.now());
            match &probe.answer {
                Some(answer) => writeln!(self.lines.out, "The story says: {}", one_line(answer))?,
                None => writeln!(
                    self.lines.out,
                    "Open probe: the story has no answer yet; prepare this."
                )?,
            }
            attempt.probes.push(AskedProbe {
                question: probe.question.clone(),
                time,
                open: probe.answer.is_none(),
            });
        }

        if items.contains(&CheckItem::NumberRight) {
            let numbers = key_numbers(story);
            if numbers.is_empty() {
                writeln!(
                    self.lines.out,
                    "Key numbers: none in the story's front matter."
                )?;
            } else {
                writeln!(self.lines.out, "Key numbers: {}", numbers.join("; "))?;
            }
        }
        for item in items {
            let yes = self
                .lines
                .ask(&format!("{} [y/n]> ", item.question()), |line| {
                    match line.to_lowercase().as_str() {
                        "y" | "yes" => Ok(true),
                        "n" | "no" => Ok(false),
                        _ => Err(format!("`{line}`: type y or n")),
                    }
                })?;
            let Some(yes) = yes else {
                return Ok(Err(Ended));
            };
            attempt.self_check.push(CheckAnswer { item, yes });
        }
        let graded = self.lines.ask(
            "Grade your answer [1 Again, 2 Hard, 3 Good, 4 Easy]> ",
            |line| grade(line).ok_or_else(|| format!("`{line}`: type 1, 2, 3 or 4")),
        )?;
        let Some(graded) = graded else {
            return Ok(Err(Ended));
        };
        attempt.grade = graded;
        Ok(Ok(()))
    }

    fn show_story(&mut self, story: &Story) -> Result<()> {
        writeln!(self.lines.out, "{}: {}", story.id(), story.meta.title)?;
        for section in &story.sections {
            if SectionKind::STAR.contains(&section.kind) || section.kind == SectionKind::Answer {
                writeln!(
                    self.lines.out,
                    "  {}: {}",
                    section.kind.title(),
                    one_line(&section.text)
                )?;
            }
        }
        Ok(())
    }
}

/// What a line said while answering.
enum AnswerLine {
    Done,
    NextSection,
    Check,
}

fn elapsed(from: Timestamp, to: Timestamp) -> Duration {
    Duration::try_from(to.duration_since(from)).unwrap_or_default()
}

/// Markdown on one line, for the plain output.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
