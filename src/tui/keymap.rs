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
    /// Answering one of the mock's probes.
    MockProbe,
    /// The mock's self-check and grade.
    MockCheck,
}

impl Mode {
    pub const ALL: [Mode; 14] = [
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
        Mode::MockProbe,
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
            Mode::MockProbe => "Mock: a probe",
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
        // the remap is refused and the action keeps its default keys. A refusal puts default
        // keys back, which may clash with a remap accepted before it (`reveal = "1"` refused
        // puts `space` back under a `grade_good = "space"`), so the whole map is checked
        // again after every refusal until no remap clashes.
        let mut refused: Vec<&str> = Vec::new();
        while let Some((index, mode, key, other)) =
            applied.iter().enumerate().find_map(|(index, (name, _))| {
                let (mode, key, other) = keymap.clash(name)?;
                Some((index, mode, key, other))
            })
        {
            let (name, value) = applied.remove(index);
            let other_refused = if refused.contains(&other) {
                " (its own remap was refused, so it has its default keys)"
            } else {
                ""
            };
            errors.push(format!(
                "[keys] {name} = \"{value}\": `{key}` already does `{other}`{other_refused} on the \
                 {} screen, so it would shadow it; not applied ({name} keeps its default keys). \
                 Bind `{other}` to another key as well to free `{key}`",
                mode.title()
            ));
            keymap.restore_default(name, &defaults);
            refused.push(name.as_str());
        }
        (keymap, errors)
    }

    /// The first key of action `name` that another action of the same screen also has.
    fn clash(&self, name: &str) -> Option<(Mode, Key, &'static str)> {
        self.tables.iter().find_map(|(mode, table)| {
            let mine = table.iter().find(|b| b.name == name)?;
            table.iter().find_map(|other| {
                let key = mine
                    .keys
                    .iter()
                    .find(|k| other.name != name && other.keys.contains(k))?;
                Some((*mode, *key, other.name))
            })
        })
    }

    /// Action `name` back on its default keys in every screen.
    fn restore_default(&mut self, name: &str, defaults: &Keymap) {
        for (mode, table) in &mut self.tables {
            let default = defaults.table(*mode);
            for binding in table.iter_mut().filter(|b| b.name == name) {
                if let Some(d) = default.iter().find(|d| d.name == name) {
                    binding.keys.clone_from(&d.keys);
                }
            }
        }
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

    /// Fails when a key does two things on one screen.
    #[track_caller]
    fn assert_no_key_twice(keymap: &Keymap, context: &str) {
        for mode in Mode::ALL {
            let mut seen = std::collections::HashMap::new();
            for binding in keymap.table(mode) {
                for key in &binding.keys {
                    if let Some(first) = seen.insert(*key, binding.name) {
                        panic!(
                            "{context}: {key} does both `{first}` and `{}` in {mode:?}",
                            binding.name
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn no_key_is_bound_twice_in_a_mode() {
        assert_no_key_twice(&Keymap::defaults(), "defaults");
    }

    #[test]
    fn a_refusal_that_puts_a_default_key_back_refuses_the_remap_now_clashing_with_it() {
        // `reveal = "1"` is refused (1 grades Again), so reveal is back on space, which
        // `grade_good = "space"` took: that remap must be refused too, whatever the order.
        let overrides: BTreeMap<String, String> = [
            ("reveal".to_owned(), "1".to_owned()),
            ("grade_good".to_owned(), "space".to_owned()),
        ]
        .into();
        let (keymap, errors) = Keymap::with_overrides(&overrides);
        assert_no_key_twice(&keymap, "reveal = 1, grade_good = space");
        assert_eq!(
            keymap.action(Mode::Drill, Key::char(' ')),
            Some(Action::Reveal)
        );
        assert_eq!(
            keymap.action(Mode::Drill, Key::char('3')),
            Some(Action::Grade(crate::srs::Grade::Good))
        );
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].starts_with("[keys] reveal = \"1\""), "{errors:?}");
        assert!(
            errors[1].starts_with("[keys] grade_good = \"space\": `space` already does `reveal` (its own remap was refused"),
            "{errors:?}"
        );
    }

    #[test]
    fn a_chain_of_refusals_leaves_no_key_doing_two_things() {
        // undo = "1" is refused; undo is back on u, which `back` took, so back is refused and
        // is back on q and esc, which `next_section` took: refused too.
        let overrides: BTreeMap<String, String> = [
            ("undo".to_owned(), "1".to_owned()),
            ("back".to_owned(), "u".to_owned()),
            ("next_section".to_owned(), "q".to_owned()),
        ]
        .into();
        let (keymap, errors) = Keymap::with_overrides(&overrides);
        assert_no_key_twice(&keymap, "chain");
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert_eq!(
            keymap.action(Mode::Drill, Key::char('u')),
            Some(Action::Undo)
        );
        assert_eq!(
            keymap.action(Mode::Drill, Key::char('q')),
            Some(Action::Back)
        );
        assert_eq!(
            keymap.action(Mode::Drill, Key::plain(KeyCode::Tab)),
            Some(Action::NextSection)
        );
        // A swap is not a clash: both remaps apply.
        let overrides: BTreeMap<String, String> = [
            ("reveal".to_owned(), "3".to_owned()),
            ("grade_good".to_owned(), "space".to_owned()),
        ]
        .into();
        let (keymap, errors) = Keymap::with_overrides(&overrides);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            keymap.action(Mode::Drill, Key::char('3')),
            Some(Action::Reveal)
        );
    }

    #[test]
    fn any_two_remaps_onto_the_drills_keys_leave_no_key_doing_two_things() {
        // Every action of the drill's own rows moved onto every other one's first key, two
        // remaps at a time: whatever is refused, the final map is checked as a whole.
        let defaults = Keymap::defaults();
        let own = [
            "next_section",
            "reveal",
            "grade_again",
            "grade_hard",
            "grade_good",
            "grade_easy",
            "undo",
            "back",
        ];
        let drill: Vec<&Binding> = defaults
            .table(Mode::Drill)
            .iter()
            .filter(|b| own.contains(&b.name))
            .collect();
        assert_eq!(drill.len(), own.len());
        let moves: Vec<(String, String)> = drill
            .iter()
            .flat_map(|mine| {
                drill
                    .iter()
                    .filter(move |other| other.name != mine.name)
                    .map(move |other| (mine.name.to_owned(), other.keys[0].to_string()))
            })
            .collect();
        for first in &moves {
            for second in moves.iter().filter(|m| m.0 != first.0) {
                let overrides: BTreeMap<String, String> = [first.clone(), second.clone()].into();
                let (keymap, errors) = Keymap::with_overrides(&overrides);
                let context = format!("{overrides:?} -> {errors:?}");
                assert_no_key_twice(&keymap, &context);
                // Each remap is either in force or reported.
                for (name, value) in &overrides {
                    let key = Key::parse(value).unwrap();
                    let applied = keymap
                        .table(Mode::Drill)
                        .iter()
                        .any(|b| b.name == name && b.keys == [key]);
                    let reported = errors
                        .iter()
                        .any(|e| e.starts_with(&format!("[keys] {name} = ")));
                    assert!(applied != reported, "{context}");
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
