import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { type Calendar, defaultCalendar } from "../../domain/calendar.js";
import type { Agreement, Partner } from "../../domain/registry.js";
import type { RegistrySnapshot } from "../../ports.js";
import type { Write } from "./commit.js";
import { batchGetByKey, batchGetData } from "./reads.js";
import {
  changedCalendars,
  type EntryKey,
  type EpochItem,
  entriesOf,
  entryCount,
  entryOf,
  nextChange,
  type RegistryEntries,
  rulesOf,
  snapshotOf,
  withChanges,
} from "./registry-entries.js";
import { registryKeys as keys } from "./registry-keys.js";
import { INDEX } from "./tables.js";

/**
 * The registry a submission decides on, kept per container and validated at commit by one
 * number: the registry epoch, which every change to a partner, an agreement, the routing rules
 * or a calendar increments in the change's own transaction. A submission's transaction checks
 * that the epoch is still the one its snapshot was read at, so a suspension (or any change)
 * committed before it cancels it, and it is decided again on a fresh snapshot: a stale cache
 * costs a retry, never a wrong disclosure. Without a change the snapshot costs no read at all,
 * whatever the registry's size.
 *
 * The epoch is kept in several copies, all moved together by each change; a submission checks
 * the copy of its audit shard. Concurrent transactions that touch one item conflict on
 * DynamoDB (TransactionConflict), so submissions on different shards must not share one; a
 * shard is written by one writer at a time already (`ShardWriters`).
 */
export const REGISTRY_EPOCH_COPIES = 16;

const epochKey = (copy: number) => ({ pk: `REGISTRY_EPOCH#${copy}`, sk: "EPOCH" });

/**
 * A whole read within this long of the last change is used once and not kept: the index that
 * lists which entries exist may not list a just-created partner or agreement yet (GSIs are
 * eventually consistent). Past it, a listing shorter than the count of entries created (the
 * epoch's `entries`) is not kept either, however long the index lags. What an entry says never
 * comes from the index (`load`), so no lag can make a decision use an entry as it was before a
 * change.
 */
export const INDEX_SETTLE_MS = 5_000;

/**
 * The writes that move every copy of the epoch: part of each registry change's transaction.
 * `created` partners and agreements are counted too (`entries`), so a snapshot can tell an
 * index listing that does not show them yet, however long the index lags. `changed` is the
 * snapshot entries the change wrote (`changedEntryKeys`), recorded with the epoch they moved it
 * to, so a container one change behind reads only those again; null (too many) records that a
 * full read is needed.
 */
export function epochBumps(
  table: string,
  at: number,
  created = 0,
  changed: readonly EntryKey[] | null = null,
): Write[] {
  const record = changed
    ? {
        expression:
          "SET lastChange = :keys, lastChangeEpoch = if_not_exists(epoch, :zero) + :one, changedAt = :at",
        values: { ":keys": changed, ":zero": 0 },
      }
    : { expression: "SET changedAt = :at REMOVE lastChange, lastChangeEpoch", values: {} };
  return Array.from({ length: REGISTRY_EPOCH_COPIES }, (_, copy) => ({
    Update: {
      TableName: table,
      Key: epochKey(copy),
      UpdateExpression: `ADD epoch :one, entries :created ${record.expression}`,
      ExpressionAttributeValues: { ":one": 1, ":created": created, ":at": at, ...record.values },
    },
  }));
}

/** The check that the registry is still at `epoch` (0: never changed since this code). */
export function epochCheck(table: string, shard: number, epoch: number): Write {
  return {
    ConditionCheck: {
      TableName: table,
      Key: epochKey(shard % REGISTRY_EPOCH_COPIES),
      ...(epoch === 0
        ? { ConditionExpression: "attribute_not_exists(epoch)" }
        : { ConditionExpression: "epoch = :epoch", ExpressionAttributeValues: { ":epoch": epoch } }),
    },
  };
}

/** Every item of one kind on the registry index (`gsi1`), page after page. */
async function listed(
  doc: DynamoDBDocumentClient,
  table: string,
  kind: string,
  projection?: string,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: table,
        IndexName: INDEX.gsi1,
        KeyConditionExpression: "gsi1pk = :kind",
        ExpressionAttributeValues: { ":kind": kind },
        ProjectionExpression: projection,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Every entry of one kind as the index shows it: for listings, never for a decision. */
export async function listRegistry<T>(
  doc: DynamoDBDocumentClient,
  table: string,
  kind: string,
): Promise<T[]> {
  return (await listed(doc, table, kind)).map((item) => item.data as T);
}

/** Every entry of one kind: which ones listed on the index, what each says read by key (see `load`). */
async function readRegistry<T>(doc: DynamoDBDocumentClient, table: string, kind: string): Promise<T[]> {
  const keyList = (await listed(doc, table, kind, "pk, sk")).map((item) => ({
    pk: String(item.pk),
    sk: String(item.sk),
  }));
  return batchGetData<T>(doc, table, keyList);
}

interface Loaded {
  snapshot: RegistrySnapshot;
  /**
   * Whether it may be kept: a whole read made long enough after the last change for the index to
   * list every entry, or a kept snapshot with one change applied by key (no index involved).
   */
  settled: boolean;
  /** What the snapshot was built from, so the next change can be applied to it. */
  entries: RegistryEntries;
  /** Calendars read so far, by area: read when first needed. */
  calendars: Map<string, Promise<Calendar>>;
}

/** One container's snapshot: read once, shared by concurrent submissions, read again when stale. */
export class RegistrySnapshots {
  private current: Promise<Loaded> | null = null;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    /** How long after a change a whole read is used once and not kept. */
    private readonly settleMs = INDEX_SETTLE_MS,
  ) {}

  /**
   * The snapshot to decide on; `stale` is the epoch a commit just found changed, so a snapshot
   * at that epoch is not given again.
   */
  async get(stale?: number): Promise<RegistrySnapshot> {
    const held = this.current;
    const kept = held === null ? null : await held.catch(() => null);
    if (kept && kept.snapshot.epoch !== stale) return kept.snapshot;
    // Concurrent callers that found the same stale snapshot share one read.
    if (this.current === held) {
      const loading = this.load(kept);
      this.current = loading;
      loading.then(
        (l) => {
          if (!l.settled && this.current === loading) this.current = null;
        },
        () => {
          if (this.current === loading) this.current = null;
        },
      );
    }
    return (await (this.current ?? this.load(null))).snapshot;
  }

  /**
   * The epoch first, consistently, then the registry: anything read is at least as new as the
   * epoch, and a change after the epoch read has moved it, so the commit's check fails. One
   * change past a kept snapshot is applied to it (only its keys read again, by key); anything
   * else reads the whole registry.
   */
  private async load(kept: Loaded | null): Promise<Loaded> {
    const epochItem = (
      await this.doc.send(new GetCommand({ TableName: this.table, Key: epochKey(0), ConsistentRead: true }))
    ).Item as EpochItem | undefined;
    // Only a kept snapshot is complete: one not kept may lack an entry the index did not list.
    const changed = kept?.settled ? nextChange(epochItem, kept.snapshot.epoch) : null;
    if (kept && changed) return this.loadChange(kept, epochItem, changed);
    return this.loadAll(epochItem);
  }

  /**
   * The kept snapshot with one change applied: each key the change recorded read again by key,
   * consistently, after the epoch (a created entry the index does not list yet included; a
   * missing one was deleted). A change committed since has moved the epoch past this one, so a
   * submission decided on it is cancelled at commit and decided again.
   */
  private async loadChange(
    kept: Loaded,
    epochItem: EpochItem | undefined,
    changed: EntryKey[],
  ): Promise<Loaded> {
    const toRead = changed.filter((key) => entryOf(key)?.kind !== "calendar");
    const read = await batchGetByKey<unknown>(this.doc, this.table, toRead);
    const entries = withChanges(kept.entries, changed, read);
    const calendars = new Map(kept.calendars);
    for (const area of changedCalendars(changed)) calendars.delete(area);
    // Nothing here depends on the index, so no settle time; the count stays a guard.
    const settled = entryCount(entries) >= (epochItem?.entries ?? 0);
    return this.loaded(epochItem?.epoch ?? 0, entries, calendars, settled);
  }

  private async loadAll(epochItem: EpochItem | undefined): Promise<Loaded> {
    const { doc, table } = this;
    const settledByTime = Date.now() - (epochItem?.changedAt ?? 0) > this.settleMs;
    // The index only says which entries exist; what each says (an agreement's status, a
    // partner's areas, school or grants) is read by key, consistently, whatever the index's
    // lag, so a snapshot can never hold an entry as it was before a change it kept past.
    const [partners, agreements, rules] = await Promise.all([
      readRegistry<Partner>(doc, table, "PARTNERS"),
      readRegistry<Agreement>(doc, table, "AGREEMENTS"),
      doc.send(new GetCommand({ TableName: table, Key: keys.routing(), ConsistentRead: true })),
    ]);
    const routing = rulesOf(rules.Item?.data);
    const entries = entriesOf(partners, agreements, routing);
    // Fewer entries listed than were ever created (none is deleted): the index has not shown
    // them all yet, whatever the time since. (Entries created before the count began are not
    // counted, so there the settle time alone decides.)
    const settled = settledByTime && entryCount(entries) >= (epochItem?.entries ?? 0);
    return this.loaded(epochItem?.epoch ?? 0, entries, new Map(), settled);
  }

  /** The snapshot of `entries`, its calendars read when first needed (those in `calendars` already read). */
  private loaded(
    epoch: number,
    entries: RegistryEntries,
    calendars: Map<string, Promise<Calendar>>,
    settled: boolean,
  ): Loaded {
    // A failed read is forgotten, so the next submission reads it again (one carried over too).
    const remember = (area: string, found: Promise<Calendar>) => {
      calendars.set(area, found);
      found.catch(() => {
        if (calendars.get(area) === found) calendars.delete(area);
      });
    };
    for (const [area, found] of calendars) remember(area, found);
    const calendar = (area: string): Promise<Calendar> => {
      let found = calendars.get(area);
      if (!found) {
        found = this.readCalendar(area);
        remember(area, found);
      }
      return found;
    };
    return { snapshot: snapshotOf(epoch, entries, calendar), settled, entries, calendars };
  }

  /** Read when first needed, after the epoch: as new as the epoch, like the rest. */
  private async readCalendar(area: string): Promise<Calendar> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keys.calendar(area), ConsistentRead: true }),
    );
    return (out.Item?.data as Calendar | undefined) ?? defaultCalendar(area);
  }
}
