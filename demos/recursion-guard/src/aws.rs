//! The AWS clients (one shared config: loopback endpoint, test credentials, timeouts on every
//! call) and the resource helpers the pipeline is built from.

use std::collections::HashMap;
use std::fmt::Display;
use std::time::Duration;

use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_sdk_s3::config::{BehaviorVersion, Region};
use aws_sdk_s3::error::SdkError;
use aws_sdk_s3::types::{
    Delete, Event as S3Event, NotificationConfiguration, ObjectIdentifier, QueueConfiguration,
};
use aws_sdk_sqs::types::QueueAttributeName;
use aws_smithy_async::rt::sleep::TokioSleep;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::retry::RetryConfig;
use aws_smithy_types::timeout::TimeoutConfig;
use aws_types::SdkConfig;
use demo_kit::DemoError;

use crate::endpoint::Endpoint;

pub const REGION: &str = "us-east-1";
/// Upper bounds for every call: no call can hang the demo.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(5);
pub const OPERATION_TIMEOUT: Duration = Duration::from_secs(10);
/// The first call to each service: a cold LocalStack loads the service then.
pub const WARMUP_TIMEOUT: Duration = Duration::from_secs(30);
/// Pages read when listing a bucket: a bound, not an expectation.
const MAX_LIST_PAGES: usize = 20;

pub const START_HINT: &str = "start it with scripts/localstack.sh start";

#[derive(Clone)]
pub struct Aws {
    pub endpoint: String,
    pub s3: aws_sdk_s3::Client,
    pub sqs: aws_sdk_sqs::Client,
    pub sns: aws_sdk_sns::Client,
    pub logs: aws_sdk_cloudwatchlogs::Client,
}

/// A failed call, with the SDK's full error chain.
pub fn failed(what: impl Display, error: impl std::error::Error) -> DemoError {
    DemoError::Failed(format!("{what}: {}", DisplayErrorContext(error)))
}

/// The innermost cause, which is the readable one ("Connection refused (os error 111)").
pub fn root_cause(error: &dyn std::error::Error) -> String {
    let mut cause = error;
    while let Some(source) = cause.source() {
        cause = source;
    }
    cause.to_string()
}

/// The service's error code (`NoSuchBucket`), else the error's first line.
pub fn error_code<E, R>(error: &SdkError<E, R>) -> String
where
    E: aws_sdk_s3::error::ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    match error {
        SdkError::ServiceError(service) => service
            .err()
            .code()
            .map(str::to_owned)
            .unwrap_or_else(|| service.err().to_string()),
        SdkError::TimeoutError(_) => "timeout".to_owned(),
        SdkError::DispatchFailure(_) => "connection failed".to_owned(),
        other => other.to_string(),
    }
}

impl Aws {
    /// Builds the clients; no I/O. Deliberately not `aws-config`: nothing is read from
    /// `~/.aws` or the environment except the endpoint, so real credentials are never used.
    pub fn new(endpoint: &Endpoint) -> Self {
        let config = SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(REGION))
            .endpoint_url(endpoint.url.clone())
            .credentials_provider(SharedCredentialsProvider::new(Credentials::from_keys(
                "test", "test", None,
            )))
            .http_client(aws_smithy_http_client::Builder::new().build_http())
            .sleep_impl(TokioSleep::new())
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(CONNECT_TIMEOUT)
                    .operation_attempt_timeout(ATTEMPT_TIMEOUT)
                    .operation_timeout(OPERATION_TIMEOUT)
                    .build(),
            )
            .retry_config(RetryConfig::standard().with_max_attempts(2))
            .build();
        let s3 = aws_sdk_s3::config::Builder::from(&config)
            .force_path_style(true)
            .build();
        Self {
            endpoint: endpoint.url.clone(),
            s3: aws_sdk_s3::Client::from_conf(s3),
            sqs: aws_sdk_sqs::Client::new(&config),
            sns: aws_sdk_sns::Client::new(&config),
            logs: aws_sdk_cloudwatchlogs::Client::new(&config),
        }
    }

    /// One cheap call per service. A refused connection answers at once; a cold LocalStack
    /// loads each service on its first request (seconds on a busy machine), so these calls get
    /// a longer, still bounded, timeout than the rest.
    pub async fn probe(&self) -> Result<(), DemoError> {
        let timeouts = TimeoutConfig::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .operation_attempt_timeout(WARMUP_TIMEOUT)
            .operation_timeout(WARMUP_TIMEOUT)
            .build();
        let unavailable = |error: &dyn std::error::Error, dispatch: bool| {
            if dispatch {
                DemoError::Unavailable(format!(
                    "LocalStack is not answering at {}: {START_HINT} ({})",
                    self.endpoint,
                    root_cause(error)
                ))
            } else {
                DemoError::Failed(format!(
                    "{} answered, but not like LocalStack: {}",
                    self.endpoint,
                    DisplayErrorContext(error)
                ))
            }
        };
        // SQS first and alone: if nothing listens, say so once.
        self.sqs
            .list_queues()
            .max_results(1)
            .customize()
            .config_override(
                aws_sdk_sqs::config::Builder::default().timeout_config(timeouts.clone()),
            )
            .send()
            .await
            .map_err(|e| {
                let dispatch =
                    matches!(e, SdkError::DispatchFailure(_) | SdkError::TimeoutError(_));
                unavailable(&e, dispatch)
            })?;
        let (s3, sns, logs) = tokio::join!(
            self.s3
                .list_buckets()
                .customize()
                .config_override(
                    aws_sdk_s3::config::Builder::default().timeout_config(timeouts.clone())
                )
                .send(),
            self.sns
                .list_topics()
                .customize()
                .config_override(
                    aws_sdk_sns::config::Builder::default().timeout_config(timeouts.clone())
                )
                .send(),
            self.logs
                .describe_log_groups()
                .limit(1)
                .customize()
                .config_override(
                    aws_sdk_cloudwatchlogs::config::Builder::default()
                        .timeout_config(timeouts.clone())
                )
                .send(),
        );
        s3.map_err(|e| unavailable(&e, false))?;
        sns.map_err(|e| unavailable(&e, false))?;
        logs.map_err(|e| unavailable(&e, false))?;
        Ok(())
    }

    pub async fn create_bucket(&self, bucket: &str) -> Result<(), DemoError> {
        self.s3
            .create_bucket()
            .bucket(bucket)
            .send()
            .await
            .map_err(|e| failed(format!("CreateBucket {bucket}"), e))?;
        Ok(())
    }

    /// Returns the queue URL and ARN.
    pub async fn create_queue(&self, name: &str) -> Result<(String, String), DemoError> {
        let url = self
            .sqs
            .create_queue()
            .queue_name(name)
            .attributes(QueueAttributeName::VisibilityTimeout, "30")
            .send()
            .await
            .map_err(|e| failed(format!("CreateQueue {name}"), e))?
            .queue_url
            .ok_or_else(|| DemoError::failed(format!("CreateQueue {name}: no URL returned")))?;
        let arn = self
            .sqs
            .get_queue_attributes()
            .queue_url(&url)
            .attribute_names(QueueAttributeName::QueueArn)
            .send()
            .await
            .map_err(|e| failed(format!("GetQueueAttributes {name}"), e))?
            .attributes
            .and_then(|mut a| a.remove(&QueueAttributeName::QueueArn))
            .ok_or_else(|| DemoError::failed(format!("queue {name}: no ARN returned")))?;
        Ok((url, arn))
    }

    /// ObjectCreated events of `bucket` go to the queue.
    pub async fn notify_queue(&self, bucket: &str, queue_arn: &str) -> Result<(), DemoError> {
        let queue = QueueConfiguration::builder()
            .queue_arn(queue_arn)
            .events(S3Event::S3ObjectCreated)
            .build()
            .map_err(|e| failed("QueueConfiguration", e))?;
        self.s3
            .put_bucket_notification_configuration()
            .bucket(bucket)
            .notification_configuration(
                NotificationConfiguration::builder()
                    .queue_configurations(queue)
                    .build(),
            )
            .send()
            .await
            .map_err(|e| failed(format!("PutBucketNotificationConfiguration {bucket}"), e))?;
        Ok(())
    }

    /// Removes every notification of `bucket`: the next stage is no longer triggered.
    pub async fn remove_notifications(&self, bucket: &str) -> Result<(), DemoError> {
        self.s3
            .put_bucket_notification_configuration()
            .bucket(bucket)
            .notification_configuration(NotificationConfiguration::builder().build())
            .send()
            .await
            .map_err(|e| failed(format!("PutBucketNotificationConfiguration {bucket}"), e))?;
        Ok(())
    }

    /// Keys in a bucket (bounded number of pages).
    pub async fn list_keys(&self, bucket: &str) -> Result<Vec<String>, DemoError> {
        let mut keys = Vec::new();
        let mut token = None;
        for _ in 0..MAX_LIST_PAGES {
            let page = self
                .s3
                .list_objects_v2()
                .bucket(bucket)
                .set_continuation_token(token)
                .send()
                .await
                .map_err(|e| failed(format!("ListObjectsV2 {bucket}"), e))?;
            keys.extend(page.contents().iter().filter_map(|o| o.key.clone()));
            token = page.next_continuation_token;
            if token.is_none() {
                break;
            }
        }
        Ok(keys)
    }

    /// Deletes every object, then the bucket.
    pub async fn delete_bucket(&self, bucket: &str) -> Result<(), DemoError> {
        let keys = self.list_keys(bucket).await?;
        for chunk in keys.chunks(1000) {
            let objects = chunk
                .iter()
                .map(|k| ObjectIdentifier::builder().key(k).build())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| failed("ObjectIdentifier", e))?;
            let delete = Delete::builder()
                .set_objects(Some(objects))
                .quiet(true)
                .build()
                .map_err(|e| failed("Delete", e))?;
            self.s3
                .delete_objects()
                .bucket(bucket)
                .delete(delete)
                .send()
                .await
                .map_err(|e| failed(format!("DeleteObjects {bucket}"), e))?;
        }
        self.s3
            .delete_bucket()
            .bucket(bucket)
            .send()
            .await
            .map_err(|e| failed(format!("DeleteBucket {bucket}"), e))?;
        Ok(())
    }

    pub async fn create_log_group(&self, group: &str, streams: &[&str]) -> Result<(), DemoError> {
        self.logs
            .create_log_group()
            .log_group_name(group)
            .send()
            .await
            .map_err(|e| failed(format!("CreateLogGroup {group}"), e))?;
        for stream in streams {
            self.logs
                .create_log_stream()
                .log_group_name(group)
                .log_stream_name(*stream)
                .send()
                .await
                .map_err(|e| failed(format!("CreateLogStream {group}/{stream}"), e))?;
        }
        Ok(())
    }

    /// An SNS topic with an SQS subscription (raw delivery) the demo reads alerts back from.
    /// Returns (topic ARN, alert queue URL).
    pub async fn create_alert_topic(
        &self,
        topic: &str,
        queue: &str,
    ) -> Result<(String, String), DemoError> {
        let topic_arn = self
            .sns
            .create_topic()
            .name(topic)
            .send()
            .await
            .map_err(|e| failed(format!("CreateTopic {topic}"), e))?
            .topic_arn
            .ok_or_else(|| DemoError::failed(format!("CreateTopic {topic}: no ARN returned")))?;
        let (queue_url, queue_arn) = self.create_queue(queue).await?;
        self.sns
            .subscribe()
            .topic_arn(&topic_arn)
            .protocol("sqs")
            .endpoint(queue_arn)
            .attributes("RawMessageDelivery", "true")
            .send()
            .await
            .map_err(|e| failed(format!("Subscribe {queue} to {topic}"), e))?;
        Ok((topic_arn, queue_url))
    }

    pub async fn publish_alert(
        &self,
        topic_arn: &str,
        subject: &str,
        message: &str,
    ) -> Result<(), DemoError> {
        self.sns
            .publish()
            .topic_arn(topic_arn)
            .subject(subject)
            .message(message)
            .send()
            .await
            .map_err(|e| failed("Publish alert", e))?;
        Ok(())
    }
}

/// Everything one run created, so it can all be deleted afterwards, whatever happened.
#[derive(Debug, Default)]
pub struct Resources {
    pub buckets: Vec<String>,
    pub queues: Vec<String>,
    pub topics: Vec<String>,
    pub log_groups: Vec<String>,
}

impl Resources {
    /// Best effort: returns what could not be deleted (already gone counts as deleted).
    pub async fn teardown(&self, aws: &Aws) -> Vec<String> {
        let mut problems = Vec::new();
        for bucket in &self.buckets {
            if let Err(e) = aws.delete_bucket(bucket).await {
                let text = e.to_string();
                if !text.contains("NoSuchBucket") {
                    problems.push(text);
                }
            }
        }
        for queue in &self.queues {
            if let Err(e) = aws.sqs.delete_queue().queue_url(queue).send().await {
                problems.push(failed(format!("DeleteQueue {queue}"), e).to_string());
            }
        }
        for topic in &self.topics {
            if let Err(e) = aws.sns.delete_topic().topic_arn(topic).send().await {
                problems.push(failed(format!("DeleteTopic {topic}"), e).to_string());
            }
        }
        for group in &self.log_groups {
            if let Err(e) = aws
                .logs
                .delete_log_group()
                .log_group_name(group)
                .send()
                .await
            {
                problems.push(failed(format!("DeleteLogGroup {group}"), e).to_string());
            }
        }
        problems
    }
}

/// S3 user metadata of a response, or empty.
pub fn metadata_of(metadata: Option<&HashMap<String, String>>) -> HashMap<String, String> {
    metadata.cloned().unwrap_or_default()
}
