import { randomUUID } from "node:crypto";
import type { JWK } from "jose";
import { documentClient } from "../shared/adapters/dynamodb/client.js";
import { dynamoStores } from "../shared/adapters/dynamodb/stores.js";
import { type AlertSenderFactory, notifyAlerts } from "../shared/adapters/notify-config.js";
import { LocalCheckpointSigner } from "../shared/adapters/signing/local-signer.js";
import { boundedResolver, systemResolver, webhookSender } from "../shared/adapters/webhook-sender.js";
import { inProcessCheckpointer } from "../shared/app/checkpoints.js";
import { auditShards, ConfigurationError, DEFAULTS, ENV, required, tableNames } from "../shared/config.js";
import { type AuthConfig, localKeys, remoteKeys } from "../shared/http/auth.js";
import type { HttpDeps } from "../shared/http/lambda.js";
import { jsonLogger } from "../shared/http/log.js";
import { traced } from "../shared/http/tracing.js";
import type { CheckpointRequester, CheckpointSigner, Clock, Ids } from "../shared/ports.js";

/*
 * The KMS, Lambda and Secrets Manager adapters (and their clients) are imported where they are
 * first used, not at the top: each function needs at most some of them, and most none at its
 * cold start. Secrets Manager's stays in every bundle, unevaluated until then (every function
 * that pages reads the cursor key); the KMS and Lambda ones only in the bundles that hand over
 * their loaders (signCheckpointsWith, requestCheckpointsWith).
 */

type KmsSignerModule = typeof import("../shared/adapters/signing/kms-signer.js");
type LambdaRequesterModule = typeof import("../shared/adapters/lambda/checkpoint-requester.js");

/**
 * A module an entry hands over the loader of when it bundles it (`handOver`), and the wiring
 * loads on first use (`load`); one that was not handed over is a deployment fault, named, on
 * the call that needs it.
 */
function handedOver<T>(what: string) {
  let loader: (() => Promise<T>) | undefined;
  return {
    handOver: (load: () => Promise<T>): void => {
      loader = load;
    },
    load: (): Promise<T> =>
      loader ? loader() : Promise.reject(new ConfigurationError(`This function does not bundle ${what}.`)),
  };
}

const kmsSignerModule = handedOver<KmsSignerModule>("the KMS checkpoint signer");
const lambdaRequesterModule = handedOver<LambdaRequesterModule>("the Lambda checkpoint requester");

/**
 * The functions that sign checkpoints or check their signatures (audit, checkpointer) hand over
 * the KMS adapter's loader here; the others never bundle the KMS client, whose unevaluated code
 * alone, with the Lambda client's, cost ~0.3x of a DocumentClient-only cold start to parse.
 */
export const signCheckpointsWith = kmsSignerModule.handOver;

/** The audit function, the only one that asks the checkpointer, hands over the Lambda adapter's loader. */
export const requestCheckpointsWith = lambdaRequesterModule.handOver;

/**
 * On AWS the checkpoint key is an asymmetric KMS key that never leaves KMS; locally the hub
 * passes its key pair (from the data directory) inline.
 */
async function checkpointSigner(env: NodeJS.ProcessEnv): Promise<CheckpointSigner> {
  const kmsKeyId = env[ENV.checkpointKmsKeyId];
  if (kmsKeyId) {
    const previous = (env[ENV.checkpointPreviousKmsKeyIds] ?? "").split(",").filter(Boolean);
    const { KMSClient, KmsCheckpointSigner } = await kmsSignerModule.load();
    return new KmsCheckpointSigner(traced(new KMSClient({})), kmsKeyId, previous);
  }
  const local = env[ENV.checkpointKey];
  if (!local) throw new ConfigurationError(`${ENV.checkpointKmsKeyId} must be set.`);
  const parsed = JSON.parse(local) as { current: JWK & { kid: string }; retired?: JWK[] };
  return new LocalCheckpointSigner(parsed.current, parsed.retired ?? []);
}

function retrySchedule(env: NodeJS.ProcessEnv): number[] | undefined {
  const raw = env[ENV.retrySchedule];
  if (!raw) return undefined;
  const delays = raw.split(",").map(Number);
  if (delays.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new ConfigurationError(`${ENV.retrySchedule} must be whole milliseconds, comma-separated.`);
  }
  return delays;
}

function decodeSubjectKey(base64: string, from: string): Uint8Array {
  const key = Buffer.from(base64.trim(), "base64");
  if (key.length < 32) throw new ConfigurationError(`${from} must hold at least 32 bytes, base64.`);
  return key;
}

/** A secret key: inline (base64) locally, from a Secrets Manager secret on AWS. */
async function readKey(env: NodeJS.ProcessEnv, inlineName: string, arnName: string): Promise<Uint8Array> {
  const inline = env[inlineName];
  if (inline) return decodeSubjectKey(inline, inlineName);
  const arn = env[arnName];
  if (!arn) throw new ConfigurationError(`${inlineName} or ${arnName} must be set.`);
  return decodeSubjectKey(await secretString(arn, `The secret in ${arnName} has no value.`), arnName);
}

/** A Secrets Manager secret's string value. */
async function secretString(arn: string, whenEmpty: string): Promise<string> {
  const { secretValue } = await import("../shared/adapters/secrets.js");
  const value = await secretValue(arn, (client) => traced(client));
  if (!value) throw new ConfigurationError(whenEmpty);
  return value;
}

/** The Notify key, on the alert sender's first send. */
const readSecretString = (arn: string) => secretString(arn, "The Notify key's secret has no value.");

let alertSender: AlertSenderFactory | undefined;

/**
 * The functions that send alerts (the deliverer, and so the sweeper; the local hub) hand over
 * Notify's sender (`notifySender`) here. The others only queue alerts, and so never bundle
 * Notify's client (axios, form-data, jsonwebtoken: a fifth of an HTTP function's bundle and
 * ~0.4x of its cold start); were one to send, the attempt fails and is retried by the sweep.
 */
export function sendAlertsWith(factory: AlertSenderFactory): void {
  alertSender = factory;
}

const senderOf: AlertSenderFactory = (options) =>
  alertSender
    ? alertSender(options)
    : async () => ({ status: null, error: "notify_not_in_this_function", notifyId: null });

let subjectKeyValue: Promise<Uint8Array> | undefined;
let cursorKeyValue: Promise<Uint8Array> | undefined;

/**
 * The key of the pseudonymous subject ids. Only the function that submits concerns needs it,
 * so only it reads it (once, at cold start).
 */
function readSubjectKey(env: NodeJS.ProcessEnv): Promise<Uint8Array> {
  subjectKeyValue ??= readKey(env, ENV.subjectKey, ENV.subjectKeySecretArn);
  return subjectKeyValue;
}

/** The key that seals cursors: read once by each function that pages, on its first request. */
function readCursorKey(env: NodeJS.ProcessEnv): Promise<Uint8Array> {
  cursorKeyValue ??= readKey(env, ENV.cursorKey, ENV.cursorKeySecretArn);
  return cursorKeyValue;
}

/** The trusted issuer and its keys: a JWKS URL, or (locally) the key set inline. */
function authConfig(env: NodeJS.ProcessEnv): { auth: AuthConfig; inlineJwks: string | undefined } {
  const issuer = required(env, ENV.issuer);
  const audience = env[ENV.audience] || DEFAULTS.audience;
  const jwksUrl = env[ENV.jwksUrl];
  const inlineJwks = env[ENV.jwks];
  if (!jwksUrl && !inlineJwks) throw new ConfigurationError(`${ENV.jwksUrl} must be set.`);
  const keys = jwksUrl
    ? remoteKeys(jwksUrl)
    : localKeys(JSON.parse(inlineJwks as string) as { keys: object[] });
  return { auth: { issuer, audience, keys }, inlineJwks };
}

/** Only the audit and checkpointer functions sign; the others never read the key. */
function lazySigner(env: NodeJS.ProcessEnv): CheckpointSigner {
  let signerValue: Promise<CheckpointSigner> | undefined;
  const signerOf = () => {
    signerValue ??= checkpointSigner(env);
    return signerValue;
  };
  return {
    sign: async (payload) => (await signerOf()).sign(payload),
    publicKeys: async () => (await signerOf()).publicKeys(),
  };
}

/** On AWS the audit function invokes the checkpointer function, its client made on first use. */
function lambdaCheckpointRequester(functionName: string): CheckpointRequester {
  let requester: Promise<CheckpointRequester> | undefined;
  const requesterOf = async () => {
    const { LambdaClient, LambdaCheckpointRequester } = await lambdaRequesterModule.load();
    return new LambdaCheckpointRequester(traced(new LambdaClient({})), functionName);
  };
  return {
    requestCheckpoint: async () => {
      requester ??= requesterOf();
      return (await requester).requestCheckpoint();
    },
  };
}

/**
 * Everything a function needs, built once per cold start from the environment. A missing or
 * malformed variable stops the cold start with a message naming it.
 */
function build(env: NodeJS.ProcessEnv) {
  const tables = tableNames(env);
  // On AWS every DynamoDB call is a subsegment of the invocation's trace.
  const doc = traced(documentClient(env[ENV.dynamodbEndpoint] || undefined, env), env);
  const stores = dynamoStores(doc, tables, auditShards(env));
  const { auth, inlineJwks } = authConfig(env);
  const clock: Clock = { now: () => new Date() };
  const ids: Ids = { next: (prefix) => `${prefix}_${randomUUID()}` };
  const signer = lazySigner(env);
  // On AWS the audit function asks the checkpointer function; the local hub runs its code here.
  const checkpointerFunction = env[ENV.checkpointerFunction];
  const checkpointRequester: CheckpointRequester = checkpointerFunction
    ? lambdaCheckpointRequester(checkpointerFunction)
    : inProcessCheckpointer({ clock, audit: stores.audit, checkpoints: stores.checkpoints, signer });
  const http: HttpDeps = {
    auth: async () => auth,
    registry: stores.registry,
    clock,
    log: jsonLogger(),
    cursorKey: () => readCursorKey(env),
  };
  // Plain http webhooks are for local development; on AWS the stack sets this to true.
  const webhookHttpsOnly = env[ENV.webhookHttpsOnly] === "true";
  return {
    ...stores,
    webhookHttpsOnly,
    // Registration checks where a webhook host leads without holding the request for long.
    resolveHost: boundedResolver(systemResolver, 2_000),
    send: webhookSender({ httpsOnly: webhookHttpsOnly }),
    // Alerts for people (GOV.UK Notify), or null when no key is configured.
    alerts: notifyAlerts(env, readSecretString, senderOf),
    retrySchedule: retrySchedule(env),
    checkpointRequester,
    signer,
    doc,
    tables,
    clock,
    ids,
    subjectKey: () => readSubjectKey(env),
    http,
    publicJwks: inlineJwks ?? null,
  };
}

export type Wiring = ReturnType<typeof build>;

let wiring: Wiring | undefined;

/** The process's wiring, built on first use (the cold start) and kept. */
export function wired(): Wiring {
  wiring ??= build(process.env);
  return wiring;
}
