import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { AuditDraft } from "../../domain/audit.js";
import { type Calendar, defaultCalendar } from "../../domain/calendar.js";
import type { Agreement, Partner, RoutingRule } from "../../domain/registry.js";
import type {
  PartnerRecord,
  RegistrySnapshot,
  RegistryStore,
  Versioned,
  WebhookOwner,
  WebhookSecrets,
} from "../../ports.js";
import { type CommitOptions, commitGuarded, type Write, type WriteConditionFailed } from "./commit.js";
import { createOnly } from "./items.js";
import { changedEntryKeys } from "./registry-entries.js";
import { registryKeys as keys } from "./registry-keys.js";
import { epochBumps, listRegistry, RegistrySnapshots } from "./registry-snapshot.js";
import { INDEX, type TableNames } from "./tables.js";

export { registryKeys as keys } from "./registry-keys.js";

/** A put that replaces only the revision it read, so two IG officers cannot overwrite each other. */
function replaceRevision(table: string, item: Record<string, unknown>, expectedRevision: number): Write {
  if (expectedRevision === 0) return createOnly(table, { ...item, revision: 1 });
  return {
    Put: {
      TableName: table,
      Item: { ...item, revision: expectedRevision + 1 },
      ConditionExpression: "revision = :expected",
      ExpressionAttributeValues: { ":expected": expectedRevision },
    },
  };
}

/** Partners and agreements these writes create (a create-only Put of the entry's own item). */
function createdEntries(writes: readonly Write[]): number {
  return writes.filter(
    (w) =>
      w.Put?.ConditionExpression === "attribute_not_exists(pk)" &&
      (w.Put.Item?.sk === "PARTNER" || w.Put.Item?.sk === "AGREEMENT"),
  ).length;
}

const partnerItem = (partner: PartnerRecord | Partner) => ({
  ...keys.partner(partner.id),
  gsi1pk: "PARTNERS",
  gsi1sk: partner.id,
  data: partner,
});

function clientWrites(
  table: string,
  partnerId: string,
  added: readonly string[],
  removed: readonly string[],
): Write[] {
  return [
    ...added.map((clientId) => createOnly(table, { ...keys.client(clientId), data: { partnerId } })),
    ...removed.map(
      (clientId): Write => ({
        Delete: {
          TableName: table,
          Key: keys.client(clientId),
          ConditionExpression: "#data.#partnerId = :partner",
          ExpressionAttributeNames: { "#data": "data", "#partnerId": "partnerId" },
          ExpressionAttributeValues: { ":partner": partnerId },
        },
      }),
    ),
  ];
}

export function partnerWrites(table: string, partner: PartnerRecord | Partner): Write[] {
  return [
    createOnly(table, { ...partnerItem(partner), revision: 1 }),
    ...clientWrites(table, partner.id, partner.clientIds, []),
  ];
}

export function agreementItem(agreement: Agreement) {
  return { ...keys.agreement(agreement.id), gsi1pk: "AGREEMENTS", gsi1sk: agreement.id, data: agreement };
}

export class DynamoRegistryStore implements RegistryStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
    private readonly commitOptions?: CommitOptions,
    /** Milliseconds after a registry change during which a whole read of the registry is not kept. */
    indexSettleMs?: number,
  ) {
    this.snapshots = new RegistrySnapshots(doc, tables.data, indexSettleMs);
  }

  private readonly snapshots: RegistrySnapshots;

  private async get<T>(key: Record<string, string>): Promise<Versioned<T> | null> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tables.data, Key: key, ConsistentRead: true }),
    );
    if (!out.Item) return null;
    return { value: out.Item.data as T, revision: (out.Item.revision as number | undefined) ?? 1 };
  }

  /**
   * Every commit here changes the registry, so each moves the registry epoch too (after the
   * caller's writes, whose indexes `onCondition` reads). A failed condition is "conflict"
   * unless `onCondition` says which check it was.
   */
  private commit<R extends string = "conflict">(
    writes: Write[],
    events: AuditDraft[],
    onCondition: (failed: WriteConditionFailed) => R = () => "conflict" as R,
  ): Promise<"ok" | R> {
    const bumps = epochBumps(this.tables.data, Date.now(), createdEntries(writes), changedEntryKeys(writes));
    const all = [...writes, ...bumps];
    return commitGuarded(this.doc, this.tables, all, events, this.commitOptions, onCondition);
  }

  async partnerByClientId(clientId: string): Promise<Partner | null> {
    const client = await this.get<{ partnerId: string }>(keys.client(clientId));
    if (!client) return null;
    return (await this.get<Partner>(keys.partner(client.value.partnerId)))?.value ?? null;
  }

  /** The registry as submissions decide on it: kept, and read again only after a change. */
  decisionSnapshot(stale?: number): Promise<RegistrySnapshot> {
    return this.snapshots.get(stale);
  }

  listPartners(): Promise<Partner[]> {
    return listRegistry<Partner>(this.doc, this.tables.data, "PARTNERS");
  }

  listAgreements(): Promise<Agreement[]> {
    return listRegistry<Agreement>(this.doc, this.tables.data, "AGREEMENTS");
  }

  async routingRules(): Promise<RoutingRule[]> {
    return (await this.routingRuleSet()).value;
  }

  async routingRuleSet(): Promise<Versioned<RoutingRule[]>> {
    const found = await this.get<{ rules: RoutingRule[] }>(keys.routing());
    return found ? { value: found.value.rules, revision: found.revision } : { value: [], revision: 0 };
  }

  async isEmpty(): Promise<boolean> {
    const page = await this.doc.send(
      new QueryCommand({
        TableName: this.tables.data,
        IndexName: INDEX.gsi1,
        KeyConditionExpression: "gsi1pk = :kind",
        ExpressionAttributeValues: { ":kind": "PARTNERS" },
        Limit: 1,
      }),
    );
    return (page.Items?.length ?? 0) === 0 && (await this.routingRuleSet()).revision === 0;
  }

  /**
   * Each entity and its `*_changed` event commit together. Registry entries go one
   * transaction each to stay well inside TransactWriteItems' 100-item limit.
   */
  async seed(
    registry: { partners: Partner[]; agreements: Agreement[]; rules: RoutingRule[] },
    events: AuditDraft[],
  ): Promise<void> {
    const table = this.tables.data;
    const about = (kind: string, id: string) =>
      events.filter((e) => e.target?.kind === kind && e.target.id === id);
    // Seeding over an existing entry is a fault, not a conflict to answer.
    const orThrow = (failed: WriteConditionFailed): never => {
      throw failed;
    };
    for (const partner of registry.partners)
      await this.commit(partnerWrites(table, partner), about("partner", partner.id), orThrow);
    for (const agreement of registry.agreements) {
      await this.commit(
        [createOnly(table, { ...agreementItem(agreement), revision: 1 })],
        about("agreement", agreement.id),
        orThrow,
      );
    }
    await this.commit(
      [replaceRevision(table, { ...keys.routing(), data: { rules: registry.rules } }, 0)],
      about("routing_rules", "all"),
      orThrow,
    );
  }

  getPartner(id: string): Promise<Versioned<PartnerRecord> | null> {
    return this.get<PartnerRecord>(keys.partner(id));
  }

  async webhookSecrets(partnerId: string, owner: WebhookOwner = "partner"): Promise<WebhookSecrets | null> {
    const key = owner === "partner" ? keys.webhookSecrets(partnerId) : keys.contactWebhookSecrets(partnerId);
    return (await this.get<WebhookSecrets>(key))?.value ?? null;
  }

  private secretsWrite(partnerId: string, secrets: WebhookSecrets): Write {
    return {
      Put: { TableName: this.tables.data, Item: { ...keys.webhookSecrets(partnerId), data: secrets } },
    };
  }

  /** The escalation contact's secrets live apart from the partner's, so neither can sign as the other. */
  private contactSecretsWrites(
    partnerId: string,
    secrets: WebhookSecrets | "remove" | null | undefined,
  ): Write[] {
    const key = keys.contactWebhookSecrets(partnerId);
    if (!secrets) return [];
    if (secrets === "remove") return [{ Delete: { TableName: this.tables.data, Key: key } }];
    return [{ Put: { TableName: this.tables.data, Item: { ...key, data: secrets } } }];
  }

  async createPartner(
    partner: PartnerRecord,
    secrets: WebhookSecrets | null,
    events: AuditDraft[],
    contactSecrets?: WebhookSecrets | null,
  ): Promise<"ok" | "id_taken" | "client_taken"> {
    const writes = partnerWrites(this.tables.data, partner);
    if (secrets) writes.push(this.secretsWrite(partner.id, secrets));
    writes.push(...this.contactSecretsWrites(partner.id, contactSecrets));
    return this.commit(writes, events, (failed) => (failed.index === 0 ? "id_taken" : "client_taken"));
  }

  async updatePartner(
    previous: Versioned<PartnerRecord>,
    next: PartnerRecord,
    secrets: WebhookSecrets | null,
    events: AuditDraft[],
    contactSecrets?: WebhookSecrets | "remove" | null,
  ): Promise<"ok" | "conflict" | "client_taken"> {
    const added = next.clientIds.filter((c) => !previous.value.clientIds.includes(c));
    const removed = previous.value.clientIds.filter((c) => !next.clientIds.includes(c));
    const writes = [
      replaceRevision(this.tables.data, partnerItem(next), previous.revision),
      ...clientWrites(this.tables.data, next.id, added, removed),
    ];
    if (secrets) writes.push(this.secretsWrite(next.id, secrets));
    writes.push(...this.contactSecretsWrites(next.id, contactSecrets));
    return this.commit(writes, events, (failed) => (failed.index === 0 ? "conflict" : "client_taken"));
  }

  getAgreement(id: string): Promise<Versioned<Agreement> | null> {
    return this.get<Agreement>(keys.agreement(id));
  }

  async createAgreement(agreement: Agreement, events: AuditDraft[]): Promise<"ok" | "id_taken"> {
    return (await this.saveAgreement(agreement, 0, events)) === "ok" ? "ok" : "id_taken";
  }

  async saveAgreement(
    next: Agreement,
    expectedRevision: number,
    events: AuditDraft[],
  ): Promise<"ok" | "conflict"> {
    return this.commit([replaceRevision(this.tables.data, agreementItem(next), expectedRevision)], events);
  }

  async replaceRoutingRules(
    rules: RoutingRule[],
    expectedRevision: number,
    events: AuditDraft[],
  ): Promise<"ok" | "conflict"> {
    return this.commit(
      [replaceRevision(this.tables.data, { ...keys.routing(), data: { rules } }, expectedRevision)],
      events,
    );
  }

  async calendar(area: string): Promise<Versioned<Calendar>> {
    return (await this.get<Calendar>(keys.calendar(area))) ?? { value: defaultCalendar(area), revision: 0 };
  }

  async replaceCalendar(
    calendar: Calendar,
    expectedRevision: number,
    events: AuditDraft[],
  ): Promise<"ok" | "conflict"> {
    const item = { ...keys.calendar(calendar.area), data: calendar };
    return this.commit([replaceRevision(this.tables.data, item, expectedRevision)], events);
  }
}
