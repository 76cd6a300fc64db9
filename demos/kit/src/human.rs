//! Renders events for a person at a terminal: text on stdout, progress bars on stderr.

use std::collections::HashMap;
use std::io::{self, Write};

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use crate::event::{ChartData, Event, Level, Table};
use crate::reporter::EventSink;

const CHART_WIDTH: usize = 40;

/// Text for people. Progress bars appear only when stderr is a terminal (indicatif hides them
/// otherwise), so piped output stays clean.
pub struct HumanSink {
    bars: MultiProgress,
    by_phase: HashMap<String, ProgressBar>,
}

impl Default for HumanSink {
    fn default() -> Self {
        Self::new()
    }
}

impl HumanSink {
    pub fn new() -> Self {
        Self {
            bars: MultiProgress::new(),
            by_phase: HashMap::new(),
        }
    }

    fn print(&self, text: &str) {
        self.bars.suspend(|| {
            let mut out = io::stdout().lock();
            // stdout closed (piped into `head`): nothing left to show.
            let _ = writeln!(out, "{text}");
        });
    }

    fn bar_for(&mut self, phase: &str, total: Option<u64>, unit: &str) -> &ProgressBar {
        self.by_phase.entry(phase.to_owned()).or_insert_with(|| {
            let bar = match total {
                Some(total) => ProgressBar::new(total).with_style(
                    ProgressStyle::with_template(
                        "{prefix:>24} [{bar:30}] {human_pos}/{human_len} {msg} ({per_sec:0}, eta {eta})",
                    )
                    .expect("valid template")
                    .progress_chars("=> "),
                ),
                None => ProgressBar::new_spinner().with_style(
                    ProgressStyle::with_template("{prefix:>24} {spinner} {human_pos} {msg}")
                        .expect("valid template"),
                ),
            };
            let bar = self.bars.add(bar);
            bar.set_prefix(phase.to_owned());
            bar.set_message(unit.to_owned());
            bar
        })
    }

    fn finish_bars(&mut self) {
        for (_, bar) in self.by_phase.drain() {
            bar.finish_and_clear();
        }
    }
}

impl EventSink for HumanSink {
    fn emit(&mut self, event: &Event) {
        match event {
            Event::Started { demo, args } => {
                self.print(format!("▶ {demo} {}", args.join(" ")).trim_end());
            }
            Event::Phase { name } => self.print(&format!("\n== {name}")),
            Event::Progress {
                phase,
                done,
                total,
                unit,
            } => {
                let bar = self.bar_for(phase, *total, unit);
                bar.set_position(*done);
                if Some(*done) == *total {
                    bar.finish_and_clear();
                }
            }
            Event::Log { level, message } => {
                let prefix = match level {
                    Level::Info => "",
                    Level::Warn => "warning: ",
                    Level::Error => "error: ",
                };
                self.print(&format!("{prefix}{message}"));
            }
            Event::Metric(metric) => {
                let group = metric
                    .group
                    .as_deref()
                    .map(|g| format!(" [{g}]"))
                    .unwrap_or_default();
                self.print(&format!(
                    "  {}{group}: {} {}",
                    metric.name,
                    format_number(metric.value),
                    metric.unit
                ));
            }
            Event::Table(table) => self.print(&render_table(table)),
            Event::Chart(chart) => {
                self.print(&format!("\n{}\n{}", chart.title, render_chart(&chart.data)));
            }
            Event::Finished { summary } => {
                self.finish_bars();
                self.print(&format!("\n✔ {}", summary.headline));
                for note in &summary.notes {
                    self.print(&format!("  note: {note}"));
                }
            }
            // The caller reports the error itself, with its cause chain.
            Event::Failed { .. } => self.finish_bars(),
        }
    }
}

/// Numbers as a person reads them: no float noise, thousands kept short.
pub(crate) fn format_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else if value.abs() >= 100.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.3}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_owned()
    }
}

/// A plain-text table with aligned columns: numbers right, text left.
pub fn render_table(table: &Table) -> String {
    let width = |s: &str| s.chars().count();
    let mut widths: Vec<usize> = table.columns.iter().map(|c| width(c)).collect();
    for row in &table.rows {
        for (i, cell) in row.iter().enumerate() {
            if i < widths.len() {
                widths[i] = widths[i].max(width(cell));
            } else {
                widths.push(width(cell));
            }
        }
    }
    let is_numeric = |s: &str| {
        let s = s.trim_end_matches(|c: char| c.is_alphabetic() || c == '%' || c == '/');
        !s.is_empty() && s.trim().parse::<f64>().is_ok()
    };
    let line = |cells: &[String]| {
        cells
            .iter()
            .enumerate()
            .map(|(i, cell)| {
                let pad = widths[i].saturating_sub(width(cell));
                if is_numeric(cell) {
                    format!("{}{cell}", " ".repeat(pad))
                } else {
                    format!("{cell}{}", " ".repeat(pad))
                }
            })
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_owned()
    };
    let mut out = format!("\n{}\n{}\n", table.title, line(&table.columns));
    out.push_str(
        &widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("  "),
    );
    for row in &table.rows {
        out.push('\n');
        out.push_str(&line(row));
    }
    out
}

/// Charts as text: bars scaled to the largest value, Gantt rows on a shared time axis,
/// line series as sparklines.
pub fn render_chart(data: &ChartData) -> String {
    match data {
        ChartData::Bar { unit, bars } => {
            let max = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
            let label_width = bars
                .iter()
                .map(|b| b.label.chars().count())
                .max()
                .unwrap_or(0);
            bars.iter()
                .map(|bar| {
                    let cells = scaled(bar.value, max, CHART_WIDTH);
                    format!(
                        "  {:<label_width$} {} {} {unit}",
                        bar.label,
                        "█".repeat(cells),
                        format_number(bar.value)
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        }
        ChartData::Gantt { tasks } => {
            let end = tasks.iter().map(|t| t.end_ms).fold(0.0_f64, f64::max);
            let label = |t: &crate::event::GanttTask| match &t.lane {
                Some(lane) => format!("{lane}: {}", t.label),
                None => t.label.clone(),
            };
            let label_width = tasks
                .iter()
                .map(|t| label(t).chars().count())
                .max()
                .unwrap_or(0);
            tasks
                .iter()
                .map(|task| {
                    let from = scaled(task.start_ms, end, CHART_WIDTH);
                    let to = scaled(task.end_ms, end, CHART_WIDTH).max(from + 1);
                    format!(
                        "  {:<label_width$} |{}{}{}| {}-{} ms",
                        label(task),
                        " ".repeat(from),
                        "█".repeat(to - from),
                        " ".repeat(CHART_WIDTH.saturating_sub(to)),
                        format_number(task.start_ms),
                        format_number(task.end_ms)
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        }
        ChartData::Lines {
            x_label,
            y_label,
            series,
        } => {
            let mut out = format!("  {y_label} over {x_label}");
            for s in series {
                let max = s.points.iter().map(|p| p.1).fold(0.0_f64, f64::max);
                let spark: String = s
                    .points
                    .iter()
                    .map(|p| {
                        const TICKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
                        TICKS[scaled(p.1, max, TICKS.len() - 1)]
                    })
                    .collect();
                out.push_str(&format!(
                    "\n  {} {spark} (max {})",
                    s.name,
                    format_number(max)
                ));
            }
            out
        }
    }
}

fn scaled(value: f64, max: f64, cells: usize) -> usize {
    if max <= 0.0 || !value.is_finite() {
        return 0;
    }
    ((value / max) * cells as f64)
        .round()
        .clamp(0.0, cells as f64) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Bar, GanttTask};

    #[test]
    fn numbers_read_cleanly() {
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(3.9), "3.9");
        assert_eq!(format_number(1234.567), "1234.6");
        assert_eq!(format_number(0.125), "0.125");
    }

    #[test]
    fn tables_align_numbers_right_and_text_left() {
        let table = Table {
            title: "Throughput".into(),
            columns: vec!["strategy".into(), "MB/s".into()],
            rows: vec![
                vec!["regex".into(), "12.5".into()],
                vec!["streaming".into(), "310".into()],
            ],
        };
        assert_eq!(
            render_table(&table),
            "\nThroughput\nstrategy   MB/s\n---------  ----\nregex      12.5\nstreaming   310"
        );
    }

    #[test]
    fn bars_scale_to_the_largest_value() {
        let text = render_chart(&ChartData::Bar {
            unit: "MB/s".into(),
            bars: vec![
                Bar {
                    label: "a".into(),
                    value: 10.0,
                },
                Bar {
                    label: "b".into(),
                    value: 40.0,
                },
            ],
        });
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0].matches('█').count(), 10);
        assert_eq!(lines[1].matches('█').count(), CHART_WIDTH);
    }

    #[test]
    fn gantt_rows_share_one_time_axis() {
        let text = render_chart(&ChartData::Gantt {
            tasks: vec![
                GanttTask {
                    label: "a".into(),
                    lane: None,
                    start_ms: 0.0,
                    end_ms: 50.0,
                },
                GanttTask {
                    label: "b".into(),
                    lane: None,
                    start_ms: 50.0,
                    end_ms: 100.0,
                },
            ],
        });
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].contains(&format!("|{}{}|", "█".repeat(20), " ".repeat(20))));
        assert!(lines[1].contains(&format!("|{}{}|", " ".repeat(20), "█".repeat(20))));
    }
}
