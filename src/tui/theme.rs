//! Every style the TUI uses, in one place. With `NO_COLOR` set (any non-empty value, see
//! <https://no-color.org>) only modifiers remain: bold, reversed, underlined, dim.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    color: bool,
}

impl Theme {
    /// Colour unless `NO_COLOR` is set and not empty.
    pub fn from_env() -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme { color: !no_color }
    }

    pub fn colored() -> Theme {
        Theme { color: true }
    }

    pub fn monochrome() -> Theme {
        Theme { color: false }
    }

    pub fn has_color(self) -> bool {
        self.color
    }

    fn fg(self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    pub fn text(self) -> Style {
        Style::new()
    }
    pub fn dim(self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }
    pub fn title(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn border(self) -> Style {
        self.fg(Color::DarkGray)
    }
    pub fn border_focus(self) -> Style {
        self.fg(Color::Cyan)
    }
    pub fn selected(self) -> Style {
        if self.color {
            Style::new()
                .bg(Color::Rgb(40, 60, 90))
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }
    pub fn matched(self) -> Style {
        self.fg(Color::Yellow)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
    pub fn key(self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
    pub fn ok(self) -> Style {
        self.fg(Color::Green)
    }
    pub fn warn(self) -> Style {
        self.fg(Color::Yellow)
    }
    pub fn error(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn accent(self) -> Style {
        self.fg(Color::Magenta)
    }
    pub fn heading(self, level: u8) -> Style {
        match level {
            1 => self
                .fg(Color::Cyan)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            2 => self.fg(Color::Cyan).add_modifier(Modifier::BOLD),
            _ => self.fg(Color::Blue).add_modifier(Modifier::BOLD),
        }
    }
    pub fn code(self) -> Style {
        self.fg(Color::Green)
    }
    pub fn emphasis(self) -> Style {
        Style::new().add_modifier(Modifier::ITALIC)
    }
    pub fn strong(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
    pub fn link(self) -> Style {
        self.fg(Color::Blue).add_modifier(Modifier::UNDERLINED)
    }
    /// A STAR section's bar on the pacing gauge.
    pub fn section(self, index: usize) -> Style {
        let colors = [Color::Blue, Color::Magenta, Color::Green, Color::Cyan];
        self.fg(colors[index % colors.len()])
    }
    pub fn overrun(self) -> Style {
        if self.color {
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        }
    }
    pub fn grade(self, grade: crate::srs::Grade) -> Style {
        use crate::srs::Grade;
        match grade {
            Grade::Again => self.fg(Color::Red),
            Grade::Hard => self.fg(Color::Yellow),
            Grade::Good => self.fg(Color::Green),
            Grade::Easy => self.fg(Color::Cyan),
        }
        .add_modifier(Modifier::BOLD)
    }
    /// A heatmap cell: 0 (none) to 4 (most).
    pub fn heat(self, level: u8) -> Style {
        if !self.color {
            return match level {
                0 => Style::new().add_modifier(Modifier::DIM),
                _ => Style::new(),
            };
        }
        let color = match level {
            0 => Color::Rgb(50, 50, 50),
            1 => Color::Rgb(14, 68, 41),
            2 => Color::Rgb(0, 109, 50),
            3 => Color::Rgb(38, 166, 65),
            _ => Color::Rgb(57, 211, 83),
        };
        Style::new().fg(color)
    }
    pub fn gauge(self) -> Style {
        self.fg(Color::Cyan)
    }
    pub fn bar(self) -> Style {
        self.fg(Color::Cyan)
    }
    /// Series and lanes in charts, in order.
    pub fn series(self, index: usize) -> Style {
        let colors = [
            Color::Cyan,
            Color::Magenta,
            Color::Yellow,
            Color::Green,
            Color::Blue,
            Color::Red,
        ];
        self.fg(colors[index % colors.len()])
    }
}

/// Heatmap glyphs for terminals without colour: more ink, more reviews.
pub const HEAT_GLYPHS: [&str; 5] = ["·", "░", "▒", "▓", "█"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_keeps_only_modifiers() {
        let mono = Theme::monochrome();
        for style in [
            mono.title(),
            mono.selected(),
            mono.matched(),
            mono.error(),
            mono.overrun(),
            mono.section(2),
            mono.heat(3),
            mono.grade(crate::srs::Grade::Again),
        ] {
            assert_eq!((style.fg, style.bg), (None, None), "{style:?}");
        }
        assert!(mono.selected().add_modifier.contains(Modifier::REVERSED));
        assert!(Theme::colored().error().fg.is_some());
    }
}
