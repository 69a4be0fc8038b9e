import { GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { epochBumps } from "../../shared/adapters/dynamodb/registry-snapshot.js";
import { DynamoRegistryStore } from "../../shared/adapters/dynamodb/registry-store.js";
import { addAgreementVersion, changeAgreementStatus } from "../../shared/app/agreement-admin.js";
import type { Caller } from "../../shared/app/context.js";
import { registerPartner, updatePartner } from "../../shared/app/registry.js";
import { replaceCalendar } from "../../shared/app/routing-admin.js";
import { submitConcern } from "../../shared/app/submit-concern.js";
import { termsOf } from "../../shared/domain/agreement-lifecycle.js";
import type { Partner } from "../../shared/domain/registry.js";
import type { SubmissionReceipt } from "../../shared/ports.js";
import { amyConcern, submittingPolice } from "../support/fixtures.js";
import { freshStore } from "../support/store.js";

/**
 * One change since a container's kept snapshot is applied to it by reading again only the
 * entries the change wrote (their keys recorded on the epoch), by key; two or more changes, and
 * the container reads the whole registry. Either way the submission is decided on the registry
 * as it now is. Container A submits; container B is IG's.
 */

const officer = submittingPolice("pc-1234", "req-officer");
const ig: Caller = { ...officer, sub: "ig-officer", clientId: "essex-police-ig", requestId: "req-ig" };
const subjectKey = Buffer.alloc(32, 6);

type Sent = { command: string; index: string; keys: string[] };

async function containers() {
  const store = await freshStore();
  // A keeps each snapshot whatever the time since a change (settle time 0; DynamoDB Local's
  // index never lags), so what it reads after a change is the reload alone.
  const containerA = new DynamoRegistryStore(store.doc, store.tables, store.commit, 0);
  const containerB = new DynamoRegistryStore(store.doc, store.tables, store.commit);
  const sent: Sent[] = [];
  /** Run once just before A's next BatchGet is sent: a change racing the reload. */
  let beforeNextBatchGet: (() => Promise<unknown>) | null = null;
  store.doc.middlewareStack.add(
    (next, context) => async (args) => {
      const racing = beforeNextBatchGet;
      if (racing && context.commandName === "BatchGetItemCommand") {
        beforeNextBatchGet = null;
        await racing();
      }
      const input = args.input as {
        IndexName?: string;
        RequestItems?: Record<string, { Keys?: { pk: string; sk: string }[] }>;
      };
      const keys = Object.values(input.RequestItems ?? {}).flatMap((r) =>
        (r.Keys ?? []).map((k) => `${k.pk}|${k.sk}`),
      );
      sent.push({ command: String(context.commandName), index: input.IndexName ?? "", keys });
      return next(args);
    },
    { step: "initialize", name: "count-reads" },
  );
  const submitA = async (overrides: Parameters<typeof amyConcern>[0] = {}) => {
    const response = await submitConcern(
      { ...store, registry: containerA, subjectKey },
      officer,
      amyConcern(overrides),
      undefined,
    );
    expect(response.statusCode).toBe(201);
    return response.body as SubmissionReceipt;
  };
  const igDeps = { ...store, registry: containerB, webhookHttpsOnly: false, resolveHost: async () => [] };
  /** What A read of the registry since the last call: index queries and keys read in batches. */
  const reads = () => {
    const out = {
      indexQueries: sent.filter((s) => s.command === "QueryCommand" && s.index !== "").length,
      keysRead: sent.filter((s) => s.command === "BatchGetItemCommand").flatMap((s) => s.keys),
    };
    sent.length = 0;
    return out;
  };
  const raceNextBatchGet = (change: () => Promise<unknown>) => {
    beforeNextBatchGet = change;
  };
  return { store, submitA, igDeps, reads, raceNextBatchGet };
}

const recipients = (receipt: SubmissionReceipt) => receipt.notifications.map((n) => n.recipientId).sort();

describe("a registry snapshot brought up to date by one change", () => {
  it("reads only the suspended agreement again, and the school is refused", async () => {
    // Prepare
    const { submitA, igDeps, reads } = await containers();
    expect(recipients(await submitA())).toEqual(["essex-mash", "st-marys-primary"]);

    // Act
    await changeAgreementStatus(igDeps, ig, "encompass-st-marys", 1, "suspend");
    reads();
    const after = await submitA();

    // Assess
    expect(reads()).toEqual({ indexQueries: 0, keysRead: ["AGREEMENT#encompass-st-marys|AGREEMENT"] });
    expect(recipients(after)).toEqual(["essex-mash"]);
    expect(after.refusals).toContainEqual({
      recipientId: "st-marys-primary",
      reason: "agreement_not_active",
    });
  });

  it("applies a changed grant one change at a time: the new version's categories once it is active", async () => {
    // Prepare
    const { store, submitA, igDeps, reads } = await containers();
    const mashCategories = (r: SubmissionReceipt) =>
      r.notifications.find((n) => n.recipientId === "essex-mash")?.dataCategories;
    expect(mashCategories(await submitA())).toContain("officer");
    const mash = await store.registry.getAgreement("mash-essex");
    const v1 = mash?.value.versions[0];
    if (!mash || !v1) throw new Error("demo registry has no MASH agreement");
    const terms = termsOf(v1, mash.value.title);

    // Act 1: a draft version 2 without the officer's details, which authorises nothing yet.
    await addAgreementVersion(igDeps, ig, "mash-essex", {
      ...terms,
      dataCategories: terms.dataCategories.filter((c) => c !== "officer"),
    });
    reads();
    const draft = await submitA();
    const readForDraft = reads();

    // Act 2: version 2 activated (it supersedes version 1).
    await changeAgreementStatus(igDeps, ig, "mash-essex", 2, "activate");
    reads();
    const active = await submitA();

    // Assess
    expect(readForDraft).toEqual({ indexQueries: 0, keysRead: ["AGREEMENT#mash-essex|AGREEMENT"] });
    expect(mashCategories(draft)).toContain("officer");
    expect(reads()).toEqual({ indexQueries: 0, keysRead: ["AGREEMENT#mash-essex|AGREEMENT"] });
    expect(mashCategories(active)).not.toContain("officer");
    expect(active.notifications.find((n) => n.recipientId === "essex-mash")?.agreement).toEqual({
      id: "mash-essex",
      version: 2,
    });
  });

  it("sees a partner registered since, read by key though no listing was read", async () => {
    // Prepare: before the registration the child's new school is no partner.
    const { submitA, igDeps, reads } = await containers();
    const atStJohns = { ...amyConcern().subject, schoolId: "st-johns-primary" };
    expect((await submitA({ subject: atStJohns })).unresolvedRoutes).toHaveLength(1);

    // Act
    await registerPartner(igDeps, ig, {
      id: "st-johns-primary",
      name: "St John's Primary",
      type: "school",
      areas: ["essex"],
      clientIds: ["st-johns-primary-app"],
    } as Partner);
    reads();
    const after = await submitA({ subject: atStJohns });

    // Assess: routed to the new school, refused for want of an agreement.
    expect(reads()).toEqual({ indexQueries: 0, keysRead: ["PARTNER#st-johns-primary|PARTNER"] });
    expect(after.unresolvedRoutes).toEqual([]);
    expect(after.refusals).toContainEqual({ recipientId: "st-johns-primary", reason: "no_agreement" });
  });

  it("reads only the moved partner again: the MASH moved out of Essex is not told", async () => {
    // Prepare
    const { submitA, igDeps, reads } = await containers();
    expect(recipients(await submitA())).toContain("essex-mash");

    // Act
    await updatePartner(igDeps, ig, "essex-mash", { areas: ["southend"] });
    reads();
    const after = await submitA();

    // Assess
    expect(reads()).toEqual({ indexQueries: 0, keysRead: ["PARTNER#essex-mash|PARTNER"] });
    expect(recipients(after)).toEqual(["st-marys-primary"]);
  });

  it("reads a changed calendar again when next used: the school's due time moves past its new holidays", async () => {
    // Prepare
    const { store, submitA, igDeps, reads } = await containers();
    const schoolDue = (r: SubmissionReceipt) =>
      r.notifications.find((n) => n.recipientId === "st-marys-primary")?.dueBy;
    const before = schoolDue(await submitA());
    const current = (await store.registry.calendar("essex")).value;
    const today = Date.parse(new Date().toISOString().slice(0, 10));
    const fortnight = Array.from({ length: 14 }, (_, d) =>
      new Date(today + d * 86_400_000).toISOString().slice(0, 10),
    );

    // Act: IG makes the next fortnight school holidays.
    await replaceCalendar(igDeps, ig, "essex", { ...current, schoolHolidays: fortnight });
    reads();
    const after = schoolDue(await submitA());

    // Assess: no entry read again (the calendar is read by itself when used), the due time later.
    expect(reads()).toEqual({ indexQueries: 0, keysRead: [] });
    expect(Date.parse(after ?? "")).toBeGreaterThan(Date.parse(before ?? ""));
    expect((after ?? "").slice(0, 10) > (fortnight.at(-1) ?? "")).toBe(true);
  });

  it("reads the whole registry after a change too big to record its keys", async () => {
    // Prepare: one change recorded, then one that recorded none (as past the bound).
    const { store, submitA, igDeps, reads } = await containers();
    await submitA();
    await changeAgreementStatus(igDeps, ig, "encompass-st-marys", 1, "suspend");
    await submitA();
    const copy = async () =>
      (
        await store.doc.send(
          new GetCommand({ TableName: store.tables.data, Key: { pk: "REGISTRY_EPOCH#3", sk: "EPOCH" } }),
        )
      ).Item;
    const recorded = await copy();

    // Act
    await store.doc.send(
      new TransactWriteCommand({ TransactItems: epochBumps(store.tables.data, Date.now()) }),
    );
    reads();
    const after = await submitA();

    // Assess: the keys and their epoch cleared on the copies, the registry read whole.
    expect(recorded?.lastChangeEpoch).toBe(recorded?.epoch);
    const cleared = await copy();
    expect(cleared?.epoch).toBe(Number(recorded?.epoch) + 1);
    expect(cleared?.lastChange).toBeUndefined();
    expect(cleared?.lastChangeEpoch).toBeUndefined();
    expect(reads().indexQueries).toBe(2);
    expect(recipients(after)).toEqual(["essex-mash"]);
  });

  it("reads the whole registry after two changes, and decides on both", async () => {
    // Prepare
    const { submitA, igDeps, reads } = await containers();
    expect(recipients(await submitA())).toEqual(["essex-mash", "st-marys-primary"]);

    // Act
    await changeAgreementStatus(igDeps, ig, "encompass-st-marys", 1, "suspend");
    await updatePartner(igDeps, ig, "essex-mash", { areas: ["southend"] });
    reads();
    const after = await submitA();

    // Assess: both listings read from the index, every entry by key.
    const read = reads();
    expect(read.indexQueries).toBe(2);
    expect(read.keysRead.length).toBeGreaterThan(2);
    expect(recipients(after)).toEqual([]);
    expect(after.refusals).toContainEqual({
      recipientId: "st-marys-primary",
      reason: "agreement_not_active",
    });
  });

  it("decides again when a second change commits while the first is read: a retry, then both applied", async () => {
    // Prepare
    const { submitA, igDeps, reads, raceNextBatchGet } = await containers();
    expect(recipients(await submitA())).toEqual(["essex-mash", "st-marys-primary"]);
    await changeAgreementStatus(igDeps, ig, "encompass-st-marys", 1, "suspend");

    // Act: the MASH moves out of Essex just before A reads the suspension's key.
    raceNextBatchGet(() => updatePartner(igDeps, ig, "essex-mash", { areas: ["southend"] }));
    reads();
    const after = await submitA();

    // Assess: A's snapshot at the suspension's epoch was cancelled at commit, then the move
    // applied to it in turn; neither the school nor the moved MASH is told.
    expect(reads().keysRead).toEqual([
      "AGREEMENT#encompass-st-marys|AGREEMENT",
      "PARTNER#essex-mash|PARTNER",
    ]);
    expect(recipients(after)).toEqual([]);
    expect(after.refusals).toContainEqual({
      recipientId: "st-marys-primary",
      reason: "agreement_not_active",
    });
  });
});
