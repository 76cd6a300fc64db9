//! What the binary says when a path or a parameter is wrong: the path at fault and what is
//! wrong with it, each cause once, never a temp file the user did not ask for.

mod sandbox;

use sandbox::Sandbox;

use predicates::prelude::*;

impl Sandbox {
    fn stderr(&self, args: &[&str]) -> String {
        let output = self.cmd().args(args).output().unwrap();
        assert!(!output.status.success(), "{args:?} must fail");
        String::from_utf8_lossy(&output.stderr).into_owned()
    }
}

#[test]
fn a_database_under_a_file_names_the_file_in_the_way_once() {
    let sandbox = Sandbox::new();
    let blocker = sandbox.path().join("afile");
    std::fs::write(&blocker, "").unwrap();
    let db = blocker.join("r.db");
    let err = sandbox.stderr(&["--db", db.to_str().unwrap(), "--stories", "stories", "due"]);
    assert!(
        err.contains(&format!("{} is a file, not a folder", blocker.display())),
        "{err}"
    );
    assert!(!err.contains("File exists"), "{err}");
}

#[test]
fn a_database_path_that_is_a_folder_says_so() {
    let sandbox = Sandbox::new();
    let err = sandbox.stderr(&["--db", sandbox.path().to_str().unwrap(), "list"]);
    assert!(err.contains("is a folder"), "{err}");
    assert!(err.contains(&sandbox.path().display().to_string()), "{err}");
}

#[test]
fn a_story_folder_that_is_a_file_says_so_not_that_it_is_missing() {
    let sandbox = Sandbox::new();
    let file = sandbox.path().join("passwd");
    std::fs::write(&file, "root:x:0:0\n").unwrap();
    let err = sandbox.stderr(&["--stories", file.to_str().unwrap(), "list"]);
    assert!(
        err.contains(&format!("{} is a file, not a folder", file.display())),
        "{err}"
    );
    assert!(!err.contains("does not exist"), "{err}");
}

#[test]
fn export_to_a_folder_says_so_with_or_without_force() {
    let sandbox = Sandbox::new();
    let folder = sandbox.path().join("out");
    std::fs::create_dir_all(&folder).unwrap();
    for force in [false, true] {
        let mut args = vec![
            "--stories",
            "stories",
            "export",
            "-o",
            folder.to_str().unwrap(),
        ];
        if force {
            args.push("--force");
        }
        let err = sandbox.stderr(&args);
        assert!(
            err.contains(&format!("{} is a folder", folder.display())),
            "{err}"
        );
        assert!(
            !err.contains("--force"),
            "no advice that cannot work: {err}"
        );
        assert!(!err.contains("Is a directory"), "{err}");
    }
}

#[test]
fn export_into_a_folder_that_does_not_exist_names_it() {
    let sandbox = Sandbox::new();
    let out = sandbox.path().join("nowhere/pack.md");
    let err = sandbox.stderr(&[
        "--stories",
        "stories",
        "export",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(
        err.contains(&format!(
            "cannot write {}: the folder {} does not exist",
            out.display(),
            out.parent().unwrap().display()
        )),
        "{err}"
    );
}

/// /sys refuses new files even to root, so this holds in a container too.
#[cfg(target_os = "linux")]
#[test]
fn export_to_an_unwritable_folder_names_the_output_not_a_temp_file() {
    let sandbox = Sandbox::new();
    let err = sandbox.stderr(&["--stories", "stories", "export", "-o", "/sys/prep-pack.md"]);
    assert!(
        err.contains("cannot write /sys/prep-pack.md: the folder /sys is not writable"),
        "{err}"
    );
    assert!(!err.contains(".tmp"), "{err}");
}

#[test]
fn the_first_run_says_where_the_bundled_stories_went_once() {
    let sandbox = Sandbox::new();
    let cwd = sandbox.path().join("elsewhere");
    std::fs::create_dir_all(&cwd).unwrap();
    sandbox
        .cmd()
        .current_dir(&cwd)
        .arg("list")
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "copied the {} bundled stories to ~/data/rehearse/stories (edit them there)",
            rehearse::story::bundled::STORIES.len()
        )));
    sandbox
        .cmd()
        .current_dir(&cwd)
        .arg("list")
        .assert()
        .success()
        .stderr(predicate::str::contains("bundled").not());
}
