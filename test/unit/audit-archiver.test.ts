import { createHash } from "node:crypto";
import { PutObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { marshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import canonicalize from "canonicalize";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { ARCHIVE_BUCKET_ENV, handler } from "../../functions/audit-archiver.js";
import { auditItem } from "../../shared/adapters/dynamodb/commit.js";
import { AUDIT_EVENT_MEMBERS, type AuditEvent } from "../../shared/domain/audit.js";
import { fixedShard, itemAt } from "../support/audit-trail.js";

const BUCKET = "lantern-test-archive";
const s3 = mockClient(S3Client);
const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

let sequence = 0;

/** A stream record as Lambda delivers it: DynamoDB JSON images, a sequence number. */
function record(item: Record<string, unknown>, eventName: "INSERT" | "MODIFY" | "REMOVE" = "INSERT") {
  sequence += 1;
  const image = marshall(item, { removeUndefinedValues: true });
  return {
    eventID: `evt-${sequence}`,
    eventName,
    eventSource: "aws:dynamodb",
    eventSourceARN:
      "arn:aws:dynamodb:eu-west-2:123456789012:table/lantern-dev-audit/stream/2026-01-01T00:00:00.000",
    dynamodb: {
      Keys: marshall({ shard: item.shard, seq: item.seq }),
      NewImage: image,
      SequenceNumber: String(1000 + sequence),
      StreamViewType: "NEW_AND_OLD_IMAGES",
    },
  } as unknown as DynamoDBRecord;
}

const streamOf = (...records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });

/** A checkpoint item as DynamoCheckpointStore writes it (shard -1). */
const checkpointItem = (number: number) => ({
  shard: -1,
  seq: number,
  jws: `eyJhbGciOiJFUzI1NiJ9.eyJhdCI6IjIwMjYifQ.c2lnbmF0dXJl${number}`,
  payload: { at: "2026-11-23T23:00:00.000Z", heads: [], prevCheckpointSha256: "0".repeat(64) },
  at: "2026-11-23T23:00:00.000Z",
});

const puts = () => s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);

const preconditionFailed = () =>
  new S3ServiceException({
    name: "PreconditionFailed",
    $fault: "client",
    $metadata: { httpStatusCode: 412 },
    message: "At least one of the pre-conditions you specified did not hold",
  });

beforeEach(() => {
  s3.reset();
  s3.on(PutObjectCommand).resolves({});
  process.env[ARCHIVE_BUCKET_ENV] = BUCKET;
});

afterEach(() => {
  delete process.env[ARCHIVE_BUCKET_ENV];
});

afterAll(() => {
  s3.restore();
});

describe("audit archiver", () => {
  it("writes a new event once, under its shard and padded seq, as the contract's members only", async () => {
    // Prepare
    const event = itemAt(fixedShard(2, 3), 2);
    const item = auditItem(event);

    // Act
    const response = await handler(streamOf(record(item)));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(puts()).toHaveLength(1);
    const put = itemAt(puts(), 0);
    expect(put).toMatchObject({
      Bucket: BUCKET,
      Key: "events/shard=2/seq=000000000003.json",
      IfNoneMatch: "*",
      ChecksumAlgorithm: "SHA256",
      ContentType: "application/json",
    });
    const body = JSON.parse(put.Body as string) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual([...AUDIT_EVENT_MEMBERS]);
    expect(body).toEqual(event);
    expect(Object.keys(item)).toEqual(expect.arrayContaining(["sortKey"]));
    const { hash, ...withoutHash } = body as unknown as AuditEvent;
    expect(sha256(canonicalize(withoutHash) as string)).toBe(hash);
  });

  it("writes a checkpoint item as its compact JWS under checkpoints/", async () => {
    // Prepare
    const checkpoint = checkpointItem(42);

    // Act
    const response = await handler(streamOf(record(checkpoint)));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(puts()).toEqual([
      expect.objectContaining({
        Bucket: BUCKET,
        Key: "checkpoints/000000000042.jws",
        Body: checkpoint.jws,
        IfNoneMatch: "*",
        ChecksumAlgorithm: "SHA256",
      }),
    ]);
  });

  it("counts a 412 (the object already exists) as archived", async () => {
    // Prepare
    s3.on(PutObjectCommand).rejects(preconditionFailed());
    const event = itemAt(fixedShard(0, 1), 0);

    // Act
    const response = await handler(streamOf(record(auditItem(event))));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(puts()).toHaveLength(1);
  });

  it("reports exactly the record whose write failed otherwise, and archives the rest", async () => {
    // Prepare
    const events = fixedShard(1, 3);
    const records = events.map((e) => record(auditItem(e)));
    const failing = itemAt(records, 1);
    s3.on(PutObjectCommand)
      .resolves({})
      .on(PutObjectCommand, { Key: "events/shard=1/seq=000000000002.json" })
      .rejects(Object.assign(new Error("Service unavailable"), { name: "ServiceUnavailable" }));

    // Act
    const response = await handler(streamOf(...records));

    // Assess
    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: failing.dynamodb?.SequenceNumber }],
    });
    expect(puts().map((p) => p.Key)).toEqual([
      "events/shard=1/seq=000000000001.json",
      "events/shard=1/seq=000000000002.json",
      "events/shard=1/seq=000000000003.json",
    ]);
  });

  it("writes nothing for a MODIFY or REMOVE record that slipped past the filter", async () => {
    // Prepare
    const item = auditItem(itemAt(fixedShard(0, 1), 0));

    // Act
    const response = await handler(streamOf(record(item, "MODIFY"), record(item, "REMOVE")));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(puts()).toEqual([]);
  });

  it("reports an audit item that is neither an event nor a checkpoint, without writing it", async () => {
    // Prepare
    const stray = record({ shard: -1, seq: 7, note: "no jws" });

    // Act
    const response = await handler(streamOf(stray));

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: stray.dynamodb?.SequenceNumber }]);
    expect(puts()).toEqual([]);
  });
});
