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

/// A character device node in `folder` with /dev/full's numbers, or /dev/full itself where
/// this process may not make one (and so cannot replace /dev/full either); `None` for root
/// without the right to make device nodes, where no device is safe to test on.
#[cfg(unix)]
fn device(folder: &std::path::Path) -> Option<std::path::PathBuf> {
    use std::os::unix::fs::MetadataExt;
    let node = folder.join("full");
    let made = std::process::Command::new("mknod")
        .arg(&node)
        .args(["c", "1", "7"])
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if made {
        return Some(node);
    }
    let root = std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
    (!root).then(|| "/dev/full".into())
}

/// `export -o X --force` over a device, a named pipe or a symbolic link: the device and the
/// pipe are refused and left as they were; the link is followed and its file replaced.
#[cfg(unix)]
#[test]
fn export_force_refuses_devices_and_pipes_and_writes_through_links() {
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};
    let sandbox = Sandbox::new();
    let export = |out: &std::path::Path| {
        sandbox
            .cmd()
            .args(["--stories", "stories", "export", "--force", "-o"])
            .arg(out)
            .output()
            .unwrap()
    };
    let kind = |path: &std::path::Path| std::fs::symlink_metadata(path).unwrap().file_type();

    if let Some(device) = device(sandbox.path()) {
        // The node itself, and a symbolic link to it.
        let link = sandbox.path().join("to-device");
        std::os::unix::fs::symlink(&device, &link).unwrap();
        for (path, says) in [
            (
                &device,
                format!("{} is a device, not a regular file", device.display()),
            ),
            (
                &link,
                format!("{} is a symbolic link to a device", link.display()),
            ),
        ] {
            let output = export(path);
            let err = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(2), "an error: {err}");
            assert!(err.contains(&says), "{err}");
        }
        assert!(
            kind(&device).is_char_device(),
            "{} was replaced",
            device.display()
        );
        assert!(kind(&link).is_symlink());
    } else {
        eprintln!("root without the right to make device nodes: no device is safe to test on");
    }

    let fifo = sandbox.path().join("pipe");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let output = export(&fifo);
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "an error: {err}");
    assert!(
        err.contains("is a named pipe (FIFO), not a regular file"),
        "{err}"
    );
    assert!(kind(&fifo).is_fifo());

    let target = sandbox.path().join("pack.md");
    std::fs::write(&target, "old").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();
    let link = sandbox.path().join("link.md");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let output = export(&link);
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{err}");
    assert!(
        err.starts_with(&format!("wrote {} -> ", link.display())),
        "{err}"
    );
    assert!(kind(&link).is_symlink(), "the link is kept");
    let pack = std::fs::read_to_string(&target).unwrap();
    assert!(pack.starts_with("# Interview prep pack"), "{pack}");
    let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644, "the mode is kept");
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
