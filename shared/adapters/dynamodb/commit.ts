import { randomInt, randomUUID } from "node:crypto";
import { type DynamoDBDocumentClient, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { type AuditDraft, type AuditEvent, chain } from "../../domain/audit.js";
import { serviceUnavailable } from "../../errors.js";
import { auditItem, readHead } from "./audit-items.js";
import { type ShardSlot, ShardWriters } from "./shard-writers.js";
import type { TableNames } from "./tables.js";

type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]["TransactItems"]
>[number];
export type Write = TransactItem;

export interface CommitOptions {
  shards: number;
  maxAttempts: number;
  /** Milliseconds; doubled per attempt up to `maxDelayMs`, with full jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * Milliseconds: no retry starts after this long (none: only maxAttempts bounds it). A
   * caller answered 503 may retry; a Lambda killed at its timeout answers nothing.
   */
  budgetMs?: number;
  /** Epoch milliseconds: no retry starts after this, whatever the budget (a request's own deadline). */
  deadline?: number;
  sleep?: (ms: number) => Promise<void>;
  /**
   * The process's shard writers (one writer per shard, heads remembered). Without them each
   * commit reads the head of a shard picked at random and races other writers for its seq.
   */
  writers?: ShardWriters;
  /** Milliseconds, for the budget: the wall clock unless a test moves it. */
  elapsed?: () => number;
}

export const DEFAULT_COMMIT_OPTIONS: CommitOptions = {
  shards: 4,
  maxAttempts: 40,
  baseDelayMs: 5,
  maxDelayMs: 250,
  writers: new ShardWriters(),
};

/**
 * The store refused the transaction for a reason retrying cannot change (a validation error,
 * an item too large): a fault of ours, so a 500, never a 503 that invites the caller to retry.
 */
export class TransactionRefused extends Error {
  constructor(readonly reasons: readonly string[]) {
    super(`transaction refused: ${reasons.join(", ")}`);
    this.name = "TransactionRefused";
  }
}

/** A write of ours whose condition failed: the caller decides what that means. */
export class WriteConditionFailed extends Error {
  constructor(readonly index: number) {
    super(`condition failed on write ${index}`);
    this.name = "WriteConditionFailed";
  }
}

const RETRYABLE_ERRORS = new Set([
  "TransactionConflictException",
  "ThrottlingException",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "InternalServerError",
  "ServiceUnavailable",
  "TimeoutError",
  "RequestTimeout",
]);
const RETRYABLE_REASONS = new Set([
  "TransactionConflict",
  "ThrottlingError",
  "ProvisionedThroughputExceeded",
  "RequestLimitExceeded",
]);

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : "";
}

/** Network-level failures: the transaction may or may not have applied. */
function isAmbiguous(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code ?? "";
  return (
    ["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT"].includes(code) || errorName(error) === "TimeoutError"
  );
}

export { auditItem, readHead, sortKeyOf } from "./audit-items.js";

/**
 * What to do after a failed attempt: "rebuild" (another writer took our seq, a conflict or a
 * throttle), "resend" (the answer was lost: DynamoDB applies a transaction once per token, so
 * resending cannot write a disclosure twice), or throw.
 */
function nextStep(error: unknown, ownWrites: number): "rebuild" | "resend" {
  if (errorName(error) === "TransactionCanceledException") {
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
    const own = reasons.findIndex((r, i) => i < ownWrites && r.Code === "ConditionalCheckFailed");
    if (own >= 0) throw new WriteConditionFailed(own);
    const retryable = reasons.every(
      (r, i) =>
        r.Code === "None" ||
        r.Code === undefined ||
        RETRYABLE_REASONS.has(r.Code) ||
        (i >= ownWrites && r.Code === "ConditionalCheckFailed"),
    );
    if (!retryable) throw new TransactionRefused(reasons.map((r) => r.Code ?? "None"));
    return "rebuild";
  }
  if (isAmbiguous(error)) return "resend";
  if (RETRYABLE_ERRORS.has(errorName(error))) return "rebuild";
  throw error;
}

/** How long retries may go on: the tighter of the options' budget and the request's deadline. */
function budgetOf(options: CommitOptions, started: number): number {
  const fromDeadline = options.deadline === undefined ? Number.POSITIVE_INFINITY : options.deadline - started;
  return Math.min(options.budgetMs ?? Number.POSITIVE_INFINITY, fromDeadline);
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The conditional puts that append `events` to their shard: a taken seq cancels the transaction. */
function auditPuts(table: string, events: readonly AuditEvent[]): Write[] {
  return events.map((event) => ({
    Put: {
      TableName: table,
      Item: auditItem(event),
      ConditionExpression: "attribute_not_exists(#seq)",
      ExpressionAttributeNames: { "#seq": "seq" },
    },
  }));
}

/**
 * The caller's writes, or, when one of them depends on the audit shard the events go to (the
 * registry epoch's copy), a function of it; the same number of writes for every shard, so a
 * failed condition's index means the same whichever shard was taken.
 */
export type ShardWrites = readonly Write[] | ((shard: number) => readonly Write[]);

/** What one attempt sent: kept so that a lost answer is resent byte for byte. */
interface Attempt {
  shard: number;
  items: Write[];
  events: AuditEvent[];
  token: string;
}

/** The items for `slot`'s shard: chained on the head this process knows, read only when unknown. */
async function build(
  doc: DynamoDBDocumentClient,
  table: string,
  slot: ShardSlot,
  own: readonly Write[],
  drafts: readonly AuditDraft[],
): Promise<Attempt> {
  if (drafts.length > 0) slot.head ??= await readHead(doc, table, slot.shard);
  const events = slot.head && drafts.length > 0 ? chain(drafts, slot.head) : [];
  return { shard: slot.shard, items: [...own, ...auditPuts(table, events)], events, token: randomUUID() };
}

type Outcome = { events: AuditEvent[] } | { error: unknown; resend: Attempt | null };

/**
 * One attempt, as the shard's only writer in this process: freshly built, or, after a lost
 * answer, the same items again. On success the shard's head moves to the last event; when
 * another writer may have moved it, it is forgotten.
 */
function attemptOnce(
  doc: DynamoDBDocumentClient,
  table: string,
  writes: ShardWrites,
  drafts: readonly AuditDraft[],
  options: CommitOptions,
  resend: Attempt | null,
): Promise<Outcome> {
  const writers = options.writers ?? new ShardWriters();
  const work = async (slot: ShardSlot): Promise<Outcome> => {
    const own = typeof writes === "function" ? writes(slot.shard) : writes;
    const attempt = resend ?? (await build(doc, table, slot, own, drafts));
    try {
      await doc.send(
        new TransactWriteCommand({ TransactItems: attempt.items, ClientRequestToken: attempt.token }),
      );
      const last = attempt.events.at(-1);
      if (last) slot.head = { shard: last.shard, seq: last.seq, hash: last.hash };
      return { events: attempt.events };
    } catch (error: unknown) {
      // Whether another writer took our seq or the answer was lost, the head is no longer known.
      const ambiguous = isAmbiguous(error);
      if (ambiguous || tookOurSeq(error, own.length)) slot.head = null;
      return { error, resend: ambiguous ? attempt : null };
    }
  };
  return writers.exclusive(table, options.shards, work, resend?.shard);
}

/** Another writer appended to the shard first: one of the audit puts found its seq taken. */
function tookOurSeq(error: unknown, ownWrites: number): boolean {
  const reasons = (error as { CancellationReasons?: { Code?: string }[] } | null)?.CancellationReasons ?? [];
  return reasons.some((r, i) => i >= ownWrites && r.Code === "ConditionalCheckFailed");
}

/**
 * Commit domain writes and their audit events in one TransactWriteItems, so there is never a
 * disclosure without its event nor an event without its disclosure. Each event takes the next
 * seq of a shard by a conditional put. Within this process one writer at a time appends to a
 * shard (`ShardWriters`), so writers here never race each other for a seq; a writer elsewhere
 * that took it first cancels the transaction, which is then rebuilt on the head read again.
 * Conflicts and throttles are retried after a backoff with jitter, taken outside the shard so
 * others proceed meanwhile. A failed condition on one of the caller's own writes is not
 * retried: it is reported as WriteConditionFailed.
 */
export async function commitWithAudit(
  doc: DynamoDBDocumentClient,
  tables: TableNames,
  writes: ShardWrites,
  drafts: readonly AuditDraft[],
  options: CommitOptions = DEFAULT_COMMIT_OPTIONS,
): Promise<AuditEvent[]> {
  const ownWrites = (typeof writes === "function" ? writes(0) : writes).length;
  const sleep = options.sleep ?? defaultSleep;
  const started = Date.now();
  const elapsed = options.elapsed ?? (() => Date.now() - started);
  const budgetMs = budgetOf(options, started);
  let resend: Attempt | null = null;
  for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
    const outcome = await attemptOnce(doc, tables.audit, writes, drafts, options, resend);
    if ("events" in outcome) return outcome.events;
    // Throws what retrying cannot mend; a lost answer goes again under the same token (DynamoDB
    // applies a token once), anything else is rebuilt on the head as it then is.
    if (nextStep(outcome.error, ownWrites) === "rebuild") resend = null;
    else resend = outcome.resend;
    const cap = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.min(attempt, 16));
    const delay = randomInt(cap + 1);
    if (elapsed() + delay >= budgetMs) break;
    await sleep(delay);
  }
  throw serviceUnavailable("The audit trail is busy; try again shortly.", 1);
}

/**
 * Commit, then say what a failed condition on one of the caller's own writes means (the
 * write's index tells which); every other failure propagates. Each store's "ok, or which
 * check stopped it" answer comes from here.
 */
export async function commitGuarded<R extends string>(
  doc: DynamoDBDocumentClient,
  tables: TableNames,
  writes: ShardWrites,
  drafts: readonly AuditDraft[],
  options: CommitOptions | undefined,
  onCondition: (failed: WriteConditionFailed) => R,
): Promise<"ok" | R> {
  try {
    await commitWithAudit(doc, tables, writes, drafts, options);
    return "ok";
  } catch (error: unknown) {
    if (error instanceof WriteConditionFailed) return onCondition(error);
    throw error;
  }
}

/** Commit; a failed condition on any of the caller's writes means someone else moved first. */
export function commitOrConflict(
  doc: DynamoDBDocumentClient,
  tables: TableNames,
  writes: readonly Write[],
  drafts: readonly AuditDraft[],
  options?: CommitOptions,
): Promise<"ok" | "conflict"> {
  return commitGuarded(doc, tables, writes, drafts, options, () => "conflict");
}
