import { Aws } from "aws-cdk-lib";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import type * as s3 from "aws-cdk-lib/aws-s3";
import type * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { ARCHIVE_PREFIX } from "../../functions/audit-archiver.js";
import { AUDIT_INDEX_KEYS, INDEX } from "../../shared/adapters/dynamodb/tables.js";
import type { Group } from "../../shared/api/routes.js";
import { ENV } from "../../shared/config.js";

/**
 * The ARN of the subject-key secret. The wiring must fetch the key from Secrets Manager at
 * cold start; the key itself never sits in a Lambda environment variable.
 */
export const SUBJECT_KEY_SECRET_ARN_ENV = ENV.subjectKeySecretArn;

type DynamoAction = "GetItem" | "BatchGetItem" | "Query" | "PutItem" | "UpdateItem" | "DeleteItem";

interface TableAccess {
  /** Actions on the table itself. */
  table: DynamoAction[];
  /** Indexes it queries (Query only). */
  indexes: string[];
}

export interface GroupAccess {
  data: TableAccess;
  audit: TableAccess;
  /** Whether the group computes pseudonymous subject ids. */
  subjectKey: boolean;
  /**
   * The checkpoint key: `sign` (the checkpointer alone, which also reads the public key),
   * `publicKey` (serves the key set and verifies the trail), or none.
   */
  checkpointKey: "sign" | "publicKey" | "none";
}

const NONE: TableAccess = { table: [], indexes: [] };

/**
 * What each route group's function does to DynamoDB, read from its handlers and the
 * adapters they call. TransactWriteItems has no IAM action of its own: DynamoDB authorises
 * each item of a transaction as its own action (Put → PutItem, Delete → DeleteItem); only
 * the sweeper's erasures hold an Update (and a Delete), so only it is granted them. Every authenticated function
 * reads the client→partner mapping (GetItem); every audited change reads its shard's head
 * (Query on the audit table) and appends events (PutItem). A new group, or a new kind of
 * write (an Update, a Delete in a transaction), must be added here.
 */
export const ACCESS: Record<Group, GroupAccess> = {
  concerns: {
    // Registry lookups (GetItem; Query on gsi1), the idempotency record (GetItem), the
    // concern and its notifications (GetItem, BatchGetItem), the submission (Puts).
    data: { table: ["GetItem", "BatchGetItem", "PutItem"], indexes: [INDEX.gsi1] },
    audit: { table: ["Query", "PutItem"], indexes: [] },
    subjectKey: true,
    checkpointKey: "none",
  },
  notifications: {
    // The inbox (Query on gsi1/gsi2), opening (GetItem), transitions (conditional Put).
    data: { table: ["GetItem", "PutItem"], indexes: [INDEX.gsi1, INDEX.gsi2] },
    audit: { table: ["Query", "PutItem"], indexes: [] },
    subjectKey: false,
    checkpointKey: "none",
  },
  registry: {
    // Partners, agreements, routing rules: GetItem, lists on gsi1, conditional Puts, and
    // Deletes of client-id claims a partner gives up (inside the audited transaction).
    data: { table: ["GetItem", "PutItem", "DeleteItem"], indexes: [INDEX.gsi1] },
    audit: { table: ["Query", "PutItem"], indexes: [] },
    subjectKey: false,
    checkpointKey: "none",
  },
  audit: {
    // Shards and the auditors' indexes; checkpoints (Query; a new one is the checkpointer's
    // to write, asked by invoking it); the break-glass review queue (gsi1/gsi2, GetItem, the
    // finding's conditional Put); appends audit_exported and review events. The checkpoint
    // key's public half only: the key set and verification.
    data: { table: ["GetItem", "PutItem"], indexes: [INDEX.gsi1, INDEX.gsi2] },
    audit: { table: ["Query", "PutItem"], indexes: Object.keys(AUDIT_INDEX_KEYS) },
    subjectKey: false,
    checkpointKey: "publicKey",
  },
  public: {
    // Health: one GetItem proves the store answers.
    data: { table: ["GetItem"], indexes: [] },
    audit: NONE,
    subjectKey: false,
    checkpointKey: "none",
  },
};

/**
 * The checkpointer (functions/checkpointer.ts, on a schedule): reads each shard's head and
 * the latest checkpoint (Query), appends the next checkpoint (conditional PutItem, shard -1),
 * signs it with the checkpoint key. No data table, no index, no subject key. It is invoked by
 * its schedule and, synchronously, by the audit function for `POST /v1/audit/checkpoints`.
 */
export const CHECKPOINTER_ACCESS: GroupAccess = {
  data: NONE,
  audit: { table: ["Query", "PutItem"], indexes: [] },
  subjectKey: false,
  checkpointKey: "sign",
};

/**
 * The sweeper (functions/sweeper.ts, on a schedule): reads the due queue (Query on gsi3),
 * the recipient partner (GetItem), and marks each overdue notification in one transaction
 * with its escalation, its push message (conditional Puts) and its `deadline_missed` event
 * (the shard head: Query; the append: PutItem on the audit table); then sends due messages
 * as the deliverer does. Retention: reads the erasure queue (gsi3), erases content past its
 * retention by UpdateItem (the personal members only) and drops its queue entry (DeleteItem),
 * with its `content_erased` event, on the data table only: the audit table's deny stands; it
 * finds a concern's withheld decisions by their events (Query on byConcern). No
 * gsi1 or gsi2 (listing deliveries and escalations is the routes' work), no subject key, no
 * checkpoint key.
 */
export const SWEEPER_ACCESS: GroupAccess = {
  data: { table: ["GetItem", "PutItem", "UpdateItem", "DeleteItem"], indexes: [INDEX.gsi3] },
  audit: { table: ["Query", "PutItem"], indexes: [INDEX.byConcern] },
  subjectKey: false,
  checkpointKey: "none",
};

/**
 * The deliverer (functions/deliverer.ts, on the data table's stream): reads the outbox (Query
 * on gsi3), the partner's webhook secrets and the notification (GetItem), claims and saves
 * each message and records a delivery escalation (conditional Puts). It writes no audit
 * event, so it has no access to the audit table at all (the deny still applies).
 */
export const DELIVERER_ACCESS: GroupAccess = {
  data: { table: ["GetItem", "PutItem"], indexes: [INDEX.gsi3] },
  audit: NONE,
  subjectKey: false,
  checkpointKey: "none",
};

/**
 * The audit archiver's writes: new objects under its two prefixes only (never a delete, a
 * retention change or a read), encrypted by S3 with the bucket's key. With an S3 Bucket Key
 * the encryption context is the bucket's ARN, so the key serves this bucket and no other.
 */
export function grantArchiveWrite(role: iam.IRole, archive: s3.IBucket, key: kms.IKey): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ["s3:PutObject"],
      resources: Object.values(ARCHIVE_PREFIX).map((prefix) => archive.arnForObjects(`${prefix}*`)),
    }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ["kms:GenerateDataKey"],
      resources: [key.keyArn],
      conditions: {
        StringEquals: {
          "kms:ViaService": `s3.${Aws.REGION}.amazonaws.com`,
          "kms:EncryptionContext:aws:s3:arn": archive.bucketArn,
        },
      },
    }),
  );
}

function tableStatements(table: dynamodb.ITable, access: TableAccess): iam.PolicyStatement[] {
  const statements: iam.PolicyStatement[] = [];
  if (access.table.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        actions: access.table.map((a) => `dynamodb:${a}`),
        resources: [table.tableArn],
      }),
    );
  }
  if (access.indexes.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        actions: ["dynamodb:Query"],
        resources: access.indexes.map((name) => `${table.tableArn}/index/${name}`),
      }),
    );
  }
  return statements;
}

/** The CMK, only as DynamoDB or Secrets Manager use it on the function's behalf. */
export function keyUseStatement(key: kms.IKey): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
    resources: [key.keyArn],
    conditions: {
      StringEquals: {
        "kms:ViaService": [
          `dynamodb.${Aws.REGION}.amazonaws.com`,
          `secretsmanager.${Aws.REGION}.amazonaws.com`,
        ],
      },
    },
  });
}

export interface GrantTargets {
  data: dynamodb.ITable;
  audit: dynamodb.ITable;
  key: kms.IKey;
  subjectKey: secretsmanager.ISecret;
  checkpointKey: kms.IKey;
}

/** Grant a group's function exactly its access, nothing from a `grant*` helper's wider set. */
export function grantGroupAccess(role: iam.IRole, access: GroupAccess, targets: GrantTargets): void {
  const statements = [
    ...tableStatements(targets.data, access.data),
    ...tableStatements(targets.audit, access.audit),
  ];
  if (access.subjectKey) {
    statements.push(
      new iam.PolicyStatement({
        actions: ["secretsmanager:GetSecretValue"],
        resources: [targets.subjectKey.secretArn],
      }),
    );
  }
  if (statements.length > 0) statements.push(keyUseStatement(targets.key));
  if (access.checkpointKey === "sign") {
    statements.push(
      new iam.PolicyStatement({
        actions: ["kms:Sign"],
        resources: [targets.checkpointKey.keyArn],
        conditions: { StringEquals: { "kms:SigningAlgorithm": "ECDSA_SHA_256" } },
      }),
    );
  }
  if (access.checkpointKey !== "none") {
    statements.push(
      new iam.PolicyStatement({ actions: ["kms:GetPublicKey"], resources: [targets.checkpointKey.keyArn] }),
    );
  }
  for (const statement of statements) role.addToPrincipalPolicy(statement);
}

/**
 * Actions that could change or remove an audit event once written, or blind what watches
 * the trail: table settings (UpdateTable can switch the stream off, starving the stream guard
 * and the archiver), TTL (could expire events), backups and point-in-time recovery, restores,
 * deletion.
 */
export const AUDIT_MUTATIONS = [
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  // BatchWriteItem both puts and deletes, and IAM cannot tell which: Lantern never batch
  // writes audit events (they are appended by conditional Puts in a transaction), so the
  // whole action is denied rather than leave a delete path open.
  "dynamodb:BatchWriteItem",
  "dynamodb:PartiQLUpdate",
  "dynamodb:PartiQLDelete",
  "dynamodb:UpdateTable",
  "dynamodb:UpdateTimeToLive",
  "dynamodb:UpdateContinuousBackups",
  "dynamodb:DeleteTable",
  // Every restore (RestoreTable*), named, so no wildcard enters a policy.
  "dynamodb:RestoreTableFromBackup",
  "dynamodb:RestoreTableToPointInTime",
  "dynamodb:RestoreTableFromAwsBackup",
];

/**
 * Who may write checkpoint rows (the audit table's shard -1): the checkpointer alone, which
 * writes nothing else and alone holds the signing key. The audit function asks it for
 * `POST /v1/audit/checkpoints` (lambda:InvokeFunction on that one function). Every other
 * role is denied them.
 */
export type CheckpointWriting = "never" | "only";
export const CHECKPOINT_WRITERS: Partial<Record<string, CheckpointWriting>> = {
  checkpointer: "only",
};
/** The checkpoint partition as IAM's `dynamodb:LeadingKeys` sees it (the key's text). */
const CHECKPOINT_PARTITION = "-1";

/**
 * Explicit Denies win over any Allow, now or added later by mistake:
 * - no role may update or delete an audit event, or change, restore or delete the table;
 * - no role may PutItem an audit event outside a transaction (an unconditional Put would
 *   replace one): Lantern appends events only inside TransactWriteItems, and
 *   `dynamodb:EnclosingOperation` is absent exactly when a Put is not in one. Checkpoints are
 *   plain conditional Puts, so their writers keep that for shard -1 only;
 * - checkpoint rows are written by CHECKPOINT_WRITERS alone (`dynamodb:LeadingKeys`), and the
 *   checkpointer writes no event.
 * IAM cannot see a ConditionExpression: a Put inside a transaction without
 * `attribute_not_exists` is still allowed to the write path. The stream guard's alarm on any
 * MODIFY or REMOVE in the audit stream is what detects such an overwrite.
 */
export function denyAuditMutation(
  role: iam.IRole,
  audit: dynamodb.ITable,
  checkpoints: CheckpointWriting = "never",
): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: "DenyAuditMutation",
      effect: iam.Effect.DENY,
      actions: AUDIT_MUTATIONS,
      resources: [audit.tableArn, `${audit.tableArn}/backup/*`],
    }),
  );
  const outsideTransaction = { Null: { "dynamodb:EnclosingOperation": "true" } };
  const notCheckpoint = {
    "ForAnyValue:StringNotEquals": { "dynamodb:LeadingKeys": [CHECKPOINT_PARTITION] },
  };
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: "DenyAuditPutOutsideTransactions",
      effect: iam.Effect.DENY,
      actions: ["dynamodb:PutItem"],
      resources: [audit.tableArn],
      conditions: checkpoints === "never" ? outsideTransaction : { ...outsideTransaction, ...notCheckpoint },
    }),
  );
  if (checkpoints === "never") {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: "DenyCheckpointWrites",
        effect: iam.Effect.DENY,
        actions: ["dynamodb:PutItem"],
        resources: [audit.tableArn],
        conditions: { "ForAnyValue:StringEquals": { "dynamodb:LeadingKeys": [CHECKPOINT_PARTITION] } },
      }),
    );
  }
  if (checkpoints === "only") {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: "DenyEventWritesByCheckpointer",
        effect: iam.Effect.DENY,
        actions: ["dynamodb:PutItem"],
        resources: [audit.tableArn],
        conditions: notCheckpoint,
      }),
    );
  }
}
