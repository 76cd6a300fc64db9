//! The STAR timer both sessions use: time per section (Situation, Task, Action, Result) against
//! the budgets `[drill]` sets, for a drill card and a mock answer alike. The user moves to the
//! next section when they do; a section never reached stays unmarked, and an answer never
//! paced keeps only its total. Pure: every reading takes the time from the caller's clock.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

use crate::story::SectionKind;

/// One value per STAR section, by name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PerSection<T> {
    pub situation: T,
    pub task: T,
    pub action: T,
    pub result: T,
}

impl<T: Copy + Default> PerSection<T> {
    /// The value of a STAR section; any other section has the default.
    pub fn get(&self, section: SectionKind) -> T {
        match section {
            SectionKind::Situation => self.situation,
            SectionKind::Task => self.task,
            SectionKind::Action => self.action,
            SectionKind::Result => self.result,
            _ => T::default(),
        }
    }

    /// Sets a STAR section's value (any other section has none to set).
    pub fn set(&mut self, section: SectionKind, value: T) {
        match section {
            SectionKind::Situation => self.situation = value,
            SectionKind::Task => self.task = value,
            SectionKind::Action => self.action = value,
            SectionKind::Result => self.result = value,
            _ => {}
        }
    }

    pub fn map<U>(self, f: impl Fn(T) -> U) -> PerSection<U> {
        PerSection {
            situation: f(self.situation),
            task: f(self.task),
            action: f(self.action),
            result: f(self.result),
        }
    }

    /// Each section with its value, in STAR order.
    pub fn iter(&self) -> impl Iterator<Item = (SectionKind, T)> + '_ {
        SectionKind::STAR.into_iter().map(|s| (s, self.get(s)))
    }
}

/// Time budgeted per STAR section (`[drill]` in the config).
pub type Budgets = PerSection<Duration>;

impl PerSection<Duration> {
    pub fn total(&self) -> Duration {
        self.situation + self.task + self.action + self.result
    }
}

/// Time spent on each STAR section; None for a section the user did not mark.
pub type SectionTimes = PerSection<Option<Duration>>;

/// A spoken answer's timing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AnswerTime {
    pub total: Duration,
    pub sections: SectionTimes,
}

impl AnswerTime {
    /// `Situation 12 s / 15 s · Task 14 s / 10 s (over) · ...`, or the total against the total
    /// budget when the sections were not marked.
    pub fn against(&self, budgets: &Budgets) -> String {
        let marked: Vec<String> = self
            .sections
            .iter()
            .filter_map(|(kind, used)| {
                let used = used?;
                let budget = budgets.get(kind);
                Some(format!(
                    "{} {} / {}{}",
                    kind.title(),
                    seconds(used),
                    seconds(budget),
                    over(used, budget)
                ))
            })
            .collect();
        let total = format!(
            "total {} / {}{}",
            seconds(self.total),
            seconds(budgets.total()),
            over(self.total, budgets.total())
        );
        if marked.is_empty() {
            total
        } else {
            format!("{} · {total}", marked.join(" · "))
        }
    }

    /// The sections that took longer than their budget, in STAR order.
    pub fn overran(&self, budgets: &Budgets) -> Vec<SectionKind> {
        self.sections
            .iter()
            .filter(|(kind, used)| used.is_some_and(|t| t > budgets.get(*kind)))
            .map(|(kind, _)| kind)
            .collect()
    }
}

fn over(used: Duration, budget: Duration) -> &'static str {
    if used > budget { " (over)" } else { "" }
}

/// `12 s`, `1 min`, `2 min 5 s`.
pub fn seconds(time: Duration) -> String {
    let secs = time.as_secs_f64().round() as u64;
    if secs < 60 {
        format!("{secs} s")
    } else if secs.is_multiple_of(60) {
        format!("{} min", secs / 60)
    } else {
        format!("{} min {} s", secs / 60, secs % 60)
    }
}

/// The time from `from` to `to`, never negative (a clock set back reads as no time).
pub fn since(from: Timestamp, to: Timestamp) -> Duration {
    Duration::try_from(to.duration_since(from).max(SignedDuration::ZERO)).unwrap_or_default()
}

/// The STAR pacing timer over one answer: started when the question is shown, moved on a
/// section at a time by the user, stopped when the answer ends (then every reading is frozen).
#[derive(Debug, Clone, PartialEq)]
pub struct StarTimer {
    started: Timestamp,
    section: usize,
    section_started: Timestamp,
    sections: SectionTimes,
    /// False until the user marks a section: then the section being spoken counts too.
    paced: bool,
    stopped: Option<Timestamp>,
}

impl StarTimer {
    pub fn start(now: Timestamp) -> StarTimer {
        StarTimer {
            started: now,
            section: 0,
            section_started: now,
            sections: SectionTimes::default(),
            paced: false,
            stopped: None,
        }
    }

    /// The section being spoken (the last one spoken once stopped).
    pub fn section(&self) -> SectionKind {
        SectionKind::STAR[self.section]
    }

    pub fn is_running(&self) -> bool {
        self.stopped.is_none()
    }

    /// `now`, or the moment the timer stopped.
    fn at(&self, now: Timestamp) -> Timestamp {
        self.stopped.map_or(now, |stopped| stopped.min(now))
    }

    /// Moves on to the next STAR section; false when already on Result or stopped.
    pub fn next_section(&mut self, now: Timestamp) -> bool {
        if self.stopped.is_some() || self.section + 1 >= SectionKind::STAR.len() {
            return false;
        }
        self.sections
            .set(self.section(), Some(since(self.section_started, now)));
        self.section += 1;
        self.section_started = now;
        self.paced = true;
        true
    }

    /// Time since the answer started (frozen once stopped).
    pub fn elapsed(&self, now: Timestamp) -> Duration {
        since(self.started, self.at(now))
    }

    /// Time on each section so far, the one being spoken counted up to `now` (what a pacing
    /// bar shows while the answer runs).
    pub fn running(&self, now: Timestamp) -> PerSection<Duration> {
        let mut times = self.sections;
        if self.stopped.is_none() || self.paced {
            times.set(
                self.section(),
                Some(since(self.section_started, self.at(now))),
            );
        }
        times.map(Option::unwrap_or_default)
    }

    /// The answer as it stands at `now`: marked sections (the one being spoken counted once
    /// the user has paced), and the total.
    pub fn time(&self, now: Timestamp) -> AnswerTime {
        let mut sections = self.sections;
        if self.paced {
            sections.set(
                self.section(),
                Some(since(self.section_started, self.at(now))),
            );
        }
        AnswerTime {
            total: self.elapsed(now),
            sections,
        }
    }

    /// Stops the clock (a second stop changes nothing) and returns the answer's time.
    pub fn stop(&mut self, now: Timestamp) -> AnswerTime {
        if self.stopped.is_none() {
            self.stopped = Some(now.max(self.started));
        }
        self.time(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + secs).unwrap()
    }

    fn budgets() -> Budgets {
        crate::config::DrillConfig::default().budgets()
    }

    #[test]
    fn marked_sections_are_timed_and_compared_with_their_budgets() {
        let mut timer = StarTimer::start(at(0));
        assert_eq!(timer.section(), SectionKind::Situation);
        assert!(timer.next_section(at(12)));
        assert!(timer.next_section(at(26)));
        assert!(timer.next_section(at(80)));
        assert!(!timer.next_section(at(90)), "Result is the last section");
        assert_eq!(timer.running(at(95)).result, Duration::from_secs(15));
        assert_eq!(timer.elapsed(at(95)), Duration::from_secs(95));
        let time = timer.stop(at(101));
        assert_eq!(time.total, Duration::from_secs(101));
        assert_eq!(time.sections.result, Some(Duration::from_secs(21)));
        assert_eq!(
            time.against(&budgets()),
            "Situation 12 s / 15 s · Task 14 s / 10 s (over) · Action 54 s / 1 min · Result 21 s / 25 s · total 1 min 41 s / 1 min 50 s"
        );
        assert_eq!(time.overran(&budgets()), [SectionKind::Task]);
        // Stopped: every reading is frozen, and no section can be marked.
        assert_eq!(timer.elapsed(at(500)), Duration::from_secs(101));
        assert_eq!(timer.running(at(500)).result, Duration::from_secs(21));
        assert!(!timer.next_section(at(500)));
        assert_eq!(timer.stop(at(600)), time, "a second stop changes nothing");
    }

    #[test]
    fn an_answer_never_paced_has_only_its_total() {
        let mut timer = StarTimer::start(at(0));
        // While it runs, the bar shows the time on the first section.
        assert_eq!(timer.running(at(40)).situation, Duration::from_secs(40));
        let time = timer.stop(at(130));
        assert_eq!(time.sections, SectionTimes::default());
        assert_eq!(
            time.against(&budgets()),
            "total 2 min 10 s / 1 min 50 s (over)"
        );
        assert!(time.overran(&budgets()).is_empty());
        assert_eq!(timer.running(at(200)), PerSection::default());
    }

    #[test]
    fn a_clock_set_back_reads_as_no_time() {
        assert_eq!(since(at(10), at(5)), Duration::ZERO);
        let timer = StarTimer::start(at(10));
        assert_eq!(timer.elapsed(at(5)), Duration::ZERO);
    }

    #[test]
    fn seconds_reads_like_speech() {
        assert_eq!(seconds(Duration::from_millis(12_400)), "12 s");
        assert_eq!(seconds(Duration::from_secs(60)), "1 min");
        assert_eq!(seconds(Duration::from_secs(125)), "2 min 5 s");
    }
}
