//! The one way rehearse opens a file in the user's editor: `$VISUAL`, else `$EDITOR`, each a
//! command line that may carry arguments (`code --wait`); with neither set, a clear error
//! naming both variables. Used by `rehearse new` and the TUI's `e`.

use std::ffi::OsString;
use std::path::Path;
use std::process::{Command, ExitStatus};

use thiserror::Error;

#[derive(Debug, Error)]
pub enum EditorError {
    #[error("no editor set: set $VISUAL or $EDITOR (for example `export EDITOR=nano`)")]
    NotSet,
    #[error("${variable} is `{command}`, which is not a command line this can run: {reason}")]
    Unparsable {
        variable: &'static str,
        command: String,
        reason: &'static str,
    },
    #[error("cannot start the editor `{command}` (from ${variable}): {source}")]
    Start {
        variable: &'static str,
        command: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the editor `{command}` (from ${variable}) exited with {status}")]
    Failed {
        variable: &'static str,
        command: String,
        status: ExitStatus,
    },
}

/// The editor command: where it came from, the program and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Editor {
    pub variable: &'static str,
    pub command: String,
    pub program: String,
    pub args: Vec<String>,
}

impl Editor {
    /// From the process environment.
    pub fn from_env() -> Result<Editor, EditorError> {
        Editor::from_vars(std::env::var_os("VISUAL"), std::env::var_os("EDITOR"))
    }

    /// From the values of `$VISUAL` and `$EDITOR` (blank counts as unset).
    pub fn from_vars(
        visual: Option<OsString>,
        editor: Option<OsString>,
    ) -> Result<Editor, EditorError> {
        let set = |value: Option<OsString>| {
            value
                .map(|v| v.to_string_lossy().into_owned())
                .filter(|v| !v.trim().is_empty())
        };
        let (variable, command) = match (set(visual), set(editor)) {
            (Some(visual), _) => ("VISUAL", visual),
            (None, Some(editor)) => ("EDITOR", editor),
            (None, None) => return Err(EditorError::NotSet),
        };
        let words = split_words(&command).map_err(|reason| EditorError::Unparsable {
            variable,
            command: command.clone(),
            reason,
        })?;
        let mut words = words.into_iter();
        let program = words.next().ok_or(EditorError::NotSet)?;
        Ok(Editor {
            variable,
            program,
            args: words.collect(),
            command,
        })
    }

    /// Runs the editor on `path` and waits for it.
    pub fn edit(&self, path: &Path) -> Result<(), EditorError> {
        let status = Command::new(&self.program)
            .args(&self.args)
            .arg(path)
            .status()
            .map_err(|source| EditorError::Start {
                variable: self.variable,
                command: self.command.clone(),
                source,
            })?;
        if status.success() {
            Ok(())
        } else {
            Err(EditorError::Failed {
                variable: self.variable,
                command: self.command.clone(),
                status,
            })
        }
    }
}

/// Opens `path` in the user's editor if one is set; Ok(false) when neither variable is (the
/// caller carries on without an editor).
pub fn edit_if_set(path: &Path) -> Result<bool, EditorError> {
    match Editor::from_env() {
        Ok(editor) => editor.edit(path).map(|()| true),
        Err(EditorError::NotSet) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Splits a command line into words as a POSIX shell would for the simple cases editors use:
/// whitespace separates, single and double quotes group, a backslash escapes.
fn split_words(text: &str) -> Result<Vec<String>, &'static str> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err("a single quote is not closed"),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c) => word.push(c),
                            None => return Err("it ends with a backslash"),
                        },
                        Some(c) => word.push(c),
                        None => return Err("a double quote is not closed"),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some(c) => word.push(c),
                    None => return Err("it ends with a backslash"),
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(text: &str) -> Option<OsString> {
        Some(OsString::from(text))
    }

    #[test]
    fn visual_comes_first_then_editor_and_arguments_are_kept() {
        let editor = Editor::from_vars(os("code --wait"), os("vi")).unwrap();
        assert_eq!(editor.variable, "VISUAL");
        assert_eq!(editor.program, "code");
        assert_eq!(editor.args, ["--wait"]);
        let editor = Editor::from_vars(os("  "), os("emacs -nw")).unwrap();
        assert_eq!(editor.variable, "EDITOR");
        assert_eq!((editor.program.as_str(), editor.args.len()), ("emacs", 1));
        let quoted = Editor::from_vars(None, os(r#"'/opt/My Editor/bin/ed' -a "b c""#)).unwrap();
        assert_eq!(quoted.program, "/opt/My Editor/bin/ed");
        assert_eq!(quoted.args, ["-a", "b c"]);
    }

    #[test]
    fn with_neither_set_the_error_names_both_variables() {
        let error = Editor::from_vars(None, os("")).unwrap_err().to_string();
        assert!(
            error.contains("$VISUAL") && error.contains("$EDITOR"),
            "{error}"
        );
        let error = Editor::from_vars(None, os("'vi")).unwrap_err().to_string();
        assert!(
            error.contains("$EDITOR") && error.contains("quote"),
            "{error}"
        );
    }

    #[test]
    fn the_file_is_passed_after_the_arguments_and_a_failure_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("story.md");
        // `sh -c 'echo "$1" > file'` stands in for an editor that takes arguments.
        let out = dir.path().join("seen");
        let script = format!("echo \"$0 $1\" > '{}'", out.display());
        let editor = Editor {
            variable: "EDITOR",
            command: "sh -c …".to_owned(),
            program: "sh".to_owned(),
            args: vec!["-c".to_owned(), script, "first-arg".to_owned()],
        };
        editor.edit(&file).unwrap();
        let seen = std::fs::read_to_string(&out).unwrap();
        assert_eq!(seen.trim(), format!("first-arg {}", file.display()));
        let failing = Editor {
            program: "false".to_owned(),
            args: vec![],
            ..editor
        };
        let error = failing.edit(&file).unwrap_err().to_string();
        assert!(error.contains("exited with"), "{error}");
    }
}
