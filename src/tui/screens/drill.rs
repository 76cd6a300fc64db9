//! The drill: question, running timer with the STAR pacing bar, the answer revealed part by
//! part, the four grades with their next intervals, and the end-of-session summary.

use std::time::Duration;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};

use super::spoken::{feedback_text, hearing_lines, recording_line};
use super::{block, clock, scroll_limit, truncate};
use crate::practice::session::{self, DrillStep, Part, drill::DrillSummary};
use crate::srs::{DrillCard, DrillMode, Grade, format_interval};
use crate::story::SectionKind;
use crate::tui::app::{Action, App, Budgets, Drill, PerSection};
use crate::tui::markdown;
use crate::tui::theme::Theme;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let Some(drill) = app.drill.as_ref() else {
        return;
    };
    let session = &drill.session;
    if session.is_finished() {
        summary(app, session, frame, area);
        return;
    }
    let Some(current) = session.current() else {
        return;
    };
    let theme = app.theme;
    let paced = session.paced();
    let [head, question, pacing, answer, grades] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(4),
        Constraint::Length(if paced { 5 } else { 3 }),
        Constraint::Fill(1),
        Constraint::Length(3),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(head_line(theme, session, current)), head);
    frame.render_widget(
        Paragraph::new(Line::styled(current.card.prompt.clone(), theme.strong()))
            .wrap(Wrap { trim: true })
            .block(block(" Question ", theme, true)),
        question,
    );
    let timer = session.timer();
    let view = Pacing {
        budgets: session.budgets(),
        elapsed: timer.elapsed(app.now),
        times: timer.running(app.now),
        current: timer.is_running().then_some(timer.section()),
        paced,
    };
    pacing_bar(theme, &view, frame, pacing);
    match session.step() {
        DrillStep::Hearing => hearing(app, session, frame, answer),
        DrillStep::Feedback => feedback(app, drill, frame, answer),
        _ if session.revealed() == 0 => answering(app, session, frame, answer),
        _ => revealed(theme, drill, frame, answer),
    }
    grade_bar(app, session, frame, grades);
}

/// Before the reveal: how to answer (and record), or the recording under way.
fn answering(app: &App, session: &session::Drill, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let paced = session.paced();
    let record = app.drill_key(Action::Record);
    let mut lines = match session.spoken().recording() {
        Some(_) => vec![recording_line(
            theme,
            session.spoken().recorded(app.now),
            &record,
        )],
        None => vec![Line::styled("Answer aloud.", theme.dim())],
    };
    lines.push(Line::styled(
        if paced {
            "Tab moves to the next STAR section as you speak; space reveals the answer."
        } else {
            "Space reveals the answer."
        },
        theme.dim(),
    ));
    if session.spoken().offered() && session.spoken().recording().is_none() {
        lines.push(Line::styled(
            format!("{record} records your answer, to check it against the story."),
            theme.dim(),
        ));
    }
    frame.render_widget(
        Paragraph::new(lines).block(block(" Answer ", theme, false)),
        area,
    );
}

fn hearing(app: &App, session: &session::Drill, frame: &mut Frame, area: Rect) {
    let Some(hearing) = session.spoken().hearing(Part::Answer) else {
        return;
    };
    let width = usize::from(area.width.saturating_sub(4));
    frame.render_widget(
        Paragraph::new(hearing_lines(app.theme, hearing, width)).block(block(
            " Your answer ",
            app.theme,
            false,
        )),
        area,
    );
}

/// What was heard, against the story; space shows the story's answer.
fn feedback(app: &App, drill: &Drill, frame: &mut Frame, area: Rect) {
    let Some(answer) = drill.session.spoken().heard(Part::Answer) else {
        return;
    };
    let theme = app.theme;
    let text = feedback_text(theme, answer, &app.drill_key(Action::AcceptSuggested));
    let limit = scroll_limit(&text, area);
    drill.max_scroll.set(limit);
    frame.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: false })
            .scroll((drill.scroll.min(limit), 0))
            .block(block(
                format!(
                    " Your answer, as heard ({} shows the story's) ",
                    app.drill_key(Action::Reveal)
                ),
                theme,
                false,
            )),
        area,
    );
}

/// ` Card 2 of 9 · all · story#key  (edited since your last review)`.
fn head_line(theme: Theme, session: &session::Drill, current: &DrillCard) -> Line<'static> {
    let progress = session.progress();
    let mode = match session.mode() {
        DrillMode::Scheduled => "",
        DrillMode::Cram => " · cram",
    };
    let edited = if current.edited {
        "  (edited since your last review)"
    } else {
        ""
    };
    Line::from(vec![
        Span::styled(
            format!(
                " Card {} of {}",
                progress.graded + 1,
                progress.graded + progress.remaining
            ),
            theme.strong(),
        ),
        Span::styled(
            format!(" · {}{mode} · {}", session.scope(), current.card.id),
            theme.dim(),
        ),
        Span::styled(edited, theme.warn()),
    ])
}

/// The answer's parts shown so far, scrolled.
fn revealed(theme: Theme, drill: &Drill, frame: &mut Frame, area: Rect) {
    let parts = drill.session.parts();
    let shown = drill.session.revealed();
    let mut text = Text::default();
    for part in parts.iter().take(shown) {
        text.lines
            .push(Line::styled(part.label.clone(), theme.heading(2)));
        text.extend(markdown::render(&part.text, theme));
        text.lines.push(Line::default());
    }
    let left = parts.len().saturating_sub(shown);
    let title = if left > 0 {
        format!(" Answer: {shown} of {} parts (space: next) ", parts.len())
    } else {
        " Answer ".to_owned()
    };
    let limit = scroll_limit(&text, area);
    drill.max_scroll.set(limit);
    frame.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: false })
            .scroll((drill.scroll.min(limit), 0))
            .block(block(title, theme, false)),
        area,
    );
}

/// What the pacing bar shows: the drill's clock, or a mock answer's.
#[derive(Debug, Clone, Copy)]
pub struct Pacing {
    pub budgets: Budgets,
    pub elapsed: Duration,
    /// Time on each section so far.
    pub times: PerSection<Duration>,
    /// The section being spoken; None once the clock stopped.
    pub current: Option<SectionKind>,
    /// Whether the STAR bar applies (else only the clock).
    pub paced: bool,
}

/// The clock against the target and, when paced, the STAR bar with each section's time
/// against its budget (5 rows when paced, else 3).
pub fn pacing_bar(theme: Theme, pacing: &Pacing, frame: &mut Frame, area: Rect) {
    let elapsed = pacing.elapsed;
    let paced = pacing.paced;
    let target = pacing.budgets.total();
    let over_total = paced && elapsed > target;
    let mut lines = vec![Line::from(vec![
        Span::styled(" ⏱ ", theme.dim()),
        Span::styled(
            clock(elapsed),
            if over_total {
                theme.overrun()
            } else {
                theme.strong()
            },
        ),
        Span::styled(
            if paced {
                format!(" / {} target", clock(target))
            } else {
                String::new()
            },
            theme.dim(),
        ),
        Span::styled(
            if pacing.current.is_none() {
                "  (stopped)"
            } else {
                ""
            },
            theme.dim(),
        ),
    ])];
    if paced {
        let width = usize::from(area.width.saturating_sub(4));
        lines.push(star_bar(theme, pacing, width));
        lines.push(star_labels(theme, pacing, width));
    }
    frame.render_widget(
        Paragraph::new(lines).block(block(" Pacing ", theme, false)),
        area,
    );
}

/// Widths of the four sections, proportional to their budgets, summing to `width`.
fn section_widths(budgets: &Budgets, width: usize) -> PerSection<usize> {
    let total = budgets.total().as_secs_f64().max(1.0);
    let mut widths = PerSection::default();
    let mut used = 0;
    for section in SectionKind::STAR {
        let w = if section == SectionKind::Result {
            width.saturating_sub(used)
        } else {
            ((budgets.get(section).as_secs_f64() / total) * width as f64).round() as usize
        };
        widths.set(section, w);
        used += w;
    }
    widths
}

fn star_bar(theme: Theme, pacing: &Pacing, width: usize) -> Line<'static> {
    let times = &pacing.times;
    let widths = section_widths(&pacing.budgets, width);
    let mut spans = vec![Span::raw(" ")];
    for (i, section) in SectionKind::STAR.into_iter().enumerate() {
        let w = widths.get(section).max(1);
        let budget = pacing.budgets.get(section).as_secs_f64().max(0.001);
        let spent = times.get(section).as_secs_f64();
        let filled = ((spent / budget).min(1.0) * w as f64).round() as usize;
        let over = spent > budget;
        let style = if over {
            theme.overrun()
        } else {
            theme.section(i)
        };
        let current = pacing.current == Some(section);
        let fill = if current { "█" } else { "▓" };
        spans.push(Span::styled(
            fill.repeat(filled.min(w.saturating_sub(1))),
            style,
        ));
        spans.push(Span::styled(
            "░".repeat(w.saturating_sub(1).saturating_sub(filled)),
            theme.dim(),
        ));
        spans.push(Span::styled("│", theme.dim()));
    }
    Line::from(spans)
}

fn star_labels(theme: Theme, pacing: &Pacing, width: usize) -> Line<'static> {
    let times = &pacing.times;
    let widths = section_widths(&pacing.budgets, width);
    let mut spans = vec![Span::raw(" ")];
    for (i, section) in SectionKind::STAR.into_iter().enumerate() {
        let spent = times.get(section).as_secs();
        let budget = pacing.budgets.get(section).as_secs();
        let current = pacing.current == Some(section);
        let name = if widths.get(section) >= 16 {
            section.title().to_owned()
        } else {
            section.title()[..1].to_owned()
        };
        let over = spent > budget;
        let label = if over {
            format!("{name} {spent}/{budget}s +{}s", spent - budget)
        } else {
            format!("{name} {spent}/{budget}s")
        };
        let style = if over {
            theme.overrun()
        } else if current {
            theme
                .section(i)
                .add_modifier(ratatui::style::Modifier::BOLD)
        } else {
            theme.dim()
        };
        let w = widths.get(section).max(1);
        spans.push(Span::styled(format!("{:<w$}", truncate(&label, w)), style));
    }
    Line::from(spans)
}

fn grade_bar(app: &App, session: &session::Drill, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let suggested = session.spoken().suggested();
    let shown = session.revealed() > 0 || session.step() == DrillStep::Feedback;
    let line = match (session.preview(), session.step()) {
        (Some(preview), _) if shown => {
            let mut spans = vec![Span::raw(" ")];
            for outcome in &preview.outcomes {
                let interval = if session.mode() == DrillMode::Cram {
                    "same".to_owned()
                } else {
                    format_interval(outcome.interval)
                };
                let marker = if suggested == Some(outcome.grade) {
                    "▸"
                } else {
                    ""
                };
                spans.push(Span::styled(
                    format!("{marker}{} ", outcome.grade.number()),
                    theme.key(),
                ));
                spans.push(Span::styled(
                    outcome.grade.name(),
                    theme.grade(outcome.grade),
                ));
                spans.push(Span::styled(format!(" {interval}    "), theme.dim()));
            }
            if let Some(grade) = suggested {
                spans.push(Span::styled(
                    format!("{}: {grade}", app.drill_key(Action::AcceptSuggested)),
                    theme.key(),
                ));
            }
            Line::from(spans)
        }
        (_, DrillStep::Hearing) => Line::styled(
            " Grades come with the feedback on what you said.",
            theme.dim(),
        ),
        _ => Line::styled(" Grades appear once the answer is revealed.", theme.dim()),
    };
    frame.render_widget(
        Paragraph::new(line).block(block(" Grade ", theme, false)),
        area,
    );
}

fn summary(app: &App, session: &session::Drill, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let summary = session.summary();
    let head = summary_head(theme, session, &summary);
    let [top, table_area] = Layout::vertical([
        Constraint::Length(head.len() as u16 + 2),
        Constraint::Fill(1),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(head).block(block(" Summary ", theme, true)),
        top,
    );
    answers_table(theme, session, frame, table_area);
}

/// The grades, the time per story answer against the target, the sections that overran.
fn summary_head(
    theme: Theme,
    session: &session::Drill,
    summary: &DrillSummary,
) -> Vec<Line<'static>> {
    let counts = summary.counts;
    let mut head = vec![
        Line::styled(
            format!("Session over: {} card(s) graded", counts.total()),
            theme.title(),
        ),
        Line::from(
            Grade::ALL
                .iter()
                .flat_map(|g| {
                    [
                        Span::styled(g.name(), theme.grade(*g)),
                        Span::raw(format!(" {}   ", counts.get(*g))),
                    ]
                })
                .collect::<Vec<_>>(),
        ),
    ];
    if let Some(average) = summary.average_story {
        head.push(Line::raw(format!(
            "Time per story answer: {} on average against a {} target",
            clock(average),
            clock(session.budgets().total())
        )));
        let over: Vec<String> = summary
            .overran
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(s, n)| format!("{} {n}×", s.title()))
            .collect();
        head.push(if over.is_empty() {
            Line::styled("No section overran its budget.", theme.ok())
        } else {
            Line::styled(
                format!("Sections that overran: {}", over.join(", ")),
                theme.overrun(),
            )
        });
    }
    if summary.left > 0 {
        head.push(Line::styled(
            format!("{} card(s) left for later.", summary.left),
            theme.dim(),
        ));
    }
    head
}

/// Each answered card: its prompt, grade, time against the target, the sections over budget.
fn answers_table(theme: Theme, session: &session::Drill, frame: &mut Frame, area: Rect) {
    let budgets = session.budgets();
    let target = budgets.total();
    let width = usize::from(area.width.saturating_sub(34));
    let rows: Vec<Row> = session
        .answered()
        .iter()
        .map(|a| {
            let time = a.answer.map(clock).unwrap_or_default();
            let vs = if a.paced {
                format!("{time} / {}", clock(target))
            } else {
                time
            };
            let over: String = a
                .sections
                .iter()
                .filter(|(s, t)| t.is_some_and(|t| t > budgets.get(*s)))
                .map(|(s, _)| &s.title()[..1])
                .collect();
            Row::new(vec![
                Cell::from(truncate(&a.prompt, width)),
                Cell::from(Span::styled(a.grade.name(), theme.grade(a.grade))),
                Cell::from(vs),
                Cell::from(Span::styled(over, theme.overrun())),
            ])
        })
        .collect();
    frame.render_widget(
        Table::new(
            rows,
            [
                Constraint::Fill(1),
                Constraint::Length(6),
                Constraint::Length(13),
                Constraint::Length(5),
            ],
        )
        .header(Row::new(vec!["Card", "Grade", "Time/target", "Over"]).style(theme.dim()))
        .block(block(" Answers ", theme, false)),
        area,
    );
}
