import { createOnly } from "../shared/adapters/dynamodb/items.js";
import { agreementItem, partnerWrites } from "../shared/adapters/dynamodb/registry-store.js";
import { submitConcern } from "../shared/app/submit-concern.js";
import { DEMO_AGREEMENTS, DEMO_PARTNERS } from "../shared/demo-registry.js";
import type { Agreement, Partner } from "../shared/domain/registry.js";
import { amyConcern } from "../test/support/fixtures.js";
import { writeBatch } from "./audit-query.js";
import { type CapacityTally, captureCapacity } from "./capacity.js";
import { type SnapshotCost, snapshotLoad, snapshotReload } from "./snapshot-cost.js";
import { type BenchResult, inParallel, log, percentile, round, since } from "./stats.js";
import { type BenchStore, benchStore } from "./store.js";
import { caller, subjectKey } from "./submit.js";

/**
 * 6. Registry size: the same submission (Amy, to St Mary's and the MASH) against the demo
 * registry, a county's (600 more schools, each with its Operation Encompass agreement) and a
 * national one (5,000), each loaded here into its own tables. Submissions go round robin over
 * the three stores, so JVM warm-up and pauses fall on all alike. The units each submission
 * consumes come from ReturnConsumedCapacity on the bench's own client (capacity.ts).
 */

const BATCH = 25;
const PARALLEL_BATCHES = 8;

const template = <T>(list: readonly T[], pick: (t: T) => boolean, what: string): T => {
  const found = list.find(pick);
  if (!found) throw new Error(`the demo registry has no ${what}`);
  return found;
};
const SCHOOL = template(DEMO_PARTNERS, (p) => p.type === "school", "school");
const ENCOMPASS = template(DEMO_AGREEMENTS, (a) => a.recipientId === SCHOOL.id, "school agreement");

/** School n and its Encompass agreement, copied from the demo's so they carry every member it has. */
function school(n: number, at: string): { partner: Partner; agreement: Agreement } {
  const id = `bench-school-${n}`;
  const partner = { ...SCHOOL, id, name: `Bench School ${n}`, clientIds: [`${id}-app`] };
  return {
    partner: { ...partner, createdAt: at, updatedAt: at } as Partner,
    agreement: { ...structuredClone(ENCOMPASS), id: `encompass-${id}`, recipientId: id },
  };
}

/**
 * The items the registry store itself writes for a partner and an agreement, loaded in batches
 * (the registry's own audit events are left out: a submission never reads them).
 */
async function loadSchools(store: BenchStore, count: number): Promise<number> {
  const at = new Date().toISOString();
  const table = store.tables.data;
  const items: Record<string, unknown>[] = [];
  for (let n = 0; n < count; n++) {
    const { partner, agreement } = school(n, at);
    const writes = [
      ...partnerWrites(table, partner),
      createOnly(table, { ...agreementItem(agreement), revision: 1 }),
    ];
    for (const w of writes) if (w.Put?.Item) items.push(w.Put.Item as Record<string, unknown>);
  }
  const batches = Math.ceil(items.length / BATCH);
  await inParallel(batches, PARALLEL_BATCHES, (b) =>
    writeBatch(store.doc, table, items.slice(b * BATCH, (b + 1) * BATCH)),
  );
  return items.length;
}

export interface RegistrySize {
  name: string;
  schools: number;
}

interface Measured {
  size: RegistrySize;
  times: number[];
  capacity: CapacityTally;
  /** One container's snapshot read whole (first load, or two changes or more since): ms and read units. */
  snapshotLoad: SnapshotCost;
  /** A kept snapshot brought up to date by one change: ms and read units. */
  snapshotReload: SnapshotCost;
}

const perSubmission = (tally: CapacityTally, n: number) => ({
  readUnits: round(tally.read / n, 2),
  writeUnits: round(tally.write / n, 2),
  tableWriteUnits: round(tally.tableWrite / n, 2),
  indexWriteUnits: Object.fromEntries(
    Object.entries(tally.indexWrite).map(([name, units]) => [name, round(units / n, 2)]),
  ),
  requests: Object.fromEntries(Object.entries(tally.requests).map(([c, k]) => [c, round(k / n, 2)])),
});

/** On-demand prices, Standard table class, us-east-1, USD per million request units (bench/README.md). */
export const PRICES = { writePerMillion: 0.625, readPerMillion: 0.125 };
const costPerMillion = (readUnits: number, writeUnits: number) =>
  round(readUnits * PRICES.readPerMillion + writeUnits * PRICES.writePerMillion, 2);

async function measure(
  sizes: readonly RegistrySize[],
  endpoint: string,
  options: { warmup: number; iterations: number },
): Promise<Measured[]> {
  const stores: { size: RegistrySize; store: BenchStore; capacity: ReturnType<typeof captureCapacity> }[] =
    [];
  for (const size of sizes) {
    const store = await benchStore(endpoint);
    const start = performance.now();
    const items = await loadSchools(store, size.schools);
    log(
      `registry: ${size.name}: loaded ${size.schools} schools (${items} items) in ${round(since(start) / 1000, 1)} s`,
    );
    stores.push({ size, store, capacity: captureCapacity(store.doc) });
  }
  const times = stores.map(() => [] as number[]);
  for (let i = 0; i < options.warmup + options.iterations; i++) {
    if (i === options.warmup) for (const s of stores) s.capacity.reset();
    for (const [k, s] of stores.entries()) {
      const start = performance.now();
      const response = await submitConcern({ ...s.store, subjectKey }, caller, amyConcern(), undefined);
      if (response.statusCode !== 201) throw new Error(`submission answered ${response.statusCode}`);
      if (i >= options.warmup) times[k]?.push(since(start));
    }
  }
  const measured: Measured[] = [];
  for (const [k, s] of stores.entries()) {
    const capacity = s.capacity.tally;
    measured.push({
      size: s.size,
      times: times[k] ?? [],
      capacity,
      snapshotLoad: await snapshotLoad(s.store, s.capacity),
      snapshotReload: await snapshotReload(s.store, s.capacity, ENCOMPASS.id),
    });
  }
  return measured;
}

export async function benchRegistrySize(
  endpoint: string,
  options: { warmup: number; iterations: number; sizes: RegistrySize[] },
): Promise<BenchResult[]> {
  const measured = await measure(options.sizes, endpoint, options);
  const [demo, ...larger] = measured;
  if (!demo) throw new Error("no registry sizes");
  const p50 = (m: Measured) => percentile(m.times, 50);
  const units = (m: Measured) => perSubmission(m.capacity, m.times.length);
  const details = (m: Measured) => ({
    schools: m.size.schools,
    p50Ms: round(p50(m)),
    p99Ms: round(percentile(m.times, 99)),
    iterations: m.times.length,
    ...units(m),
    costPerMillionUsd: costPerMillion(units(m).readUnits, units(m).writeUnits),
  });
  const latency = larger.map((m) => ({
    name: `submit p50, ${m.size.name} registry (${m.size.schools} more schools) / demo`,
    figure: round(p50(m)),
    unit: "ms",
    baseline: round(p50(demo)),
    baselineLabel: "demo registry, same run",
    ratio: round(p50(m) / p50(demo)),
    ratioMeaning: "x the demo registry",
    extra: `reads ${units(m).readUnits} RCU vs ${units(demo).readUnits}`,
    details: { sizes: { [demo.size.name]: details(demo), [m.size.name]: details(m) } },
  }));
  const cost = measured.map((m) => {
    const u = units(m);
    return {
      name: `write units per submission, ${m.size.name} registry / the transaction's own items`,
      figure: u.writeUnits,
      unit: "WCU",
      baseline: u.tableWriteUnits,
      baselineLabel: "the transaction's items on their tables, without index writes",
      ratio: round(u.writeUnits / u.tableWriteUnits),
      ratioMeaning: "x the transaction's own items",
      extra: `${u.readUnits} RCU; $${costPerMillion(u.readUnits, u.writeUnits)} per million submissions on demand`,
      details: { ...details(m), prices: PRICES },
    };
  });
  const loads = larger.map((m) => ({
    name: `registry snapshot read whole (first load; 2+ changes since), ${m.size.name} registry / demo`,
    figure: m.snapshotLoad.ms,
    unit: "ms",
    baseline: demo.snapshotLoad.ms,
    baselineLabel: "demo registry's snapshot, same run",
    ratio: round(m.snapshotLoad.ms / Math.max(demo.snapshotLoad.ms, 0.01)),
    ratioMeaning: "x the demo registry's",
    extra: `${m.snapshotLoad.readUnits} RCU vs ${demo.snapshotLoad.readUnits} (index listing + consistent reads by key)`,
    details: { [demo.size.name]: demo.snapshotLoad, [m.size.name]: m.snapshotLoad },
  }));
  const reloads = measured.map((m) => ({
    name: `registry snapshot reload after one change, ${m.size.name} registry / its full load`,
    figure: m.snapshotReload.ms,
    unit: "ms",
    baseline: m.snapshotLoad.ms,
    baselineLabel: "the same registry's snapshot read whole, same run",
    ratio: round(m.snapshotReload.ms / Math.max(m.snapshotLoad.ms, 0.01), 4),
    ratioMeaning: "x the full load",
    extra: `${m.snapshotReload.readUnits} RCU vs ${m.snapshotLoad.readUnits} (the epoch and the change's keys, by key)`,
    details: { reload: m.snapshotReload, fullLoad: m.snapshotLoad },
  }));
  return [...latency, ...cost, ...loads, ...reloads];
}
