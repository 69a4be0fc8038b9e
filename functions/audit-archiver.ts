import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { eventFromItem } from "../shared/adapters/dynamodb/audit-store.js";
import { CHECKPOINT_SHARD } from "../shared/adapters/dynamodb/checkpoint-store.js";
import { ConfigurationError, ENV } from "../shared/config.js";
import { jsonLogger, type Logger } from "../shared/http/log.js";
import { traced } from "../shared/http/tracing.js";

/**
 * Copies every new audit event and checkpoint, as it is written, from the audit table's
 * stream into the Object Lock (COMPLIANCE) archive bucket, so a copy exists that no one,
 * the account's root included, can change or delete until its retention ends.
 *
 * Each object is written once: `If-None-Match: *` makes S3 refuse to replace an existing key
 * (412), which is what a retried batch meets for the records it already archived, so a 412
 * counts as done. A record that fails otherwise is reported as a batch item failure and
 * retried; nothing is logged but its shard, seq and the error's name (events hold a
 * pseudonymous subject id, which stays out of the logs too).
 */

/** TODO(ENV): move into shared/config.ts ENV as `archiveBucket`. */
export const ARCHIVE_BUCKET_ENV = ENV.archiveBucket;

/** Key prefixes; the archiver's role may put objects under these and nowhere else. */
export const ARCHIVE_PREFIX = { events: "events/", checkpoints: "checkpoints/" } as const;

const pad = (n: number) => String(n).padStart(12, "0");

export interface ArchiveObject {
  key: string;
  body: string;
  contentType: string;
}

/**
 * The object an audit table item is archived as: an event (shard >= 0) as the JSON of the
 * contract's members only (index attributes left out), exactly as `GET /audit/export` writes
 * it; a checkpoint (shard -1) as its compact JWS. Anything else is not archived (null).
 */
export function archiveObject(item: Record<string, unknown>): ArchiveObject | null {
  const { shard, seq } = item;
  if (typeof shard !== "number" || typeof seq !== "number" || !Number.isInteger(seq) || seq < 1) return null;
  if (shard === CHECKPOINT_SHARD && typeof item.jws === "string") {
    return {
      key: `${ARCHIVE_PREFIX.checkpoints}${pad(seq)}.jws`,
      body: item.jws,
      contentType: "application/jose",
    };
  }
  if (Number.isInteger(shard) && shard >= 0) {
    return {
      key: `${ARCHIVE_PREFIX.events}shard=${shard}/seq=${pad(seq)}.json`,
      body: JSON.stringify(eventFromItem(item)),
      contentType: "application/json",
    };
  }
  return null;
}

/** S3 refused the write because the key exists: the object was archived before. */
function alreadyArchived(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  return e?.name === "PreconditionFailed" || e?.$metadata?.httpStatusCode === 412;
}

export interface ArchiverDeps {
  s3: S3Client;
  bucket: string;
  log: Logger;
}

async function archiveRecord(record: DynamoDBRecord, deps: ArchiverDeps): Promise<"archived" | "skipped"> {
  if (record.eventName !== "INSERT") return "skipped";
  const image = record.dynamodb?.NewImage;
  if (!image) throw new Error("An INSERT record without its new image (the stream must carry new images).");
  const item = unmarshall(image as unknown as Record<string, AttributeValue>);
  const object = archiveObject(item);
  if (!object) throw new Error("An audit table item that is neither an event nor a checkpoint.");
  try {
    await deps.s3.send(
      new PutObjectCommand({
        Bucket: deps.bucket,
        Key: object.key,
        Body: object.body,
        ContentType: object.contentType,
        IfNoneMatch: "*",
        // Object Lock buckets refuse a PUT without an integrity checksum.
        ChecksumAlgorithm: "SHA256",
      }),
    );
  } catch (error: unknown) {
    if (!alreadyArchived(error)) throw error;
  }
  return "archived";
}

/** Archive a batch; answer the records to retry (Lambda resumes from the first of them). */
export async function archiveBatch(
  event: DynamoDBStreamEvent,
  deps: ArchiverDeps,
): Promise<DynamoDBBatchResponse> {
  const results = await Promise.allSettled(event.Records.map((r) => archiveRecord(r, deps)));
  const batchItemFailures: DynamoDBBatchResponse["batchItemFailures"] = [];
  let archived = 0;
  results.forEach((result, i) => {
    const record = event.Records[i] as DynamoDBRecord;
    if (result.status === "fulfilled") {
      if (result.value === "archived") archived++;
      return;
    }
    const keys = record.dynamodb?.Keys;
    deps.log.error("audit record not archived", {
      shard: keys?.shard?.N ?? null,
      seq: keys?.seq?.N ?? null,
      error: result.reason instanceof Error ? result.reason.name : "unknown",
    });
    batchItemFailures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? record.eventID ?? "" });
  });
  deps.log.info("audit archived", { archived, failed: batchItemFailures.length });
  return { batchItemFailures };
}

let s3: S3Client | undefined;
const log = jsonLogger();

export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const bucket = process.env[ARCHIVE_BUCKET_ENV];
  if (!bucket) throw new ConfigurationError(`${ARCHIVE_BUCKET_ENV} must be set.`);
  s3 ??= traced(new S3Client({}));
  return archiveBatch(event, { s3, bucket, log });
}
