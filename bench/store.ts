import { freshStores } from "../infra/local/fresh-stores.js";

/** Fresh tables on a running DynamoDB Local with the stores wired to them, as the tests' are. */
export function benchStore(endpoint: string, options: { seed?: boolean; shards?: number } = {}) {
  return freshStores(endpoint, { ...options, prefix: "b" });
}

export type BenchStore = Awaited<ReturnType<typeof benchStore>>;
