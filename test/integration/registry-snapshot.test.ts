import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { DynamoRegistryStore } from "../../shared/adapters/dynamodb/registry-store.js";
import type { Caller } from "../../shared/app/context.js";
import { changeAgreementStatus, registerPartner, updatePartner } from "../../shared/app/registry.js";
import { submitConcern } from "../../shared/app/submit-concern.js";
import type { Partner } from "../../shared/domain/registry.js";
import { amyConcern, submittingPolice } from "../support/fixtures.js";
import { freshStore } from "../support/store.js";

/**
 * The registry a container keeps for its submissions: read once, used without a read while
 * nothing changes, and never trusted past a change another container made: the commit's epoch
 * check cancels the transaction and the submission is decided again on the registry as it is.
 */

const officer = submittingPolice("pc-1234", "req-officer");
const ig: Caller = { ...officer, sub: "ig-officer", clientId: "essex-police-ig", requestId: "req-ig" };
const subjectKey = Buffer.alloc(32, 5);

type Receipt = {
  notifications: { recipientId: string }[];
  refusals: { recipientId: string; reason: string }[];
};

describe("the registry snapshot on DynamoDB Local", () => {
  it("reads nothing of the registry while it is unchanged, and sees another container's suspension at commit", async () => {
    // Prepare: container A submits; container B is IG's, with its own registry store. A keeps
    // a snapshot even right after a change (on DynamoDB Local the index is never behind).
    const store = await freshStore();
    const containerA = new DynamoRegistryStore(store.doc, store.tables, store.commit, 0);
    const containerB = new DynamoRegistryStore(store.doc, store.tables, store.commit);
    const submitA = () =>
      submitConcern({ ...store, registry: containerA, subjectKey }, officer, amyConcern(), undefined);
    const sent: { command: string; pk: string; index: string }[] = [];
    store.doc.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { Key?: { pk?: string }; IndexName?: string; TableName?: string };
        sent.push({
          command: String(context.commandName),
          pk: String(input.Key?.pk ?? ""),
          index: input.IndexName ?? "",
        });
        return next(args);
      },
      { step: "initialize", name: "count-requests" },
    );
    const first = (await submitA()).body as Receipt;
    sent.length = 0;

    // Act 1: a second submission on the same registry.
    const second = (await submitA()).body as Receipt;

    // Assess 1: the same decision, and no registry read at all (only the transaction).
    expect(second.notifications.map((n) => n.recipientId).sort()).toEqual(
      first.notifications.map((n) => n.recipientId).sort(),
    );
    expect(sent.map((s) => s.command)).toEqual(["TransactWriteItemsCommand"]);

    // Act 2: IG suspends the school's agreement through container B; A submits again.
    await changeAgreementStatus(
      { ...store, registry: containerB, webhookHttpsOnly: false, resolveHost: async () => [] },
      ig,
      "encompass-st-marys",
      1,
      "suspend",
    );
    sent.length = 0;
    const third = (await submitA()).body as Receipt;

    // Assess 2: A's first commit was cancelled by the epoch check, the registry read again,
    // and the school refused; no disclosure to the school after the suspension.
    expect(sent.filter((s) => s.command === "TransactWriteItemsCommand")).toHaveLength(2);
    expect(sent.some((s) => s.pk.startsWith("REGISTRY_EPOCH#"))).toBe(true);
    expect(third.notifications.map((n) => n.recipientId)).toEqual(["essex-mash"]);
    expect(third.refusals).toContainEqual({
      recipientId: "st-marys-primary",
      reason: "agreement_not_active",
    });
    const disclosures = await store.audit.query({ action: "disclosure" }, undefined, 100);
    expect(disclosures.items.filter((e) => e.recipientId === "st-marys-primary")).toHaveLength(2);
  });

  it("sees a partner changed in another container: the MASH moved out of Essex is not told", async () => {
    // Prepare: A keeps its snapshot whatever the time since a change (settle time 0).
    const store = await freshStore();
    const containerA = new DynamoRegistryStore(store.doc, store.tables, store.commit, 0);
    const containerB = new DynamoRegistryStore(store.doc, store.tables, store.commit);
    const submitA = async () =>
      (await submitConcern({ ...store, registry: containerA, subjectKey }, officer, amyConcern(), undefined))
        .body as Receipt;
    expect((await submitA()).notifications.map((n) => n.recipientId)).toContain("essex-mash");

    // Act: IG moves the Essex MASH to Southend through container B; A submits again.
    const deps = { ...store, registry: containerB, webhookHttpsOnly: false, resolveHost: async () => [] };
    await updatePartner(deps, ig, "essex-mash", { areas: ["southend"] });
    const after = await submitA();

    // Assess: A decided on the partner as it now is, read by key.
    expect(after.notifications.map((n) => n.recipientId)).not.toContain("essex-mash");
    expect(after.notifications.map((n) => n.recipientId)).toContain("st-marys-primary");
  });

  it("counts every partner and agreement created, so a listing short of one is seen", async () => {
    // Prepare
    const store = await freshStore();
    const entries = async () =>
      (
        await store.doc.send(
          new GetCommand({ TableName: store.tables.data, Key: { pk: "REGISTRY_EPOCH#0", sk: "EPOCH" } }),
        )
      ).Item?.entries;
    const listed = async () =>
      (await store.registry.listPartners()).length + (await store.registry.listAgreements()).length;
    expect(await entries()).toBe(await listed());

    // Act: IG registers a partner.
    const deps = { ...store, webhookHttpsOnly: false, resolveHost: async () => [] };
    await registerPartner(deps, ig, {
      id: "essex-care",
      name: "Essex Care",
      type: "care_provider",
      areas: ["essex"],
      clientIds: ["essex-care-app"],
    } as Partner);

    // Assess
    expect(await entries()).toBe(await listed());
  });
});
