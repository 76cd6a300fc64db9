use super::*;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::process::Command;

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[test]
fn a_new_pack_gets_the_mode_any_new_file_gets() {
    let dir = tempfile::tempdir().unwrap();
    let ordinary = dir.path().join("ordinary");
    fs::File::create(&ordinary).unwrap();
    let pack = dir.path().join("pack.md");
    let written = write_pack(&pack, b"new", false).unwrap();
    assert_eq!(written.file, pack);
    assert!(!written.through_link);
    assert_eq!(fs::read(&pack).unwrap(), b"new");
    assert_eq!(
        mode(&pack),
        mode(&ordinary),
        "0666 less the umask, not 0600"
    );
}

#[test]
fn a_replaced_file_keeps_its_mode_and_only_force_replaces_it() {
    let dir = tempfile::tempdir().unwrap();
    for wanted in [0o644, 0o640, 0o600, 0o755, 0o444] {
        let pack = dir.path().join(format!("pack-{wanted:o}.md"));
        fs::write(&pack, "old").unwrap();
        fs::set_permissions(&pack, fs::Permissions::from_mode(wanted)).unwrap();
        let refused = write_pack(&pack, b"new", false).unwrap_err();
        assert!(matches!(refused, WriteError::Exists { .. }), "{refused}");
        assert_eq!(fs::read(&pack).unwrap(), b"old");
        write_pack(&pack, b"new", true).unwrap();
        assert_eq!(fs::read(&pack).unwrap(), b"new");
        assert_eq!(mode(&pack), wanted, "{wanted:o}");
    }
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".rehearse"))
        .collect();
    assert!(leftovers.is_empty(), "temp files left: {leftovers:?}");
}

#[test]
fn a_symbolic_link_is_followed_to_its_file_which_is_replaced_and_the_link_kept() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("packs")).unwrap();
    let target = dir.path().join("packs/pack.md");
    fs::write(&target, "old").unwrap();
    fs::set_permissions(&target, fs::Permissions::from_mode(0o640)).unwrap();
    // A relative link, and a link to that link.
    let link = dir.path().join("link.md");
    std::os::unix::fs::symlink("packs/pack.md", &link).unwrap();
    let chain = dir.path().join("chain.md");
    std::os::unix::fs::symlink(&link, &chain).unwrap();

    assert!(matches!(
        write_pack(&link, b"x", false),
        Err(WriteError::Exists { .. })
    ));
    let written = write_pack(&link, b"new", true).unwrap();
    assert!(written.through_link);
    assert_eq!(written.file, fs::canonicalize(&target).unwrap());
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read(&target).unwrap(), b"new");
    assert_eq!(mode(&target), 0o640);

    write_pack(&chain, b"newer", true).unwrap();
    assert!(
        fs::symlink_metadata(&chain)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read(&target).unwrap(), b"newer");
}

#[test]
fn a_link_to_nothing_or_a_loop_is_refused_saying_why() {
    let dir = tempfile::tempdir().unwrap();
    let dangling = dir.path().join("dangling.md");
    std::os::unix::fs::symlink("missing/pack.md", &dangling).unwrap();
    for force in [false, true] {
        let error = write_pack(&dangling, b"x", force).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "{} is a symbolic link to missing/pack.md, which does not exist; not writing \
                 through it: name the file to write",
                dangling.display()
            )
        );
    }
    assert!(
        fs::symlink_metadata(&dangling)
            .unwrap()
            .file_type()
            .is_symlink()
    );

    let a = dir.path().join("a");
    let b = dir.path().join("b");
    std::os::unix::fs::symlink(&b, &a).unwrap();
    std::os::unix::fs::symlink(&a, &b).unwrap();
    let error = write_pack(&a, b"x", true).unwrap_err().to_string();
    assert!(
        error.contains("the symbolic link cannot be followed"),
        "{error}"
    );
    assert!(fs::symlink_metadata(&a).unwrap().file_type().is_symlink());
}

#[test]
fn folders_and_links_to_folders_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let error = write_pack(dir.path(), b"x", true).unwrap_err();
    assert!(matches!(error, WriteError::Folder { .. }), "{error}");
    let link = dir.path().join("to-folder");
    std::os::unix::fs::symlink(dir.path(), &link).unwrap();
    let error = write_pack(&link, b"x", true).unwrap_err().to_string();
    assert!(
        error.contains("is a symbolic link to the folder"),
        "{error}"
    );
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn a_named_pipe_is_refused_and_left_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    for force in [false, true] {
        let error = write_pack(&fifo, b"x", force).unwrap_err().to_string();
        assert_eq!(
            error,
            format!(
                "{} is a named pipe (FIFO), not a regular file: the pack is only written to \
                 files; name a file, or use `-o -` to write to standard output",
                fifo.display()
            )
        );
    }
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
}

/// `-o /dev/stdout` when standard output is a pipe: the link leads to a pipe with no path of
/// its own (`/proc/self/fd/1` -> `pipe:[...]`), refused as a pipe, not as a missing file.
#[cfg(target_os = "linux")]
#[test]
fn a_link_to_an_anonymous_pipe_is_refused_as_a_pipe() {
    use std::os::fd::AsRawFd;
    let (_reader, writer) = std::io::pipe().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let stdout = dir.path().join("stdout");
    let fd = format!("/proc/self/fd/{}", writer.as_raw_fd());
    std::os::unix::fs::symlink(&fd, &stdout).unwrap();
    let error = write_pack(&stdout, b"x", true).unwrap_err().to_string();
    assert_eq!(
        error,
        format!(
            "{} is a symbolic link to a named pipe (FIFO) ({fd}), not a regular file: the pack is \
             only written to files; name a file, or use `-o -` to write to standard output",
            stdout.display()
        )
    );
}

#[test]
fn a_socket_is_refused_and_left_a_socket() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("sock");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let error = write_pack(&socket, b"x", true).unwrap_err().to_string();
    assert!(error.contains("is a socket, not a regular file"), "{error}");
    assert!(
        fs::symlink_metadata(&socket)
            .unwrap()
            .file_type()
            .is_socket()
    );
}

// Devices (a node made with mknod, as root too) are tested end to end in
// tests/messages_cli.rs.
