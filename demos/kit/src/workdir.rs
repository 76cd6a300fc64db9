//! Scratch folders for a demo run that a killed run does not leave behind for good.
//!
//! The TUI cancels a run with SIGKILL, which skips every destructor, so a run cannot always
//! clean up after itself. Folders are named `<demo>-<pid>-<random>` in the temp dir; each new
//! run removes the folders of its demo whose process no longer exists.

use std::path::Path;

use tempfile::TempDir;

use crate::error::DemoError;
use crate::reporter::Reporter;

/// Creates this run's scratch folder (removed when dropped) after removing the folders left
/// by killed runs of the same demo, and says so when it removed any.
pub fn scratch_dir(demo_id: &str, reporter: &Reporter) -> Result<TempDir, DemoError> {
    let temp = std::env::temp_dir();
    let removed = remove_stale(&temp, demo_id);
    if removed > 0 {
        reporter.info(format!(
            "removed {removed} scratch folder(s) left by {demo_id} runs that were killed"
        ));
    }
    tempfile::Builder::new()
        .prefix(&format!("{demo_id}-{}-", std::process::id()))
        .tempdir_in(&temp)
        .map_err(|e| DemoError::io("creating a scratch folder", e))
}

/// Removes `<demo_id>-<pid>-*` folders under `temp` whose process is gone; returns how many.
/// Only where process ids can be checked (`/proc`); elsewhere nothing is touched.
fn remove_stale(temp: &Path, demo_id: &str) -> usize {
    if !Path::new("/proc/self").exists() {
        return 0;
    }
    let Ok(entries) = std::fs::read_dir(temp) else {
        return 0;
    };
    let prefix = format!("{demo_id}-");
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(|rest| rest.split_once('-'))
            .and_then(|(pid, _)| pid.parse::<u32>().ok())
        else {
            continue;
        };
        let alive = Path::new(&format!("/proc/{pid}")).exists();
        if !alive && entry.path().is_dir() && std::fs::remove_dir_all(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_folders_of_dead_runs_of_this_demo_are_removed() {
        let temp = tempfile::tempdir().unwrap();
        let live = temp.path().join(format!("etl-{}-abc", std::process::id()));
        // Pids above the kernel's pid_max (4194304) never exist.
        let dead = temp.path().join("etl-99999999-xyz");
        let other_demo = temp.path().join("xml-99999999-xyz");
        let unrelated = temp.path().join("etl-notes");
        for dir in [&live, &dead, &other_demo, &unrelated] {
            std::fs::create_dir_all(dir.join("feeds")).unwrap();
        }
        assert_eq!(remove_stale(temp.path(), "etl"), 1);
        assert!(live.exists() && other_demo.exists() && unrelated.exists());
        assert!(!dead.exists());
    }
}
