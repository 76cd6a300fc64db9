//! The mock interview: the question (always on screen), then per step the pick list with its
//! search, the pick's feedback, the answer on the drill's pacing bar with the story hidden
//! until checked, the probes, the self-check and grade, and at the end the session report.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Paragraph, Wrap};

use super::drill::{Pacing, pacing_bar};
use super::spoken::{feedback_text, hearing_lines, probe_lines, recording_line};
use super::{block, clock, scroll_limit, truncate};
use crate::mock::answer::MockAnswer;
use crate::mock::pick::Declares;
use crate::pacing::{Budgets, seconds};
use crate::practice::session::Part;
use crate::practice::session::mock::{NOTHING_TO_TELL, OPEN_PROBE};
use crate::tui::app::{Action, App, Mock, MockStep, PickRow, told_sections};
use crate::tui::markdown;
use crate::tui::theme::Theme;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let Some(mock) = app.mock.as_ref() else {
        return;
    };
    let session = &mock.session;
    if session.step() == MockStep::Report {
        report(app, mock, frame, area);
        return;
    }
    let Some((position, drawn)) = session.current() else {
        frame.render_widget(
            Paragraph::new(Line::styled(" Closing the session…", app.theme.dim())),
            area,
        );
        return;
    };
    let theme = app.theme;
    let [head, question, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(4),
        Constraint::Fill(1),
    ])
    .areas(area);
    let head_text = format!(
        " · {} (`{}`) · {}",
        drawn.question.competency_name, drawn.question.competency, drawn.why
    );
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(
                format!(" Question {position} of {}", session.total()),
                theme.strong(),
            ),
            Span::styled(
                truncate(&head_text, usize::from(head.width).saturating_sub(16)),
                theme.dim(),
            ),
        ])),
        head,
    );
    frame.render_widget(
        Paragraph::new(Line::styled(drawn.question.text.clone(), theme.strong()))
            .wrap(Wrap { trim: true })
            .block(block(" Question ", theme, true)),
        question,
    );
    match session.step() {
        MockStep::Question => think(app, mock, frame, body),
        MockStep::Pick => pick(app, mock, frame, body),
        MockStep::Feedback => feedback(app, mock, frame, body),
        MockStep::Answer => answer(app, mock, frame, body),
        MockStep::Probe { index, answered } => probe(app, mock, index, answered, frame, body),
        MockStep::Check => check(app, mock, frame, body),
        MockStep::Saving => {
            frame.render_widget(Paragraph::new(Line::styled(" Saving…", theme.dim())), body);
        }
        MockStep::Report => {}
    }
}

/// A stopwatch line: `⏱ 0:04  label`.
fn stopwatch(theme: Theme, elapsed: std::time::Duration, label: &str) -> Line<'static> {
    Line::from(vec![
        Span::styled(" ⏱ ", theme.dim()),
        Span::styled(clock(elapsed), theme.strong()),
        Span::styled(format!("  {label}"), theme.dim()),
    ])
}

fn think(app: &App, mock: &Mock, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let lines = vec![
        stopwatch(theme, mock.session.elapsed(app.now), "the pick is timed"),
        Line::default(),
        Line::raw(" Which of your stories answers it? In an interview you have seconds."),
        Line::styled(
            " enter: pick it (type to search ids and titles, a number from the list, 0 for none)",
            theme.dim(),
        ),
    ];
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block(" Your story ", theme, false)),
        area,
    );
}

fn pick(app: &App, mock: &Mock, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let [input, list] = Layout::vertical([Constraint::Length(3), Constraint::Fill(1)]).areas(area);
    let title = format!(" Pick · ⏱ {} ", clock(mock.session.elapsed(app.now)));
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(" / ", theme.key()),
            Span::raw(mock.query.clone()),
            Span::styled("▏", theme.accent()),
            Span::styled(
                if mock.query.is_empty() {
                    "  type to search, or a number from the list (0: I have none)"
                } else {
                    ""
                },
                theme.dim(),
            ),
        ]))
        .block(block(title, theme, true)),
        input,
    );
    let stories = mock.session.stories();
    let searching = !mock.query.trim().is_empty();
    // Borders, the marker and the number.
    let width = usize::from(list.width.saturating_sub(7));
    let rows = mock.rows(app.matcher());
    let lines: Vec<Line> = rows
        .iter()
        .enumerate()
        .map(|(at, row)| {
            let selected = at == mock.selected;
            let number = match row {
                PickRow::None => "0".to_owned(),
                PickRow::Story(_) if searching => " ".to_owned(),
                PickRow::Story(_) => (at + 1).to_string(),
            };
            let text = match row {
                PickRow::Story(index) => {
                    let story = &stories[*index];
                    format!("{}  {}", story.id(), story.meta.title)
                }
                PickRow::None => "I have none".to_owned(),
            };
            let style = if selected {
                theme.selected()
            } else {
                theme.text()
            };
            Line::from(vec![
                Span::styled(if selected { " ▸ " } else { "   " }, theme.accent()),
                Span::styled(format!("{number} "), theme.key()),
                Span::styled(truncate(&text, width), style),
            ])
        })
        .collect();
    let title = if searching {
        " Matches (↑/↓, enter picks) "
    } else {
        " Short list: some fit, some do not "
    };
    frame.render_widget(
        Paragraph::new(lines).block(block(title, theme, false)),
        list,
    );
}

fn feedback(app: &App, mock: &Mock, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let session = &mock.session;
    let Some(attempt) = session.attempt() else {
        return;
    };
    let stories = session.stories();
    let picked = match session.picked() {
        Some(index) => format!("{} — {}", stories[index].id(), stories[index].meta.title),
        None => "I have none".to_owned(),
    };
    let verdict = if attempt.feedback.picked.is_none() {
        theme.warn()
    } else if attempt.feedback.declares == Declares::No {
        theme.error()
    } else if attempt.feedback.better.is_empty() {
        theme.ok()
    } else {
        theme.warn()
    };
    let mut lines = vec![
        Line::from(vec![
            Span::styled(
                format!(" Picked in {}: ", seconds(attempt.pick_time)),
                theme.dim(),
            ),
            Span::styled(picked, theme.strong()),
        ]),
        Line::default(),
    ];
    for (i, text) in attempt.feedback.lines().into_iter().enumerate() {
        let style = if i == 0 { verdict } else { theme.text() };
        lines.push(Line::styled(format!(" {text}"), style));
    }
    lines.push(Line::default());
    lines.push(Line::styled(
        if session.picked().is_some() {
            " enter: tell it now, aloud, on the STAR timer".to_owned()
        } else {
            format!(" enter: next question ({NOTHING_TO_TELL})")
        },
        theme.dim(),
    ));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block(" Your pick ", theme, false)),
        area,
    );
}

fn answer(app: &App, mock: &Mock, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let [pacing, story] =
        Layout::vertical([Constraint::Length(5), Constraint::Fill(1)]).areas(area);
    let session = &mock.session;
    if let Some(timer) = session.timer() {
        let view = Pacing {
            budgets: session.budgets(),
            elapsed: timer.elapsed(app.now),
            times: timer.running(app.now),
            current: Some(timer.section()),
            paced: true,
        };
        pacing_bar(theme, &view, frame, pacing);
    }
    let stories = session.stories();
    let Some(index) = session.picked() else {
        return;
    };
    let picked = &stories[index];
    if !session.checking() {
        let mut lines = vec![
            Line::raw(format!(" Tell {} aloud.", picked.meta.title)),
            Line::styled(
                " tab: next STAR section as you speak · c: check the story · enter: done",
                theme.dim(),
            ),
        ];
        lines.extend(record_lines(app, mock));
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(block(" Story (hidden) ", theme, false)),
            story,
        );
        return;
    }
    let mut text = Text::default();
    for section in picked.sections.iter().filter(|s| told_sections(s.kind)) {
        text.lines.push(Line::styled(
            section.kind.title().to_owned(),
            theme.heading(2),
        ));
        text.extend(markdown::render(&section.text, theme));
    }
    frame.render_widget(
        Paragraph::new(text).wrap(Wrap { trim: false }).block(block(
            format!(" {} (c hides it) ", picked.id()),
            theme,
            false,
        )),
        story,
    );
}

fn probe(app: &App, mock: &Mock, index: usize, answered: bool, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let session = &mock.session;
    let Some(probe) = session.probes().get(index) else {
        return;
    };
    let mut lines = vec![
        Line::styled(format!(" {}", probe.question), theme.strong()),
        Line::default(),
    ];
    if answered {
        let time = session
            .attempt()
            .and_then(|a| a.probes.last())
            .map(|p| seconds(p.time))
            .unwrap_or_default();
        lines.push(Line::styled(format!(" Answered in {time}."), theme.dim()));
        match &probe.answer {
            Some(answer) => {
                lines.push(Line::styled(" The story says:", theme.dim()));
                let mut text = markdown::render(answer, theme);
                for line in &mut text.lines {
                    line.spans.insert(0, Span::raw(" "));
                }
                lines.extend(text.lines);
            }
            None => lines.push(Line::styled(format!(" {OPEN_PROBE}"), theme.warn())),
        }
        lines.push(Line::default());
        lines.push(Line::styled(" enter: next", theme.dim()));
        lines.extend(probe_heard(app, mock, index));
    } else {
        lines.push(stopwatch(
            theme,
            session.elapsed(app.now),
            "answer aloud; enter when done",
        ));
        lines.extend(record_lines(app, mock));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block(
                format!(" Probe {} of {} ", index + 1, session.probes().len()),
                theme,
                true,
            )),
        area,
    );
}

fn check(app: &App, mock: &Mock, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let session = &mock.session;
    let Some(attempt) = session.attempt() else {
        return;
    };
    let mut lines = Vec::new();
    if let Some(time) = attempt.answer {
        lines.push(Line::styled(
            format!(" Time: {}", time.against(&session.budgets())),
            theme.dim(),
        ));
    }
    lines.push(Line::styled(
        format!(" {}", session.key_numbers_line()),
        theme.accent(),
    ));
    lines.push(Line::default());
    let done = attempt.self_check.len();
    for (i, item) in session.check_items().iter().enumerate() {
        let (mark, style) = match attempt.self_check.get(i) {
            Some(answer) if answer.yes => ("[y]", theme.ok()),
            Some(_) => ("[n]", theme.warn()),
            None if i == done => ("[?]", theme.strong()),
            None => ("[ ]", theme.dim()),
        };
        lines.push(Line::from(vec![
            Span::styled(format!(" {mark} "), style),
            Span::styled(item.question(), style),
        ]));
    }
    lines.push(Line::default());
    if done < session.check_items().len() {
        lines.push(Line::styled(" y: yes · n: no", theme.dim()));
    } else {
        let mut spans = vec![Span::styled(" Grade your answer: ", theme.dim())];
        for grade in crate::srs::Grade::ALL {
            spans.push(Span::styled(format!("{} ", grade.number()), theme.key()));
            spans.push(Span::styled(grade.name(), theme.grade(grade)));
            spans.push(Span::raw("   "));
        }
        if let Some(grade) = session.spoken().suggested() {
            spans.push(Span::styled(
                format!("{}: {grade}", app.keys_for(&Action::AcceptSuggested)),
                theme.key(),
            ));
        }
        lines.push(Line::from(spans));
    }
    let mut text = Text::from(lines);
    text.extend(heard_at_check(app, mock, area));
    let limit = scroll_limit(&text, area);
    mock.max_scroll.set(limit);
    frame.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: false })
            .scroll((mock.scroll.min(limit), 0))
            .block(block(" Self-check ", theme, true)),
        area,
    );
}

/// While answering: the recording under way, or the key that starts one.
fn record_lines(app: &App, mock: &Mock) -> Vec<Line<'static>> {
    let spoken = mock.session.spoken();
    let key = app.keys_for(&Action::Record);
    match spoken.recording() {
        Some(_) => vec![
            Line::default(),
            recording_line(app.theme, spoken.recorded(app.now), &key),
        ],
        None if spoken.offered() => vec![Line::styled(
            format!(" {key}: record your answer, to check it against the story"),
            app.theme.dim(),
        )],
        None => Vec::new(),
    }
}

/// A probe answered: what was heard of it, or that it is being heard.
fn probe_heard(app: &App, mock: &Mock, index: usize) -> Vec<Line<'static>> {
    let spoken = mock.session.spoken();
    match spoken.heard(Part::Probe(index)) {
        Some(answer) => probe_lines(app.theme, answer),
        None if spoken.hearing(Part::Probe(index)).is_some() => {
            vec![Line::styled(" Hearing your answer…", app.theme.dim())]
        }
        None => Vec::new(),
    }
}

/// At the self-check: the answer's feedback (or its hearing), and each probe's answer as
/// heard.
fn heard_at_check(app: &App, mock: &Mock, area: Rect) -> Text<'static> {
    let theme = app.theme;
    let spoken = mock.session.spoken();
    let mut text = Text::default();
    if let Some(hearing) = spoken.hearing(Part::Answer) {
        text.lines.push(Line::default());
        let width = usize::from(area.width.saturating_sub(4));
        text.lines.extend(hearing_lines(theme, hearing, width));
    }
    if let Some(answer) = spoken.heard(Part::Answer) {
        text.lines.push(Line::default());
        text.lines
            .push(Line::styled(" Your answer, as heard", theme.heading(1)));
        text.extend(feedback_text(
            theme,
            answer,
            &app.keys_for(&Action::AcceptSuggested),
        ));
    }
    for (index, probe) in mock.session.probes().iter().enumerate() {
        if let Some(answer) = spoken.heard(Part::Probe(index)) {
            text.lines.push(Line::default());
            text.lines.push(Line::styled(
                format!(" Probe {}: {}", index + 1, probe.question),
                theme.heading(2),
            ));
            text.lines.extend(probe_lines(theme, answer));
        }
    }
    text
}

/// One graded question in the report: its question, then the pick, times and grade.
fn graded_lines(theme: Theme, budgets: &Budgets, answer: &MockAnswer) -> Vec<Line<'static>> {
    let picked = answer.story_id.clone().unwrap_or_else(|| "none".to_owned());
    let mut facts = vec![
        format!("{picked} in {}", seconds(answer.pick_time)),
        format!("pick {}", answer.pick_grade),
    ];
    if let Some(time) = answer.answer {
        facts.push(time.against(budgets));
    }
    if !answer.probes.is_empty() {
        facts.push(format!("{} probe(s)", answer.probes.len()));
    }
    if !answer.self_check.is_empty() {
        let yes = answer.self_check.iter().filter(|c| c.yes).count();
        facts.push(format!("self-check {yes}/{}", answer.self_check.len()));
    }
    vec![
        Line::from(vec![
            Span::styled(format!(" {}. ", answer.position), theme.key()),
            Span::styled(answer.question.text.clone(), theme.strong()),
            Span::styled(format!(" ({})", answer.question.competency), theme.dim()),
        ]),
        Line::from(vec![
            Span::raw(format!("    {} · ", facts.join(" · "))),
            Span::styled(answer.grade.name(), theme.grade(answer.grade)),
        ]),
    ]
}

fn report(app: &App, mock: &Mock, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let session = &mock.session;
    let budgets = session.budgets();
    let [over_line, kept] = session.over_lines();
    let mut lines = vec![
        Line::styled(format!(" {over_line}"), theme.title()),
        Line::styled(format!(" {kept}"), theme.dim()),
        Line::default(),
    ];
    for answer in session.graded() {
        lines.extend(graded_lines(theme, &budgets, answer));
    }
    let gaps: Vec<&MockAnswer> = session
        .graded()
        .iter()
        .filter(|a| a.story_id.is_none() || a.declares == Some(false))
        .collect();
    if !gaps.is_empty() {
        lines.push(Line::default());
        lines.push(Line::styled(" Gaps", theme.heading(2)));
        for gap in gaps {
            lines.push(Line::raw(format!(
                "   {}: rehearse new --competency {} \"TITLE\"",
                gap.question.competency, gap.question.competency
            )));
        }
    }
    let over: Vec<String> = session
        .graded()
        .iter()
        .filter_map(|a| a.answer)
        .flat_map(|t| t.overran(&budgets))
        .map(|s| s.title().to_owned())
        .collect();
    if !over.is_empty() {
        lines.push(Line::default());
        lines.push(Line::styled(
            format!(" Sections over budget: {}", over.join(", ")),
            theme.overrun(),
        ));
    }
    let text = Text::from(lines);
    let limit = scroll_limit(&text, area);
    mock.max_scroll.set(limit);
    frame.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: false })
            .scroll((mock.scroll.min(limit), 0))
            .block(block(" Report ", theme, true)),
        area,
    );
}
