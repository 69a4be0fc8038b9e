import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { AuditDraft } from "../../domain/audit.js";
import type { Agreement, Partner, RoutingRule } from "../../domain/registry.js";
import type { RegistryStore } from "../../ports.js";
import { type CommitOptions, commitWithAudit, type Write } from "./commit.js";
import { INDEX, type TableNames } from "./tables.js";

export const keys = {
  partner: (id: string) => ({ pk: `PARTNER#${id}`, sk: "PARTNER" }),
  client: (clientId: string) => ({ pk: `CLIENT#${clientId}`, sk: "CLIENT" }),
  agreement: (id: string) => ({ pk: `AGREEMENT#${id}`, sk: "AGREEMENT" }),
  routing: () => ({ pk: "ROUTING", sk: "RULES" }),
};

/** A put that only creates: registry ids and client ids are unique. */
export function createOnly(table: string, item: Record<string, unknown>): Write {
  return { Put: { TableName: table, Item: item, ConditionExpression: "attribute_not_exists(pk)" } };
}

export function partnerWrites(table: string, partner: Partner): Write[] {
  return [
    createOnly(table, { ...keys.partner(partner.id), gsi1pk: "PARTNERS", gsi1sk: partner.id, data: partner }),
    ...partner.clientIds.map((clientId) =>
      createOnly(table, { ...keys.client(clientId), data: { partnerId: partner.id } }),
    ),
  ];
}

export function agreementWrite(table: string, agreement: Agreement): Write {
  return createOnly(table, {
    ...keys.agreement(agreement.id),
    gsi1pk: "AGREEMENTS",
    gsi1sk: agreement.id,
    data: agreement,
  });
}

export class DynamoRegistryStore implements RegistryStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
    private readonly commitOptions?: CommitOptions,
  ) {}

  async partnerByClientId(clientId: string): Promise<Partner | null> {
    const client = await this.doc.send(
      new GetCommand({ TableName: this.tables.data, Key: keys.client(clientId) }),
    );
    const partnerId = (client.Item?.data as { partnerId?: string } | undefined)?.partnerId;
    if (!partnerId) return null;
    const partner = await this.doc.send(
      new GetCommand({ TableName: this.tables.data, Key: keys.partner(partnerId) }),
    );
    return (partner.Item?.data as Partner | undefined) ?? null;
  }

  private async listKind<T>(kind: string): Promise<T[]> {
    const items: T[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tables.data,
          IndexName: INDEX.gsi1,
          KeyConditionExpression: "gsi1pk = :kind",
          ExpressionAttributeValues: { ":kind": kind },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) items.push(item.data as T);
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  listPartners(): Promise<Partner[]> {
    return this.listKind<Partner>("PARTNERS");
  }

  listAgreements(): Promise<Agreement[]> {
    return this.listKind<Agreement>("AGREEMENTS");
  }

  async routingRules(): Promise<RoutingRule[]> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tables.data, Key: keys.routing(), ConsistentRead: true }),
    );
    return ((out.Item?.data as { rules?: RoutingRule[] } | undefined)?.rules ?? []) as RoutingRule[];
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
    const rules = await this.routingRules();
    return (page.Items?.length ?? 0) === 0 && rules.length === 0;
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
    const targetOf = (kind: string, id: string) =>
      events.filter((e) => e.target?.kind === kind && e.target.id === id);
    for (const partner of registry.partners) {
      await commitWithAudit(
        this.doc,
        this.tables,
        partnerWrites(table, partner),
        targetOf("partner", partner.id),
        this.commitOptions,
      );
    }
    for (const agreement of registry.agreements) {
      await commitWithAudit(
        this.doc,
        this.tables,
        [agreementWrite(table, agreement)],
        targetOf("agreement", agreement.id),
        this.commitOptions,
      );
    }
    await commitWithAudit(
      this.doc,
      this.tables,
      [{ Put: { TableName: table, Item: { ...keys.routing(), data: { rules: registry.rules } } } }],
      targetOf("routing_rules", "all"),
      this.commitOptions,
    );
  }
}
