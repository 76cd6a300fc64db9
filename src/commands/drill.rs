//! `rehearse drill --plain`: a line-oriented practice session on stdin/stdout, for scripts and
//! screen readers, on the same [`DrillSession`] the TUI drives. Each grade is stored before
//! the next card is shown.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use rehearse::srs::{
    DrillMode, DrillSession, Grade, Preview, Review, Scope, Timing, format_interval,
};
use rehearse::store::{SessionId, Store};

use super::Env;
use super::cards::{Synced, scheduler, sync};
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
    if !args.plain {
        let start = rehearse::tui::app::DrillStart {
            scope,
            mode,
            limit: args.limit,
        };
        // The command line's interview date over the config's, as for --plain.
        let mut config = env.config.clone();
        config.srs.interview_date = args.interview_date.or(config.srs.interview_date);
        let env = Env {
            config,
            paths: env.paths.clone(),
        };
        return super::tui(&env, Some(start));
    }
    let now = Timestamp::now();
    let tz = TimeZone::system();
    let Synced { store, deck } = sync(env, now)?;
    let scope = deck.resolve(scope)?;
    let scheduler = scheduler(env, args.interview_date, &tz)?;
    let mut cards = store.drill_cards(&deck, &scope, mode, now)?;
    if let Some(limit) = args.limit {
        cards.truncate(limit);
    }
    let stdin = std::io::stdin().lock();
    let stdout = std::io::stdout().lock();
    if cards.is_empty() {
        let mut out = stdout;
        writeln!(out, "Nothing is due{}.", scope_text(&scope))?;
        let drilled = deck.card_ids();
        let next = store
            .live_cards()?
            .into_iter()
            .filter(|c| deck.in_scope(&c.id, &scope) && drilled.contains(&c.id))
            .map(|c| c.state.due)
            .min();
        if let Some(next) = next {
            writeln!(
                out,
                "The next card is due in {}. `rehearse drill --plain --cram` practises ahead without changing the schedule.",
                format_interval(next.duration_since(now))
            )?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let session = DrillSession::new(scheduler, mode, cards);
    let id = store.start_session(mode, &scope.to_string(), "plain", now)?;
    let mut plain = Plain {
        store: &store,
        session,
        id,
        echo: !std::io::stdin().is_terminal(),
        input: stdin,
        out: stdout,
    };
    plain.run()?;
    store.finish_session(id, Timestamp::now())?;
    Ok(ExitCode::SUCCESS)
}

fn scope_text(scope: &Scope) -> String {
    match scope {
        Scope::All => String::new(),
        Scope::Story(id) => format!(" in story {id}"),
        Scope::Tag(tag) => format!(" in stories tagged {tag}"),
    }
}

struct Plain<'a, R, W> {
    store: &'a Store,
    session: DrillSession,
    id: SessionId,
    /// Input is not typed at a terminal, so end each prompt's line ourselves.
    echo: bool,
    input: R,
    out: W,
}

enum Step {
    Continue,
    Quit,
}

impl<R: BufRead, W: Write> Plain<'_, R, W> {
    fn run(&mut self) -> Result<()> {
        let cram = self.session.mode() == DrillMode::Cram;
        writeln!(
            self.out,
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
            self.out,
            "\n[{}/{}] {}",
            progress.graded + 1,
            progress.graded + progress.remaining,
            card.card.id
        )?;
        writeln!(self.out, "Q: {}", card.card.prompt)?;
        if card.edited {
            writeln!(self.out, "(edited since your last review)")?;
        }
        let asked = Instant::now();
        loop {
            self.prompt("Answer aloud, then press Enter to reveal> ")?;
            match self.read()?.as_deref() {
                None | Some("q") => return Ok(Step::Quit),
                Some("u") => return self.undo(),
                Some("") => break,
                Some(other) => {
                    writeln!(
                        self.out,
                        "`{other}`: press Enter to reveal, u to undo, q to quit"
                    )?;
                }
            }
        }
        let timing = Timing {
            answer: Some(asked.elapsed()),
            ..Timing::default()
        };
        self.session.reveal();
        for part in &card.card.answer {
            if part.text.contains('\n') {
                writeln!(self.out, "{}:\n{}", part.label, indent(&part.text))?;
            } else {
                writeln!(self.out, "{}: {}", part.label, part.text)?;
            }
        }
        let preview = self
            .session
            .preview(Timestamp::now())?
            .expect("a current card");
        writeln!(self.out, "{}", intervals(&preview, self.session.mode()))?;
        loop {
            self.prompt("Grade [1 Again, 2 Hard, 3 Good, 4 Easy, u undo, q quit]> ")?;
            let Some(line) = self.read()? else {
                return Ok(Step::Quit);
            };
            let grade = match line.to_lowercase().as_str() {
                "q" => return Ok(Step::Quit),
                "u" => return self.undo(),
                "1" | "again" => Grade::Again,
                "2" | "hard" => Grade::Hard,
                "3" | "good" => Grade::Good,
                "4" | "easy" => Grade::Easy,
                _ => {
                    writeln!(self.out, "`{line}`: type 1, 2, 3 or 4 (or u, q)")?;
                    continue;
                }
            };
            let review = self.session.grade(grade, Timestamp::now(), timing)?;
            self.save(&review)?;
            return Ok(Step::Continue);
        }
    }

    fn save(&mut self, review: &Review) -> Result<()> {
        self.store
            .record_review(review, Some(self.id))
            .with_context(|| format!("saving the review of {}", review.card))?;
        let next = if review.kind == rehearse::srs::ReviewKind::Cram {
            "schedule unchanged".to_owned()
        } else {
            format!(
                "next in {}",
                format_interval(review.after.due.duration_since(review.reviewed_at))
            )
        };
        writeln!(self.out, "saved: {} ({next})", review.grade)?;
        let scheduler = self.session.scheduler();
        if scheduler.is_leech(&review.after) && !scheduler.is_leech(&review.before) {
            writeln!(
                self.out,
                "leech: forgotten {} times; the story probably needs rewriting",
                review.after.lapses
            )?;
        }
        Ok(())
    }

    fn undo(&mut self) -> Result<Step> {
        match self.session.undo() {
            Some(review) => {
                self.store
                    .undo_review(&review)
                    .with_context(|| format!("undoing the review of {}", review.card))?;
                writeln!(self.out, "undone: {} on {}", review.grade, review.card)?;
            }
            None => writeln!(self.out, "nothing to undo")?,
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
            self.out,
            "\nSession over: {graded} graded (Again {}, Hard {}, Good {}, Easy {})",
            counts[0], counts[1], counts[2], counts[3]
        )?;
        if !answer_times.is_empty() {
            let total: std::time::Duration = answer_times.iter().sum();
            let average = total / u32::try_from(answer_times.len()).unwrap_or(u32::MAX);
            write!(
                self.out,
                ", {:.0} s per answer on average",
                average.as_secs_f64()
            )?;
        }
        writeln!(self.out, ".")?;
        let left = self.session.progress().remaining;
        if left > 0 {
            writeln!(self.out, "{left} card(s) left for later.")?;
        }
        Ok(())
    }

    fn prompt(&mut self, text: &str) -> Result<()> {
        write!(self.out, "{text}")?;
        self.out.flush()?;
        Ok(())
    }

    /// One trimmed line; None at end of input.
    fn read(&mut self) -> Result<Option<String>> {
        let mut line = String::new();
        let n = self.input.read_line(&mut line).context("reading stdin")?;
        if n == 0 {
            writeln!(self.out)?;
            return Ok(None);
        }
        if self.echo {
            writeln!(self.out, "{}", line.trim())?;
        }
        Ok(Some(line.trim().to_owned()))
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
