import { DynamoRegistryStore } from "../shared/adapters/dynamodb/registry-store.js";
import type { captureCapacity } from "./capacity.js";
import { round, since } from "./stats.js";
import type { BenchStore } from "./store.js";

/**
 * What a registry change costs each container: its snapshot read whole (the first load, or
 * two changes or more since), and brought up to date by one change (only the change's keys
 * read again). Each the median of three.
 */

export interface SnapshotCost {
  ms: number;
  readUnits: number;
  requests: Record<string, number>;
}

type Capacity = ReturnType<typeof captureCapacity>;

async function timed(capacity: Capacity, read: () => Promise<unknown>): Promise<SnapshotCost> {
  capacity.reset();
  const start = performance.now();
  await read();
  return {
    ms: round(since(start)),
    readUnits: round(capacity.tally.read, 1),
    requests: capacity.tally.requests,
  };
}

function middle(runs: SnapshotCost[]): SnapshotCost {
  const sorted = [...runs].sort((a, b) => a.ms - b.ms);
  return sorted[1] ?? sorted[0] ?? { ms: 0, readUnits: 0, requests: {} };
}

/** A new container's first snapshot: the index lists the entries, each is then read by key, consistently. */
export async function snapshotLoad(store: BenchStore, capacity: Capacity): Promise<SnapshotCost> {
  const runs: SnapshotCost[] = [];
  for (let i = 0; i < 3; i++)
    runs.push(
      await timed(capacity, () =>
        new DynamoRegistryStore(store.doc, store.tables, store.commit).decisionSnapshot(),
      ),
    );
  capacity.reset();
  return middle(runs);
}

/**
 * A kept snapshot after one change made elsewhere (IG retitles `agreementId`, through the
 * store's own registry): the epoch and the changed keys read, nothing listed. Settle time 0, as
 * DynamoDB Local's index never lags; a reload that lists the index fails the benchmark.
 */
export async function snapshotReload(
  store: BenchStore,
  capacity: Capacity,
  agreementId: string,
): Promise<SnapshotCost> {
  const container = new DynamoRegistryStore(store.doc, store.tables, store.commit, 0);
  let snapshot = await container.decisionSnapshot();
  const runs: SnapshotCost[] = [];
  for (let i = 0; i < 3; i++) {
    const found = await store.registry.getAgreement(agreementId);
    if (!found) throw new Error(`no agreement ${agreementId}`);
    const retitled = { ...found.value, title: `${found.value.title} (${i})` };
    if ((await store.registry.saveAgreement(retitled, found.revision, [])) !== "ok")
      throw new Error("the change did not commit");
    const run = await timed(capacity, async () => {
      snapshot = await container.decisionSnapshot(snapshot.epoch);
    });
    if (run.requests.QueryCommand) throw new Error("the reload after one change listed the index");
    runs.push(run);
  }
  capacity.reset();
  return middle(runs);
}
