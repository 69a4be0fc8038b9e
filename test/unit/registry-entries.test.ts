import { describe, expect, it } from "vitest";
import type { Write } from "../../shared/adapters/dynamodb/commit.js";
import {
  changedCalendars,
  changedEntryKeys,
  type EntryKey,
  entriesOf,
  entryOf,
  keyId,
  nextChange,
  snapshotOf,
  withChanges,
} from "../../shared/adapters/dynamodb/registry-entries.js";
import { registryKeys } from "../../shared/adapters/dynamodb/registry-keys.js";
import { epochBumps } from "../../shared/adapters/dynamodb/registry-snapshot.js";
import { agreementItem, partnerWrites } from "../../shared/adapters/dynamodb/registry-store.js";
import { DEMO_AGREEMENTS, DEMO_PARTNERS, DEMO_RULES } from "../../shared/demo-registry.js";
import type { Agreement, Partner } from "../../shared/domain/registry.js";

/** The pure parts of bringing a registry snapshot up to date by one change's keys. */

const put = (item: Record<string, unknown>): Write => ({ Put: { TableName: "data", Item: item } });
const partner = (id: string): Partner => ({ ...(DEMO_PARTNERS[0] as Partner), id });
const agreement = (id: string): Agreement => ({ ...(DEMO_AGREEMENTS[0] as Agreement), id });
const noCalendar = async () => {
  throw new Error("no calendar in these tests");
};
const withoutCalendar = ({ calendar: _, ...rest }: ReturnType<typeof snapshotOf>) => rest;

describe("which items are snapshot entries", () => {
  it("names partners, agreements, the rules and calendars by their keys, and nothing else", () => {
    // Act / Assess
    expect(entryOf(registryKeys.partner("a-b"))).toEqual({ kind: "partner", id: "a-b" });
    expect(entryOf(registryKeys.agreement("x#y"))).toEqual({ kind: "agreement", id: "x#y" });
    expect(entryOf(registryKeys.routing())).toEqual({ kind: "rules", id: null });
    expect(entryOf(registryKeys.calendar("essex"))).toEqual({ kind: "calendar", id: "essex" });
    for (const other of [
      registryKeys.client("app"),
      registryKeys.webhookSecrets("p"),
      registryKeys.contactWebhookSecrets("p"),
      { pk: "REGISTRY_EPOCH#0", sk: "EPOCH" },
      { pk: "CONCERN#1", sk: "CONCERN" },
      { pk: "toString#x", sk: "toString" },
    ])
      expect(entryOf(other)).toBeNull();
  });
});

describe("the keys a change records", () => {
  it("records each snapshot entry a change writes once, leaving out clients and secrets", () => {
    // Prepare: a partner registered with a client and a webhook secret, the partner written twice.
    const writes: Write[] = [
      ...partnerWrites("data", partner("new-school")),
      put({ ...registryKeys.webhookSecrets("new-school"), data: {} }),
      {
        Update: {
          TableName: "data",
          Key: registryKeys.partner("new-school"),
          UpdateExpression: "SET x = :x",
        },
      },
      { Delete: { TableName: "data", Key: registryKeys.agreement("gone") } },
      { ConditionCheck: { TableName: "data", Key: registryKeys.routing(), ConditionExpression: "x" } },
    ];

    // Act / Assess
    expect(changedEntryKeys(writes)).toEqual([
      registryKeys.partner("new-school"),
      registryKeys.agreement("gone"),
    ]);
  });

  it("records that a full read is needed past the bound on the keys' bytes", () => {
    // Prepare
    const agreements = (n: number, id = (i: number) => `a-${i}`) =>
      Array.from({ length: n }, (_, i) => put(agreementItem(agreement(id(i)))));

    // Act / Assess
    expect(changedEntryKeys(agreements(3, (i) => `${i}-${"x".repeat(180)}`))).toHaveLength(3);
    expect(changedEntryKeys(agreements(4, (i) => `${i}-${"x".repeat(180)}`))).toBeNull();
    expect(changedEntryKeys(agreements(20))).toHaveLength(20);
    expect(changedEntryKeys(agreements(25))).toBeNull();
  });

  it("keeps an epoch copy under 1 KB however many keys it records, so a submission's check of it stays one unit", () => {
    // Prepare: as many short keys as fit, and as few long ones, as JSON (longer than DynamoDB counts).
    const most = (id: (i: number) => string) => {
      let keys: EntryKey[] = [];
      for (let n = 1; n <= 100; n++) {
        const next = changedEntryKeys(
          Array.from({ length: n }, (_, i) => put(agreementItem(agreement(id(i))))),
        );
        if (!next) break;
        keys = next;
      }
      return keys;
    };
    for (const keys of [most((i) => `${i}`), most((i) => `${i}-${"x".repeat(60)}`)]) {
      // Act
      const copy = {
        pk: "REGISTRY_EPOCH#15",
        sk: "EPOCH",
        epoch: 1_000_000,
        entries: 100_000,
        changedAt: Date.now(),
        lastChange: keys,
        lastChangeEpoch: 1_000_000,
      };

      // Assess
      expect(keys.length).toBeGreaterThan(5);
      expect(Buffer.byteLength(JSON.stringify(copy))).toBeLessThan(1_024);
    }
  });

  it("moves every epoch copy with the keys and the epoch they belong to, or clears them when too many", () => {
    // Act
    const [recorded] = epochBumps("data", 1, 0, [registryKeys.partner("p")]);
    const [cleared] = epochBumps("data", 1, 0, null);

    // Assess
    expect(recorded?.Update?.UpdateExpression).toContain(
      "lastChange = :keys, lastChangeEpoch = if_not_exists(epoch, :zero) + :one",
    );
    expect(recorded?.Update?.ExpressionAttributeValues?.[":keys"]).toEqual([registryKeys.partner("p")]);
    expect(cleared?.Update?.UpdateExpression).toContain("REMOVE lastChange, lastChangeEpoch");
  });
});

describe("when one change may be applied", () => {
  const keys = [registryKeys.partner("p")];

  it("only to the epoch just before the change, with the change's own keys", () => {
    // Act / Assess
    expect(nextChange({ epoch: 8, lastChange: keys, lastChangeEpoch: 8 }, 7)).toEqual(keys);
    expect(nextChange({ epoch: 9, lastChange: keys, lastChangeEpoch: 9 }, 7)).toBeNull();
    expect(nextChange({ epoch: 8, lastChange: keys, lastChangeEpoch: 8 }, 8)).toBeNull();
    // Moved by a writer that records no keys: those left are the change before's.
    expect(nextChange({ epoch: 8, lastChange: keys, lastChangeEpoch: 7 }, 7)).toBeNull();
    expect(nextChange({ epoch: 8, lastChangeEpoch: 8 }, 7)).toBeNull();
    expect(nextChange(undefined, 0)).toBeNull();
  });
});

describe("a change applied to a snapshot's entries", () => {
  it("replaces, adds and removes what the change wrote, and builds the snapshot a whole read would", () => {
    // Prepare
    const base = entriesOf([partner("b"), partner("d")], [agreement("x")], DEMO_RULES);
    const movedB = { ...partner("b"), areas: ["southend"] };
    const changed: EntryKey[] = [
      registryKeys.partner("b"),
      registryKeys.partner("a"),
      registryKeys.partner("d"),
      registryKeys.agreement("x"),
      registryKeys.routing(),
      registryKeys.calendar("essex"),
    ];
    const read = new Map<string, unknown>([
      [keyId(registryKeys.partner("b")), movedB],
      [keyId(registryKeys.partner("a")), partner("a")],
      [keyId(registryKeys.agreement("x")), { ...agreement("x"), title: "changed" }],
      [keyId(registryKeys.routing()), { rules: DEMO_RULES.slice(0, 1) }],
    ]);

    // Act
    const after = withChanges(base, changed, read);

    // Assess: the same snapshot as from the entries read whole, in id order; the base untouched.
    const whole = entriesOf(
      [partner("a"), movedB],
      [{ ...agreement("x"), title: "changed" }],
      DEMO_RULES.slice(0, 1),
    );
    expect(withoutCalendar(snapshotOf(9, after, noCalendar))).toEqual(
      withoutCalendar(snapshotOf(9, whole, noCalendar)),
    );
    expect(snapshotOf(9, after, noCalendar).partners.map((p) => p.id)).toEqual(["a", "b"]);
    expect([...base.partners.keys()]).toEqual(["b", "d"]);
    expect(base.rules).toBe(DEMO_RULES);
    expect(changedCalendars(changed)).toEqual(["essex"]);
  });

  it("leaves no rules when the rule set is gone", () => {
    // Act
    const after = withChanges(entriesOf([], [], DEMO_RULES), [registryKeys.routing()], new Map());

    // Assess
    expect(after.rules).toEqual([]);
  });
});
