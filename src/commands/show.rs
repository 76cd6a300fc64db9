//! `rehearse show ID`: one story, styled for a terminal (plain when piped or NO_COLOR is set).

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Result, bail};
use rehearse::markdown::Look;
use rehearse::story::numbers::{self, Verdict};
use rehearse::story::{LoadReport, Story};

use super::{Env, load_stories};

pub fn run(env: &Env, id: &str) -> Result<ExitCode> {
    let report = load_stories(env)?;
    let story = find(&report, id)?;
    let style = Style::detect();
    let mut out = String::new();
    out.push_str(&style.title(&story.meta.title));
    out.push('\n');
    out.push_str(&style.dim(&format!(
        "{}  ·  {}  ·  {}",
        story.id(),
        story.meta.tags.join(", "),
        story.path.display()
    )));
    out.push('\n');
    if let Some(demo) = &story.meta.demo {
        out.push_str(&format!("demo: {demo}  (rehearse demo run {demo})\n"));
    }
    if !story.meta.questions.is_empty() {
        out.push_str(&style.heading("Answers"));
        for question in &story.meta.questions {
            out.push_str(&format!("  • {question}\n"));
        }
    }
    if !story.meta.metrics.is_empty() {
        out.push_str(&style.heading("Key numbers"));
        for metric in &story.meta.metrics {
            let change = match (&metric.before, &metric.after) {
                (Some(b), Some(a)) => format!("{b} → {a}"),
                (Some(b), None) => format!("was {b}"),
                (None, Some(a)) => format!("now {a}"),
                (None, None) => String::new(),
            };
            let claim = metric.claim.as_deref().unwrap_or("");
            let check = match numbers::check(metric) {
                Verdict::Contradicted { supported, .. } => {
                    style.warn(&format!("  ✘ the numbers say {supported}"))
                }
                Verdict::Incomparable { why } => style.warn(&format!("  ✘ {why}")),
                Verdict::Supported { .. } | Verdict::Unchecked { .. } => String::new(),
            };
            out.push_str(&format!("  {}: {change}  {claim}{check}\n", metric.name));
            if let Some(note) = &metric.note {
                out.push_str(&format!("    ({})\n", note.trim()));
            }
        }
    }
    if let Some(demo) = &story.meta.demo {
        let latest = rehearse::practice::DemoRecords::open(&env.paths.db)?.latest(demo)?;
        out.push_str(&claims_beside_demo(story, latest.as_ref(), &style));
        if let Some(run) = latest
            && let Ok(summary) = &run.outcome
        {
            out.push_str(&style.heading("Latest demo result"));
            out.push_str(&format!(
                "  {} ({})\n",
                summary.headline,
                rehearse::export::when(run.finished_at)
            ));
        }
    }
    let open: Vec<&str> = story.open_probes().map(|p| p.question.trim()).collect();
    if !open.is_empty() {
        out.push_str(&style.heading("To prepare (open probes)"));
        for question in open {
            out.push_str(&format!("  ☐ {question}\n"));
        }
    }
    out.push('\n');
    out.push_str(&render_markdown(&story.body, &style));
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// The story's key numbers beside the demo's latest result; a contradiction as a warning.
fn claims_beside_demo(
    story: &Story,
    latest: Option<&rehearse::store::DemoRun>,
    style: &Style,
) -> String {
    let summary = latest.and_then(|run| run.outcome.as_ref().ok());
    let checks = rehearse::demo::claims::compare(story, summary);
    if checks.is_empty() {
        return String::new();
    }
    let mut out = style.heading("Story claim beside the demo");
    for check in checks {
        let line = format!("  {}", check.line());
        out.push_str(&if check.contradicts() {
            style.warn(&line)
        } else {
            line
        });
        out.push('\n');
    }
    out
}

/// By exact id, else by unique prefix.
pub fn find<'a>(report: &'a LoadReport, id: &str) -> Result<&'a Story> {
    if let Some(story) = report.find(id) {
        return Ok(story);
    }
    let matches: Vec<&Story> = report
        .stories
        .iter()
        .filter(|s| s.id().starts_with(id))
        .collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => bail!("no story with id `{id}` (see `rehearse list`)"),
        many => bail!(
            "`{id}` matches several stories: {}",
            many.iter().map(|s| s.id()).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// ANSI styling, or none.
struct Style {
    color: bool,
}

impl Style {
    fn detect() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Self {
            color: !no_color && std::io::stdout().is_terminal(),
        }
    }

    fn wrap(&self, codes: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{codes}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn title(&self, text: &str) -> String {
        self.wrap("1", text)
    }

    fn heading(&self, text: &str) -> String {
        format!("\n{}\n", self.wrap("1;36", text))
    }

    fn dim(&self, text: &str) -> String {
        self.wrap("2", text)
    }

    fn warn(&self, text: &str) -> String {
        self.wrap("33", text)
    }

    /// `text` in the ANSI codes of a Markdown look.
    fn look(&self, text: &str, look: Look) -> String {
        let mut codes: Vec<&str> = Vec::new();
        match look.heading {
            Some(2) => codes.push("1;36"),
            Some(_) => codes.push("1"),
            None => {}
        }
        for (on, code) in [
            (look.strong, "1"),
            (look.dim, "2"),
            (look.emphasis, "3"),
            (look.link, "4"),
            (look.strike, "9"),
            (look.code, "33"),
        ] {
            if on {
                codes.push(code);
            }
        }
        if codes.is_empty() {
            text.to_owned()
        } else {
            self.wrap(&codes.join(";"), text)
        }
    }
}

/// Markdown to terminal text through the one renderer ([`rehearse::markdown`]), its looks as
/// ANSI codes (none when plain).
fn render_markdown(markdown: &str, style: &Style) -> String {
    let mut out = String::new();
    for line in rehearse::markdown::render(markdown) {
        for span in &line.spans {
            out.push_str(&style.look(&span.text, span.look));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_renders_without_markup_when_plain() {
        let text = render_markdown(
            "## Action\n\n- I *profiled* with `cProfile`\n- then **fixed** it\n\n<!-- note -->\n",
            &Style { color: false },
        );
        assert_eq!(
            text,
            "Action\n\n• I profiled with cProfile\n• then fixed it\n"
        );
    }

    #[test]
    fn looks_become_ansi_codes_in_colour() {
        let text = render_markdown("## Action\n\nI *profiled* it\n", &Style { color: true });
        assert!(text.starts_with("\x1b[1;36mAction\x1b[0m\n"), "{text:?}");
        assert!(text.contains("\x1b[3mprofiled\x1b[0m"), "{text:?}");
    }
}
