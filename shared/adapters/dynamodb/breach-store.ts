import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { AuditDraft } from "../../domain/audit.js";
import type { BreachStatus } from "../../domain/vocabulary.js";
import type { Breach, BreachStore, Page } from "../../ports.js";
import { type CommitOptions, commitOrConflict } from "./commit.js";
import { breachItem, itemKeys, putIfStatus } from "./items.js";
import { listQueue } from "./queue.js";
import { dueIn, getData } from "./reads.js";
import type { TableNames } from "./tables.js";

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

  getBreach(id: string): Promise<Breach | null> {
    return getData<Breach>(this.doc, this.tables.data, itemKeys.breach(id));
  }

  async saveBreach(
    next: Breach,
    expectedStatus: BreachStatus,
    events: AuditDraft[],
  ): Promise<"ok" | "conflict"> {
    const write = putIfStatus(this.tables.data, breachItem(next), expectedStatus);
    return commitOrConflict(this.doc, this.tables, [write], events, this.commitOptions);
  }

  breachesDue(now: string, limit: number): Promise<Breach[]> {
    return dueIn<Breach>(this.doc, this.tables.data, "BREACH_DUE", now, limit);
  }
}
