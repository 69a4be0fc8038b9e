import type { AuditDraft } from "../../domain/audit.js";
import type { Breach, BreakGlassReview, DecisionQueue, Page } from "../../ports.js";
import type { CommitOptions } from "./commit.js";
import { DataStore } from "./data-store.js";
import { breachItem, DECISION_QUEUE_KEYS, itemKeys, putIfStatus, reviewItem } from "./items.js";
import { listQueue } from "./queue.js";
import { getData } from "./reads.js";
import type { TableNames } from "./tables.js";

/** Where a decision queue's records live: its gsi1/gsi2 partition, order, key and item shape. */
export interface DecisionQueueLayout<T, Opens> {
  queue: string;
  newestFirst: boolean;
  key(id: string): Record<string, string>;
  item(record: T): Record<string, unknown>;
  /** The item of a record a decision opens, created with it. */
  opened(record: Opens): Record<string, unknown>;
}

/**
 * An IG decision queue on the data table (see the DecisionQueue port): the break-glass reviews
 * and the breaches are the same queue laid out differently. Being a DataStore, it also reads
 * the time queues (the breach sweep's `breaches`).
 */
export class DynamoDecisionQueue<T, S extends string, Opens = never>
  extends DataStore
  implements DecisionQueue<T, S, Opens>
{
  constructor(
    doc: ConstructorParameters<typeof DataStore>[0],
    tables: TableNames,
    commitOptions: CommitOptions | undefined,
    private readonly layout: DecisionQueueLayout<T, Opens>,
  ) {
    super(doc, tables, commitOptions);
  }

  list(status: S | undefined, cursor: string | undefined, limit: number): Promise<Page<T>> {
    const { queue, newestFirst } = this.layout;
    return listQueue<T>(this.doc, this.tables.data, queue, { status, cursor, limit, newestFirst });
  }

  get(id: string): Promise<T | null> {
    return getData<T>(this.doc, this.tables.data, this.layout.key(id));
  }

  save(
    next: T,
    expectedStatus: S,
    events: AuditDraft[],
    opens: readonly Opens[] = [],
  ): Promise<"ok" | "conflict"> {
    const change = putIfStatus(this.tables.data, this.layout.item(next), expectedStatus);
    return this.commitChange(change, opens.map(this.layout.opened), events);
  }
}

/** Break-glass reviews, oldest first; a `not_justified` finding opens a breach. */
export const REVIEW_QUEUE: DecisionQueueLayout<BreakGlassReview, Breach> = {
  queue: DECISION_QUEUE_KEYS.reviews,
  newestFirst: false,
  key: itemKeys.review,
  item: reviewItem,
  opened: breachItem,
};

/** Breaches, newest first: a decision opens nothing. */
export const BREACH_QUEUE: DecisionQueueLayout<Breach, never> = {
  queue: DECISION_QUEUE_KEYS.breaches,
  newestFirst: true,
  key: itemKeys.breach,
  item: breachItem,
  opened: (none: never) => none,
};
