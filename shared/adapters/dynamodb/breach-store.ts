import type { AuditDraft } from "../../domain/audit.js";
import type { BreachStatus } from "../../domain/vocabulary.js";
import type { Breach, BreachStore, Page } from "../../ports.js";
import { DataStore } from "./data-store.js";
import { breachItem, itemKeys, putIfStatus } from "./items.js";
import { listQueue } from "./queue.js";
import { dueIn, getData } from "./reads.js";

/** Breach records: opened by a recall or a `not_justified` review, decided once. */
export class DynamoBreachStore extends DataStore implements BreachStore {
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
    return this.commitChange(putIfStatus(this.tables.data, breachItem(next), expectedStatus), [], events);
  }

  breachesDue(now: string, limit: number): Promise<Breach[]> {
    return dueIn<Breach>(this.doc, this.tables.data, "BREACH_DUE", now, limit);
  }
}
