//! `rehearse mock --plain`: a mock interview on stdin/stdout, one line per step: a pick (story
//! id, id prefix, list number, or an empty line for none), an empty line to end an answer or
//! a probe (`n` moves to the next STAR section, `c` shows the story), y/n per self-check item,
//! 1-4 for the grade. A line that does not fit is refused with a hint and the step asked again;
//! end of input ends the session with every graded question already saved.

use std::collections::HashSet;
use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use rehearse::mock::answer::{
    AnswerTimer, AskedProbe, Budgets, CheckAnswer, CheckItem, key_numbers, seconds,
};
use rehearse::mock::draw::{self, DrawOptions};
use rehearse::mock::job::{JobText, rank};
use rehearse::mock::pick::{Pick, read_pick};
use rehearse::mock::probes::StoryProbes;
use rehearse::mock::report::{ReportContext, session_markdown};
use rehearse::mock::session::{Attempt, MockRun};
use rehearse::mock::{Clock, SystemClock};
use rehearse::srs::{Grade, Scheduler, format_interval};
use rehearse::store::{MockSessionId, MockSetup, Store};
use rehearse::story::{SectionKind, Story};

use super::Env;
use crate::cli::MockArgs;

pub fn run(env: &Env, args: MockArgs) -> Result<ExitCode> {
    if !args.plain {
        bail!(
            "the full-screen mock is not built yet; use `rehearse mock --plain` (one line per step, for scripts and screen readers)"
        );
    }
    let clock = SystemClock;
    let tz = TimeZone::system();
    let bank = super::job::bank(args.bank.as_deref())?;
    let job = match &args.job {
        Some(path) => Some(JobText::read(path)?),
        None => None,
    };
    let ranking = job.as_ref().map(|job| rank(&bank, &job.text));
    // The practice core loads the stories, opens the store with their cards synced, and
    // makes the scheduler the drill uses, so pick cards are scheduled the same way.
    let practice = super::cards::practice(env, None)?;
    let store = practice.store();
    let scheduler = practice.scheduler()?;
    let weakness = draw::weakness(
        &bank,
        practice.stories(),
        &store.review_pass_counts_by_story()?,
        &store.mock_asked_by_competency()?,
    );
    let now = clock.now();
    let due_picks: HashSet<String> = store
        .pick_cards()?
        .into_iter()
        .filter(|c| c.is_due(now))
        .map(|c| c.question_key)
        .collect();
    let seed = args.seed.unwrap_or_else(rand::random::<u64>);
    let mut rng = draw::rng(seed);
    let weights = draw::weights(&bank, &weakness, ranking.as_ref());
    let options = DrawOptions {
        questions: usize::from(args.questions),
        competency: args.competency.clone(),
        due_picks,
        asked_before: store.mock_asked_questions()?,
    };
    let drawn = draw::draw(&bank, &weights, &weakness, &options, &mut rng)?;
    let setup = MockSetup {
        seed,
        questions: drawn.len(),
        competency: args.competency.clone(),
        job: args.job.as_ref().map(|p| p.display().to_string()),
        interface: "plain".to_owned(),
    };
    let id = store.start_mock(&setup, now)?;
    let budgets = Budgets::from_config(&env.config.drill);
    let mut plain = PlainMock {
        store,
        scheduler: &scheduler,
        clock: &clock,
        id,
        budgets,
        run: MockRun::new(practice.stories(), drawn, rng, StoryProbes),
        echo: !std::io::stdin().is_terminal(),
        input: std::io::stdin().lock(),
        out: std::io::stdout().lock(),
    };
    writeln!(
        plain.out,
        "Mock interview: {} question(s), seed {seed} (`--seed {seed}` asks them again).",
        plain.run.total()
    )?;
    if let Some(ranking) = &ranking {
        let job = setup.job.as_deref().unwrap_or_default();
        if ranking.ranked.is_empty() {
            writeln!(
                plain.out,
                "{job}: none of the bank's job words appear in it, so it changes no weight."
            )?;
        } else {
            let top: Vec<&str> = ranking
                .ranked
                .iter()
                .take(3)
                .map(|r| r.key.as_str())
                .collect();
            writeln!(
                plain.out,
                "Weighted by {job}: it asks most for {}.",
                top.join(", ")
            )?;
        }
    }
    let finished = plain.questions()?;
    store.finish_mock(id, clock.now())?;
    let history = store.mock_history()?;
    let stored = history
        .iter()
        .find(|s| s.id == id)
        .context("the session just stored is not in the database")?;
    let mut out = plain.out;
    if !finished {
        writeln!(
            out,
            "\nEnd of input: {} of {} question(s) graded and saved.",
            stored.answers.len(),
            stored.setup.questions
        )?;
    }
    let context = ReportContext {
        stories: practice.stories(),
        bank: &bank,
        budgets,
        tz,
    };
    writeln!(out, "\n{}", session_markdown(stored, &context).trim_end())?;
    if history.iter().filter(|s| !s.answers.is_empty()).count() > 1 {
        writeln!(
            out,
            "\n{}",
            rehearse::mock::report::across_sessions_markdown(&history, &context).trim_end()
        )?;
    }
    Ok(ExitCode::SUCCESS)
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
        budgets: Budgets::from_config(&env.config.drill),
        tz: TimeZone::system(),
    };
    Ok(rehearse::mock::report::history_markdown(&history, &context))
}

struct PlainMock<'a, R, W> {
    store: &'a Store,
    scheduler: &'a Scheduler,
    clock: &'a dyn Clock,
    id: MockSessionId,
    budgets: Budgets,
    run: MockRun<'a, StoryProbes>,
    /// Input is not typed at a terminal, so end each prompt's line ourselves.
    echo: bool,
    input: R,
    out: W,
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
            self.out,
            "\n[{position}/{total}] {} (`{}`) - {}",
            drawn.question.competency_name, drawn.question.competency, drawn.why
        )?;
        writeln!(self.out, "Q: {}", drawn.question.text)?;
        let stories = self.run.stories();
        let list = self.run.short_list();
        writeln!(self.out, "Which story answers it?")?;
        for (number, index) in list.iter().enumerate() {
            let story = &stories[*index];
            writeln!(
                self.out,
                "  {}. {}  {}",
                number + 1,
                story.id(),
                story.meta.title
            )?;
        }
        let asked_at = self.clock.now();
        let pick = loop {
            self.prompt("Pick [number, story id or prefix; empty line: I have none]> ")?;
            let Some(line) = self.read()? else {
                return Ok(Err(Ended));
            };
            match read_pick(&line, stories, &list) {
                Ok(pick) => break pick,
                Err(hint) => writeln!(self.out, "{hint}")?,
            }
        };
        let pick_time = elapsed(asked_at, self.clock.now());
        let feedback = self
            .run
            .judge(&pick, pick_time)
            .expect("a current question");
        writeln!(self.out, "Picked in {}.", seconds(pick_time))?;
        for line in feedback.lines() {
            writeln!(self.out, "  {line}")?;
        }
        let mut attempt = Attempt {
            asked_at,
            pick: pick.clone(),
            pick_time,
            feedback,
            answer: None,
            probes: Vec::new(),
            self_check: Vec::new(),
            grade: Grade::Again,
        };
        if let Pick::Story(index) = pick {
            match self.tell(index, &mut attempt)? {
                Ok(()) => {}
                Err(ended) => return Ok(Err(ended)),
            }
        } else {
            writeln!(self.out, "Nothing to tell: graded Again.")?;
        }
        let existing = self.store.pick_card(&drawn.question.key)?;
        let now = self.clock.now();
        let (answer, card) = self.run.grade(attempt, existing, self.scheduler, now)?;
        self.store
            .record_mock_answer(self.id, &answer, &card)
            .with_context(|| format!("saving the answer to question {position}"))?;
        writeln!(
            self.out,
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
        let story = &self.run.stories()[index];
        let budget: Vec<String> = SectionKind::STAR
            .iter()
            .map(|k| format!("{} {}", k.title(), seconds(self.budgets.get(*k))))
            .collect();
        writeln!(
            self.out,
            "Answer aloud now ({}). n + Enter: next STAR section; c: check the story; an empty line: done.",
            budget.join(", ")
        )?;
        let mut timer = AnswerTimer::start(self.clock.now());
        loop {
            self.prompt(&format!("{}> ", timer.section().title()))?;
            let Some(line) = self.read()? else {
                return Ok(Err(Ended));
            };
            match line.to_lowercase().as_str() {
                "" => break,
                "n" => {
                    if !timer.next_section(self.clock.now()) {
                        writeln!(
                            self.out,
                            "Result is the last section; an empty line ends the answer."
                        )?;
                    }
                }
                "c" => self.show_story(story)?,
                _ => writeln!(
                    self.out,
                    "`{line}`: an empty line ends the answer; n moves to the next section; c shows the story"
                )?,
            }
        }
        let time = timer.finish(self.clock.now());
        writeln!(self.out, "Time: {}.", time.against(&self.budgets))?;
        attempt.answer = Some(time);

        let (probes, items) = self.run.follow_up(index);
        for (number, probe) in probes.iter().enumerate() {
            writeln!(
                self.out,
                "Probe {}/{}: {}",
                number + 1,
                probes.len(),
                probe.question
            )?;
            let started = self.clock.now();
            loop {
                self.prompt("Answer aloud, then an empty line> ")?;
                let Some(line) = self.read()? else {
                    return Ok(Err(Ended));
                };
                if line.is_empty() {
                    break;
                }
                writeln!(
                    self.out,
                    "`{line}`: press Enter on an empty line when you have answered"
                )?;
            }
            let time = elapsed(started, self.clock.now());
            match &probe.answer {
                Some(answer) => writeln!(self.out, "The story says: {}", one_line(answer))?,
                None => writeln!(
                    self.out,
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
                writeln!(self.out, "Key numbers: none in the story's front matter.")?;
            } else {
                writeln!(self.out, "Key numbers: {}", numbers.join("; "))?;
            }
        }
        for item in items {
            let yes = loop {
                self.prompt(&format!("{} [y/n]> ", item.question()))?;
                let Some(line) = self.read()? else {
                    return Ok(Err(Ended));
                };
                match line.to_lowercase().as_str() {
                    "y" | "yes" => break true,
                    "n" | "no" => break false,
                    _ => writeln!(self.out, "`{line}`: type y or n")?,
                }
            };
            attempt.self_check.push(CheckAnswer { item, yes });
        }
        attempt.grade = loop {
            self.prompt("Grade your answer [1 Again, 2 Hard, 3 Good, 4 Easy]> ")?;
            let Some(line) = self.read()? else {
                return Ok(Err(Ended));
            };
            match line.to_lowercase().as_str() {
                "1" | "again" => break Grade::Again,
                "2" | "hard" => break Grade::Hard,
                "3" | "good" => break Grade::Good,
                "4" | "easy" => break Grade::Easy,
                _ => writeln!(self.out, "`{line}`: type 1, 2, 3 or 4")?,
            }
        };
        Ok(Ok(()))
    }

    fn show_story(&mut self, story: &Story) -> Result<()> {
        writeln!(self.out, "{}: {}", story.id(), story.meta.title)?;
        for section in &story.sections {
            if SectionKind::STAR.contains(&section.kind) || section.kind == SectionKind::Answer {
                writeln!(
                    self.out,
                    "  {}: {}",
                    section.kind.title(),
                    one_line(&section.text)
                )?;
            }
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

fn elapsed(from: Timestamp, to: Timestamp) -> Duration {
    Duration::try_from(to.duration_since(from)).unwrap_or_default()
}

/// Markdown on one line, for the plain output.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
