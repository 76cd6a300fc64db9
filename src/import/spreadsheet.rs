//! Stories exported from a spreadsheet as CSV: a header row naming the parts (Situation, Task,
//! Action, Result, or their other names and letters) and optionally Title, Question and Tags,
//! then a row per story. Read with the `csv` crate, so quoted fields, doubled quotes and line
//! breaks inside a field come out as the spreadsheet held them.

use std::path::Path;

use super::ImportError;
use super::extract::Found;
use super::labels::{self, bare_title};
use crate::story::SectionKind;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Column {
    Part(SectionKind),
    Title,
    Question,
    Tags,
    /// Kept: its text goes to the story's unplaced text, headed by the column's name.
    Other,
}

/// The stories in a CSV file's text, one per row that has any part.
pub fn stories(path: &Path, text: &str) -> Result<Vec<Found>, ImportError> {
    let first_line = text.lines().next().unwrap_or("");
    // A spreadsheet in a locale with a decimal comma exports `;`; some export tabs.
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first_line.bytes().filter(|b| b == d).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let error = |e: csv::Error| {
        let line = e.position().map_or(1, |p| p.line());
        ImportError::new(path, format!("line {line}: not readable as CSV: {e}"))
    };
    let headers: Vec<String> = reader
        .headers()
        .map_err(error)?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let columns: Vec<Column> = headers.iter().map(|h| column(h)).collect();
    if !columns.iter().any(|c| matches!(c, Column::Part(_))) {
        return Err(ImportError::new(
            path,
            format!(
                "line 1: no column names a STAR part (Situation, Task, Action, Result); the header is: {}",
                headers.join(", ")
            ),
        ));
    }
    let mut found = Vec::new();
    for record in reader.records() {
        let record = record.map_err(error)?;
        let mut story = Found::default();
        for ((value, column), name) in record.iter().zip(&columns).zip(&headers) {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match column {
                Column::Part(kind) => story.parts.push((*kind, value.to_owned())),
                Column::Title => story.title = Some(bare_title(value).to_owned()),
                Column::Question => story.questions.push(value.to_owned()),
                Column::Tags => story.tags.extend(
                    value
                        .split([',', ';'])
                        .map(|t| crate::story::id::from_title(t.trim()))
                        .filter(|t| !t.is_empty()),
                ),
                Column::Other => story.unplaced.push(format!("{name}: {value}")),
            }
        }
        // Fields past the header's columns are kept too.
        for value in record
            .iter()
            .skip(columns.len())
            .filter(|v| !v.trim().is_empty())
        {
            story.unplaced.push(value.trim().to_owned());
        }
        if !story.parts.is_empty() {
            found.push(story);
        }
    }
    if found.is_empty() {
        return Err(ImportError::new(
            path,
            "no row has text under a STAR column",
        ));
    }
    Ok(found)
}

fn column(header: &str) -> Column {
    let lower = header.to_lowercase();
    match lower.as_str() {
        "title" | "story" | "name" => Column::Title,
        "question" | "q" | "interview question" => Column::Question,
        "tags" | "tag" | "competency" | "competencies" => Column::Tags,
        _ => labels::part_named(header).map_or(Column::Other, Column::Part),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_line_breaks_and_semicolons() {
        let text = "Title;S;Task;Action;Result;Notes\n\"One; two\";\"a\nb\";t;\"say \"\"hi\"\"\";r;extra\n;;;;;\n";
        let stories = stories(Path::new("x.csv"), text).unwrap();
        let [story] = &stories[..] else {
            panic!("{stories:#?}")
        };
        assert_eq!(story.title.as_deref(), Some("One; two"));
        assert_eq!(story.parts[0], (SectionKind::Situation, "a\nb".to_owned()));
        assert_eq!(
            story.parts[2],
            (SectionKind::Action, "say \"hi\"".to_owned())
        );
        assert_eq!(story.unplaced, ["Notes: extra"]);
    }

    #[test]
    fn a_csv_without_part_columns_is_refused_with_its_header() {
        let error = stories(Path::new("x.csv"), "Name,Cost\nA,2\n").unwrap_err();
        assert!(error.message.contains("Name, Cost"), "{error}");
    }
}
