import { inject } from "vitest";
import { type FreshStoreOptions, freshStores } from "../../infra/local/fresh-stores.js";

/** Fresh tables on the shared DynamoDB Local, with the stores wired to them. */
export function freshStore(options: Omit<FreshStoreOptions, "prefix"> = {}) {
  return freshStores(inject("dynamoEndpoint"), { ...options, prefix: "t" });
}
