/**
 * Environment variable names, shared by the functions, the local runtime and the CDK app, so
 * a name is spelt once. Reading fails fast, naming the variable that is missing.
 */
export const ENV = {
  dataTable: "LANTERN_DATA_TABLE",
  auditTable: "LANTERN_AUDIT_TABLE",
  tablePrefix: "LANTERN_TABLE_PREFIX",
  auditShards: "LANTERN_AUDIT_SHARDS",
  dynamodbEndpoint: "LANTERN_DYNAMODB_ENDPOINT",
  /** The embedded store's own access key id (set by the local runtime from the data directory). */
  dynamodbAccessKeyId: "LANTERN_DYNAMODB_ACCESS_KEY_ID",
  subjectKey: "LANTERN_SUBJECT_KEY",
  /** On AWS: the Secrets Manager secret holding the subject key, read at cold start. */
  subjectKeySecretArn: "LANTERN_SUBJECT_KEY_SECRET_ARN",
  /** The key (base64, 32+ bytes) that seals cursors; locally made in the data directory. */
  cursorKey: "LANTERN_CURSOR_KEY",
  /** On AWS: the Secrets Manager secret holding the cursor key, read at cold start. */
  cursorKeySecretArn: "LANTERN_CURSOR_KEY_SECRET_ARN",
  issuer: "LANTERN_ISSUER",
  audience: "LANTERN_AUDIENCE",
  jwksUrl: "LANTERN_JWKS_URL",
  /** The local development issuer's public key set, inline (set by the local runtime). */
  jwks: "LANTERN_JWKS",
  dataDir: "LANTERN_DATA_DIR",
  seed: "LANTERN_SEED",
  webhookHttpsOnly: "LANTERN_WEBHOOK_HTTPS_ONLY",
  checkpointKmsKeyId: "LANTERN_CHECKPOINT_KMS_KEY_ID",
  checkpointPreviousKmsKeyIds: "LANTERN_CHECKPOINT_PREVIOUS_KMS_KEY_IDS",
  /** The local hub's checkpoint key pair, inline (set by the local runtime). */
  checkpointKey: "LANTERN_CHECKPOINT_KEY",
  checkpointSeconds: "LANTERN_CHECKPOINT_SECONDS",
  /** On AWS, the checkpointer function the audit function asks for a checkpoint on demand. */
  checkpointerFunction: "LANTERN_CHECKPOINTER_FUNCTION",
  sweepSeconds: "LANTERN_SWEEP_SECONDS",
  /** Drills and tests only: retry delays in ms from the first attempt, comma-separated. */
  retrySchedule: "LANTERN_WEBHOOK_RETRY_SCHEDULE_MS",
  archiveBucket: "LANTERN_ARCHIVE_BUCKET",
  port: "PORT",
  /** Local hub: how long the development issuer's console access tokens live (default 3600). */
  consoleTokenSeconds: "LANTERN_CONSOLE_TOKEN_SECONDS",
} as const;

/** CloudWatch metrics the functions emit (EMF) and the stack alarms on. */
export const METRICS = {
  overdue: { namespace: "Lantern/Timeliness", name: "NotificationsOverdue" },
} as const;

export const DEFAULTS = {
  tablePrefix: "lantern",
  audience: "lantern",
  auditShards: 4,
  dataDir: ".lantern",
  port: 3000,
  localIssuer: "urn:lantern:local-issuer",
  region: "eu-west-2",
} as const;

export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigurationError";
  }
}

export function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (value === undefined || value === "") throw new ConfigurationError(`${name} must be set.`);
  return value;
}

export function tableNames(env: NodeJS.ProcessEnv): { data: string; audit: string } {
  const prefix = env[ENV.tablePrefix] || DEFAULTS.tablePrefix;
  return { data: env[ENV.dataTable] || `${prefix}-data`, audit: env[ENV.auditTable] || `${prefix}-audit` };
}

export function auditShards(env: NodeJS.ProcessEnv): number {
  const raw = env[ENV.auditShards];
  if (raw === undefined || raw === "") return DEFAULTS.auditShards;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    throw new ConfigurationError(`${ENV.auditShards} must be a whole number from 1 to 64.`);
  }
  return n;
}
