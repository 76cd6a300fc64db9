//! `rehearse mock`: the full-screen mock (the TUI, opened on the mock), or with `--plain` a
//! mock interview on stdin/stdout, one line per step: a pick (story id, id prefix, list
//! number, or an empty line for none), an empty line to end an answer or a probe (`n` moves to
//! the next STAR section, `c` shows the story), y/n per self-check item, 1-4 for the grade. A
//! line that does not fit is refused with a hint and the step asked again; end of input ends
//! the session with every graded question already saved.
//!
//! The steps are the practice core's ([`rehearse::practice::session::Mock`], the same the TUI
//! drives); this file reads lines and prints.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use anyhow::{Result, bail};
use rehearse::mock::pick::{Pick, read_pick};
use rehearse::pacing::seconds;
use rehearse::practice::mock::{MockOptions, MockPlan};
use rehearse::practice::session::capitalised;
use rehearse::practice::session::mock::{NOTHING_TO_TELL, OPEN_PROBE, told_sections};
use rehearse::practice::session::{Mock, MockInput, MockReply, MockSay, MockStep, MockWrite, Part};
use rehearse::practice::{Interface, Practice};
use rehearse::speech::report::{clock, render};
use rehearse::story::Story;

use super::Env;
use super::prompt::{Lines, grade, refused};
use crate::cli::MockArgs;

pub fn run(env: &Env, args: MockArgs) -> Result<ExitCode> {
    let options = MockOptions {
        questions: usize::from(args.questions),
        competency: args.competency,
        seed: args.seed,
        bank: args.bank,
        job: args.job.or_else(|| env.config.mock.job.clone()),
    };
    // A bank or a job description that cannot be read is refused before anything starts.
    let plan = MockPlan::read(&options)?;
    if !args.plain {
        return super::tui_mock(env, options);
    }
    let practice = super::practice(env, None)?;
    let started = practice.start_mock(&plan, Interface::Plain)?;
    let mut plain = PlainMock {
        practice: &practice,
        plan: &plan,
        mock: started.mock.clone(),
        lines: Lines::stdio(),
    };
    for line in started.head().into_iter().chain(plan.job_line()) {
        writeln!(plain.lines.out, "{line}")?;
    }
    if let Some(note) = plain.mock.speech_note() {
        writeln!(plain.lines.out, "{}", capitalised(&note.to_string()))?;
    }
    let finished = plain.questions()?;
    if let Some(close) = plain.mock.close() {
        plain.perform(close)?;
    }
    let out = &mut plain.lines.out;
    let Some(report) = plain.mock.report() else {
        bail!("the mock was not closed (every graded question is saved)");
    };
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

struct PlainMock<'a, R, W> {
    practice: &'a Practice,
    plan: &'a MockPlan,
    mock: Mock,
    lines: Lines<R, W>,
}

/// Input ended (EOF) during a step.
struct Ended;

type Step<T> = Result<std::result::Result<T, Ended>>;

impl<R: BufRead, W: Write> PlainMock<'_, R, W> {
    /// Asks every question; false when input ended first.
    fn questions(&mut self) -> Result<bool> {
        while self.mock.current().is_some() {
            if self.question()?.is_err() {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// One question: the pick, then the story told (or nothing to tell), graded and saved.
    fn question(&mut self) -> Step<()> {
        let (position, drawn) = self.mock.current().expect("a current question");
        writeln!(
            self.lines.out,
            "\n[{position}/{}] {} (`{}`) - {}",
            self.mock.total(),
            drawn.question.competency_name,
            drawn.question.competency,
            drawn.why
        )?;
        writeln!(self.lines.out, "Q: {}", drawn.question.text)?;
        let stories = self.mock.stories();
        let list = self.mock.list().to_vec();
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
        let pick = self.lines.ask(
            "Pick [number, story id or prefix; empty line: I have none]> ",
            |line| read_pick(line, &stories, &list).map_err(|hint| refused(line, &hint)),
        )?;
        let Some(pick) = pick else {
            return Ok(Err(Ended));
        };
        self.input(MockInput::Pick(pick.clone()))?;
        if let Some(attempt) = self.mock.attempt() {
            writeln!(self.lines.out, "Picked in {}.", seconds(attempt.pick_time))?;
            for line in attempt.feedback.lines() {
                writeln!(self.lines.out, "  {line}")?;
            }
        }
        match pick {
            Pick::Story(index) => {
                if let Err(ended) = self.tell(&stories[index])? {
                    return Ok(Err(ended));
                }
            }
            Pick::Nothing => {
                writeln!(self.lines.out, "{}.", capitalised(NOTHING_TO_TELL))?;
                self.input(MockInput::Next)?;
            }
        }
        Ok(Ok(()))
    }

    /// The answer, the probes, the self-check and the grade of a picked story.
    fn tell(&mut self, story: &Story) -> Step<()> {
        let budgets = self.mock.budgets();
        let budget: Vec<String> = budgets
            .iter()
            .map(|(k, time)| format!("{} {}", k.title(), seconds(time)))
            .collect();
        let offered = self.mock.spoken().offered();
        writeln!(
            self.lines.out,
            "Answer aloud now ({}). n + Enter: next STAR section; c: check the story;{} an empty line: done.",
            budget.join(", "),
            if offered { " r: record it;" } else { "" }
        )?;
        self.input(MockInput::Next)?;
        while self.mock.step() == MockStep::Answer {
            let recording = self.mock.spoken().recording().is_some();
            let prompt = format!(
                "{}{}> ",
                if recording { "(recording) " } else { "" },
                self.mock.timer().map_or("Answer", |t| t.section().title())
            );
            let line = self.lines.ask(&prompt, |line| {
                match line.to_lowercase().as_str() {
                    "" => Ok(Some(MockInput::Next)),
                    "n" => Ok(Some(MockInput::NextSection)),
                    "c" => Ok(None),
                    "r" if offered && !recording => Ok(Some(MockInput::Record)),
                    _ => Err(refused(
                        line,
                        "an empty line ends the answer; n moves to the next section; c shows the story",
                    )),
                }
            })?;
            match line {
                None => return Ok(Err(Ended)),
                Some(Some(input)) => self.input(input)?,
                Some(None) => show_story(&mut self.lines.out, story)?,
            }
        }
        if self.probes()?.is_err() || self.self_check()?.is_err() {
            return Ok(Err(Ended));
        }
        self.heard()?;
        let suggested = self.mock.spoken().suggested();
        let prompt = match suggested {
            Some(grade) => {
                format!(
                    "Grade your answer [Enter takes {grade}; 1 Again, 2 Hard, 3 Good, 4 Easy]> "
                )
            }
            None => "Grade your answer [1 Again, 2 Hard, 3 Good, 4 Easy]> ".to_owned(),
        };
        let graded = self.lines.ask(&prompt, |line| match (line, suggested) {
            ("", Some(_)) => Ok(MockInput::AcceptSuggested),
            _ => grade(line)
                .map(MockInput::Grade)
                .ok_or_else(|| refused(line, "type 1, 2, 3 or 4")),
        })?;
        let Some(graded) = graded else {
            return Ok(Err(Ended));
        };
        self.input(graded)?;
        Ok(Ok(()))
    }

    /// Waits for what was said to be heard (a line as it goes), then shows the answer's
    /// feedback and each probe's answer as heard.
    fn heard(&mut self) -> Result<()> {
        let mut shown = -1.0;
        while self.mock.spoken().is_hearing() {
            let progress = self
                .mock
                .spoken()
                .hearing(Part::Answer)
                .map(|h| (h.heard, h.recorded));
            if let Some((heard, recorded)) = progress
                && heard > shown
            {
                shown = heard;
                writeln!(
                    self.lines.out,
                    "Hearing your answer: {} of {} heard",
                    clock(heard),
                    clock(recorded)
                )?;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
            self.input(MockInput::Tick)?;
        }
        for said in self.mock.spoken().all_heard().to_vec() {
            match said.part {
                Part::Answer => writeln!(
                    self.lines.out,
                    "\nYour answer, as heard:\n{}",
                    render(&said.feedback, &said.transcript)
                )?,
                Part::Probe(index) => writeln!(
                    self.lines.out,
                    "Probe {} as heard: {}",
                    index + 1,
                    said.transcript.text()
                )?,
            }
        }
        Ok(())
    }

    /// Each probe: asked, answered aloud (an empty line), then what the story says.
    fn probes(&mut self) -> Step<()> {
        while let MockStep::Probe { index, .. } = self.mock.step() {
            let total = self.mock.probes().len();
            let probe = self.mock.probes()[index].clone();
            writeln!(
                self.lines.out,
                "Probe {}/{total}: {}",
                index + 1,
                probe.question
            )?;
            let offered = self.mock.spoken().offered();
            let prompt = if offered {
                "Answer aloud (r + Enter records it), then an empty line> "
            } else {
                "Answer aloud, then an empty line> "
            };
            loop {
                let recording = self.mock.spoken().recording().is_some();
                let answered = self.lines.ask(
                    if recording {
                        "(recording) an empty line ends your answer> "
                    } else {
                        prompt
                    },
                    |line| match line {
                        "" => Ok(MockInput::Next),
                        "r" if offered && !recording => Ok(MockInput::Record),
                        _ => Err(refused(
                            line,
                            "press Enter on an empty line when you have answered",
                        )),
                    },
                )?;
                let Some(input) = answered else {
                    return Ok(Err(Ended));
                };
                self.input(input.clone())?;
                if input == MockInput::Next {
                    break;
                }
            }
            match &probe.answer {
                Some(answer) => writeln!(self.lines.out, "The story says: {}", one_line(answer))?,
                None => writeln!(self.lines.out, "{OPEN_PROBE}")?,
            }
            self.input(MockInput::Next)?;
        }
        Ok(Ok(()))
    }

    /// The key numbers, then y or n for each self-check item.
    fn self_check(&mut self) -> Step<()> {
        let items = self.mock.check_items().to_vec();
        if items.contains(&rehearse::mock::answer::CheckItem::NumberRight) {
            writeln!(self.lines.out, "{}", self.mock.key_numbers_line())?;
        }
        for item in items {
            let yes = self
                .lines
                .ask(&format!("{} [y/n]> ", item.question()), |line| {
                    match line.to_lowercase().as_str() {
                        "y" | "yes" => Ok(true),
                        "n" | "no" => Ok(false),
                        _ => Err(refused(line, "type y or n")),
                    }
                })?;
            let Some(yes) = yes else {
                return Ok(Err(Ended));
            };
            self.input(MockInput::Check(yes))?;
        }
        Ok(Ok(()))
    }

    /// Gives the session an input, prints what it says, performs its write.
    fn input(&mut self, input: MockInput) -> Result<()> {
        let reply = self.mock.input(input, self.practice.now());
        self.reply(reply)
    }

    fn reply(&mut self, reply: MockReply) -> Result<()> {
        let MockReply { say, write, .. } = reply;
        if let Some(say) = say {
            match say {
                MockSay::NotSaved(error) => {
                    bail!("the graded question was NOT saved: {error} (the ones before it are)")
                }
                MockSay::NotClosed(_) => eprintln!("warning: {say}"),
                // The report follows; the plain output says it its own way.
                MockSay::Over { .. } => {}
                _ => writeln!(self.lines.out, "{say}")?,
            }
        }
        if let Some(write) = write {
            self.perform(write)?;
        }
        Ok(())
    }

    fn perform(&mut self, write: MockWrite) -> Result<()> {
        let outcome = self.practice.write_mock(write, &self.plan.bank);
        let reply = self.mock.written(outcome, self.practice.now());
        self.reply(reply)
    }
}

fn show_story(out: &mut impl Write, story: &Story) -> Result<()> {
    writeln!(out, "{}: {}", story.id(), story.meta.title)?;
    for section in story.sections.iter().filter(|s| told_sections(s.kind)) {
        writeln!(
            out,
            "  {}: {}",
            section.kind.title(),
            one_line(&section.text)
        )?;
    }
    Ok(())
}

/// Markdown on one line, for the plain output.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
