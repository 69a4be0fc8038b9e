import type { Calendar } from "../../domain/calendar.js";
import type { Agreement, Partner, RoutingRule } from "../../domain/registry.js";
import type { RegistrySnapshot } from "../../ports.js";
import type { Write } from "./commit.js";
import { keyId } from "./item-key.js";

/**
 * What a registry snapshot is built from, and how one change is applied to it: pure, so a
 * snapshot read whole and one brought up to date by a change's keys are built the same way.
 */

/** A data-table key. */
export type EntryKey = { pk: string; sk: string };

/** The registry entries a submission decides on, by id. */
export interface RegistryEntries {
  partners: ReadonlyMap<string, Partner>;
  agreements: ReadonlyMap<string, Agreement>;
  rules: readonly RoutingRule[];
}

/** Which snapshot entry a key holds (see `registryKeys`), or null for any other item. */
export type EntryOf =
  | { kind: "partner" | "agreement" | "calendar"; id: string }
  | { kind: "rules"; id: null };

/**
 * The keys a change records on the epoch for others to read again, as stored; past this it
 * records that a full read is needed instead. It keeps each epoch copy under 1 KB (the keys,
 * about 10 bytes of overhead each, and ~100 bytes of the copy's own), so the ConditionCheck
 * every submission makes on its copy stays one unit: some 20 keys. A change writes one entry
 * today (a partner, an agreement, the rule set or a calendar).
 */
export const MAX_CHANGED_KEY_BYTES = 700;

/** A recorded key's size as DynamoDB counts it: its names and values, and a list element's and map's overhead. */
const storedBytes = (key: EntryKey): number => 10 + Buffer.byteLength(key.pk) + Buffer.byteLength(key.sk);

const PREFIXED = { PARTNER: "partner", AGREEMENT: "agreement", CALENDAR: "calendar" } as const;

/** A partner is `PARTNER#<id>` / `PARTNER`, and so on: the item whose sort key names its kind. */
export function entryOf({ pk, sk }: EntryKey): EntryOf | null {
  if (pk === "ROUTING" && sk === "RULES") return { kind: "rules", id: null };
  const hash = pk.indexOf("#");
  if (hash < 0 || pk.slice(0, hash) !== sk || !Object.hasOwn(PREFIXED, sk)) return null;
  return { kind: PREFIXED[sk as keyof typeof PREFIXED], id: pk.slice(hash + 1) };
}

export { keyId };

/** The rule set a routing item holds (none before any is set). */
export const rulesOf = (data: unknown): RoutingRule[] =>
  (data as { rules?: RoutingRule[] } | undefined)?.rules ?? [];

function writtenKey(write: Write): EntryKey | null {
  const key = write.Put?.Item ?? write.Update?.Key ?? write.Delete?.Key;
  return typeof key?.pk === "string" && typeof key.sk === "string" ? { pk: key.pk, sk: key.sk } : null;
}

/**
 * The snapshot entries a change's writes put, update or delete (each once), or null when there
 * are too many to record: then every container reads the whole registry again.
 */
export function changedEntryKeys(writes: readonly Write[]): EntryKey[] | null {
  const changed = new Map<string, EntryKey>();
  for (const write of writes) {
    const key = writtenKey(write);
    if (key && entryOf(key)) changed.set(keyId(key), key);
  }
  const keys = [...changed.values()];
  const bytes = keys.reduce((n, key) => n + storedBytes(key), 0);
  return bytes <= MAX_CHANGED_KEY_BYTES ? keys : null;
}

/** What an epoch copy says about the last change (attributes written by `epochBumps`). */
export interface EpochItem {
  epoch?: number;
  changedAt?: number;
  entries?: number;
  lastChange?: EntryKey[];
  /** The epoch `lastChange` belongs to: a writer that moved the epoch without recording keys leaves it behind. */
  lastChangeEpoch?: number;
}

/**
 * The keys to read again to bring a snapshot at `epoch` to the epoch item's, or null when only
 * a full read will do: more than one change since, or the change's keys not recorded (too
 * many, or moved by a writer that does not record them).
 */
export function nextChange(item: EpochItem | undefined, epoch: number): EntryKey[] | null {
  if (!item || item.epoch !== epoch + 1 || item.lastChangeEpoch !== item.epoch) return null;
  return Array.isArray(item.lastChange) ? item.lastChange : null;
}

/** The entries as read whole: the index's listing, each entry read by key. */
export function entriesOf(
  partners: readonly Partner[],
  agreements: readonly Agreement[],
  rules: readonly RoutingRule[],
): RegistryEntries {
  return {
    partners: new Map(partners.map((p) => [p.id, p])),
    agreements: new Map(agreements.map((a) => [a.id, a])),
    rules,
  };
}

/**
 * `base` with one change applied: each changed key as `read` now holds it (by `keyId`; a key
 * `read` lacks was deleted). Calendars are not entries here: a snapshot reads them when used.
 */
export function withChanges(
  base: RegistryEntries,
  changed: readonly EntryKey[],
  read: ReadonlyMap<string, unknown>,
): RegistryEntries {
  const partners = new Map(base.partners);
  const agreements = new Map(base.agreements);
  let rules = base.rules;
  for (const key of changed) {
    const entry = entryOf(key);
    const data = read.get(keyId(key));
    if (entry?.kind === "partner") setOrDelete(partners, entry.id, data as Partner | undefined);
    if (entry?.kind === "agreement") setOrDelete(agreements, entry.id, data as Agreement | undefined);
    if (entry?.kind === "rules") rules = rulesOf(data);
  }
  return { partners, agreements, rules };
}

function setOrDelete<T>(map: Map<string, T>, id: string, value: T | undefined): void {
  if (value === undefined) map.delete(id);
  else map.set(id, value);
}

/** Areas whose calendar a change wrote: a snapshot must read them again, not keep them. */
export function changedCalendars(changed: readonly EntryKey[]): string[] {
  return changed.flatMap((key) => {
    const entry = entryOf(key);
    return entry?.kind === "calendar" ? [entry.id] : [];
  });
}

/** Partners and agreements in the snapshot, to hold against the count of those ever created. */
export const entryCount = (entries: RegistryEntries): number =>
  entries.partners.size + entries.agreements.size;

/** In id order, as the index lists them (ids are ASCII slugs: code units order as bytes do). */
const byId = <T>(map: ReadonlyMap<string, T>): T[] =>
  [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, value]) => value);

/** The one way a snapshot is built from its entries, whether read whole or brought up to date. */
export function snapshotOf(
  epoch: number,
  entries: RegistryEntries,
  calendar: (area: string) => Promise<Calendar>,
): RegistrySnapshot {
  return {
    epoch,
    partners: byId(entries.partners),
    agreements: byId(entries.agreements),
    rules: [...entries.rules],
    calendar,
  };
}
