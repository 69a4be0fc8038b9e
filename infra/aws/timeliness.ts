import { Aws, Duration, Validations } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { DynamoEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { itemKeys } from "../../shared/adapters/dynamodb/items.js";
import { METRICS } from "../../shared/config.js";
import type { LanternFunction } from "./lantern-function.js";

/** How often the sweeper marks overdue notifications and sends due retries (the contract's default). */
export const SWEEP_RATE = Duration.minutes(1);

/** The partition key prefix of a push message in the outbox (`DELIVERY#<id>`). */
export const DELIVERY_KEY_PREFIX = itemKeys.delivery("").pk;

/** Retries of a failed stream batch before its positions go to the dead-letter queue. */
const STREAM_RETRIES = 2;

/**
 * An SQS on-failure destination for a stream mapping, like `SqsDlq` but with only what
 * sending to a KMS-encrypted queue takes: `SqsDlq` grants the role the whole key (Encrypt,
 * ReEncrypt*, GenerateDataKey*, Decrypt, from any service). Here: sqs:SendMessage on this
 * queue, and GenerateDataKey and Decrypt on its key only as SQS uses them.
 */
export class EncryptedSqsDlq implements lambda.IEventSourceDlq {
  constructor(
    private readonly queue: sqs.IQueue,
    private readonly key: kms.IKey,
  ) {}

  bind(_target: lambda.IEventSourceMapping, targetHandler: lambda.IFunction): lambda.DlqDestinationConfig {
    targetHandler.addToRolePolicy(
      new iam.PolicyStatement({ actions: ["sqs:SendMessage"], resources: [this.queue.queueArn] }),
    );
    targetHandler.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ["kms:GenerateDataKey", "kms:Decrypt"],
        resources: [this.key.keyArn],
        conditions: { StringEquals: { "kms:ViaService": `sqs.${Aws.REGION}.amazonaws.com` } },
      }),
    );
    return { destination: this.queue.queueArn };
  }
}

export interface TimelinessProps {
  sweeper: LanternFunction;
  deliverer: LanternFunction;
}

/**
 * The AWS clockwork of timeliness. The push outbox is the data table itself: each message is
 * a `DELIVERY#` item written in the same transaction as the notification (or the overdue
 * mark) it announces, with its next attempt indexed on gsi3. That is the durable queue: a
 * message is never lost, a redeploy or an outage included, and is retried on the contract's
 * schedule. Two things drain it:
 *
 * - the sweeper, every minute (EventBridge): overdue notifications, then every due message;
 * - the deliverer, on the data table's keys-only stream filtered to INSERTs of `DELIVERY#`
 *   items, so a new message's first attempt goes out within seconds, not at the next minute.
 *
 * SQS is the dead-letter destination: a stream batch the deliverer still fails after its
 * retries leaves its stream positions (never a message body) on the delivery dead-letter
 * queue, whose depth pages. Those messages are still in the outbox and the sweeper keeps
 * sending them; the page says the fast path is broken.
 */
export class Timeliness extends Construct {
  readonly schedule: events.Rule;
  private readonly deliverer: LanternFunction;

  /** Notifications not acknowledged by their due time: a partner is not responding. */
  readonly overdueAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: TimelinessProps) {
    super(scope, id);
    this.deliverer = props.deliverer;
    this.overdueAlarm = new cloudwatch.Alarm(this, "OverdueNotifications", {
      alarmDescription:
        "Notifications passed their due time unacknowledged: see GET /v1/escalations and chase the partner.",
      metric: new cloudwatch.Metric({
        namespace: METRICS.overdue.namespace,
        metricName: METRICS.overdue.name,
        statistic: cloudwatch.Stats.SUM,
        period: Duration.minutes(5),
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.schedule = new events.Rule(this, "SweepSchedule", {
      description: "Lantern: mark overdue notifications and send push messages that are due",
      schedule: events.Schedule.rate(SWEEP_RATE),
      // A run that fails is not retried: the next minute's run does the same work.
      targets: [
        new targets.LambdaFunction(props.sweeper.fn, { retryAttempts: 0, maxEventAge: Duration.minutes(1) }),
      ],
    });
  }

  /**
   * Feed new outbox items to the deliverer, with `deadLetters` (encrypted with `key`) as the
   * mapping's on-failure destination. Separate from the constructor because the queue is
   * made with the alarms.
   */
  streamOutbox(data: dynamodb.ITable, deadLetters: sqs.IQueue, key: kms.IKey): void {
    this.deliverer.fn.addEventSource(
      new DynamoEventSource(data, {
        // Messages written before the mapping existed are the sweeper's.
        startingPosition: lambda.StartingPosition.LATEST,
        batchSize: 100,
        retryAttempts: STREAM_RETRIES,
        // A stale signal is worth nothing: the sweeper has sent the message by then.
        maxRecordAge: Duration.minutes(10),
        // Records are signals, not work items: splitting a batch would not isolate anything.
        bisectBatchOnError: false,
        reportBatchItemFailures: true,
        onFailure: new EncryptedSqsDlq(deadLetters, key),
        filters: [
          lambda.FilterCriteria.filter({
            eventName: lambda.FilterRule.isEqual("INSERT"),
            dynamodb: { Keys: { pk: { S: lambda.FilterRule.beginsWith(DELIVERY_KEY_PREFIX) } } },
          }),
        ],
      }),
    );
    Validations.of(this.deliverer).acknowledge({
      id: "AwsSolutions-IAM5[Resource::*]",
      reason:
        "Lambda's DynamoDB stream poller needs dynamodb:ListStreams, which has no resource-level permissions; X-Ray's PutTraceSegments/PutTelemetryRecords likewise. Reading the stream itself is scoped to the data table's stream ARN.",
    });
  }
}
