import { Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import { ENV } from "../../shared/config.js";
import type { NotifyConfig } from "./config.js";
import type { LanternFunction } from "./lantern-function.js";

export interface AlertsProps {
  notify: NotifyConfig;
  key: kms.IKey;
  /** The one function that sends alerts: only its role may read the Notify key. */
  sender: LanternFunction;
  /** Functions that queue alerts (submissions, the overdue sweep): told the secret's ARN only. */
  queuers: LanternFunction[];
}

/**
 * Alerts for people on AWS. The GOV.UK Notify API key is a Secrets Manager secret of its
 * own, encrypted with the stack's customer-managed key; the operator puts the key from
 * Notify's admin into it after the first deploy (until then sends fail and are retried).
 * Only the deliverer's role may read it: it alone drains the alert queue, on the outbox
 * stream and every minute (alert retries, and reminders the sweep has released). The
 * functions that queue alerts get the secret's ARN as the sign that Notify is configured,
 * never a grant. Notify is reached over HTTPS at api.notifications.service.gov.uk from
 * functions outside any VPC: no egress rule or endpoint is needed.
 */
export class NotifyAlerts extends Construct {
  readonly apiKey: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: AlertsProps) {
    super(scope, id);
    this.apiKey = new secretsmanager.Secret(this, "NotifyApiKey", {
      description: "GOV.UK Notify API key for Lantern's alerts (put the key from Notify's admin here)",
      encryptionKey: props.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.apiKey).acknowledge({
      id: "AwsSolutions-SMG4",
      reason:
        "GOV.UK Notify issues its API keys in its own admin; no rotation Lambda can make one. Rotate by creating a new key there, putting it in this secret and revoking the old one in Notify.",
    });
    const environment = {
      [ENV.notifyApiKeySecretArn]: this.apiKey.secretArn,
      [ENV.notifyEmailTemplateId]: props.notify.emailTemplateId,
      [ENV.notifySmsTemplateId]: props.notify.smsTemplateId,
      [ENV.consoleUrl]: props.notify.consoleUrl,
    };
    for (const fn of [props.sender, ...props.queuers]) {
      for (const [name, value] of Object.entries(environment)) fn.fn.addEnvironment(name, value);
    }
    props.sender.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["secretsmanager:GetSecretValue"],
        resources: [this.apiKey.secretArn],
      }),
    );
    new events.Rule(this, "AlertSchedule", {
      description: "Lantern: send alerts for people that are due (retries and released reminders)",
      schedule: events.Schedule.rate(Duration.minutes(1)),
      targets: [
        new targets.LambdaFunction(props.sender.fn, { retryAttempts: 0, maxEventAge: Duration.minutes(1) }),
      ],
    });
  }
}
