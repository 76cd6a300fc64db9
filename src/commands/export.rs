//! `rehearse export`: write the prep pack atomically (temp file + rename), never over an
//! existing file without `--force`; `-o -` writes to stdout.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, anyhow, bail};
use rehearse::story::question_bank::QuestionBank;

use super::Env;
use crate::cli::ExportArgs;

pub fn run(env: &Env, args: ExportArgs) -> Result<ExitCode> {
    let practice = super::practice(env, None)?;
    let pack = practice.pack(args.tag.as_deref(), &QuestionBank::bundled())?;
    if args.output == Path::new("-") {
        std::io::stdout()
            .lock()
            .write_all(pack.markdown.as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    write_atomically(&args.output, pack.markdown.as_bytes(), args.force)?;
    eprintln!(
        "wrote {} ({} stories{})",
        args.output.display(),
        practice.stories().len(),
        if pack.skipped == 0 {
            String::new()
        } else {
            format!(", {} file(s) skipped", pack.skipped)
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes a sibling temp file and renames it over `path`: a reader never sees half a pack.
/// Every error names `path` (never the temp file) and what is wrong with it.
fn write_atomically(path: &Path, bytes: &[u8], force: bool) -> Result<()> {
    if path.is_dir() {
        bail!(
            "{} is a folder; name the file to write, e.g. -o {}",
            path.display(),
            path.join("prep-pack.md").display()
        );
    }
    if path.exists() && !force {
        bail!(
            "{} already exists; pass --force to replace it",
            path.display()
        );
    }
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    if !folder.is_dir() {
        bail!(
            "cannot write {}: the folder {} does not exist",
            path.display(),
            folder.display()
        );
    }
    // tempfile's errors name the temp file, which the user never asked for: keep the kind.
    let cannot = |error: std::io::Error| {
        let why = match error.kind() {
            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
                format!("the folder {} is not writable", folder.display())
            }
            std::io::ErrorKind::AlreadyExists => {
                "it appeared while the pack was written; pass --force to replace it".to_owned()
            }
            kind => std::io::Error::from(kind).to_string(),
        };
        anyhow!("cannot write {}: {why}", path.display())
    };
    let mut temp = tempfile::NamedTempFile::new_in(folder).map_err(cannot)?;
    temp.write_all(bytes).map_err(cannot)?;
    temp.as_file().sync_all().map_err(cannot)?;
    if force {
        temp.persist(path)
    } else {
        // No clobbering a file created since the check above.
        temp.persist_noclobber(path)
    }
    .map_err(|e| cannot(e.error))?;
    Ok(())
}
