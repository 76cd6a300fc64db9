//! Runs a demo as a child process (`rehearse demo run ID --json`) and hands its events over
//! as messages. No UI here: the TUI drains the messages and draws them.
//!
//! - stdin is closed; one reader thread per output stream; workers never print.
//! - Every message carries the [`RunId`] of its run, so output of a cancelled run is dropped.
//! - The child runs in its own process group; cancel (and drop) kills the whole group, so a
//!   helper the demo started (Python, say) is not left behind, and the child is reaped once;
//!   then the scratch folders the killed run made are removed.
//! - The child learns our pid ([`PARENT_ENV`]) and ends itself if we die without cancelling it
//!   (kill -9): see [`lifeline`](super::lifeline).

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::thread::JoinHandle;

use demo_kit::Event;

use super::lifeline::PARENT_ENV;

/// Which run a message belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RunId(pub u64);

/// What a running demo said.
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    /// One protocol event from stdout.
    Event(Event),
    /// A stdout line that is not an event (kept, shown as a log line).
    Garbled(String),
    /// A line on stderr.
    Stderr(String),
    /// The child exited and was reaped. `None`: killed by a signal.
    Exited { code: Option<i32> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tagged {
    pub run: RunId,
    pub message: Message,
}

/// Starts, watches and stops demo child processes, one at a time.
pub struct Runner {
    program: PathBuf,
    /// Arguments placed before `demo run` (e.g. `--db PATH`).
    global_args: Vec<String>,
    tx: Sender<Tagged>,
    rx: Receiver<Tagged>,
    next: u64,
    current: Option<Running>,
    /// The running child's pid (its process group), 0 for none: read by [`RunningGroup`].
    group: Arc<AtomicU32>,
}

/// Kills whatever run is in progress from another thread, for a last-resort exit when the
/// thread that owns the [`Runner`] cannot get to it (see `tui::signals`).
#[derive(Debug, Clone)]
pub struct RunningGroup(Arc<AtomicU32>);

impl RunningGroup {
    /// SIGKILL to the run's process group and the run's scratch folders removed, if a run is
    /// in progress. The owner still reaps the child if it ever gets to.
    pub fn kill(&self) {
        let pid = self.0.swap(0, Ordering::SeqCst);
        if pid != 0 {
            kill_group_of(pid);
            demo_kit::remove_scratch_of(pid);
        }
    }
}

struct Running {
    id: RunId,
    child: Child,
    readers: Vec<JoinHandle<()>>,
}

impl Runner {
    /// A runner that starts `program` (normally [`std::env::current_exe`]) with
    /// `global_args demo run ID --json PARAMS`.
    pub fn new(program: PathBuf, global_args: Vec<String>) -> Runner {
        let (tx, rx) = channel();
        Runner {
            program,
            global_args,
            tx,
            rx,
            next: 1,
            current: None,
            group: Arc::new(AtomicU32::new(0)),
        }
    }

    /// A handle that kills the run in progress from another thread.
    pub fn running_group(&self) -> RunningGroup {
        RunningGroup(Arc::clone(&self.group))
    }

    /// A runner for this executable.
    pub fn for_current_exe(global_args: Vec<String>) -> std::io::Result<Runner> {
        Ok(Runner::new(std::env::current_exe()?, global_args))
    }

    /// Starts a demo, cancelling any run still going.
    pub fn start(&mut self, demo_id: &str, params: &[String]) -> std::io::Result<RunId> {
        let mut args = self.global_args.clone();
        args.extend(["demo", "run", demo_id, "--json"].map(String::from));
        args.extend(params.iter().cloned());
        self.spawn(&args)
    }

    /// Starts `program args` as a run (the demo command line, or anything that speaks the
    /// protocol on stdout).
    pub fn spawn(&mut self, args: &[String]) -> std::io::Result<RunId> {
        self.cancel();
        let mut command = Command::new(&self.program);
        command
            .args(args)
            .env(PARENT_ENV, std::process::id().to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            command.process_group(0);
        }
        let mut child = command.spawn()?;
        let id = RunId(self.next);
        self.next += 1;
        let mut readers = Vec::new();
        if let Some(stdout) = child.stdout.take() {
            readers.push(reader(stdout, id, self.tx.clone(), |line| {
                Some(match Event::parse_line(&line) {
                    Ok(event) => Message::Event(event),
                    Err(_) => Message::Garbled(line),
                })
            }));
        }
        if let Some(stderr) = child.stderr.take() {
            readers.push(reader(stderr, id, self.tx.clone(), |line| {
                // clap ends a bad parameter's error with this hint; as the last line it would
                // become the run's failure reason and hide the error itself.
                (!is_usage_hint(&line)).then_some(Message::Stderr(line))
            }));
        }
        self.group.store(child.id(), Ordering::SeqCst);
        self.current = Some(Running { id, child, readers });
        Ok(id)
    }

    /// The run in progress, if any.
    pub fn current(&self) -> Option<RunId> {
        self.current.as_ref().map(|r| r.id)
    }

    /// The process id of the run in progress (for tests and diagnostics).
    pub fn pid(&self) -> Option<u32> {
        self.current.as_ref().map(|r| r.child.id())
    }

    /// Kills the run in progress (its whole process group) and reaps it. True if one was
    /// running.
    pub fn cancel(&mut self) -> bool {
        let Some(mut running) = self.current.take() else {
            return false;
        };
        self.group.store(0, Ordering::SeqCst);
        kill_group(&mut running.child);
        // Reaped exactly once, here: the run is gone from `current`.
        let _ = running.child.wait();
        // SIGKILL skipped the demo's own clean-up: remove its scratch folders now (a big
        // generated corpus, say) rather than at some later run.
        demo_kit::remove_scratch_of(running.child.id());
        // The readers end when the pipes close; do not wait for a grandchild that kept them.
        drop(running.readers);
        true
    }

    /// Checks whether the run in progress has exited; if so it is reaped (once) and an
    /// `Exited` message is queued after its output.
    pub fn poll_exit(&mut self) {
        let Some(running) = self.current.as_mut() else {
            return;
        };
        match running.child.try_wait() {
            Ok(None) => {}
            Ok(Some(status)) => {
                let running = self.current.take().expect("checked above");
                self.group.store(0, Ordering::SeqCst);
                // Output first: the readers finish once the pipes are drained.
                for handle in running.readers {
                    let _ = handle.join();
                }
                let _ = self.tx.send(Tagged {
                    run: running.id,
                    message: Message::Exited {
                        code: exit_code(status),
                    },
                });
            }
            Err(_) => {
                // Cannot wait on it: stop it rather than leave it unwatched.
                self.cancel();
            }
        }
    }

    /// Up to `max` messages that arrived, oldest first.
    pub fn drain(&mut self, max: usize) -> Vec<Tagged> {
        let mut out = Vec::new();
        while out.len() < max {
            match self.rx.try_recv() {
                Ok(message) => out.push(message),
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => break,
            }
        }
        out
    }
}

impl Drop for Runner {
    fn drop(&mut self) {
        self.cancel();
    }
}

fn exit_code(status: ExitStatus) -> Option<i32> {
    status.code()
}

fn reader(
    stream: impl Read + Send + 'static,
    id: RunId,
    tx: Sender<Tagged>,
    to_message: impl Fn(String) -> Option<Message> + Send + 'static,
) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stream);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match lines.read_until(b'\n', &mut buf) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    let line = String::from_utf8_lossy(&buf).trim_end().to_owned();
                    let Some(message) = Some(line)
                        .filter(|line| !line.is_empty())
                        .and_then(&to_message)
                    else {
                        continue;
                    };
                    let message = Tagged { run: id, message };
                    if tx.send(message).is_err() {
                        break;
                    }
                }
            }
        }
    })
}

/// The command-line parser's pointer to `--help`, which says nothing about what went wrong.
fn is_usage_hint(line: &str) -> bool {
    line.starts_with("For more information, try '")
}

/// SIGKILL to the child's process group (it leads its own), then to the child itself.
fn kill_group(child: &mut Child) {
    kill_group_of(child.id());
    let _ = child.kill();
}

/// SIGKILL to the process group led by `pid`.
pub(crate) fn kill_group_of(pid: u32) {
    #[cfg(unix)]
    {
        // std has no killpg; `kill` is POSIX and keeps this crate free of unsafe code.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{pid}")])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
    #[cfg(not(unix))]
    let _ = pid;
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn sh() -> Runner {
        Runner::new(PathBuf::from("sh"), vec![])
    }

    fn collect_until_exit(runner: &mut Runner, run: RunId) -> Vec<Message> {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut out = Vec::new();
        while Instant::now() < deadline {
            runner.poll_exit();
            for tagged in runner.drain(100) {
                assert_eq!(tagged.run, run);
                let exited = matches!(tagged.message, Message::Exited { .. });
                out.push(tagged.message);
                if exited {
                    return out;
                }
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        panic!("the run did not exit: {out:?}");
    }

    fn alive(pid: u32) -> bool {
        // `kill -0` succeeds while the process exists (zombies included, hence the reaping).
        Command::new("kill")
            .args(["-0", &pid.to_string()])
            .stderr(Stdio::null())
            .status()
            .unwrap()
            .success()
    }

    #[test]
    fn events_are_parsed_tagged_and_followed_by_the_exit() {
        let mut runner = sh();
        let line = Event::Phase {
            name: "parse".into(),
        }
        .to_json_line();
        let script = format!("echo '{line}'; echo not-json; echo oops >&2; exit 3");
        let run = runner.spawn(&["-c".into(), script]).unwrap();
        let messages = collect_until_exit(&mut runner, run);
        assert!(messages.contains(&Message::Event(Event::Phase {
            name: "parse".into()
        })));
        assert!(messages.contains(&Message::Garbled("not-json".into())));
        assert!(messages.contains(&Message::Stderr("oops".into())));
        assert_eq!(messages.last(), Some(&Message::Exited { code: Some(3) }));
        assert_eq!(runner.current(), None);
    }

    #[test]
    fn cancel_kills_the_child_and_its_children_and_reaps_it() {
        let mut runner = sh();
        let dir = tempfile::tempdir().unwrap();
        let pidfile = dir.path().join("grandchild");
        let script = format!("sleep 30 & echo $! > {}; wait", pidfile.to_str().unwrap());
        let run = runner.spawn(&["-c".into(), script]).unwrap();
        let pid = runner.pid().unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        let grandchild = loop {
            if let Ok(text) = std::fs::read_to_string(&pidfile)
                && let Ok(pid) = text.trim().parse::<u32>()
            {
                break pid;
            }
            assert!(Instant::now() < deadline, "the script did not start");
            std::thread::sleep(Duration::from_millis(10));
        };
        assert!(alive(pid) && alive(grandchild));
        assert!(runner.cancel());
        assert!(!alive(pid), "the child was reaped");
        let deadline = Instant::now() + Duration::from_secs(5);
        while alive(grandchild) {
            assert!(
                Instant::now() < deadline,
                "grandchild {grandchild} survived"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(!runner.cancel(), "nothing left to cancel");
        // Nothing of the cancelled run is reported as an exit.
        runner.poll_exit();
        assert!(
            runner
                .drain(100)
                .iter()
                .all(|t| t.run == run && !matches!(t.message, Message::Exited { .. }))
        );
    }

    #[test]
    fn a_bad_parameter_error_is_the_last_stderr_line_not_the_help_hint() {
        let mut runner = sh();
        let script = "printf '%s\\n' \"error: invalid value 'abc' for '--records <N>': invalid digit found in string\" '' \"For more information, try '--help'.\" >&2; exit 2";
        let run = runner.spawn(&["-c".into(), script.into()]).unwrap();
        let messages = collect_until_exit(&mut runner, run);
        let stderr: Vec<&Message> = messages
            .iter()
            .filter(|m| matches!(m, Message::Stderr(_)))
            .collect();
        assert_eq!(
            stderr,
            [&Message::Stderr(
                "error: invalid value 'abc' for '--records <N>': invalid digit found in string"
                    .into()
            )]
        );
    }

    #[test]
    fn a_cancelled_run_leaves_no_scratch_folder() {
        let mut runner = sh();
        let root = demo_kit::scratch_root();
        let script = format!(
            "mkdir -p '{root}/test-demo-'$$'-abc/feeds' && echo ready && sleep 30",
            root = root.display()
        );
        runner.spawn(&["-c".into(), script]).unwrap();
        let folder = root.join(format!("test-demo-{}-abc", runner.pid().unwrap()));
        let deadline = Instant::now() + Duration::from_secs(10);
        while !folder.exists() {
            assert!(Instant::now() < deadline, "the script did not start");
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(runner.cancel());
        assert!(!folder.exists(), "{} was left behind", folder.display());
    }

    #[test]
    fn a_new_run_gets_a_new_id() {
        let mut runner = sh();
        let first = runner.spawn(&["-c".into(), "sleep 30".into()]).unwrap();
        let second = runner.spawn(&["-c".into(), "exit 0".into()]).unwrap();
        assert_ne!(first, second);
        let messages = collect_until_exit(&mut runner, second);
        assert_eq!(messages, [Message::Exited { code: Some(0) }]);
    }
}
