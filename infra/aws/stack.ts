import {
  Aws,
  CfnOutput,
  CfnParameter,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as logs from "aws-cdk-lib/aws-logs";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import type { Construct } from "constructs";
import { type Group, type RouteSpec, routes } from "../../shared/api/routes.js";
import { ENV } from "../../shared/config.js";
import {
  ACCESS,
  CHECKPOINT_WRITERS,
  CHECKPOINTER_ACCESS,
  DELIVERER_ACCESS,
  denyAuditMutation,
  grantGroupAccess,
  SUBJECT_KEY_SECRET_ARN_ENV,
  SWEEPER_ACCESS,
} from "./access.js";
import { LanternApi } from "./api.js";
import { AuditProtection } from "./audit-protection.js";
import type { LanternConfig } from "./config.js";
import { ConsoleSite } from "./console.js";
import { LanternTables } from "./data.js";
import { type FunctionName, functionEntries, routeGroups } from "./esbuild-config.js";
import { LanternFunction } from "./lantern-function.js";
import { Operations } from "./operations.js";
import { Timeliness } from "./timeliness.js";

export interface LanternStackProps extends StackProps {
  config: LanternConfig;
}

/**
 * One Lantern hub: the tables, the functions (one per route group, the token authorizer,
 * the audit stream guard, the checkpointer, the audit archiver, the overdue sweeper and the
 * push deliverer), the API generated from the route table, audit protection and alarms.
 * Issuer and key-set URL are deploy-time parameters (context gives their defaults).
 *
 * Push delivery: the durable queue is the DynamoDB outbox (`DELIVERY#` items in the data
 * table, written in the same transaction as the notification they announce, due ones on
 * gsi3), drained by the sweeper every minute and, within seconds of a new message, by the
 * deliverer on the data table's stream. SQS is the dead-letter destination: stream batches
 * the deliverer still fails after its retries land in the delivery dead-letter queue, whose
 * depth pages (timeliness.ts says more). Partners are called over HTTPS with fetch from
 * functions outside any VPC; that needs no IAM.
 */
export class LanternStack extends Stack {
  readonly tables: LanternTables;
  readonly functions: Record<FunctionName, LanternFunction>;
  readonly api: LanternApi;

  constructor(scope: Construct, id: string, props: LanternStackProps) {
    super(scope, id, props);
    // Server access logs delivered under a bucket policy, not ACLs (ACLs stay disabled).
    this.node.setContext("@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", true);
    const { config } = props;
    const prod = config.stage === "prod";
    const removalPolicy = prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const logRetention = prod ? logs.RetentionDays.ONE_YEAR : logs.RetentionDays.ONE_MONTH;

    const issuer = new CfnParameter(this, "Issuer", {
      description: "The OAuth issuer (iss) Lantern trusts",
      minLength: 1,
      ...(config.issuer ? { default: config.issuer } : {}),
    });
    const jwksUrl = new CfnParameter(this, "JwksUrl", {
      description: "The issuer's JSON Web Key Set URL (https)",
      allowedPattern: "^https://.+",
      ...(config.jwksUrl ? { default: config.jwksUrl } : {}),
    });

    const key = new kms.Key(this, "DataKey", {
      description: `Lantern ${config.stage}: tables, subject key secret, archive, queues, logs`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    allowServiceUse(key);

    this.tables = new LanternTables(this, "Tables", {
      names: { data: `lantern-${config.stage}-data`, audit: `lantern-${config.stage}-audit` },
      key,
      removalPolicy,
    });

    const subjectKey = new secretsmanager.Secret(this, "SubjectKey", {
      description: "Base64 key (48 bytes) of Lantern's pseudonymous subject ids",
      encryptionKey: key,
      // 64 characters of [A-Za-z0-9] decode as base64 to 48 bytes (about 380 bits).
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(subjectKey).acknowledge({
      id: "AwsSolutions-SMG4",
      reason:
        "The subject key derives the pseudonymous subject ids that link a child's concerns and audit events over years; rotating it would silently split every subject's history. It is re-keyed only by a planned migration.",
    });

    // Seals the cursors of every paged route (HMAC-SHA256); a new value only invalidates the
    // cursors outstanding at that moment, so it may be rotated at will.
    const cursorKey = new secretsmanager.Secret(this, "CursorKey", {
      description: "Base64 key (48 bytes) that seals Lantern's cursors",
      encryptionKey: key,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    });
    Validations.of(cursorKey).acknowledge({
      id: "AwsSolutions-SMG4",
      reason:
        "Rotating the cursor key needs no rotation Lambda: put a new value and only the cursors outstanding at that moment become invalid (400); callers start from the first page.",
    });

    const protection = new AuditProtection(this, "AuditProtection", {
      stage: config.stage,
      key,
      retentionYears: config.auditRetentionYears,
    });

    const common = { logRetention, logKey: key, removalPolicy };
    const appEnvironment = {
      [ENV.dataTable]: this.tables.data.tableName,
      [ENV.auditTable]: this.tables.audit.tableName,
      [ENV.auditShards]: String(config.auditShards),
      [ENV.issuer]: issuer.valueAsString,
      [ENV.audience]: config.audience,
      [ENV.jwksUrl]: jwksUrl.valueAsString,
      [ENV.webhookHttpsOnly]: "true",
      // Every group's wiring builds the signer; only the audit group may use the key.
      [ENV.checkpointKmsKeyId]: protection.checkpointKey.keyArn,
    };
    const entries = functionEntries();
    const grantTargets = {
      data: this.tables.data,
      audit: this.tables.audit,
      key,
      subjectKey,
      checkpointKey: protection.checkpointKey,
    };
    // A group whose routes take a cursor reads the cursor key; the others never see it.
    const pagingGroups = new Set(
      (routes as readonly RouteSpec[])
        .filter((r) => "cursor" in ((r.query as { shape?: object } | undefined)?.shape ?? {}))
        .map((r) => r.group),
    );
    const groups = {} as Record<Group, LanternFunction>;
    for (const group of routeGroups()) {
      const access = ACCESS[group];
      const fn = new LanternFunction(this, `${capitalise(group)}Function`, {
        ...common,
        entry: entries[group],
        description: `Lantern ${config.stage}: the ${group} routes`,
        // Submissions keep Lambda capacity however busy the other functions are.
        ...(group === "concerns" ? { reservedConcurrentExecutions: config.concernsReservedConcurrency } : {}),
        environment: {
          ...appEnvironment,
          ...(access.subjectKey ? { [SUBJECT_KEY_SECRET_ARN_ENV]: subjectKey.secretArn } : {}),
          ...(pagingGroups.has(group) ? { [ENV.cursorKeySecretArn]: cursorKey.secretArn } : {}),
        },
      });
      grantGroupAccess(fn.role, access, grantTargets);
      if (pagingGroups.has(group)) {
        fn.role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            actions: ["secretsmanager:GetSecretValue"],
            resources: [cursorKey.secretArn],
          }),
        );
      }
      groups[group] = fn;
    }
    const authorizer = new LanternFunction(this, "AuthorizerFunction", {
      ...common,
      entry: entries.authorizer,
      description: `Lantern ${config.stage}: verifies bearer tokens for API Gateway`,
      timeout: Duration.seconds(5),
      environment: {
        [ENV.issuer]: issuer.valueAsString,
        [ENV.audience]: config.audience,
        [ENV.jwksUrl]: jwksUrl.valueAsString,
      },
    });
    const auditStreamGuard = new LanternFunction(this, "AuditStreamGuardFunction", {
      ...common,
      entry: entries.auditStreamGuard,
      description: `Lantern ${config.stage}: counts any change to an audit event`,
      memorySize: 256,
      timeout: Duration.seconds(30),
    });
    const checkpointer = new LanternFunction(this, "CheckpointerFunction", {
      ...common,
      entry: entries.checkpointer,
      description: `Lantern ${config.stage}: signs a checkpoint of the audit chain heads every minute`,
      memorySize: 256,
      timeout: Duration.seconds(30),
      environment: appEnvironment,
    });
    grantGroupAccess(checkpointer.role, CHECKPOINTER_ACCESS, grantTargets);
    // POST /v1/audit/checkpoints: the audit function asks the checkpointer, the only writer of
    // checkpoint rows, by invoking that one function (its unqualified ARN: no version wildcard).
    groups.audit.fn.addEnvironment(ENV.checkpointerFunction, checkpointer.fn.functionName);
    groups.audit.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["lambda:InvokeFunction"],
        resources: [checkpointer.fn.functionArn],
      }),
    );
    const auditArchiver = new LanternFunction(this, "AuditArchiverFunction", {
      ...common,
      entry: entries.auditArchiver,
      description: `Lantern ${config.stage}: copies new audit events and checkpoints to the Object Lock archive`,
      memorySize: 256,
      timeout: Duration.seconds(60),
    });
    const clockwork = {
      ...common,
      memorySize: 256,
      timeout: Duration.seconds(60),
      environment: appEnvironment,
    };
    const sweeper = new LanternFunction(this, "SweeperFunction", {
      ...clockwork,
      entry: entries.sweeper,
      description: `Lantern ${config.stage}: marks overdue notifications and sends due push messages every minute`,
    });
    grantGroupAccess(sweeper.role, SWEEPER_ACCESS, grantTargets);
    const deliverer = new LanternFunction(this, "DelivererFunction", {
      ...clockwork,
      entry: entries.deliverer,
      description: `Lantern ${config.stage}: sends new push messages as they enter the outbox`,
    });
    grantGroupAccess(deliverer.role, DELIVERER_ACCESS, grantTargets);
    this.functions = {
      ...groups,
      authorizer,
      auditStreamGuard,
      checkpointer,
      auditArchiver,
      sweeper,
      deliverer,
    };
    for (const [name, fn] of Object.entries(this.functions))
      denyAuditMutation(fn.role, this.tables.audit, CHECKPOINT_WRITERS[name] ?? "never");

    this.api = new LanternApi(this, "Api", {
      ...common,
      stage: config.stage,
      handlers: Object.fromEntries(Object.entries(groups).map(([g, f]) => [g, f.fn])) as Record<
        Group,
        LanternFunction["fn"]
      >,
      authorizer: authorizer.fn,
      throttle: config.throttle,
      publicThrottle: config.publicThrottle,
      ipRateLimit: config.ipRateLimit,
    });
    new ConsoleSite(this, "Console", { api: this.api.api, issuer: issuer.valueAsString, removalPolicy });

    const mutationAlarm = protection.guard(this.tables.audit, auditStreamGuard);
    protection.schedule(checkpointer);
    const archiveAlarms = protection.archiveStream(this.tables.audit, auditArchiver, key);
    const timeliness = new Timeliness(this, "Timeliness", { sweeper, deliverer });

    const operations = new Operations(this, "Operations", {
      key,
      api: this.api.api,
      functions: this.functions,
      alarms: [mutationAlarm, ...archiveAlarms, timeliness.overdueAlarm],
      removalPolicy,
    });
    timeliness.streamOutbox(this.tables.data, operations.deliveryDlq, key);

    new CfnOutput(this, "ApiUrl", { value: this.api.api.url });
    new CfnOutput(this, "DataTableName", { value: this.tables.data.tableName });
    new CfnOutput(this, "AuditTableName", { value: this.tables.audit.tableName });
    new CfnOutput(this, "CheckpointKeyArn", { value: protection.checkpointKey.keyArn });
    new CfnOutput(this, "AuditArchiveBucketName", { value: protection.archive.bucketName });
    new CfnOutput(this, "SubjectKeySecretArn", { value: subjectKey.secretArn });
    new CfnOutput(this, "DeliveryDeadLetterQueueUrl", { value: operations.deliveryDlq.queueUrl });
    new CfnOutput(this, "AlarmTopicArn", { value: operations.alarmTopic.topicArn });
  }
}

function capitalise(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/**
 * Services that encrypt with the CMK on their own account (not a function's role): CloudWatch
 * Logs for the log groups, CloudWatch alarms publishing to the encrypted topic.
 */
function allowServiceUse(key: kms.Key): void {
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
      actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
      resources: ["*"],
      conditions: {
        ArnLike: {
          "kms:EncryptionContext:aws:logs:arn": `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:*`,
        },
      },
    }),
  );
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal("cloudwatch.amazonaws.com")],
      actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
      resources: ["*"],
      conditions: { StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID } },
    }),
  );
}
