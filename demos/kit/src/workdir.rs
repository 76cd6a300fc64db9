//! Scratch folders for a demo run that a killed run does not leave behind for good.
//!
//! The TUI cancels a run with SIGKILL, which skips every destructor, so a run cannot always
//! clean up after itself. Every demo's folders live in one place, `<temp>/rehearse-demos/`,
//! named `<demo>-<pid>-<random>`: each new run of any demo removes the folders of every demo
//! whose process no longer exists and says so, and the app removes a run's folders as soon as
//! it has killed it ([`remove_scratch_of`]).

use std::path::{Path, PathBuf};

use tempfile::TempDir;

use crate::error::DemoError;
use crate::reporter::Reporter;

/// The folder under the temp dir that holds every demo's scratch folders.
const SHARED: &str = "rehearse-demos";

/// Where scratch folders are made: `<temp>/rehearse-demos` (honours `TMPDIR`).
pub fn scratch_root() -> PathBuf {
    std::env::temp_dir().join(SHARED)
}

/// Creates this run's scratch folder (removed when dropped) after removing the folders left
/// by killed runs of any demo, and says so when it removed any.
pub fn scratch_dir(demo_id: &str, reporter: &Reporter) -> Result<TempDir, DemoError> {
    let root = scratch_root();
    let mut removed = remove_stale(&root, None);
    // Before the shared folder existed, each demo's folders sat in the temp dir itself.
    removed += remove_stale(&std::env::temp_dir(), Some(demo_id));
    if removed > 0 {
        reporter.info(format!(
            "removed {removed} scratch folder(s) left by demo runs that were killed"
        ));
    }
    std::fs::create_dir_all(&root)
        .map_err(|e| DemoError::io(format!("creating {}", root.display()), e))?;
    tempfile::Builder::new()
        .prefix(&format!("{demo_id}-{}-", std::process::id()))
        .tempdir_in(&root)
        .map_err(|e| DemoError::io("creating a scratch folder", e))
}

/// Removes the scratch folders of the run with process id `pid`, which the caller has just
/// killed and reaped; returns how many.
pub fn remove_scratch_of(pid: u32) -> usize {
    let Ok(entries) = std::fs::read_dir(scratch_root()) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|entry| folder_pid(&entry.file_name().to_string_lossy(), None) == Some(pid))
        .filter(|entry| std::fs::remove_dir_all(entry.path()).is_ok())
        .count()
}

/// The pid in a scratch folder's name, `<demo>-<pid>-<random>` (of `demo_id` only, if given).
fn folder_pid(name: &str, demo_id: Option<&str>) -> Option<u32> {
    let (rest, random) = name.rsplit_once('-')?;
    let (demo, pid) = rest.rsplit_once('-')?;
    let ours = demo_id.is_none_or(|id| id == demo) && !demo.is_empty() && !random.is_empty();
    ours.then(|| pid.parse().ok()).flatten()
}

/// Removes scratch folders under `folder` (of `demo_id` only, if given) whose process is gone;
/// returns how many. Only where process ids can be checked (`/proc`); elsewhere nothing is
/// touched.
fn remove_stale(folder: &Path, demo_id: Option<&str>) -> usize {
    if !Path::new("/proc/self").exists() {
        return 0;
    }
    let Ok(entries) = std::fs::read_dir(folder) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let Some(pid) = folder_pid(&entry.file_name().to_string_lossy(), demo_id) else {
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
    fn folders_of_dead_runs_of_every_demo_are_removed() {
        let temp = tempfile::tempdir().unwrap();
        let live = temp.path().join(format!("etl-{}-abc", std::process::id()));
        // Pids above the kernel's pid_max (4194304) never exist.
        let dead = temp.path().join("etl-99999999-xyz");
        let other_demo = temp.path().join("xml-cherry-pick-99999999-xyz");
        let unrelated = temp.path().join("etl-notes");
        for dir in [&live, &dead, &other_demo, &unrelated] {
            std::fs::create_dir_all(dir.join("feeds")).unwrap();
        }
        assert_eq!(remove_stale(temp.path(), None), 2);
        assert!(live.exists() && unrelated.exists());
        assert!(!dead.exists() && !other_demo.exists());
    }

    #[test]
    fn in_the_bare_temp_dir_only_the_named_demo_is_touched() {
        let temp = tempfile::tempdir().unwrap();
        let dead = temp.path().join("etl-99999999-xyz");
        let other = temp.path().join("someone-else-99999999-xyz");
        for dir in [&dead, &other] {
            std::fs::create_dir_all(dir).unwrap();
        }
        assert_eq!(remove_stale(temp.path(), Some("etl")), 1);
        assert!(!dead.exists() && other.exists());
    }

    #[test]
    fn a_folder_name_gives_its_pid() {
        assert_eq!(folder_pid("xml-cherry-pick-4242-Ab12Cd", None), Some(4242));
        assert_eq!(
            folder_pid("xml-cherry-pick-4242-Ab12Cd", Some("xml-cherry-pick")),
            Some(4242)
        );
        assert_eq!(folder_pid("xml-cherry-pick-4242-Ab12Cd", Some("etl")), None);
        assert_eq!(folder_pid("notes", None), None);
        assert_eq!(folder_pid("etl-notes", None), None);
    }
}
