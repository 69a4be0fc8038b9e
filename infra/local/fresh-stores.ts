import { randomUUID } from "node:crypto";
import { documentClient, dynamoClient } from "../../shared/adapters/dynamodb/client.js";
import { dynamoStores } from "../../shared/adapters/dynamodb/stores.js";
import { seedRegistry } from "../../shared/app/seed.js";
import { DEMO_AGREEMENTS, DEMO_PARTNERS, DEMO_RULES } from "../../shared/demo-registry.js";
import type { Clock, Ids } from "../../shared/ports.js";
import { ensureTables } from "./dynamodb-local.js";

export interface FreshStoreOptions {
  shards?: number;
  /** The demo registry, unless false. */
  seed?: boolean;
  clock?: Clock;
  /** First letter of the tables' random prefix, telling whose tables they are (t: tests, b: bench). */
  prefix?: string;
}

/** Fresh tables on a running DynamoDB Local, every store wired to them, the demo registry in. */
export async function freshStores(endpoint: string, options: FreshStoreOptions = {}) {
  const prefix = `${options.prefix ?? "t"}${randomUUID().slice(0, 8)}`;
  const tables = { data: `${prefix}-data`, audit: `${prefix}-audit` };
  await ensureTables(dynamoClient(endpoint, {}), tables);
  const doc = documentClient(endpoint, {});
  const clock: Clock = options.clock ?? { now: () => new Date() };
  const ids: Ids = { next: (p) => `${p}_${randomUUID()}` };
  const stores = dynamoStores(doc, tables, options.shards ?? 4);
  if (options.seed ?? true) {
    await seedRegistry(
      { clock, ids, registry: stores.registry },
      { partners: DEMO_PARTNERS, agreements: DEMO_AGREEMENTS, rules: DEMO_RULES },
    );
  }
  return { endpoint, doc, tables, clock, ids, ...stores };
}
