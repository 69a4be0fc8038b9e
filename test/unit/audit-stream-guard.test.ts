import type { DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AUDIT_MUTATION_METRIC, handler, mutationLines } from "../../functions/audit-stream-guard.js";

const STREAM =
  "arn:aws:dynamodb:eu-west-2:123456789012:table/lantern-prod-audit/stream/2026-01-01T00:00:00.000";
const NOW = new Date("2026-11-23T16:20:02.123Z");

/** A record whose images hold personal data that must never reach a log line. */
function record(eventName: "INSERT" | "MODIFY" | "REMOVE", seq: number): DynamoDBRecord {
  const image = { shard: { N: "0" }, seq: { N: String(seq) }, subjectId: { S: "subj_amy_example" } };
  return {
    eventID: `id-${eventName}-${seq}`,
    eventName,
    eventSourceARN: STREAM,
    dynamodb: {
      Keys: { shard: { N: "0" }, seq: { N: String(seq) } },
      ...(eventName !== "INSERT" ? { OldImage: image } : {}),
      ...(eventName !== "REMOVE" ? { NewImage: image } : {}),
      SequenceNumber: String(seq),
    },
  };
}

const streamOf = (...records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });

afterEach(() => {
  vi.restoreAllMocks();
});

describe("audit stream guard", () => {
  it("emits one EMF metric line per MODIFY and per REMOVE, naming the table", () => {
    // Prepare
    const event = streamOf(record("MODIFY", 1), record("INSERT", 2), record("REMOVE", 3));

    // Act
    const lines = mutationLines(event, NOW).map((l) => JSON.parse(l) as Record<string, unknown>);

    // Assess
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => l.eventName)).toEqual(["MODIFY", "REMOVE"]);
    expect(AUDIT_MUTATION_METRIC).toMatchObject({ namespace: "Lantern/Audit", name: "AuditEventMutations" });
    for (const line of lines) {
      expect(line).toMatchObject({
        _aws: {
          Timestamp: NOW.getTime(),
          CloudWatchMetrics: [
            {
              Namespace: "Lantern/Audit",
              Dimensions: [["TableName"]],
              Metrics: [{ Name: "AuditEventMutations", Unit: "Count" }],
            },
          ],
        },
        TableName: "lantern-prod-audit",
        AuditEventMutations: 1,
      });
    }
  });

  it("emits nothing for INSERT records (appends are how the trail grows)", () => {
    // Prepare
    const event = streamOf(record("INSERT", 1), record("INSERT", 2));

    // Act
    const lines = mutationLines(event, NOW);

    // Assess
    expect(lines).toEqual([]);
  });

  it("writes each line to stdout as bare JSON, with the key but never an image", async () => {
    // Prepare
    const written: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const event = streamOf(record("INSERT", 1), record("MODIFY", 2), record("REMOVE", 3));

    // Act
    await handler(event);

    // Assess
    expect(written).toHaveLength(2);
    for (const chunk of written) {
      expect(chunk.endsWith("\n")).toBe(true);
      expect(chunk.split("\n")).toHaveLength(2);
      expect(() => JSON.parse(chunk)).not.toThrow();
      expect(chunk).not.toContain("subj_amy_example");
    }
    expect(JSON.parse(written[1] as string)).toMatchObject({
      eventName: "REMOVE",
      key: { shard: { N: "0" }, seq: { N: "3" } },
    });
  });
});
