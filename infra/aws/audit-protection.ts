import { Duration, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import * as kms from "aws-cdk-lib/aws-kms";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { DynamoEventSource, SqsDlq } from "aws-cdk-lib/aws-lambda-event-sources";
import * as s3 from "aws-cdk-lib/aws-s3";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { ARCHIVE_BUCKET_ENV, ARCHIVE_PREFIX } from "../../functions/audit-archiver.js";
import { AUDIT_MUTATION_METRIC } from "../../functions/audit-stream-guard.js";
import { grantArchiveWrite } from "./access.js";
import type { LanternFunction } from "./lantern-function.js";

/** How often the checkpointer signs the shard heads (when events have arrived). */
export const CHECKPOINT_RATE = Duration.minutes(1);

/** The archive lagging the audit table by this much pages someone. */
const ARCHIVE_LAG_ALARM = Duration.minutes(15);

export interface AuditProtectionProps {
  stage: string;
  key: kms.IKey;
  retentionYears: number;
}

/**
 * What makes the audit trail hard to rewrite, beyond the IAM Deny on every function role:
 * an asymmetric key to sign checkpoints of the chain heads, a write-once (Object Lock,
 * COMPLIANCE) archive bucket for checkpoints and exports, and an alarm on any MODIFY or
 * REMOVE seen on the audit table's stream.
 */
export class AuditProtection extends Construct {
  readonly checkpointKey: kms.Key;
  readonly archive: s3.Bucket;
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: AuditProtectionProps) {
    super(scope, id);
    this.checkpointKey = new kms.Key(this, "CheckpointKey", {
      description: `Lantern ${props.stage}: signs audit chain checkpoints (ECDSA P-256)`,
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      // A signing key that verifies years of checkpoints must outlive any stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.checkpointKey).acknowledge({
      id: "AwsSolutions-KMS5",
      reason:
        "Asymmetric KMS keys cannot be rotated automatically; checkpoints name the key version they were signed with, and a new key is introduced by a new checkpoint.",
    });

    const days = Math.round(props.retentionYears * 365.25);
    this.accessLogs = new s3.Bucket(this, "ArchiveAccessLogs", {
      // Server access logging delivers only to SSE-S3 buckets.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(days), noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.accessLogs).acknowledge({
      id: "AwsSolutions-S1",
      reason:
        "This bucket is the server access log target of the audit archive; logging it into itself would loop, and S3 logs access to it through CloudTrail data events if enabled.",
    });

    this.archive = new s3.Bucket(this, "AuditArchive", {
      objectLockEnabled: true,
      versioned: true,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: "audit-archive/",
      // Locked objects cannot be deleted before their retention ends, whatever the stage.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Whole years, as the retention policy is written (the L2 would render them as days).
    (this.archive.node.defaultChild as s3.CfnBucket).objectLockConfiguration = {
      objectLockEnabled: "Enabled",
      rule: { defaultRetention: { mode: "COMPLIANCE", years: props.retentionYears } },
    };
  }

  /**
   * Feed the audit table's MODIFY and REMOVE records (and nothing else) to the stream guard
   * (functions/audit-stream-guard.ts) and alarm on the metric it emits.
   */
  guard(audit: dynamodb.ITable, streamGuard: LanternFunction): cloudwatch.Alarm {
    const guard = streamGuard.fn;
    guard.addEventSource(
      new DynamoEventSource(audit, {
        startingPosition: lambda.StartingPosition.LATEST,
        batchSize: 100,
        retryAttempts: 10,
        bisectBatchOnError: true,
        filters: [lambda.FilterCriteria.filter({ eventName: lambda.FilterRule.or("MODIFY", "REMOVE") })],
      }),
    );
    Validations.of(streamGuard).acknowledge({
      id: "AwsSolutions-IAM5[Resource::*]",
      reason:
        "Lambda's DynamoDB stream poller needs dynamodb:ListStreams, which has no resource-level permissions; X-Ray's PutTraceSegments/PutTelemetryRecords likewise. Reading the stream itself is scoped to the audit table's stream ARN.",
    });

    return new cloudwatch.Alarm(this, "AuditMutationAlarm", {
      alarmDescription:
        "An audit event was modified or removed: audit events are append-only. Investigate now.",
      metric: new cloudwatch.Metric({
        namespace: AUDIT_MUTATION_METRIC.namespace,
        metricName: AUDIT_MUTATION_METRIC.name,
        dimensionsMap: { [AUDIT_MUTATION_METRIC.dimension]: audit.tableName },
        statistic: cloudwatch.Stats.SUM,
        period: Duration.minutes(1),
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }

  /**
   * Sign the shard heads every minute: an EventBridge schedule invokes the checkpointer, which
   * writes a checkpoint only when events have arrived since the last (so an idle hub adds
   * none). A run that fails is not retried: the next minute's run signs the same heads.
   */
  schedule(checkpointer: LanternFunction): events.Rule {
    return new events.Rule(this, "CheckpointSchedule", {
      description: "Lantern: sign the audit chain heads (a checkpoint when events have arrived)",
      schedule: events.Schedule.rate(CHECKPOINT_RATE),
      targets: [
        new targets.LambdaFunction(checkpointer.fn, { retryAttempts: 0, maxEventAge: Duration.minutes(1) }),
      ],
    });
  }

  /**
   * Copy every new audit event and checkpoint into the Object Lock archive: the audit
   * table's INSERT records (and nothing else) feed the archiver, which writes each object
   * once (functions/audit-archiver.ts). Records it cannot archive are retried from the
   * first failed one; after 10 attempts their stream positions go to a dead-letter queue
   * that pages, while the stream's 24 hours still allow a replay. Returns the alarms.
   */
  archiveStream(audit: dynamodb.ITable, archiver: LanternFunction, key: kms.IKey): cloudwatch.Alarm[] {
    archiver.fn.addEnvironment(ARCHIVE_BUCKET_ENV, this.archive.bucketName);
    grantArchiveWrite(archiver.role, this.archive, key);
    const bucketArn = `<${Stack.of(this).getLogicalId(this.archive.node.defaultChild as s3.CfnBucket)}.Arn>`;
    for (const prefix of Object.values(ARCHIVE_PREFIX)) {
      Validations.of(archiver).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${bucketArn}/${prefix}*]`,
        reason: `The archiver writes one object per audit record under ${prefix} (keys are shard and seq, or the checkpoint number, known only at run time); s3:PutObject only, no read, delete or retention change, and If-None-Match plus Object Lock make each object write-once.`,
      });
    }

    // Holds only stream positions (shard iterators, sequence numbers), never an event.
    const failures = new sqs.Queue(this, "ArchiveFailures", {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(failures).acknowledge({
      id: "AwsSolutions-SQS3",
      reason:
        "This queue is itself a dead-letter queue: the on-failure destination of the audit archiver's stream mapping (cdk-nag recognises only SQS redrive dead-letter queues). Nothing consumes it; its depth pages operators.",
    });

    archiver.fn.addEventSource(
      new DynamoEventSource(audit, {
        // From the oldest record the stream holds: nothing written before the first deploy
        // of the archiver (within 24 hours) is missed.
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(5),
        retryAttempts: 10,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(failures),
        filters: [lambda.FilterCriteria.filter({ eventName: lambda.FilterRule.isEqual("INSERT") })],
      }),
    );
    Validations.of(archiver).acknowledge({
      id: "AwsSolutions-IAM5[Resource::*]",
      reason:
        "Lambda's DynamoDB stream poller needs dynamodb:ListStreams, which has no resource-level permissions; X-Ray's PutTraceSegments/PutTelemetryRecords likewise. Reading the stream itself is scoped to the audit table's stream ARN.",
    });
    const atLeastOnce = {
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    };
    return [
      new cloudwatch.Alarm(this, "ArchiveFailuresDepth", {
        alarmDescription:
          "Audit records could not be archived after 10 attempts: replay them from the audit table (the queue holds their stream positions).",
        metric: failures.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
        ...atLeastOnce,
      }),
      // Batch item failures do not count as function errors: a stuck archive shows as age.
      new cloudwatch.Alarm(this, "ArchiveLag", {
        alarmDescription: `The audit archive lags the audit table by more than ${ARCHIVE_LAG_ALARM.toMinutes()} minutes.`,
        metric: archiver.fn.metric("IteratorAge", {
          statistic: cloudwatch.Stats.MAXIMUM,
          period: Duration.minutes(5),
        }),
        threshold: ARCHIVE_LAG_ALARM.toMilliseconds(),
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    ];
  }
}
