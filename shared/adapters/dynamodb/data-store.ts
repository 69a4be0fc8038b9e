import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { AuditDraft } from "../../domain/audit.js";
import type { ConcernRecord, NotificationRecord, TimeQueue, TimeQueueRecords } from "../../ports.js";
import { type CommitOptions, commitOrConflict, type Write } from "./commit.js";
import { createOnly, itemKeys, TIME_QUEUE_KEYS } from "./items.js";
import { dueIn, getData } from "./reads.js";
import type { TableNames } from "./tables.js";

/**
 * A store over the data table whose changes commit with the audit events that record them:
 * the client, the tables and the commit options, given once for all of its writes, and the
 * two records several of them read by key (consistently) before deciding a change, and the
 * time queues the sweeps drain (each store's port names the queues it serves).
 */
export abstract class DataStore {
  constructor(
    protected readonly doc: DynamoDBDocumentClient,
    protected readonly tables: TableNames,
    protected readonly commitOptions?: CommitOptions,
  ) {}

  /** The writes and their events in one transaction; "conflict" when a write's condition failed. */
  protected commit(writes: readonly Write[], events: readonly AuditDraft[]): Promise<"ok" | "conflict"> {
    return commitOrConflict(this.doc, this.tables, writes, events, this.commitOptions);
  }

  /**
   * One record's conditional change and the records it creates (each only if new), with their
   * events, in one transaction: a transition with the breach, escalation or pushes it brings.
   */
  protected commitChange(
    change: Write,
    created: readonly Record<string, unknown>[],
    events: readonly AuditDraft[],
  ): Promise<"ok" | "conflict"> {
    return this.commit([change, ...created.map((item) => createOnly(this.tables.data, item))], events);
  }

  /** The records of a time queue whose time has come (at or before `now`), oldest first. */
  due<Q extends TimeQueue>(queue: Q, now: string, limit: number): Promise<TimeQueueRecords[Q][]> {
    return dueIn<TimeQueueRecords[Q]>(this.doc, this.tables.data, TIME_QUEUE_KEYS[queue], now, limit);
  }

  getConcern(id: string): Promise<ConcernRecord | null> {
    // Consistent: the discloser reads its concern right after the 201 that created it.
    return getData<ConcernRecord>(this.doc, this.tables.data, itemKeys.concern(id));
  }

  getNotification(id: string): Promise<NotificationRecord | null> {
    return getData<NotificationRecord>(this.doc, this.tables.data, itemKeys.notification(id));
  }
}
