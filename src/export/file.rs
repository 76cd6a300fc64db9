//! Writing the pack to a file without harming what is at the path: a sibling temp file renamed
//! over a regular file (so a reader never sees half a pack), keeping the replaced file's mode
//! and, where allowed, its owner; a symbolic link followed to the file it names; a folder, a
//! device, a named pipe or a socket refused with a message, never replaced. Every error names
//! the path the user gave (never the temp file) and what is wrong with it.

use std::fs::{self, Metadata};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

/// Why the pack was not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{path} is a folder; name the file to write, e.g. -o {example}")]
    Folder { path: String, example: String },
    #[error(
        "{path} is {what}, not a regular file: the pack is only written to files; name a file, \
         or use `-o -` to write to standard output"
    )]
    NotAFile { path: String, what: String },
    #[error("{path} already exists; pass --force to replace it")]
    Exists { path: String },
    #[error(
        "{path} is a symbolic link to {target}, which does not exist; not writing through it: \
         name the file to write"
    )]
    DanglingLink { path: String, target: String },
    #[error("cannot write {path}: {why}")]
    Cannot { path: String, why: String },
}

/// What was written: `path` itself, or the file its symbolic link points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub file: PathBuf,
    pub through_link: bool,
}

/// Writes `bytes` to `path`: a new file, or with `force` a replacement of the regular file there
/// (or of the file a symbolic link there points to). See the module doc.
pub fn write_pack(path: &Path, bytes: &[u8], force: bool) -> Result<Written, WriteError> {
    let shown = path.display().to_string();
    let cannot = |why: String| WriteError::Cannot {
        path: shown.clone(),
        why,
    };
    let (file, through_link, existing) = resolve(path)?;
    if let Some(meta) = &existing {
        refuse_special(path, meta, through_link.then_some(file.as_path()))?;
        if !force {
            return Err(WriteError::Exists { path: shown });
        }
    }
    let folder = match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    if !folder.is_dir() {
        return Err(cannot(format!(
            "the folder {} does not exist",
            folder.display()
        )));
    }
    // tempfile's errors name the temp file, which the user never asked for: keep the kind.
    let io = |error: std::io::Error| {
        cannot(match error.kind() {
            ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => {
                format!("the folder {} is not writable", folder.display())
            }
            ErrorKind::AlreadyExists => {
                "it appeared while the pack was written; pass --force to replace it".to_owned()
            }
            kind => std::io::Error::from(kind).to_string(),
        })
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".rehearse-export-");
    // A new pack is readable as any new file would be: 0666 less the umask (the kernel applies
    // it when the temp file is created), not the temp file's private 0600.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut temp = builder.tempfile_in(&folder).map_err(io)?;
    if let Some(meta) = &existing {
        keep_mode_and_owner(temp.as_file(), meta).map_err(io)?;
    }
    temp.write_all(bytes).map_err(io)?;
    temp.as_file().sync_all().map_err(io)?;
    if existing.is_some() {
        temp.persist(&file)
    } else {
        // No clobbering a file created since the check above.
        temp.persist_noclobber(&file)
    }
    .map_err(|e| io(e.error))?;
    Ok(Written { file, through_link })
}

/// The file to write (the path, or what its symbolic links lead to), whether a link was
/// followed, and what is there now (`None`: nothing yet).
fn resolve(path: &Path) -> Result<(PathBuf, bool, Option<Metadata>), WriteError> {
    let shown = path.display().to_string();
    let cannot = |error: std::io::Error| WriteError::Cannot {
        path: shown.clone(),
        why: error.to_string(),
    };
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok((path.to_owned(), false, None)),
        Err(e) => return Err(cannot(e)),
    };
    if !meta.file_type().is_symlink() {
        return Ok((path.to_owned(), false, Some(meta)));
    }
    // What the link leads to, following every link on the way.
    let target_meta = match fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return Err(WriteError::DanglingLink {
                path: shown.clone(),
                target: fs::read_link(path)
                    .map_or_else(|_| "a missing file".to_owned(), |t| t.display().to_string()),
            });
        }
        Err(e) => {
            return Err(WriteError::Cannot {
                path: shown.clone(),
                why: format!("the symbolic link cannot be followed ({e})"),
            });
        }
    };
    // A pipe behind /dev/stdout has no path of its own: name the link's target as written.
    let target = match fs::canonicalize(path) {
        Ok(target) => target,
        Err(_) if !target_meta.is_file() => fs::read_link(path).unwrap_or_else(|_| path.into()),
        Err(e) => return Err(cannot(e)),
    };
    Ok((target, true, Some(target_meta)))
}

/// Refuses what is not a regular file: a folder, a device, a named pipe, a socket.
fn refuse_special(
    path: &Path,
    meta: &Metadata,
    link_target: Option<&Path>,
) -> Result<(), WriteError> {
    let shown = path.display().to_string();
    let via = |what: &str| match link_target {
        Some(target) => format!("a symbolic link to {what} ({})", target.display()),
        None => what.to_owned(),
    };
    if meta.is_dir() {
        return match link_target {
            None => Err(WriteError::Folder {
                example: path.join("prep-pack.md").display().to_string(),
                path: shown,
            }),
            Some(target) => Err(WriteError::NotAFile {
                what: format!("a symbolic link to the folder {}", target.display()),
                path: shown,
            }),
        };
    }
    if meta.is_file() {
        return Ok(());
    }
    Err(WriteError::NotAFile {
        what: via(special_kind(meta)),
        path: shown,
    })
}

#[cfg(unix)]
fn special_kind(meta: &Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let kind = meta.file_type();
    if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else if kind.is_fifo() {
        "a named pipe (FIFO)"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

#[cfg(not(unix))]
fn special_kind(_meta: &Metadata) -> &'static str {
    "not a regular file"
}

/// The replacement gets the replaced file's mode, and its owner where the process may give it
/// (root may; anyone else keeps the file as theirs, as an editor's save does).
fn keep_mode_and_owner(file: &fs::File, existing: &Metadata) -> std::io::Result<()> {
    file.set_permissions(existing.permissions())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let mine = file.metadata()?;
        if (mine.uid(), mine.gid()) != (existing.uid(), existing.gid()) {
            let _ = std::os::unix::fs::fchown(file, Some(existing.uid()), Some(existing.gid()));
        }
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests;
