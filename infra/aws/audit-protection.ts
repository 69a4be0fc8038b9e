import { Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as kms from "aws-cdk-lib/aws-kms";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { DynamoEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { AUDIT_MUTATION_METRIC } from "../../functions/audit-stream-guard.js";
import type { LanternFunction } from "./lantern-function.js";

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
}
