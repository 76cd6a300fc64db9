//! The pipeline's moving parts: S3 event parsing, the handler (our "Lambda function"), and the
//! event-source poller that invokes it per SQS batch, the way Lambda's SQS event-source mapping
//! would. Lambda itself does not run on LocalStack without Docker.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use aws_sdk_cloudwatchlogs::types::InputLogEvent;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_sqs::types::DeleteMessageBatchRequestEntry;
use tokio::sync::watch;

use crate::aws::{Aws, error_code, metadata_of};
use crate::guard::{Guard, Lineage, StopReason, Verdict};

/// One deployed function: where it reads from, where it writes (its `OUTPUT_BUCKET` setting),
/// where it logs.
#[derive(Debug, Clone)]
pub struct Function {
    pub name: String,
    pub queue_url: String,
    pub output_bucket: String,
    pub log_group: String,
    /// Messages per invocation (Lambda's batch size), 1..=10.
    pub batch_size: i32,
    /// The bucket whose events trigger the function; writing here re-triggers it.
    pub trigger_bucket: String,
}

/// One object named by an S3 event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectRef {
    pub bucket: String,
    pub key: String,
}

/// The objects an S3 event notification names. `s3:TestEvent` and other non-object events
/// yield nothing.
pub fn parse_s3_event(body: &str) -> Result<Vec<ObjectRef>, String> {
    let value: serde_json::Value =
        serde_json::from_str(body).map_err(|e| format!("not JSON: {e}"))?;
    let Some(records) = value.get("Records").and_then(|r| r.as_array()) else {
        return Ok(Vec::new());
    };
    records
        .iter()
        .filter(|r| {
            r.get("eventName")
                .and_then(|n| n.as_str())
                .is_some_and(|n| n.starts_with("ObjectCreated"))
        })
        .map(|r| {
            let bucket = r.pointer("/s3/bucket/name").and_then(|v| v.as_str());
            let key = r.pointer("/s3/object/key").and_then(|v| v.as_str());
            match (bucket, key) {
                (Some(bucket), Some(key)) => Ok(ObjectRef {
                    bucket: bucket.to_owned(),
                    key: url_decode(key),
                }),
                _ => Err("record without s3.bucket.name or s3.object.key".to_owned()),
            }
        })
        .collect()
}

/// S3 event keys are form-URL-encoded: `+` is a space, `%XX` a byte.
fn url_decode(key: &str) -> String {
    let bytes = key.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(hi), Some(lo)) => {
                    out.push(hi << 4 | lo);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(digit: u8) -> Option<u8> {
    char::from(digit).to_digit(16).map(|d| d as u8)
}

/// The transform: upper-cases the record and stamps who processed it.
pub fn transform(input: &[u8], function: &str) -> Vec<u8> {
    let mut out = String::from_utf8_lossy(input).to_uppercase();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&format!("# processed-by {function}\n"));
    out.into_bytes()
}

/// Counters of one function, shared by its pollers and read by the scenario.
#[derive(Debug, Default)]
pub struct Stats {
    /// Handler invocations (one per SQS batch), as Lambda bills them.
    pub invocations: AtomicU64,
    /// Objects transformed and written.
    pub processed: AtomicU64,
    /// Objects the guard refused.
    pub stopped: AtomicU64,
    /// Objects that failed (read or write), logged and skipped.
    pub record_errors: AtomicU64,
    /// Invocations that failed as a whole (what error-only alerting watches).
    pub invocation_failures: AtomicU64,
    /// Events written into the trigger bucket and not yet handled (uploads + own outputs).
    pub pending: AtomicI64,
    /// The billing cap was hit.
    pub capped: AtomicBool,
    /// Times of invocations, from the scenario's start.
    pub invocation_times: Mutex<Vec<Duration>>,
    /// How often each uploaded object (hop 0) was processed.
    pub uploads_processed: Mutex<HashMap<String, u32>>,
    /// The first stop, and when it happened.
    pub first_stop: Mutex<Option<(Duration, StopReason)>>,
}

impl Stats {
    pub fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::SeqCst)
    }

    /// Takes one invocation from the billing cap; false once the cap is spent.
    fn charge(&self, cap: u64) -> bool {
        let charged = self
            .invocations
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < cap).then_some(n + 1)
            })
            .is_ok();
        if !charged {
            self.capped.store(true, Ordering::SeqCst);
        }
        charged
    }
}

/// What every invocation of one function shares.
pub struct Runtime {
    pub aws: Aws,
    pub function: Function,
    pub guard: Mutex<Guard>,
    pub stats: Stats,
    /// Where guard stops are published, once per run.
    pub alert_topic: Option<String>,
    pub alerted: AtomicBool,
    pub started: Instant,
    /// Hard cap on invocations: the demo's "billing cap".
    pub billing_cap: u64,
}

impl Runtime {
    fn since_start(&self) -> Duration {
        self.started.elapsed()
    }

    /// One invocation: handles every record of a batch; a record's failure is logged and
    /// skipped (the invocation itself succeeds, as a handler with per-record error handling
    /// does). Fails only if its log lines cannot be written.
    async fn invoke(&self, records: Vec<ObjectRef>) -> Result<(), String> {
        let mut log = Vec::new();
        for object in records {
            self.handle(&object, &mut log).await;
            self.stats.pending.fetch_sub(1, Ordering::SeqCst);
        }
        self.write_logs(log).await
    }

    async fn handle(&self, object: &ObjectRef, log: &mut Vec<String>) {
        let name = &self.function.name;
        let got = match self
            .aws
            .s3
            .get_object()
            .bucket(&object.bucket)
            .key(&object.key)
            .send()
            .await
        {
            Ok(got) => got,
            Err(e) => {
                self.stats.record_errors.fetch_add(1, Ordering::SeqCst);
                log.push(format!(
                    "ERROR {name}: GetObject s3://{}/{} failed: {}",
                    object.bucket,
                    object.key,
                    error_code(&e)
                ));
                return;
            }
        };
        let lineage = Lineage::from_metadata(&metadata_of(got.metadata()));
        let body = match got.body.collect().await {
            Ok(body) => body.into_bytes(),
            Err(e) => {
                self.stats.record_errors.fetch_add(1, Ordering::SeqCst);
                log.push(format!(
                    "ERROR {name}: reading s3://{}/{}: {e}",
                    object.bucket, object.key
                ));
                return;
            }
        };

        let verdict = {
            let mut guard = self.guard.lock().unwrap_or_else(|p| p.into_inner());
            guard.check(&lineage, self.since_start())
        };
        if let Verdict::Stop(reason) = verdict {
            self.stats.stopped.fetch_add(1, Ordering::SeqCst);
            log.push(format!(
                "WARN {name}: recursion guard stopped s3://{}/{} (hop {}): {reason}",
                object.bucket, object.key, lineage.hop
            ));
            self.record_stop(object, &lineage, reason).await;
            return;
        }

        let child = lineage.child(name, &object.key);
        let mut put = self
            .aws
            .s3
            .put_object()
            .bucket(&self.function.output_bucket)
            .key(&object.key)
            .body(ByteStream::from(transform(&body, name)));
        for (k, v) in child.to_metadata() {
            put = put.metadata(k, v);
        }
        let writes_trigger = self.function.output_bucket == self.function.trigger_bucket;
        if writes_trigger {
            // Count the event before it can arrive, so `pending` never reads 0 too early.
            self.stats.pending.fetch_add(1, Ordering::SeqCst);
        }
        match put.send().await {
            Ok(_) => {
                self.stats.processed.fetch_add(1, Ordering::SeqCst);
                if lineage.hop == 0 {
                    *self
                        .stats
                        .uploads_processed
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .entry(object.key.clone())
                        .or_default() += 1;
                }
                log.push(format!(
                    "INFO {name}: processed s3://{}/{} hop={} -> s3://{}/{}",
                    object.bucket, object.key, lineage.hop, self.function.output_bucket, object.key
                ));
            }
            Err(e) => {
                if writes_trigger {
                    self.stats.pending.fetch_sub(1, Ordering::SeqCst);
                }
                self.stats.record_errors.fetch_add(1, Ordering::SeqCst);
                log.push(format!(
                    "ERROR {name}: PutObject s3://{}/{} failed: {}",
                    self.function.output_bucket,
                    object.key,
                    error_code(&e)
                ));
            }
        }
    }

    /// Remembers the first stop and publishes one alert per run (later stops are counted, not
    /// alerted: one incident, one page).
    async fn record_stop(&self, object: &ObjectRef, lineage: &Lineage, reason: StopReason) {
        self.stats
            .first_stop
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get_or_insert_with(|| (self.since_start(), reason.clone()));
        let Some(topic) = &self.alert_topic else {
            return;
        };
        if self.alerted.swap(true, Ordering::SeqCst) {
            return;
        }
        let message = format!(
            "{}: recursion guard ({}) stopped s3://{}/{} at hop {}: {reason}. Root object: {}.",
            self.function.name,
            reason.layer(),
            object.bucket,
            object.key,
            lineage.hop,
            lineage.root.as_deref().unwrap_or(&object.key)
        );
        // A failed publish must not stop the guard; it shows up as a missing alert.
        let _ = self
            .aws
            .publish_alert(topic, "recursion guard tripped", &message)
            .await;
    }

    async fn write_logs(&self, lines: Vec<String>) -> Result<(), String> {
        if lines.is_empty() {
            return Ok(());
        }
        let now_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        let events = lines
            .into_iter()
            .map(|m| {
                InputLogEvent::builder()
                    .timestamp(now_ms)
                    .message(m)
                    .build()
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| e.to_string())?;
        self.aws
            .logs
            .put_log_events()
            .log_group_name(&self.function.log_group)
            .log_stream_name(&self.function.name)
            .set_log_events(Some(events))
            .send()
            .await
            .map_err(|e| format!("PutLogEvents: {}", error_code(&e)))?;
        Ok(())
    }
}

/// The event-source poller: receives batches, invokes the handler, deletes what it handled.
/// Runs until `stop` is set, the billing cap is spent, or `deadline` passes.
pub async fn poll(runtime: Arc<Runtime>, mut stop: watch::Receiver<bool>, deadline: Instant) {
    let sqs = runtime.aws.sqs.clone();
    let function = runtime.function.clone();
    while !*stop.borrow() && Instant::now() < deadline {
        let received = tokio::select! {
            _ = stop.changed() => break,
            r = sqs
                .receive_message()
                .queue_url(&function.queue_url)
                .max_number_of_messages(function.batch_size)
                .wait_time_seconds(1)
                .send() => r,
        };
        let messages = match received {
            Ok(out) => out.messages.unwrap_or_default(),
            Err(_) => {
                // LocalStack hiccup or shutdown: back off briefly; the deadline bounds this.
                tokio::time::sleep(Duration::from_millis(200)).await;
                continue;
            }
        };
        if messages.is_empty() {
            continue;
        }
        let mut records = Vec::new();
        let mut handles = Vec::new();
        for message in &messages {
            if let Ok(objects) = parse_s3_event(message.body().unwrap_or_default()) {
                records.extend(objects);
            }
            if let Some(handle) = message.receipt_handle() {
                handles.push(handle.to_owned());
            }
        }
        if !records.is_empty() {
            if !runtime.stats.charge(runtime.billing_cap) {
                break; // billing cap: the messages stay in the queue, unprocessed
            }
            runtime
                .stats
                .invocation_times
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(runtime.since_start());
            if runtime.invoke(records).await.is_err() {
                // As Lambda: a failed invocation leaves its messages for a retry.
                runtime
                    .stats
                    .invocation_failures
                    .fetch_add(1, Ordering::SeqCst);
                continue;
            }
        }
        let entries = handles
            .iter()
            .enumerate()
            .filter_map(|(i, h)| {
                DeleteMessageBatchRequestEntry::builder()
                    .id(i.to_string())
                    .receipt_handle(h)
                    .build()
                    .ok()
            })
            .collect::<Vec<_>>();
        let _ = sqs
            .delete_message_batch()
            .queue_url(&function.queue_url)
            .set_entries(Some(entries))
            .send()
            .await;
    }
}

/// Invocations per time bucket, as (seconds, invocations per second) points for a chart.
pub fn rate_series(times: &[Duration], bucket: Duration, until: Duration) -> Vec<(f64, f64)> {
    let width = bucket.as_secs_f64();
    if width <= 0.0 {
        return Vec::new();
    }
    let buckets = (until.as_secs_f64() / width).ceil().max(1.0) as usize;
    let mut counts = vec![0u32; buckets];
    for t in times {
        let i = ((t.as_secs_f64() / width) as usize).min(buckets - 1);
        counts[i] += 1;
    }
    counts
        .iter()
        .enumerate()
        .map(|(i, c)| ((i as f64 + 1.0) * width, f64::from(*c) / width))
        .collect()
}

/// Invocations so far at the end of each time bucket, as (seconds, invocations) points.
pub fn cumulative_series(times: &[Duration], bucket: Duration, until: Duration) -> Vec<(f64, f64)> {
    let width = bucket.as_secs_f64();
    let mut total = 0.0;
    rate_series(times, bucket, until)
        .into_iter()
        .map(|(t, rate)| {
            total += rate * width;
            (t, total.round())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_created_records_are_parsed_and_keys_decoded() {
        let body = r#"{"Records":[
            {"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"in"},"object":{"key":"a+b%2Fc.txt","size":3}}},
            {"eventName":"ObjectRemoved:Delete","s3":{"bucket":{"name":"in"},"object":{"key":"gone"}}}
        ]}"#;
        assert_eq!(
            parse_s3_event(body).unwrap(),
            vec![ObjectRef {
                bucket: "in".into(),
                key: "a b/c.txt".into()
            }]
        );
    }

    #[test]
    fn the_test_event_names_no_object_and_junk_is_an_error() {
        let test_event = r#"{"Service":"Amazon S3","Event":"s3:TestEvent","Bucket":"in"}"#;
        assert!(parse_s3_event(test_event).unwrap().is_empty());
        assert!(parse_s3_event("not json").is_err());
        assert!(parse_s3_event(r#"{"Records":[{"eventName":"ObjectCreated:Put"}]}"#).is_err());
    }

    #[test]
    fn url_decoding_leaves_broken_escapes_alone() {
        assert_eq!(url_decode("100%"), "100%");
        assert_eq!(url_decode("%zz"), "%zz");
        assert_eq!(url_decode("%41"), "A");
    }

    #[test]
    fn transform_marks_its_output() {
        let out = String::from_utf8(transform(b"order 1", "transform")).unwrap();
        assert_eq!(out, "ORDER 1\n# processed-by transform\n");
    }

    #[test]
    fn billing_cap_is_never_exceeded() {
        let stats = Stats::default();
        let charged = (0..50).filter(|_| stats.charge(7)).count();
        assert_eq!(charged, 7);
        assert_eq!(Stats::get(&stats.invocations), 7);
        assert!(stats.capped.load(Ordering::SeqCst));
    }

    #[test]
    fn rates_are_per_second_per_bucket() {
        let times: Vec<Duration> = [100, 200, 300, 1100, 2900]
            .iter()
            .map(|ms| Duration::from_millis(*ms))
            .collect();
        let series = rate_series(&times, Duration::from_millis(500), Duration::from_secs(3));
        assert_eq!(series.len(), 6);
        assert_eq!(series[0], (0.5, 6.0));
        assert_eq!(series[2], (1.5, 2.0));
        assert_eq!(series[5], (3.0, 2.0));
        let total = cumulative_series(&times, Duration::from_millis(500), Duration::from_secs(3));
        let counts: Vec<f64> = total.iter().map(|p| p.1).collect();
        assert_eq!(counts, vec![3.0, 3.0, 4.0, 4.0, 4.0, 5.0]);
    }
}
