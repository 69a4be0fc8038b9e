import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { AuditDraft } from "../../domain/audit.js";
import { type CommitOptions, commitOrConflict, type Write } from "./commit.js";
import type { TableNames } from "./tables.js";

/**
 * A store over the data table whose changes commit with the audit events that record them:
 * the client, the tables and the commit options, given once for all of its writes.
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
}
