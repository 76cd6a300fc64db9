//! Keybindings as data: one table per mode, each entry a key list, an action, a config name and
//! a description. The help bar and the `?` screen are generated from these tables, and
//! `[keys]` in the config replaces an action's keys (`reveal = "enter"`, `undo = "z, ctrl-z"`).

use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::srs::Grade;

use super::app::Action;

/// The screens and input states that have their own table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    Library,
    /// Typing a search query in the library.
    Search,
    Story,
    Drill,
    Demo,
    Stats,
    Help,
    /// Typing a demo's parameters.
    Params,
}

impl Mode {
    pub const ALL: [Mode; 8] = [
        Mode::Library,
        Mode::Search,
        Mode::Story,
        Mode::Drill,
        Mode::Demo,
        Mode::Stats,
        Mode::Help,
        Mode::Params,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Mode::Library => "Library",
            Mode::Search => "Search",
            Mode::Story => "Story",
            Mode::Drill => "Drill",
            Mode::Demo => "Demo",
            Mode::Stats => "Stats",
            Mode::Help => "Help",
            Mode::Params => "Demo parameters",
        }
    }
}

/// A key as the keymap sees it: a code and whether Ctrl or Alt is held (Shift is part of
/// the character: `G`, not shift-g).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl Key {
    pub const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            ctrl: false,
            alt: false,
        }
    }
    pub const fn char(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }
    pub const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            ctrl: true,
            alt: false,
        }
    }

    pub fn from_event(event: KeyEvent) -> Key {
        let code = match event.code {
            KeyCode::Char(c) if event.modifiers.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            code => code,
        };
        Key {
            code,
            ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
            alt: event.modifiers.contains(KeyModifiers::ALT),
        }
    }

    /// `j`, `G`, `enter`, `space`, `ctrl-d`, `alt-x`, `f5`, `pagedown`.
    pub fn parse(text: &str) -> Result<Key, String> {
        let text = text.trim();
        let mut key = Key::plain(KeyCode::Null);
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            if let Some(stripped) = ["ctrl-", "c-", "ctrl+"]
                .iter()
                .find(|p| lower.starts_with(**p) && rest.len() > p.len())
            {
                key.ctrl = true;
                rest = &rest[stripped.len()..];
            } else if let Some(stripped) = ["alt-", "a-", "m-", "alt+"]
                .iter()
                .find(|p| lower.starts_with(**p) && rest.len() > p.len())
            {
                key.alt = true;
                rest = &rest[stripped.len()..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        key.code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(if key.ctrl { c.to_ascii_lowercase() } else { c }),
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" | "cr" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "space" | "spc" => KeyCode::Char(' '),
                "tab" => KeyCode::Tab,
                "backtab" | "shift-tab" => KeyCode::BackTab,
                "backspace" | "bs" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pageup" | "pgup" => KeyCode::PageUp,
                "pagedown" | "pgdn" => KeyCode::PageDown,
                other => match other.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                    Some(n) if (1..=12).contains(&n) => KeyCode::F(n),
                    _ => return Err(format!("unknown key `{text}`")),
                },
            },
        };
        Ok(key)
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.alt {
            f.write_str("alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::Delete => f.write_str("del"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::PageUp => f.write_str("pgup"),
            KeyCode::PageDown => f.write_str("pgdn"),
            KeyCode::F(n) => write!(f, "f{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// One row of a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub keys: Vec<Key>,
    pub action: Action,
    /// The name `[keys]` in the config uses.
    pub name: &'static str,
    pub description: &'static str,
    /// Its short label in the one-line help bar at the bottom; empty: only on `?`.
    pub bar: &'static str,
}

/// Every mode's table.
#[derive(Debug, Clone)]
pub struct Keymap {
    tables: Vec<(Mode, Vec<Binding>)>,
}

fn b(
    keys: &[Key],
    action: Action,
    name: &'static str,
    description: &'static str,
    bar: &'static str,
) -> Binding {
    Binding {
        keys: keys.to_vec(),
        action,
        name,
        description,
        bar,
    }
}

use KeyCode as K;

fn movement(scroll: bool) -> Vec<Binding> {
    let (down, up) = if scroll {
        ("scroll down", "scroll up")
    } else {
        ("next", "previous")
    };
    vec![
        b(
            &[Key::char('j'), Key::plain(K::Down)],
            Action::Down,
            "down",
            down,
            "",
        ),
        b(
            &[Key::char('k'), Key::plain(K::Up)],
            Action::Up,
            "up",
            up,
            "",
        ),
        b(
            &[Key::plain(K::PageDown), Key::ctrl('d')],
            Action::PageDown,
            "page_down",
            "page down",
            "",
        ),
        b(
            &[Key::plain(K::PageUp), Key::ctrl('u')],
            Action::PageUp,
            "page_up",
            "page up",
            "",
        ),
        b(
            &[Key::char('g'), Key::plain(K::Home)],
            Action::Top,
            "top",
            "first",
            "",
        ),
        b(
            &[Key::char('G'), Key::plain(K::End)],
            Action::Bottom,
            "bottom",
            "last",
            "",
        ),
    ]
}

fn common() -> Vec<Binding> {
    vec![
        b(&[Key::char('?')], Action::Help, "help", "all keys", ""),
        b(
            &[Key::ctrl('c')],
            Action::Quit,
            "quit_now",
            "quit from anywhere",
            "",
        ),
    ]
}

impl Keymap {
    /// The built-in tables.
    pub fn defaults() -> Keymap {
        let back = |desc| {
            b(
                &[Key::char('q'), Key::plain(K::Esc)],
                Action::Back,
                "back",
                desc,
                "back",
            )
        };
        let mut library = vec![
            b(
                &[Key::plain(K::Enter), Key::char('l'), Key::plain(K::Right)],
                Action::Open,
                "open",
                "open story",
                "open",
            ),
            b(
                &[Key::char('/')],
                Action::Search,
                "search",
                "search",
                "search",
            ),
            b(
                &[Key::char('t')],
                Action::NextTag,
                "filter_tag",
                "filter by tag",
                "tag",
            ),
            b(
                &[Key::char('c')],
                Action::NextCompetency,
                "filter_competency",
                "filter by competency",
                "",
            ),
            b(
                &[Key::char('x')],
                Action::ClearFilters,
                "clear_filters",
                "clear search and filters",
                "",
            ),
            b(
                &[Key::char('r')],
                Action::DrillDue,
                "drill_due",
                "drill due cards (tag filter applies)",
                "due",
            ),
            b(
                &[Key::char('a')],
                Action::DrillAhead,
                "drill_ahead",
                "practise ahead (not yet due)",
                "",
            ),
            b(
                &[Key::char('s')],
                Action::DrillStory,
                "drill_story",
                "drill this story",
                "drill",
            ),
            b(
                &[Key::char('e')],
                Action::Edit,
                "edit",
                "edit in $EDITOR",
                "",
            ),
            b(
                &[Key::char('d')],
                Action::RunDemo,
                "run_demo",
                "run the linked demo",
                "",
            ),
            b(
                &[Key::char('S')],
                Action::Stats,
                "stats",
                "statistics",
                "stats",
            ),
            b(&[Key::char('q')], Action::Quit, "quit", "quit", "quit"),
            b(
                &[Key::plain(K::Esc)],
                Action::ClearFilters,
                "clear",
                "clear search and filters",
                "",
            ),
        ];
        library.extend(movement(false));
        let search = vec![
            b(
                &[Key::plain(K::Enter)],
                Action::SearchAccept,
                "search_accept",
                "keep the results",
                "done",
            ),
            b(
                &[Key::plain(K::Esc)],
                Action::SearchCancel,
                "search_cancel",
                "clear the search",
                "clear",
            ),
            b(
                &[Key::plain(K::Backspace)],
                Action::SearchBackspace,
                "search_backspace",
                "delete a character",
                "",
            ),
            b(
                &[Key::plain(K::Down), Key::ctrl('n')],
                Action::Down,
                "search_down",
                "next",
                "next",
            ),
            b(
                &[Key::plain(K::Up), Key::ctrl('p')],
                Action::Up,
                "search_up",
                "previous",
                "previous",
            ),
            b(
                &[Key::ctrl('c')],
                Action::Quit,
                "quit_now",
                "quit from anywhere",
                "",
            ),
        ];
        let mut story = vec![
            b(
                &[Key::char('s')],
                Action::DrillStory,
                "drill_story",
                "drill this story",
                "drill",
            ),
            b(
                &[Key::char('a')],
                Action::DrillAhead,
                "drill_ahead",
                "practise this story ahead",
                "ahead",
            ),
            b(
                &[Key::char('d')],
                Action::RunDemo,
                "run_demo",
                "run the linked demo",
                "demo",
            ),
            b(
                &[Key::char('e')],
                Action::Edit,
                "edit",
                "edit in $EDITOR",
                "edit",
            ),
            b(
                &[Key::char('p')],
                Action::EditParams,
                "demo_params",
                "run the demo with parameters",
                "",
            ),
            back("back"),
        ];
        story.extend(movement(true));
        let drill = vec![
            b(
                &[Key::plain(K::Tab)],
                Action::NextSection,
                "next_section",
                "next STAR section",
                "next",
            ),
            b(
                &[Key::char(' ')],
                Action::Reveal,
                "reveal",
                "reveal next part",
                "reveal",
            ),
            b(
                &[Key::char('1')],
                Action::Grade(Grade::Again),
                "grade_again",
                "grade: Again",
                "again",
            ),
            b(
                &[Key::char('2')],
                Action::Grade(Grade::Hard),
                "grade_hard",
                "grade: Hard",
                "hard",
            ),
            b(
                &[Key::char('3')],
                Action::Grade(Grade::Good),
                "grade_good",
                "grade: Good",
                "good",
            ),
            b(
                &[Key::char('4')],
                Action::Grade(Grade::Easy),
                "grade_easy",
                "grade: Easy",
                "easy",
            ),
            b(
                &[Key::char('u')],
                Action::Undo,
                "undo",
                "undo last grade",
                "undo",
            ),
            b(
                &[Key::char('j'), Key::plain(K::Down)],
                Action::Down,
                "down",
                "scroll down",
                "",
            ),
            b(
                &[Key::char('k'), Key::plain(K::Up)],
                Action::Up,
                "up",
                "scroll up",
                "",
            ),
            back("end the session"),
        ];
        let mut demo = vec![
            b(
                &[Key::plain(K::Esc)],
                Action::Back,
                "cancel",
                "cancel the run, or back",
                "cancel/back",
            ),
            b(
                &[Key::char('q')],
                Action::Back,
                "back",
                "back (cancels a run)",
                "",
            ),
            b(
                &[Key::char('f')],
                Action::Follow,
                "follow",
                "follow the log and the newest results",
                "follow",
            ),
            b(
                &[Key::char('t')],
                Action::NextTable,
                "next_table",
                "show the next table",
                "tables",
            ),
            b(
                &[Key::char('c')],
                Action::NextChart,
                "next_chart",
                "show the next chart",
                "charts",
            ),
            b(
                &[Key::char('z')],
                Action::WideResults,
                "wide_results",
                "results across the whole width, or the log back",
                "wide",
            ),
            b(
                &[Key::char('d')],
                Action::RunDemo,
                "run_demo",
                "run again",
                "run again",
            ),
            b(
                &[Key::char('p')],
                Action::EditParams,
                "demo_params",
                "set the parameters and run",
                "params",
            ),
        ];
        demo.extend(movement(true));
        let mut stats = vec![back("back")];
        stats.extend(movement(true));
        let help = vec![
            b(
                &[Key::char('q'), Key::plain(K::Esc), Key::char('?')],
                Action::Back,
                "back",
                "close help",
                "close",
            ),
            b(
                &[Key::ctrl('c')],
                Action::Quit,
                "quit_now",
                "quit from anywhere",
                "",
            ),
        ];
        let params = vec![
            b(
                &[Key::plain(K::Enter)],
                Action::SearchAccept,
                "params_accept",
                "run with these parameters",
                "run",
            ),
            b(
                &[Key::plain(K::Esc)],
                Action::SearchCancel,
                "params_cancel",
                "cancel",
                "cancel",
            ),
            b(
                &[Key::plain(K::Backspace)],
                Action::SearchBackspace,
                "params_backspace",
                "delete a character",
                "",
            ),
            b(
                &[Key::ctrl('c')],
                Action::Quit,
                "quit_now",
                "quit from anywhere",
                "",
            ),
        ];
        let mut tables = vec![
            (Mode::Library, library),
            (Mode::Search, search),
            (Mode::Story, story),
            (Mode::Drill, drill),
            (Mode::Demo, demo),
            (Mode::Stats, stats),
            (Mode::Help, help),
            (Mode::Params, params),
        ];
        for (mode, table) in &mut tables {
            if !matches!(mode, Mode::Search | Mode::Help | Mode::Params) {
                table.extend(common());
            }
        }
        Keymap { tables }
    }

    /// The defaults with the config's `[keys]` applied. Unknown names and keys are errors
    /// (returned, not fatal: the app starts with the defaults for those and says why).
    pub fn with_overrides<'a>(
        overrides: impl IntoIterator<Item = (&'a String, &'a String)>,
    ) -> (Keymap, Vec<String>) {
        let mut keymap = Keymap::defaults();
        let mut errors = Vec::new();
        for (name, value) in overrides {
            let keys: Result<Vec<Key>, String> = value
                .split(',')
                .filter(|k| !k.trim().is_empty())
                .map(Key::parse)
                .collect();
            let keys = match keys {
                Ok(keys) if !keys.is_empty() => keys,
                Ok(_) => {
                    errors.push(format!("[keys] {name}: no key given"));
                    continue;
                }
                Err(e) => {
                    errors.push(format!("[keys] {name}: {e}"));
                    continue;
                }
            };
            let mut found = false;
            for (_, table) in &mut keymap.tables {
                for binding in table.iter_mut().filter(|b| b.name == name) {
                    binding.keys.clone_from(&keys);
                    found = true;
                }
            }
            if !found {
                errors.push(format!(
                    "[keys] unknown action `{name}` (the `?` screen lists the names)"
                ));
            }
        }
        (keymap, errors)
    }

    pub fn table(&self, mode: Mode) -> &[Binding] {
        self.tables
            .iter()
            .find(|(m, _)| *m == mode)
            .map(|(_, t)| t.as_slice())
            .unwrap_or(&[])
    }

    /// The action a key does in a mode. In search mode, a printable character without Ctrl
    /// or Alt that no binding takes is typed into the query.
    pub fn action(&self, mode: Mode, key: Key) -> Option<Action> {
        let bound = self
            .table(mode)
            .iter()
            .find(|b| b.keys.contains(&key))
            .map(|b| b.action.clone());
        if bound.is_some() {
            return bound;
        }
        match (mode, key.code) {
            (Mode::Search | Mode::Params, KeyCode::Char(c)) if !key.ctrl && !key.alt => {
                Some(Action::SearchInput(c))
            }
            _ => None,
        }
    }

    /// The bindings of a mode shown in the help bar.
    pub fn bar(&self, mode: Mode) -> impl Iterator<Item = &Binding> {
        self.table(mode).iter().filter(|b| !b.bar.is_empty())
    }

    /// How a binding's keys read: `j/↓`.
    pub fn keys_text(binding: &Binding) -> String {
        binding
            .keys
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn keys_parse_and_print_back() {
        for text in [
            "j", "G", "enter", "space", "ctrl-d", "alt-x", "f5", "pgdn", "esc", "tab",
        ] {
            let key = Key::parse(text).unwrap();
            assert_eq!(Key::parse(&key.to_string()).unwrap(), key, "{text}");
        }
        assert_eq!(Key::parse("C-d").unwrap(), Key::ctrl('d'));
        assert!(Key::parse("hyper-q").is_err());
    }

    #[test]
    fn vim_keys_and_arrows_both_move() {
        let keymap = Keymap::defaults();
        for mode in [Mode::Library, Mode::Story, Mode::Demo, Mode::Stats] {
            assert_eq!(keymap.action(mode, Key::char('j')), Some(Action::Down));
            assert_eq!(
                keymap.action(mode, Key::plain(KeyCode::Down)),
                Some(Action::Down)
            );
            assert_eq!(keymap.action(mode, Key::char('k')), Some(Action::Up));
            assert_eq!(
                keymap.action(mode, Key::plain(KeyCode::Up)),
                Some(Action::Up)
            );
        }
    }

    #[test]
    fn no_key_is_bound_twice_in_a_mode() {
        let keymap = Keymap::defaults();
        for mode in Mode::ALL {
            let mut seen = std::collections::HashSet::new();
            for binding in keymap.table(mode) {
                for key in &binding.keys {
                    assert!(seen.insert(*key), "{key} twice in {mode:?}");
                }
            }
        }
    }

    #[test]
    fn search_mode_types_characters_but_keeps_its_keys() {
        let keymap = Keymap::defaults();
        assert_eq!(
            keymap.action(Mode::Search, Key::char('q')),
            Some(Action::SearchInput('q'))
        );
        assert_eq!(
            keymap.action(Mode::Search, Key::plain(KeyCode::Esc)),
            Some(Action::SearchCancel)
        );
        assert_eq!(
            keymap.action(Mode::Library, Key::char('q')),
            Some(Action::Quit)
        );
    }

    #[test]
    fn config_overrides_replace_keys_and_report_mistakes() {
        let overrides: BTreeMap<String, String> = [
            ("reveal".to_owned(), "enter".to_owned()),
            ("undo".to_owned(), "z, ctrl-z".to_owned()),
            ("teleport".to_owned(), "t".to_owned()),
            ("search".to_owned(), "hyper-q".to_owned()),
        ]
        .into();
        let (keymap, errors) = Keymap::with_overrides(&overrides);
        assert_eq!(
            keymap.action(Mode::Drill, Key::plain(KeyCode::Enter)),
            Some(Action::Reveal)
        );
        assert_eq!(keymap.action(Mode::Drill, Key::char(' ')), None);
        assert_eq!(
            keymap.action(Mode::Drill, Key::ctrl('z')),
            Some(Action::Undo)
        );
        assert_eq!(keymap.action(Mode::Drill, Key::char('u')), None);
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].contains("hyper-q") || errors[1].contains("hyper-q"));
        // The search key keeps its default when its override is invalid.
        assert_eq!(
            keymap.action(Mode::Library, Key::char('/')),
            Some(Action::Search)
        );
    }
}
