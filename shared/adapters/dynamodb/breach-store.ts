import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { AuditDraft } from "../../domain/audit.js";
import type { BreachStatus } from "../../domain/vocabulary.js";
import type { Breach, BreachStore, Page } from "../../ports.js";
import { type CommitOptions, commitOrConflict } from "./commit.js";
import { breachItem, itemKeys, putIfStatus } from "./items.js";
import { listQueue } from "./queue.js";
import { INDEX, type TableNames } from "./tables.js";

/** Breach records: opened by a recall or a `not_justified` review, decided once. */
export class DynamoBreachStore implements BreachStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
    private readonly commitOptions?: CommitOptions,
  ) {}

  listBreaches(
    status: BreachStatus | undefined,
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<Breach>> {
    return listQueue(this.doc, this.tables.data, "BREACHES", { status, cursor, limit, newestFirst: true });
  }

  async getBreach(id: string): Promise<Breach | null> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tables.data, Key: itemKeys.breach(id), ConsistentRead: true }),
    );
    return (out.Item?.data as Breach | undefined) ?? null;
  }

  async saveBreach(
    next: Breach,
    expectedStatus: BreachStatus,
    events: AuditDraft[],
  ): Promise<"ok" | "conflict"> {
    const write = putIfStatus(this.tables.data, breachItem(next), expectedStatus);
    return commitOrConflict(this.doc, this.tables, [write], events, this.commitOptions);
  }

  async breachesDue(now: string, limit: number): Promise<Breach[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tables.data,
        IndexName: INDEX.gsi3,
        KeyConditionExpression: "gsi3pk = :pk AND gsi3sk <= :now",
        ExpressionAttributeValues: { ":pk": "BREACH_DUE", ":now": `${now}~` },
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((item) => item.data as Breach);
  }
}
