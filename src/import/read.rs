//! Which files an import reads, and reading each one safely: a binary, oversized, empty or
//! non-UTF-8 file is refused with a message naming it, and the others are still read.

use std::path::{Path, PathBuf};

use super::ImportError;

/// Notes files larger than this are refused unread: notes are text a person typed.
pub const MAX_NOTES_BYTES: u64 = 10 * 1024 * 1024;

/// Extensions read from a folder; a file named on the command line is read whatever its name.
const NOTES_EXTENSIONS: [&str; 6] = ["md", "markdown", "txt", "text", "csv", "tsv"];

/// The files to import: each file as given, each folder's notes files (recursively, hidden
/// entries skipped), in path order. A path that cannot be read is an error, not a stop.
pub fn notes_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<ImportError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.is_dir() {
            let before = files.len();
            collect(path, &mut files, &mut errors);
            if files.len() == before {
                errors.push(ImportError::new(
                    path,
                    "no notes files here (.md, .markdown, .txt, .csv)",
                ));
            }
        } else if path.exists() {
            files.push(path.clone());
        } else {
            errors.push(ImportError::new(path, "no such file or folder"));
        }
    }
    files.sort();
    files.dedup();
    (files, errors)
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<ImportError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            errors.push(ImportError::new(dir, format!("cannot read folder: {e}")));
            return;
        }
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files, errors);
        } else if path.extension().is_some_and(|e| {
            NOTES_EXTENSIONS
                .iter()
                .any(|known| e.eq_ignore_ascii_case(known))
        }) {
            files.push(path);
        }
    }
}

/// The file's text, or why it is not a notes file.
pub fn notes_text(path: &Path) -> Result<String, ImportError> {
    let size = std::fs::metadata(path)
        .map_err(|e| ImportError::new(path, format!("cannot read: {e}")))?
        .len();
    if size > MAX_NOTES_BYTES {
        return Err(ImportError::new(
            path,
            format!(
                "file is {:.1} MB; notes to import may be at most {} MB (split the file)",
                size as f64 / 1e6,
                MAX_NOTES_BYTES / (1024 * 1024)
            ),
        ));
    }
    let bytes =
        std::fs::read(path).map_err(|e| ImportError::new(path, format!("cannot read: {e}")))?;
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        return Err(ImportError::new(
            path,
            format!(
                "line {}: looks like a binary file (contains a NUL byte), not notes",
                line_at(&bytes, nul)
            ),
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        ImportError::new(
            path,
            format!(
                "line {}: not valid UTF-8 (byte {at}); save the file as UTF-8",
                line_at(e.as_bytes(), at)
            ),
        )
    })?;
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(ImportError::new(path, "the file is empty"));
    }
    Ok(text)
}

fn line_at(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1
}
