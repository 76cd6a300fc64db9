//! Which files an import reads, and reading each one safely: each real folder is read once (a
//! symlink loop or a second path to a folder is not followed again), FIFOs, sockets and devices
//! are skipped unopened with the reason, the same file named twice is read once, and a binary,
//! oversized or empty file, or one in an encoding it cannot tell, is refused with a message
//! naming it.

use std::collections::HashSet;
use std::fs::Metadata;
use std::path::{Path, PathBuf};

use super::ImportError;

/// Notes files larger than this are refused unread: notes are text a person typed.
pub const MAX_NOTES_BYTES: u64 = 10 * 1024 * 1024;

/// Extensions read from a folder; a file named on the command line is read whatever its name.
const NOTES_EXTENSIONS: [&str; 16] = [
    "md", "markdown", "txt", "text", "org", "csv", "tsv", "html", "htm", "xhtml", "enex", "tex",
    "latex", "rst", "rest", "json",
];

/// The files to read, and what was not read.
#[derive(Debug, Default)]
pub struct NotesFiles {
    pub files: Vec<PathBuf>,
    /// Paths that cannot be read at all (missing, unreadable folders, empty folders).
    pub errors: Vec<ImportError>,
    /// Paths left alone on purpose, each with the reason: special files, loops, repeats.
    pub skipped: Vec<ImportError>,
}

/// A file or folder's identity on disk: two paths to it are one.
type Identity = (u64, u64);

#[cfg(unix)]
fn identity(meta: &Metadata) -> Option<Identity> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn identity(_: &Metadata) -> Option<Identity> {
    None
}

/// Why a path that is neither a file nor a folder is not read. Only its metadata is looked at:
/// opening a FIFO would wait for a writer forever.
fn special_file(meta: &Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = meta.file_type();
        if kind.is_fifo() {
            return "a FIFO (named pipe), not a notes file; not opened";
        }
        if kind.is_socket() {
            return "a socket, not a notes file; not opened";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device, not a notes file; not opened";
        }
    }
    let _ = meta;
    "not a regular file; not opened"
}

/// The files to import: each file as given, each folder's notes files (recursively, hidden
/// entries skipped), in path order, each file once.
pub fn notes_files(paths: &[PathBuf]) -> NotesFiles {
    let mut out = NotesFiles::default();
    let mut folders = HashSet::new();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                let before = out.files.len();
                collect(path, &meta, &mut folders, &mut out);
                if out.files.len() == before && !out.skipped.iter().any(|s| s.path == *path) {
                    out.errors.push(ImportError::new(
                        path,
                        "no notes files here (.md, .markdown, .txt, .org, .csv, .html, .enex, .tex, .rst, .json)",
                    ));
                }
            }
            Ok(meta) if meta.is_file() => out.files.push(path.clone()),
            Ok(meta) => out
                .skipped
                .push(ImportError::new(path, special_file(&meta))),
            Err(e) if path.symlink_metadata().is_ok() => out.errors.push(ImportError::new(
                path,
                format!("a broken symbolic link ({e})"),
            )),
            Err(_) => out
                .errors
                .push(ImportError::new(path, "no such file or folder")),
        }
    }
    out.files.sort();
    // The same file named twice, or under two names (a link, `./a.md` and `a.md`), is read once.
    let mut seen: Vec<(Identity, PathBuf)> = Vec::new();
    out.files.retain(|file| {
        let Some(id) = std::fs::metadata(file).ok().as_ref().and_then(identity) else {
            return true;
        };
        if let Some((_, first)) = seen.iter().find(|(known, _)| *known == id) {
            out.skipped.push(ImportError::new(
                file,
                format!("the same file as {}: read once", first.display()),
            ));
            return false;
        }
        seen.push((id, file.clone()));
        true
    });
    out
}

fn collect(dir: &Path, meta: &Metadata, folders: &mut HashSet<Identity>, out: &mut NotesFiles) {
    if let Some(id) = identity(meta)
        && !folders.insert(id)
    {
        out.skipped.push(ImportError::new(
            dir,
            "a folder already read (a symbolic link back into the tree, or a second path to it): read once",
        ));
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            out.errors
                .push(ImportError::new(dir, format!("cannot read folder: {e}")));
            return;
        }
    };
    let mut entries: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        let notes_name = path.extension().is_some_and(|e| {
            NOTES_EXTENSIONS
                .iter()
                .any(|known| e.eq_ignore_ascii_case(known))
        });
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => collect(&path, &meta, folders, out),
            Ok(meta) if meta.is_file() => {
                if notes_name {
                    out.files.push(path);
                }
            }
            Ok(meta) if notes_name => out
                .skipped
                .push(ImportError::new(&path, special_file(&meta))),
            Ok(_) => {}
            Err(e) if notes_name => out.errors.push(ImportError::new(
                &path,
                format!("a broken symbolic link ({e})"),
            )),
            Err(_) => {}
        }
    }
}

/// A notes file's text, and the encoding it was read in when that was not UTF-8.
#[derive(Debug)]
pub struct NotesText {
    pub text: String,
    /// `Some("Windows-1252")`, `Some("UTF-16LE")`: the import says so, naming the file.
    pub decoded_from: Option<&'static str>,
}

/// Share of bytes above ASCII a file may hold and still be read as Windows-1252: text in a
/// Latin script has a few accented letters and curly quotes, text in another legacy encoding
/// (Shift-JIS, GBK, KOI8) is mostly such bytes and is refused instead of garbled.
const MAX_LEGACY_HIGH_SHARE: f64 = 0.15;

/// The file's text, or why it is not a notes file. UTF-8 (with or without a byte order mark),
/// UTF-16 with its byte order mark (Windows Notepad's "Unicode"), and Windows-1252 (older
/// Windows editors, Word's "Text Only") are read; anything else is refused.
pub fn notes_text(path: &Path) -> Result<NotesText, ImportError> {
    let meta =
        std::fs::metadata(path).map_err(|e| ImportError::new(path, format!("cannot read: {e}")))?;
    if !meta.is_file() {
        return Err(ImportError::new(path, special_file(&meta)));
    }
    let size = meta.len();
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
    let read = decode(path, bytes)?;
    if read.text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(ImportError::new(path, "the file is empty"));
    }
    Ok(read)
}

fn decode(path: &Path, bytes: Vec<u8>) -> Result<NotesText, ImportError> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(&bytes)
        && encoding != encoding_rs::UTF_8
    {
        let (text, malformed) = encoding.decode_without_bom_handling(&bytes[bom..]);
        if malformed {
            return Err(ImportError::new(
                path,
                format!(
                    "starts as {} text but is not valid {0}; save the file as UTF-8",
                    encoding.name()
                ),
            ));
        }
        return Ok(NotesText {
            text: text.into_owned(),
            decoded_from: Some(encoding.name()),
        });
    }
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        return Err(ImportError::new(
            path,
            format!(
                "line {}: looks like a binary file (contains a NUL byte), not notes",
                line_at(&bytes, nul)
            ),
        ));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(NotesText {
            text,
            decoded_from: None,
        }),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            legacy(&bytes).ok_or_else(|| {
                ImportError::new(
                    path,
                    format!(
                        "line {}: not valid UTF-8 (byte {at}), nor Windows-1252 text; save the file as UTF-8",
                        line_at(&bytes, at)
                    ),
                )
            })
        }
    }
}

/// Bytes that are not UTF-8 read as Windows-1252, when they look like it: few bytes above
/// ASCII, and none of the five the encoding leaves undefined.
fn legacy(bytes: &[u8]) -> Option<NotesText> {
    let high = bytes.iter().filter(|b| **b >= 0x80).count();
    let undefined = bytes
        .iter()
        .any(|b| matches!(b, 0x81 | 0x8d | 0x8f | 0x90 | 0x9d));
    if undefined || high as f64 > MAX_LEGACY_HIGH_SHARE * bytes.len() as f64 {
        return None;
    }
    let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
    Some(NotesText {
        text: text.into_owned(),
        decoded_from: Some("Windows-1252"),
    })
}

fn line_at(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1
}
