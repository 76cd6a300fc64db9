//! `rehearse drill --plain`: a line-oriented practice session on stdin/stdout, for scripts and
//! screen readers, on the same [`DrillSession`] the TUI drives. Each grade is stored before
//! the next card is shown.

use std::io::{BufRead, Write};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use jiff::Timestamp;
use rehearse::practice::answer::full_answer;
use rehearse::practice::drill::saved_text;
use rehearse::practice::{DrillPlan, DrillRequest, Interface, Practice};
use rehearse::srs::{DrillMode, DrillSession, Grade, Preview, Scope, Timing, format_interval};
use rehearse::store::SessionId;

use super::Env;
use super::prompt::{Lines, grade};
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
    let practice = super::cards::practice(env, args.interview_date)?;
    let started = match practice.start_drill(request, Interface::Plain)? {
        DrillPlan::Ready(started) => started,
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
    let id = started.session_id;
    let mut plain = Plain {
        practice: &practice,
        session: started.session,
        id,
        lines: Lines::stdio(),
    };
    plain.run()?;
    practice.finish_session(id)?;
    Ok(ExitCode::SUCCESS)
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

struct Plain<'a, R, W> {
    practice: &'a Practice,
    session: DrillSession,
    id: SessionId,
    lines: Lines<R, W>,
}

/// What a line asked for.
enum Step {
    Continue,
    Grade(Grade),
    Undo,
    Quit,
}

impl<R: BufRead, W: Write> Plain<'_, R, W> {
    fn run(&mut self) -> Result<()> {
        let cram = self.session.mode() == DrillMode::Cram;
        writeln!(
            self.lines.out,
            "{} card(s){}. Enter reveals the answer; then 1-4 grades it (Again, Hard, Good, Easy); u undoes the last grade; q quits.",
            self.session.progress().remaining,
            if cram {
                " to practise ahead (cram: grades are logged, the schedule is not changed)"
            } else {
                ""
            }
        )?;
        while self.session.current().is_some() {
            if let Step::Quit = self.card()? {
                break;
            }
        }
        self.summary()
    }

    /// Asks the current card, reveals it, reads a grade (or undo or quit) and stores it.
    fn card(&mut self) -> Result<Step> {
        let card = self.session.current().expect("a current card").clone();
        let progress = self.session.progress();
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
        let asked = Instant::now();
        let reveal = self.lines.ask(
            "Answer aloud, then press Enter to reveal> ",
            |line| match line {
                "q" => Ok(Step::Quit),
                "u" => Ok(Step::Undo),
                "" => Ok(Step::Continue),
                other => Err(format!(
                    "`{other}`: press Enter to reveal, u to undo, q to quit"
                )),
            },
        )?;
        match reveal {
            None | Some(Step::Quit) => return Ok(Step::Quit),
            Some(Step::Undo) => return self.undo(),
            Some(_) => {}
        }
        let timing = Timing {
            answer: Some(asked.elapsed()),
            ..Timing::default()
        };
        self.session.reveal();
        let story = self
            .practice
            .stories()
            .iter()
            .find(|s| s.id() == card.card.id.story_id);
        for part in &full_answer(&card.card, story) {
            if part.text.contains('\n') {
                writeln!(self.lines.out, "{}:\n{}", part.label, indent(&part.text))?;
            } else {
                writeln!(self.lines.out, "{}: {}", part.label, part.text)?;
            }
        }
        let preview = self
            .session
            .preview(Timestamp::now())?
            .expect("a current card");
        writeln!(
            self.lines.out,
            "{}",
            intervals(&preview, self.session.mode())
        )?;
        let answer = self.lines.ask(
            "Grade [1 Again, 2 Hard, 3 Good, 4 Easy, u undo, q quit]> ",
            |line| match line.to_lowercase().as_str() {
                "q" => Ok(Step::Quit),
                "u" => Ok(Step::Undo),
                other => grade(other)
                    .map(Step::Grade)
                    .ok_or_else(|| format!("`{line}`: type 1, 2, 3 or 4 (or u, q)")),
            },
        )?;
        let grade = match answer {
            None | Some(Step::Quit) => return Ok(Step::Quit),
            Some(Step::Undo) => return self.undo(),
            Some(Step::Grade(grade)) => grade,
            Some(Step::Continue) => return Ok(Step::Continue),
        };
        let review = self.session.review(grade, Timestamp::now(), timing)?;
        self.save(&review)?;
        Ok(Step::Continue)
    }

    /// Stores the review, then moves the session on (a failed write leaves the card current).
    fn save(&mut self, review: &rehearse::srs::Review) -> Result<()> {
        let review = self
            .practice
            .record_review(review, Some(self.id))
            .with_context(|| format!("saving the review of {}", review.card))?;
        self.session.commit(review.clone());
        writeln!(self.lines.out, "{}", saved_text(&review))?;
        if self.practice.became_leech(&review) {
            writeln!(
                self.lines.out,
                "leech: forgotten {} times; the story probably needs rewriting",
                review.after.lapses
            )?;
        }
        Ok(())
    }

    fn undo(&mut self) -> Result<Step> {
        match self.session.last_review().cloned() {
            Some(review) => {
                self.practice
                    .undo_review(&review)
                    .with_context(|| format!("undoing the review of {}", review.card))?;
                self.session.undo();
                writeln!(
                    self.lines.out,
                    "undone: {} on {}",
                    review.grade, review.card
                )?;
            }
            None => writeln!(self.lines.out, "nothing to undo")?,
        }
        Ok(Step::Continue)
    }

    fn summary(&mut self) -> Result<()> {
        let counts = self.session.grade_counts();
        let graded: usize = counts.iter().sum();
        let answer_times: Vec<_> = self
            .session
            .reviews()
            .filter_map(|r| r.timing.answer)
            .collect();
        write!(
            self.lines.out,
            "\nSession over: {graded} graded (Again {}, Hard {}, Good {}, Easy {})",
            counts[0], counts[1], counts[2], counts[3]
        )?;
        if !answer_times.is_empty() {
            let total: std::time::Duration = answer_times.iter().sum();
            let average = total / u32::try_from(answer_times.len()).unwrap_or(u32::MAX);
            write!(
                self.lines.out,
                ", {:.0} s per answer on average",
                average.as_secs_f64()
            )?;
        }
        writeln!(self.lines.out, ".")?;
        let left = self.session.progress().remaining;
        if left > 0 {
            writeln!(self.lines.out, "{left} card(s) left for later.")?;
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
