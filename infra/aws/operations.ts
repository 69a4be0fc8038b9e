import { Duration, type RemovalPolicy } from "aws-cdk-lib";
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
 * Queues and alarms. The delivery queue is for push delivery to partners' webhooks (a later
 * issue); its dead-letter queue, the API's 5xx, and every function's errors and throttles
 * raise alarms on one encrypted topic that operators subscribe to.
 */
export class Operations extends Construct {
  readonly deliveryQueue: sqs.Queue;
  readonly deliveryDlq: sqs.Queue;
  readonly alarmTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    this.deliveryDlq = new sqs.Queue(this, "DeliveryDlq", {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy,
    });
    this.deliveryQueue = new sqs.Queue(this, "DeliveryQueue", {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(60),
      deadLetterQueue: { queue: this.deliveryDlq, maxReceiveCount: 5 },
      removalPolicy: props.removalPolicy,
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
        alarmDescription: "A push delivery failed five times and sits in the dead-letter queue.",
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
