import { type DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { AUDIT_EVENT_MEMBERS, type AuditEvent } from "../../domain/audit.js";
import type { AuditQuery, AuditStore, Page } from "../../ports.js";
import { hexOf, STORED_AS_INDEX_KEY, shardFrom } from "./audit-items.js";
import { sortKeyOf } from "./commit.js";
import { decodeCursor, encodeCursor } from "./cursor.js";
import { queryPages } from "./reads.js";
import { AUDIT_INDEX_KEYS, INDEX } from "./tables.js";

/** Only the contract's members: index attributes stay inside the adapter. */
export function eventFromItem(item: Record<string, unknown>): AuditEvent {
  const event: Record<string, unknown> = {};
  for (const member of AUDIT_EVENT_MEMBERS) {
    const stored = STORED_AS_INDEX_KEY[member as keyof typeof STORED_AS_INDEX_KEY] ?? member;
    event[member] = hexOf(item[stored] ?? item[member]) ?? null;
  }
  return event as unknown as AuditEvent;
}

interface IndexCursor {
  after: string;
}
interface ChainCursor {
  shard: number;
  seq: number;
}
const isIndexCursor = (v: unknown): v is IndexCursor => typeof (v as IndexCursor | null)?.after === "string";
const isChainCursor = (v: unknown): v is ChainCursor =>
  Number.isInteger((v as ChainCursor | null)?.shard) && Number.isInteger((v as ChainCursor | null)?.seq);

/** Sort keys all have the same length, so appending a space gives the first key after one. */
const justAfter = (sortKey: string) => `${sortKey} `;

export class DynamoAuditStore implements AuditStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly shards: number,
  ) {}

  shardCount(): number {
    return this.shards;
  }

  async *readShard(shard: number, afterSeq = 0): AsyncIterable<AuditEvent[]> {
    const query = shardFrom(this.table, shard, afterSeq);
    for await (const items of queryPages(this.doc, query)) yield items.map(eventFromItem);
  }

  /**
   * Filtered queries go to the most selective index and read events oldest first. The
   * `partnerId` filter matches an event whose recipient or actor is that partner: two index
   * queries merged on the shared sort key, which is also the cursor.
   */
  async query(filter: AuditQuery, cursor: string | undefined, limit: number): Promise<Page<AuditEvent>> {
    const lookups: { index: keyof typeof AUDIT_INDEX_KEYS; value: string }[] = [];
    if (filter.concernId) lookups.push({ index: INDEX.byConcern, value: filter.concernId });
    else if (filter.subjectId) lookups.push({ index: INDEX.bySubject, value: filter.subjectId });
    else if (filter.partnerId) {
      lookups.push({ index: INDEX.byRecipient, value: filter.partnerId });
      lookups.push({ index: INDEX.byActor, value: filter.partnerId });
    } else if (filter.action) lookups.push({ index: INDEX.byAction, value: filter.action });
    if (lookups.length === 0 && filter.from) return this.queryByDays(filter, cursor, limit);
    if (lookups.length === 0) return this.queryChain(filter, cursor, limit);

    const after = decodeCursor(cursor, isIndexCursor)?.after;
    const streams = await Promise.all(
      lookups.map((l) => this.queryIndex(l.index, l.value, filter, after, limit)),
    );
    const merged = new Map<string, Record<string, unknown>>();
    for (const item of streams.flatMap((s) => s.items)) merged.set(item.sortKey as string, item);
    const ordered = [...merged.values()].sort((a, b) =>
      (a.sortKey as string) < (b.sortKey as string) ? -1 : 1,
    );
    const page = ordered.slice(0, limit);
    const more = ordered.length > limit || streams.some((s) => s.more);
    const last = page.at(-1);
    return {
      items: page.map(eventFromItem),
      nextCursor: more && last ? encodeCursor({ after: last.sortKey }) : null,
    };
  }

  private filterExpression(filter: AuditQuery, index: string) {
    const clauses: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const add = (attribute: string, value: string | undefined, key: string) => {
      if (value === undefined || attribute === AUDIT_INDEX_KEYS[index as keyof typeof AUDIT_INDEX_KEYS])
        return;
      clauses.push(`#${key} = :${key}`);
      names[`#${key}`] = attribute;
      values[`:${key}`] = value;
    };
    add(STORED_AS_INDEX_KEY.subjectId, filter.subjectId, "subject");
    add(STORED_AS_INDEX_KEY.concernId, filter.concernId, "concern");
    add("action", filter.action, "action");
    if (filter.partnerId && index !== INDEX.byRecipient && index !== INDEX.byActor) {
      clauses.push("(#recipient = :partner OR #actor.#partnerId = :partner)");
      Object.assign(names, {
        "#recipient": STORED_AS_INDEX_KEY.recipientId,
        "#actor": "actor",
        "#partnerId": "partnerId",
      });
      values[":partner"] = filter.partnerId;
    }
    return { clauses, names, values };
  }

  private async queryIndex(
    index: keyof typeof AUDIT_INDEX_KEYS,
    value: string,
    filter: AuditQuery,
    after: string | undefined,
    limit: number,
  ): Promise<{ items: Record<string, unknown>[]; more: boolean }> {
    const { clauses, names, values } = this.filterExpression(filter, index);
    // Key values cannot be empty strings; "0" sorts before every RFC 3339 time.
    const low = [filter.from ?? "0", after ? justAfter(after) : "0"].sort().at(-1) ?? "0";
    const high = `${filter.to ?? "9999"}~`;
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: index,
          KeyConditionExpression: "#pk = :pk AND #sortKey BETWEEN :low AND :high",
          FilterExpression: clauses.length > 0 ? clauses.join(" AND ") : undefined,
          ExpressionAttributeNames: { ...names, "#pk": AUDIT_INDEX_KEYS[index], "#sortKey": "sortKey" },
          ExpressionAttributeValues: { ...values, ":pk": value, ":low": low, ":high": high },
          ExclusiveStartKey: start,
          Limit: limit + 1,
        }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start && items.length <= limit);
    return { items: items.slice(0, limit + 1), more: items.length > limit || start !== undefined };
  }

  /**
   * A time range alone: one day's partition of the day index after another, oldest first, so
   * only the events inside the range are read.
   */
  private async queryByDays(
    filter: AuditQuery,
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<AuditEvent>> {
    let after = decodeCursor(cursor, isIndexCursor)?.after;
    // Clamped to the days the trail can have events on, so `from=0001-01-01` costs no more
    // queries than the trail has days.
    const firstDay = await this.trailFirstDay();
    if (firstDay === null) return { items: [], nextCursor: null };
    const today = new Date().toISOString().slice(0, 10);
    const wantedLast = (filter.to ?? today).slice(0, 10);
    const lastDay = wantedLast < today ? wantedLast : today;
    const wantedFirst = (after ?? filter.from ?? "").slice(0, 10);
    let day = wantedFirst > firstDay ? wantedFirst : firstDay;
    const items: AuditEvent[] = [];
    while (day <= lastDay && items.length < limit) {
      const page = await this.queryIndex(INDEX.byDay, day, filter, after, limit - items.length);
      items.push(...page.items.slice(0, limit - items.length).map(eventFromItem));
      if (page.more && items.length >= limit) break;
      day = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      after = undefined;
    }
    const last = items.at(-1);
    const more = items.length >= limit && last !== undefined;
    return { items, nextCursor: more ? encodeCursor({ after: sortKeyOf(last) }) : null };
  }

  /** The day of the trail's first event: one key read per shard, then kept (it never changes). */
  private firstDay: string | null = null;
  private async trailFirstDay(): Promise<string | null> {
    if (this.firstDay !== null) return this.firstDay;
    const firsts = await Promise.all(
      Array.from({ length: this.shards }, (_, shard) =>
        this.doc.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: "#shard = :shard AND #seq > :zero",
            ExpressionAttributeNames: { "#shard": "shard", "#seq": "seq", "#at": "at" },
            ExpressionAttributeValues: { ":shard": shard, ":zero": 0 },
            ProjectionExpression: "#at",
            Limit: 1,
          }),
        ),
      ),
    );
    const days = firsts.flatMap((out) => (out.Items ?? []).map((i) => String(i.at).slice(0, 10))).sort();
    this.firstDay = days[0] ?? null;
    return this.firstDay;
  }

  /** No key filter: the trail in chain order, shard by shard, optionally within a time range. */
  private async queryChain(
    filter: AuditQuery,
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<AuditEvent>> {
    let position = decodeCursor(cursor, isChainCursor) ?? { shard: 0, seq: 0 };
    const items: AuditEvent[] = [];
    const { clauses, names, values } = this.filterExpression(filter, "");
    if (filter.from) {
      clauses.push("#at >= :from");
      values[":from"] = filter.from;
    }
    if (filter.to) {
      clauses.push("#at <= :to");
      values[":to"] = filter.to;
    }
    if (filter.from || filter.to) names["#at"] = "at";
    while (position.shard < this.shards && items.length < limit) {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: "#shard = :shard AND #seq > :seq",
          FilterExpression: clauses.length > 0 ? clauses.join(" AND ") : undefined,
          ExpressionAttributeNames: { ...names, "#shard": "shard", "#seq": "seq" },
          ExpressionAttributeValues: { ...values, ":shard": position.shard, ":seq": position.seq },
          Limit: limit - items.length,
        }),
      );
      items.push(...(out.Items ?? []).map(eventFromItem));
      const last = out.LastEvaluatedKey as { seq?: number } | undefined;
      position =
        last?.seq !== undefined
          ? { shard: position.shard, seq: last.seq }
          : { shard: position.shard + 1, seq: 0 };
    }
    const more = position.shard < this.shards;
    return { items, nextCursor: more ? encodeCursor(position) : null };
  }
}
