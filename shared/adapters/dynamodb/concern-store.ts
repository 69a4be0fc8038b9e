import type { AuditDraft, AuditEvent } from "../../domain/audit.js";
import { MAX_SUBMISSION_ITEMS } from "../../domain/transaction-size.js";
import type { NotificationStatus } from "../../domain/vocabulary.js";
import type {
  Breach,
  ConcernStore,
  Delivery,
  Idempotency,
  NotificationRecord,
  NotificationStore,
  Page,
  SubmissionReceipt,
  SubmissionWrite,
} from "../../ports.js";
import { commitGuarded, commitWithAudit, DEFAULT_COMMIT_OPTIONS, type Write } from "./commit.js";
import { DataStore } from "./data-store.js";
import {
  breachItem,
  createOnly,
  deliveryItem,
  erasureItem,
  itemKeys,
  notificationIfStatus,
  notificationItem,
  reviewItem,
} from "./items.js";
import { listQueue } from "./queue.js";
import { batchGetData, getData } from "./reads.js";
import { epochCheck } from "./registry-snapshot.js";

const keys = {
  ...itemKeys,
  idempotency: (partnerId: string, key: string) => ({
    pk: `IDEMPOTENCY#${partnerId}#${key}`,
    sk: "IDEMPOTENCY",
  }),
};

/**
 * The idempotency record is created only once, except over an expired one that DynamoDB's
 * TTL has not deleted yet (it may take two days): that one no longer answers, so it must not
 * block the key either.
 */
function idempotencyWrite(table: string, idempotency: Idempotency): Write {
  return {
    Put: {
      TableName: table,
      Item: {
        ...keys.idempotency(idempotency.partnerId, idempotency.key),
        data: idempotency,
        expiresAt: idempotency.expiresAt,
      },
      ConditionExpression: "attribute_not_exists(pk) OR expiresAt <= :now",
      ExpressionAttributeValues: { ":now": idempotency.storedAt },
    },
  };
}

export class DynamoConcernStore extends DataStore implements ConcernStore, NotificationStore {
  async recordConcern(
    submission: SubmissionWrite,
  ): Promise<"ok" | "idempotency_conflict" | "registry_changed" | "too_many_items"> {
    const { concern, notifications, events, idempotency, reviews, deliveries, registryEpoch } = submission;
    const table = this.tables.data;
    const writes: Write[] = [];
    if (idempotency) writes.push(idempotencyWrite(table, idempotency));
    // The decision stands only if the registry is still at the epoch it was decided at: a
    // suspension (any registry change) committed meanwhile cancels the whole transaction. The
    // check goes to the epoch's copy for the audit shard the events take.
    const checkAt = writes.length;
    writes.push(
      // On no index: the hub reads a concern by its id only, and an index entry of its 1-2 KB
      // would cost each submission two more write units.
      createOnly(table, { ...keys.concern(concern.id), data: concern }),
      createOnly(table, erasureItem({ kind: "concern", id: concern.id, eraseAt: concern.eraseAfter })),
      ...notifications.flatMap((n) => [
        createOnly(table, notificationItem(n)),
        createOnly(table, erasureItem({ kind: "notification", id: n.id, eraseAt: n.retainUntil })),
      ]),
      ...reviews.map((r) => createOnly(table, reviewItem(r))),
      ...deliveries.map((d) => createOnly(table, deliveryItem(d))),
    );
    // The writes, the epoch check and one audit put per event: refused whole before sending,
    // rather than a ValidationException from DynamoDB (configuration is bounded when set).
    if (writes.length + 1 + events.length > MAX_SUBMISSION_ITEMS) return "too_many_items";
    const options = { ...(this.commitOptions ?? DEFAULT_COMMIT_OPTIONS), deadline: submission.commitBy };
    const atShard = (shard: number) => [
      ...writes.slice(0, checkAt),
      epochCheck(table, shard, registryEpoch),
      ...writes.slice(checkAt),
    ];
    return commitGuarded(this.doc, this.tables, atShard, events, options, (failed) => {
      if (idempotency && failed.index === 0) return "idempotency_conflict";
      if (failed.index === checkAt) return "registry_changed";
      throw failed;
    });
  }

  findIdempotency(partnerId: string, key: string): Promise<Idempotency<SubmissionReceipt> | null> {
    return getData<Idempotency<SubmissionReceipt>>(
      this.doc,
      this.tables.data,
      keys.idempotency(partnerId, key),
    );
  }

  getNotifications(ids: readonly string[]): Promise<NotificationRecord[]> {
    return batchGetData<NotificationRecord>(
      this.doc,
      this.tables.data,
      ids.map((id) => keys.notification(id)),
    );
  }

  listNotifications(
    recipientId: string,
    status: NotificationStatus | undefined,
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<NotificationRecord>> {
    const inbox = `INBOX#${recipientId}`;
    return listQueue(this.doc, this.tables.data, inbox, { status, cursor, limit, newestFirst: true });
  }

  async transition(
    next: NotificationRecord,
    expectedStatus: NotificationStatus,
    events: AuditDraft[],
  ): Promise<"ok" | "conflict"> {
    return this.commitChange(notificationIfStatus(this.tables.data, next, expectedStatus), [], events);
  }

  async recall(
    next: NotificationRecord,
    expectedStatus: NotificationStatus,
    events: AuditDraft[],
    breach: Breach,
    deliveries: Delivery[],
  ): Promise<"ok" | "conflict"> {
    // The recall erases the payload itself, so an erasure since the read cannot be undone.
    const change = notificationIfStatus(this.tables.data, next, expectedStatus, true);
    return this.commitChange(change, [breachItem(breach), ...deliveries.map(deliveryItem)], events);
  }

  audit(events: AuditDraft[]): Promise<AuditEvent[]> {
    return commitWithAudit(this.doc, this.tables, [], events, this.commitOptions);
  }
}
