//! Notes exported as JSON (Simplenote, Google Keep, Joplin, Standard Notes and the like) turned
//! into text before the stories are looked for: each object holding a note's text (a string
//! field named `content`, `body`, `text`, `textContent`, `note` or `markdown`) is one note,
//! its `title` or `name` its heading; a note without one is titled by its first line, as the
//! note apps do. Notes are separated by a rule, so each is a story of its own. Notes in the
//! trash (`trashedNotes`, `"trashed": true`, `"isTrashed": true`, `"deleted": true`) are left
//! out: the user threw them away.

use std::path::Path;

use serde_json::Value;

use super::{ImportError, labels};

const TEXT_KEYS: [&str; 6] = ["content", "body", "text", "textcontent", "note", "markdown"];
const TITLE_KEYS: [&str; 2] = ["title", "name"];
const TRASH_FLAGS: [&str; 4] = ["trashed", "istrashed", "deleted", "isdeleted"];

/// True when the file is to be read as JSON: by its extension, or when it starts as JSON and
/// parses as JSON (a Markdown file starting with `[a link](...)` does not).
pub fn is_json(path: &Path, text: &str) -> bool {
    let by_name = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let body = text.trim_start_matches('\u{feff}').trim_start();
    by_name
        || (body.starts_with(['{', '['])
            && serde_json::from_str::<Value>(body).is_ok_and(|v| !notes(&v).is_empty()))
}

/// The notes in a JSON export as text, or why there are none.
pub fn to_text(path: &Path, text: &str) -> Result<(String, usize), ImportError> {
    let body = text.trim_start_matches('\u{feff}');
    let value: Value = serde_json::from_str(body).map_err(|e| {
        ImportError::new(
            path,
            format!(
                "not valid JSON at line {}, column {}: {e}",
                e.line(),
                e.column()
            ),
        )
    })?;
    let notes = notes(&value);
    if notes.is_empty() {
        return Err(ImportError::new(
            path,
            "a JSON file with no note text in it (no string field named content, body, text, \
             textContent, note or markdown)",
        ));
    }
    let count = notes.len();
    let text = notes
        .into_iter()
        .map(|(title, text)| note_text(title, &text))
        .collect::<Vec<_>>()
        .join("\n\n---\n\n");
    Ok((text, count))
}

/// One note as Markdown: its title as a heading, then its text.
fn note_text(title: Option<String>, text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    if let Some(title) = title.filter(|t| !t.trim().is_empty()) {
        return format!("## {}\n\n{}", title.trim(), text.trim());
    }
    let text = text.trim();
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    // The first line is the note's title unless it already reads as a label (`Situation: ...`).
    if !rest.trim().is_empty() && first.len() <= 150 && labels::line_label(first).is_none() {
        format!("## {}\n\n{}", first.trim(), rest.trim())
    } else {
        text.to_owned()
    }
}

/// Each note's title and text, in the export's order.
fn notes(value: &Value) -> Vec<(Option<String>, String)> {
    let mut out = Vec::new();
    walk(value, &mut out);
    out
}

fn walk(value: &Value, out: &mut Vec<(Option<String>, String)>) {
    match value {
        Value::Array(items) => items.iter().for_each(|item| walk(item, out)),
        Value::Object(fields) => {
            let field = |keys: &[&str]| {
                fields.iter().find_map(|(key, value)| {
                    let key = key.to_ascii_lowercase();
                    keys.contains(&key.as_str())
                        .then(|| value.as_str())
                        .flatten()
                        .filter(|s| !s.trim().is_empty())
                })
            };
            let trashed = fields.iter().any(|(key, value)| {
                TRASH_FLAGS.contains(&key.to_ascii_lowercase().as_str())
                    && value.as_bool() == Some(true)
            });
            if trashed {
                return;
            }
            if let Some(text) = field(&TEXT_KEYS) {
                out.push((field(&TITLE_KEYS).map(str::to_owned), text.to_owned()));
                return;
            }
            for (key, value) in fields {
                if !key.to_ascii_lowercase().contains("trash") {
                    walk(value, out);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_note_is_one_section_titled_by_its_title_or_first_line() {
        let json = r#"{"notes": [
            {"title": "Kept title", "body": "S: one\nR: two", "updated": 3},
            {"content": "First line title\r\n\r\nTask: three"},
            {"content": "Situation: no title here\nAction: four"},
            {"text": "deleted", "isTrashed": true}
        ], "trashedNotes": [{"content": "old\n\nthrown away"}]}"#;
        let (text, count) = to_text(Path::new("n.json"), json).unwrap();
        assert_eq!(count, 3);
        assert_eq!(
            text,
            "## Kept title\n\nS: one\nR: two\n\n---\n\n## First line title\n\nTask: three\
             \n\n---\n\nSituation: no title here\nAction: four"
        );
    }

    #[test]
    fn nested_note_objects_and_top_level_arrays_are_read() {
        let json = r#"[{"uuid": "1", "content": {"title": "Inner", "text": "Result: five"}}]"#;
        let (text, _) = to_text(Path::new("n.json"), json).unwrap();
        assert_eq!(text, "## Inner\n\nResult: five");
    }

    #[test]
    fn bad_or_empty_json_says_where_and_why() {
        let error = to_text(Path::new("n.json"), "{\n  \"a\": }").unwrap_err();
        assert!(error.message.contains("line 2"), "{}", error.message);
        let error = to_text(Path::new("n.json"), r#"{"count": 2, "tags": ["x"]}"#).unwrap_err();
        assert!(error.message.contains("no note text"), "{}", error.message);
    }

    #[test]
    fn json_is_told_by_name_or_by_parsing() {
        assert!(is_json(Path::new("a.json"), "not json"));
        assert!(is_json(Path::new("a.txt"), r#"[{"note": "x"}]"#));
        assert!(!is_json(Path::new("a.md"), "[a link](https://x) and text"));
        assert!(!is_json(Path::new("a.txt"), r#"{"count": 1}"#));
    }
}
