//! `rehearse export`: write the prep pack (see [`rehearse::export::file`]: atomically, never
//! over an existing file without `--force`, never over a device, pipe or folder); `-o -`
//! writes to stdout.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use rehearse::export::file::write_pack;
use rehearse::story::question_bank::QuestionBank;

use super::Env;
use crate::cli::ExportArgs;

pub fn run(env: &Env, args: ExportArgs) -> Result<ExitCode> {
    let practice = super::practice(env, None)?;
    let pack = practice.pack_with(
        args.tag.as_deref(),
        &QuestionBank::bundled(),
        args.transcripts,
    )?;
    if args.output == Path::new("-") {
        std::io::stdout()
            .lock()
            .write_all(pack.markdown.as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    let written = write_pack(&args.output, pack.markdown.as_bytes(), args.force)?;
    let through = if written.through_link {
        format!(" -> {}", written.file.display())
    } else {
        String::new()
    };
    eprintln!(
        "wrote {}{through} ({} stories{})",
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
