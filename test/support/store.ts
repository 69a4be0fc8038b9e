import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import { ensureTables } from "../../infra/local/dynamodb-local.js";
import { DynamoAuditStore } from "../../shared/adapters/dynamodb/audit-store.js";
import { documentClient, dynamoClient } from "../../shared/adapters/dynamodb/client.js";
import { type CommitOptions, DEFAULT_COMMIT_OPTIONS } from "../../shared/adapters/dynamodb/commit.js";
import { DynamoConcernStore } from "../../shared/adapters/dynamodb/concern-store.js";
import { DynamoRegistryStore } from "../../shared/adapters/dynamodb/registry-store.js";
import { DynamoSubjectLinks } from "../../shared/adapters/dynamodb/subject-links.js";
import { seedRegistry } from "../../shared/app/seed.js";
import { DEMO_AGREEMENTS, DEMO_PARTNERS, DEMO_RULES } from "../../shared/demo-registry.js";
import type { Clock, Ids } from "../../shared/ports.js";

/** Fresh tables on the shared DynamoDB Local, with the stores wired to them. */
export async function freshStore(options: { shards?: number; seed?: boolean; clock?: Clock } = {}) {
  const endpoint = inject("dynamoEndpoint");
  const prefix = `t${randomUUID().slice(0, 8)}`;
  const tables = { data: `${prefix}-data`, audit: `${prefix}-audit` };
  await ensureTables(dynamoClient(endpoint, {}), tables);
  const doc = documentClient(endpoint, {});
  const shards = options.shards ?? 4;
  const commit: CommitOptions = { ...DEFAULT_COMMIT_OPTIONS, shards };
  const clock: Clock = options.clock ?? { now: () => new Date() };
  const ids: Ids = { next: (p) => `${p}_${randomUUID()}` };
  const registry = new DynamoRegistryStore(doc, tables, commit);
  const concerns = new DynamoConcernStore(doc, tables, commit);
  const audit = new DynamoAuditStore(doc, tables.audit, shards);
  if (options.seed ?? true) {
    await seedRegistry(
      { clock, ids, registry },
      { partners: DEMO_PARTNERS, agreements: DEMO_AGREEMENTS, rules: DEMO_RULES },
    );
  }
  const subjects = new DynamoSubjectLinks(doc, tables);
  return { endpoint, doc, tables, commit, clock, ids, registry, concerns, audit, subjects };
}
