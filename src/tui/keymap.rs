//! Keybindings as data: one table per mode ([`defaults`]), each entry a key list, an action,
//! a config name and a description. The help bar and the `?` screen are generated from these
//! tables, and `[keys]` in the config replaces an action's keys (`reveal = "enter"`,
//! `undo = "z, ctrl-z"`); a key another action of the same screen already uses is refused,
//! naming both actions. Keys themselves are parsed and printed in [`key`].

mod defaults;
mod key;

use crossterm::event::KeyCode;

use super::action::Action;

pub use key::Key;

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
    /// A mock's question, feedback and probe steps.
    Mock,
    /// The mock's report.
    MockReport,
    /// Picking the story for a mock question: typing searches.
    MockPick,
    /// Telling the story on the mock's pacing timer.
    MockAnswer,
    /// The mock's self-check and grade.
    MockCheck,
}

impl Mode {
    pub const ALL: [Mode; 13] = [
        Mode::Library,
        Mode::Search,
        Mode::Story,
        Mode::Drill,
        Mode::Demo,
        Mode::Stats,
        Mode::Help,
        Mode::Params,
        Mode::Mock,
        Mode::MockPick,
        Mode::MockAnswer,
        Mode::MockCheck,
        Mode::MockReport,
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
            Mode::Mock => "Mock interview",
            Mode::MockPick => "Mock: pick a story",
            Mode::MockAnswer => "Mock: the answer",
            Mode::MockCheck => "Mock: self-check and grade",
            Mode::MockReport => "Mock: the report",
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

impl Keymap {
    /// The built-in tables.
    pub fn defaults() -> Keymap {
        let tables = defaults::TABLES
            .iter()
            .map(|(mode, parts)| {
                let table = parts
                    .iter()
                    .flat_map(|rows| rows.iter())
                    .map(|row| Binding {
                        keys: row
                            .keys
                            .split(',')
                            .map(|k| Key::parse(k).expect("the default keys parse"))
                            .collect(),
                        action: row.action.clone(),
                        name: row.name,
                        description: row.description,
                        bar: row.bar,
                    })
                    .collect();
                (*mode, table)
            })
            .collect();
        Keymap { tables }
    }

    /// The defaults with the config's `[keys]` applied. Unknown names, keys that do not parse
    /// and keys another action of the same screen uses are errors: returned, not fatal (the
    /// app starts with the defaults for those actions and says why).
    pub fn with_overrides<'a>(
        overrides: impl IntoIterator<Item = (&'a String, &'a String)>,
    ) -> (Keymap, Vec<String>) {
        let defaults = Keymap::defaults();
        let mut keymap = defaults.clone();
        let mut errors = Vec::new();
        let mut applied: Vec<(&'a String, &'a String)> = Vec::new();
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
            if found {
                applied.push((name, value));
            } else {
                errors.push(format!(
                    "[keys] unknown action `{name}` (the `?` screen lists the names)"
                ));
            }
        }
        // A remapped key that another action of the same screen uses would shadow one of them:
        // the remap is refused and the action keeps its default keys.
        for (name, value) in applied {
            let clash = keymap.tables.iter().find_map(|(mode, table)| {
                let mine = table.iter().find(|b| b.name == name)?;
                table.iter().find_map(|other| {
                    let key = mine
                        .keys
                        .iter()
                        .find(|k| other.name != name && other.keys.contains(k))?;
                    Some((*mode, *key, other.name))
                })
            });
            if let Some((mode, key, other)) = clash {
                errors.push(format!(
                    "[keys] {name} = \"{value}\": `{key}` already does `{other}` on the {} screen, \
                     so it would shadow it; not applied ({name} keeps its default keys). Bind \
                     `{other}` to another key as well to free `{key}`",
                    mode.title()
                ));
                for (m, table) in &mut keymap.tables {
                    let default = defaults.table(*m);
                    for binding in table.iter_mut().filter(|b| b.name == name) {
                        if let Some(d) = default.iter().find(|d| d.name == name) {
                            binding.keys.clone_from(&d.keys);
                        }
                    }
                }
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
            (Mode::Search | Mode::Params | Mode::MockPick, KeyCode::Char(c))
                if !key.ctrl && !key.alt =>
            {
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

    #[test]
    fn a_remap_onto_a_key_in_use_is_refused_naming_both_actions() {
        let overrides: BTreeMap<String, String> = [("undo".to_owned(), "q".to_owned())].into();
        let (keymap, errors) = Keymap::with_overrides(&overrides);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].contains("undo") && errors[0].contains("`back`"),
            "{}",
            errors[0]
        );
        // q still ends the session; undo keeps u.
        assert_eq!(
            keymap.action(Mode::Drill, Key::char('q')),
            Some(Action::Back)
        );
        assert_eq!(
            keymap.action(Mode::Drill, Key::char('u')),
            Some(Action::Undo)
        );
        // Freeing the key first makes the same remap fine.
        let overrides: BTreeMap<String, String> = [
            ("undo".to_owned(), "q".to_owned()),
            ("back".to_owned(), "x".to_owned()),
        ]
        .into();
        let (keymap, errors) = Keymap::with_overrides(&overrides);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            keymap.action(Mode::Drill, Key::char('q')),
            Some(Action::Undo)
        );
    }
}
