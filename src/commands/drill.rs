//! `rehearse drill --plain`: a line-oriented practice session on stdin/stdout, for scripts and
//! screen readers. The session's steps are the practice core's
//! ([`rehearse::practice::session::Drill`], the same the TUI drives); this file reads lines and
//! prints. Each grade is stored before the next card is shown.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use anyhow::{Result, bail};
use rehearse::practice::session::{
    Drill, DrillInput, DrillReply, DrillSay, DrillStep, DrillWrite, Part, capitalised,
};
use rehearse::practice::{DrillPlan, DrillRequest, Interface, Practice};
use rehearse::speech::report::{clock, render};
use rehearse::srs::{DrillMode, Preview, Scope, format_interval};

use super::Env;
use super::prompt::{Lines, grade, refused};
use crate::cli::DrillArgs;

pub fn run(env: &Env, args: DrillArgs) -> Result<ExitCode> {
    let scope = match (args.story, args.tag) {
        (Some(story), _) => Scope::Story(story),
        (None, Some(tag)) => Scope::Tag(tag),
        (None, None) => Scope::All,
    };
    let mode = if args.cram {
        DrillMode::Cram
    } else {
        DrillMode::Scheduled
    };
    let request = DrillRequest {
        scope,
        mode,
        limit: args.limit,
    };
    if !args.plain {
        return super::tui(env, Some(request), args.interview_date);
    }
    let practice = super::practice(env, args.interview_date)?;
    let drill = match practice.start_drill(request, Interface::Plain)? {
        DrillPlan::Ready(drill) => *drill,
        DrillPlan::NothingDue(nothing) => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "{}.", capitalised(&nothing.to_string()))?;
            if nothing.mode == DrillMode::Scheduled && nothing.next_due.is_some() {
                writeln!(
                    out,
                    "`rehearse drill --plain --cram` practises ahead without changing the schedule."
                )?;
            }
            return Ok(ExitCode::SUCCESS);
        }
    };
    let mut plain = Plain {
        practice: &practice,
        drill,
        lines: Lines::stdio(),
    };
    let result = plain.run();
    // Close the session row whatever happened (every grade is stored already).
    if let Some(close) = plain.drill.close() {
        plain.perform(close)?;
    }
    result?;
    Ok(ExitCode::SUCCESS)
}

struct Plain<'a, R, W> {
    practice: &'a Practice,
    drill: Drill,
    lines: Lines<R, W>,
}

/// What a line asked for.
#[derive(PartialEq)]
enum Step {
    Continue,
    Input(DrillInput),
    Quit,
}

impl<R: BufRead, W: Write> Plain<'_, R, W> {
    fn run(&mut self) -> Result<()> {
        let cram = self.drill.mode() == DrillMode::Cram;
        writeln!(
            self.lines.out,
            "{} card(s){}. Enter reveals the answer; then 1-4 grades it (Again, Hard, Good, Easy); u undoes the last grade; q quits.",
            self.drill.progress().remaining,
            if cram {
                " to practise ahead (cram: grades are logged, the schedule is not changed)"
            } else {
                ""
            }
        )?;
        if let Some(note) = self.drill.speech_note() {
            writeln!(self.lines.out, "{}", capitalised(&note.to_string()))?;
        }
        while !self.drill.is_finished() {
            if let Step::Quit = self.card()? {
                break;
            }
        }
        writeln!(self.lines.out, "\n{}", self.drill.summary())?;
        Ok(())
    }

    /// Asks the current card, reveals it (or, when it was recorded, shows what was heard),
    /// reads a grade (or undo or quit) and stores it.
    fn card(&mut self) -> Result<Step> {
        let card = self.drill.current().expect("a current card").clone();
        let progress = self.drill.progress();
        writeln!(
            self.lines.out,
            "\n[{}/{}] {}",
            progress.graded + 1,
            progress.graded + progress.remaining,
            card.card.id
        )?;
        writeln!(self.lines.out, "Q: {}", card.card.prompt)?;
        if card.edited {
            writeln!(self.lines.out, "(edited since your last review)")?;
        }
        loop {
            let step = match self.drill.step() {
                DrillStep::Answering => self.answering()?,
                DrillStep::Hearing => {
                    self.wait_heard()?;
                    Step::Continue
                }
                DrillStep::Feedback | DrillStep::Revealed => break,
                DrillStep::Saving | DrillStep::Finished => return Ok(Step::Continue),
            };
            match step {
                Step::Quit => return Ok(Step::Quit),
                Step::Input(input) => {
                    let undo = input == DrillInput::Undo;
                    self.input(input)?;
                    if undo {
                        return Ok(Step::Continue);
                    }
                }
                Step::Continue => {}
            }
            // A card graded or undone meanwhile ends this one.
            if self.drill.current().map(|c| &c.card.id) != Some(&card.card.id) {
                return Ok(Step::Continue);
            }
        }
        if self.drill.step() == DrillStep::Feedback {
            self.feedback()?;
        } else {
            self.show_answer()?;
        }
        self.grade()
    }

    /// One line while the card is asked: reveal, undo, quit, or (with speech) record; while
    /// recording, the next STAR section or the end of the answer.
    fn answering(&mut self) -> Result<Step> {
        let offered = self.drill.spoken().offered();
        let (prompt, hint) = if self.drill.spoken().recording().is_some() {
            (
                "Recording: speak, n + Enter at each next STAR section; Enter ends the answer> ",
                "press Enter to end the answer, n for the next STAR section",
            )
        } else if offered {
            (
                "Answer aloud (r + Enter records it), then press Enter to reveal> ",
                "press Enter to reveal, r to record your answer, u to undo, q to quit",
            )
        } else {
            (
                "Answer aloud, then press Enter to reveal> ",
                "press Enter to reveal, u to undo, q to quit",
            )
        };
        let recording = self.drill.spoken().recording().is_some();
        let step = self.lines.ask(prompt, |line| match (recording, line) {
            (true, "") => Ok(Step::Input(DrillInput::Record)),
            (true, "n") => Ok(Step::Input(DrillInput::NextSection)),
            (false, "q") => Ok(Step::Quit),
            (false, "u") => Ok(Step::Input(DrillInput::Undo)),
            (false, "") => Ok(Step::Input(DrillInput::Reveal)),
            (false, "r") if offered => Ok(Step::Input(DrillInput::Record)),
            (_, other) => Err(refused(other, hint)),
        })?;
        // End of input while recording still ends the answer, so it is heard.
        Ok(step.unwrap_or(if recording {
            Step::Input(DrillInput::Record)
        } else {
            Step::Quit
        }))
    }

    /// Waits for the recorded answer to be heard, a line each time more of it is.
    fn wait_heard(&mut self) -> Result<()> {
        let mut shown = -1.0;
        while self.drill.step() == DrillStep::Hearing {
            if let Some(hearing) = self.drill.spoken().hearing(Part::Answer)
                && hearing.heard > shown
            {
                shown = hearing.heard;
                writeln!(
                    self.lines.out,
                    "Hearing your answer: {} of {} heard",
                    clock(hearing.heard),
                    clock(hearing.recorded)
                )?;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
            self.input(DrillInput::Tick)?;
        }
        Ok(())
    }

    /// What was heard, against the story, with the suggested grade.
    fn feedback(&mut self) -> Result<()> {
        if let Some(answer) = self.drill.spoken().heard(Part::Answer) {
            writeln!(
                self.lines.out,
                "\n{}",
                render(&answer.feedback, &answer.transcript)
            )?;
        }
        Ok(())
    }

    fn show_answer(&mut self) -> Result<()> {
        for part in self.drill.parts() {
            if part.text.contains('\n') {
                writeln!(self.lines.out, "{}:\n{}", part.label, indent(&part.text))?;
            } else {
                writeln!(self.lines.out, "{}: {}", part.label, part.text)?;
            }
        }
        Ok(())
    }

    /// The grade: 1-4, Enter for the suggested one (after a heard answer), a for the answer.
    fn grade(&mut self) -> Result<Step> {
        if let Some(preview) = self.drill.preview() {
            writeln!(self.lines.out, "{}", intervals(preview, self.drill.mode()))?;
        }
        loop {
            let suggested = self.drill.spoken().suggested();
            let prompt = match suggested {
                Some(grade) => format!(
                    "Grade [Enter takes {grade}; 1 Again, 2 Hard, 3 Good, 4 Easy; a shows the answer; u undo, q quit]> "
                ),
                None => "Grade [1 Again, 2 Hard, 3 Good, 4 Easy, u undo, q quit]> ".to_owned(),
            };
            let answer = self
                .lines
                .ask(&prompt, |line| match line.to_lowercase().as_str() {
                    "q" => Ok(Step::Quit),
                    "u" => Ok(Step::Input(DrillInput::Undo)),
                    "" if suggested.is_some() => Ok(Step::Input(DrillInput::AcceptSuggested)),
                    "a" if suggested.is_some() => Ok(Step::Continue),
                    other => grade(other)
                        .map(|g| Step::Input(DrillInput::Grade(g)))
                        .ok_or_else(|| refused(line, "type 1, 2, 3 or 4 (or u, q)")),
                })?;
            match answer {
                None | Some(Step::Quit) => return Ok(Step::Quit),
                Some(Step::Input(input)) => return self.input(input).map(|()| Step::Continue),
                Some(Step::Continue) => self.show_answer()?,
            }
        }
    }

    /// Gives the session an input, prints what it says, performs its write.
    fn input(&mut self, input: DrillInput) -> Result<()> {
        let now = self.practice.now();
        let reply = self.drill.input(input, now);
        self.reply(reply)
    }

    fn reply(&mut self, reply: DrillReply) -> Result<()> {
        let DrillReply { say, write, .. } = reply;
        if let Some(say) = say {
            self.say(&say)?;
        }
        if let Some(write) = write {
            self.perform(write)?;
        }
        Ok(())
    }

    /// Performs a write; a grade or an undo that the store refused ends the drill with the
    /// reason (every earlier grade is stored).
    fn perform(&mut self, write: DrillWrite) -> Result<()> {
        let outcome = self.practice.write_drill(write);
        let reply = self.drill.written(outcome, self.practice.now());
        self.reply(reply)
    }

    fn say(&mut self, say: &DrillSay) -> Result<()> {
        match say {
            DrillSay::NotSaved { grade, problem } => {
                bail!("the grade {grade} was NOT saved: {problem} (the grades before it are)")
            }
            DrillSay::UndoFailed { .. } | DrillSay::NoPreview(_) => bail!("{say}"),
            DrillSay::NotClosed(_) => eprintln!("warning: {say}"),
            _ => writeln!(self.lines.out, "{say}")?,
        }
        Ok(())
    }
}

/// `Again 1m · Hard 6m · Good 10m · Easy 2d`.
fn intervals(preview: &Preview, mode: DrillMode) -> String {
    if mode == DrillMode::Cram {
        return "(cram: any grade leaves the schedule as it is)".to_owned();
    }
    preview
        .outcomes
        .iter()
        .map(|o| {
            format!(
                "{} {} {}",
                o.grade.number(),
                o.grade,
                format_interval(o.interval)
            )
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}
