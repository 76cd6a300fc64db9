//! What earlier runs left behind. A run stopped from outside (the TUI's cancel, a closed
//! terminal, SIGKILL) never reaches its teardown, so its buckets, queues, topics and log groups
//! stay in LocalStack. Every resource name carries the process id of the run that made it; at
//! the start of a run, the resources of processes that no longer exist are removed, and the
//! report says so. A run still going (another window) keeps its resources.

use std::path::Path;

use demo_kit::DemoError;

use crate::aws::{Aws, Resources, failed};

/// Every resource name starts with this, then the creating process id in hex and a dash:
/// `rgp1f2e-…`. (The `p` is not a hex digit, so the id's end is unambiguous.)
pub const NAME_PREFIX: &str = "rgp";
/// Log groups are `/rehearse/<name>`.
pub const LOG_GROUP_ROOT: &str = "/rehearse/";

/// The process id a resource name was made by, if it is one of ours.
pub fn owner_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(NAME_PREFIX)?;
    let (hex, _) = rest.split_once('-')?;
    u32::from_str_radix(hex, 16).ok()
}

/// Whether a process with this id runs on this machine now.
fn alive(pid: u32) -> bool {
    pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists()
}

/// Whether `name` was made by a run that is gone.
pub fn is_orphan(name: &str) -> bool {
    owner_pid(name).is_some_and(|pid| !alive(pid))
}

/// Lists our resources whose run is gone.
pub async fn find(aws: &Aws) -> Result<Resources, DemoError> {
    let mut found = Resources::default();
    let buckets = aws
        .s3
        .list_buckets()
        .send()
        .await
        .map_err(|e| failed("ListBuckets", e))?;
    found.buckets = buckets
        .buckets()
        .iter()
        .filter_map(|b| b.name())
        .filter(|name| is_orphan(name))
        .map(str::to_owned)
        .collect();
    let queues = aws
        .sqs
        .list_queues()
        .queue_name_prefix(NAME_PREFIX)
        .send()
        .await
        .map_err(|e| failed("ListQueues", e))?;
    found.queues = queues
        .queue_urls()
        .iter()
        .filter(|url| url.rsplit('/').next().is_some_and(is_orphan))
        .cloned()
        .collect();
    let mut token = None;
    for _ in 0..20 {
        let page = aws
            .sns
            .list_topics()
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| failed("ListTopics", e))?;
        found.topics.extend(
            page.topics()
                .iter()
                .filter_map(|t| t.topic_arn())
                .filter(|arn| arn.rsplit(':').next().is_some_and(is_orphan))
                .map(str::to_owned),
        );
        token = page.next_token;
        if token.is_none() {
            break;
        }
    }
    let groups = aws
        .logs
        .describe_log_groups()
        .log_group_name_prefix(format!("{LOG_GROUP_ROOT}{NAME_PREFIX}"))
        .send()
        .await
        .map_err(|e| failed("DescribeLogGroups", e))?;
    found.log_groups = groups
        .log_groups()
        .iter()
        .filter_map(|g| g.log_group_name())
        .filter(|name| name.strip_prefix(LOG_GROUP_ROOT).is_some_and(is_orphan))
        .map(str::to_owned)
        .collect();
    Ok(found)
}

/// What was removed, as one sentence, or `None` when nothing was left.
pub fn describe(removed: &Resources) -> Option<String> {
    let parts: Vec<String> = [
        (removed.buckets.len(), "bucket"),
        (removed.queues.len(), "queue"),
        (removed.topics.len(), "topic"),
        (removed.log_groups.len(), "log group"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}{}", if n == 1 { "" } else { "s" }))
    .collect();
    (!parts.is_empty()).then(|| {
        format!(
            "removed what earlier runs stopped before their clean-up left in LocalStack: {}",
            parts.join(", ")
        )
    })
}

/// Removes our resources whose run is gone; returns what was removed and any problems.
pub async fn remove(aws: &Aws) -> Result<(Resources, Vec<String>), DemoError> {
    let found = find(aws).await?;
    let problems = found.teardown(aws).await;
    Ok((found, problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_their_process_and_only_gone_processes_are_orphans() {
        assert_eq!(owner_pid("rgp1f-abc-0-in"), Some(0x1f));
        assert_eq!(
            owner_pid("rg1f2e-0-in"),
            None,
            "another naming scheme is not ours"
        );
        assert_eq!(owner_pid("my-bucket"), None);
        let mine = format!("{NAME_PREFIX}{:x}-0-0-in", std::process::id());
        assert!(!is_orphan(&mine), "a running process keeps its resources");
        // Above Linux's largest pid_max (2^22): no process can have this id.
        assert!(is_orphan("rgp7ffffff0-1-0-events"));
        assert!(!is_orphan("someone-elses-bucket"));
    }

    #[test]
    fn the_report_names_what_was_removed() {
        let removed = Resources {
            buckets: vec!["a".into(), "b".into()],
            queues: vec!["q".into()],
            ..Resources::default()
        };
        assert_eq!(
            describe(&removed).unwrap(),
            "removed what earlier runs stopped before their clean-up left in LocalStack: \
             2 buckets, 1 queue"
        );
        assert_eq!(describe(&Resources::default()), None);
    }
}
