import { Duration, type RemovalPolicy, Validations } from "aws-cdk-lib";
import type * as apigw from "aws-cdk-lib/aws-apigateway";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as actions from "aws-cdk-lib/aws-cloudwatch-actions";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as sns from "aws-cdk-lib/aws-sns";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { LanternFunction } from "./lantern-function.js";

export interface OperationsProps {
  key: kms.IKey;
  api: apigw.RestApi;
  functions: Record<string, LanternFunction>;
  /** Alarms raised elsewhere (the audit mutation alarm) that should page too. */
  alarms: cloudwatch.Alarm[];
  removalPolicy: RemovalPolicy;
}

/**
 * The delivery dead-letter queue and the alarms. Push messages queue in the data table's
 * outbox (see timeliness.ts), not in SQS: SQS holds what the outbox's fast path (the
 * deliverer's stream mapping) could not process after its retries. That queue's depth, the
 * API's 5xx, and every function's errors and throttles raise alarms on one encrypted topic
 * that operators subscribe to.
 */
export class Operations extends Construct {
  readonly deliveryDlq: sqs.Queue;
  readonly alarmTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    // Holds only stream positions (shard ids, sequence numbers), never a message or its body.
    this.deliveryDlq = new sqs.Queue(this, "DeliveryDlq", {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this.deliveryDlq).acknowledge({
      id: "AwsSolutions-SQS3",
      reason:
        "This queue is itself a dead-letter queue: the on-failure destination of the deliverer's stream mapping on the data table (cdk-nag recognises only SQS redrive dead-letter queues). The durable queue is the DynamoDB outbox; nothing consumes this one, and its depth pages operators.",
    });

    this.alarmTopic = new sns.Topic(this, "AlarmTopic", {
      displayName: "Lantern alarms",
      masterKey: props.key,
      enforceSSL: true,
    });
    const notify = new actions.SnsAction(this.alarmTopic);

    const alarms: cloudwatch.Alarm[] = [...props.alarms];
    const atLeastOnce = {
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    };
    alarms.push(
      new cloudwatch.Alarm(this, "DeliveryDlqDepth", {
        alarmDescription:
          "The deliverer failed a batch of new push messages after its retries: their stream positions sit in the dead-letter queue. The messages stay in the outbox and the sweeper keeps sending them each minute; find why the deliverer fails.",
        metric: this.deliveryDlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
        ...atLeastOnce,
      }),
      new cloudwatch.Alarm(this, "Api5xx", {
        alarmDescription: "The API answered 5xx: the contract allows none for anything a caller sent.",
        metric: props.api.metricServerError({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
        ...atLeastOnce,
      }),
    );
    for (const [name, fn] of Object.entries(props.functions)) {
      alarms.push(
        new cloudwatch.Alarm(this, `${name}Errors`, {
          alarmDescription: `The ${name} function threw or timed out.`,
          metric: fn.fn.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
          ...atLeastOnce,
        }),
        new cloudwatch.Alarm(this, `${name}Throttles`, {
          alarmDescription: `The ${name} function was throttled: raise its concurrency or find the flood.`,
          metric: fn.fn.metricThrottles({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
          ...atLeastOnce,
        }),
      );
    }
    for (const alarm of alarms) alarm.addAlarmAction(notify);
  }
}
