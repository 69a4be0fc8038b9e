import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { _default, array, minLength, strictObject } from "zod/mini";
import { documentClient } from "../../shared/adapters/dynamodb/client.js";
import { DynamoRegistryStore } from "../../shared/adapters/dynamodb/registry-store.js";
import { seedRegistry } from "../../shared/app/seed.js";
import { ENV, tableNames } from "../../shared/config.js";
import { DEMO_AGREEMENTS, DEMO_PARTNERS, DEMO_RULES } from "../../shared/demo-registry.js";
import { AgreementSchema, PartnerSchema, RoutingRuleSchema } from "../../shared/domain/registry.js";

/**
 * Load a first registry into an empty store: the bootstrap a new deployment needs, since
 * managing partners needs a token whose client is already registered.
 *   LANTERN_DATA_TABLE=... LANTERN_AUDIT_TABLE=... npm run -s registry:load -- --file registry.json
 *   npm run -s registry:load -- --demo      (the contract's demo registry)
 * Uses the AWS SDK's usual credential chain; refuses a store that already has a registry.
 */
const RegistryFileSchema = strictObject({
  partners: array(PartnerSchema).check(minLength(1)),
  agreements: _default(array(AgreementSchema), []),
  rules: _default(array(RoutingRuleSchema), []),
});

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { file: { type: "string" }, demo: { type: "boolean", default: false } },
  });
  if (!values.file && !values.demo) {
    process.stderr.write("Usage: npm run -s registry:load -- (--file <registry.json> | --demo)\n");
    return 2;
  }
  const registry = values.demo
    ? { partners: DEMO_PARTNERS, agreements: DEMO_AGREEMENTS, rules: DEMO_RULES }
    : RegistryFileSchema.parse(JSON.parse(readFileSync(values.file as string, "utf8")));
  const doc = documentClient(process.env[ENV.dynamodbEndpoint] || undefined);
  const store = new DynamoRegistryStore(doc, tableNames(process.env));
  const loaded = await seedRegistry(
    {
      clock: { now: () => new Date() },
      ids: { next: (p) => `${p}_${crypto.randomUUID()}` },
      registry: store,
    },
    registry,
  );
  process.stdout.write(
    loaded
      ? `loaded ${registry.partners.length} partners, ${registry.agreements.length} agreements, ${registry.rules.length} rules\n`
      : "the store already has a registry: nothing loaded\n",
  );
  return loaded ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`registry:load: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
