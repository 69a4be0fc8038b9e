import { BatchWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { auditItem } from "../shared/adapters/dynamodb/commit.js";
import type { AuditDraft, AuditEvent, ShardHead } from "../shared/domain/audit.js";
import { chainRoundRobin, disclosureDraft, emptyHeads, subjectIdOf } from "./events.js";
import { type BenchResult, inParallel, log, percentile, round, since } from "./stats.js";
import { type BenchStore, benchStore } from "./store.js";

/**
 * 4. The auditor's query for one child's events (DynamoAuditStore.query by subjectId, paging
 * through all: the read subjectReport makes) with a small and a large trail, the child's own
 * event count the same in both. Events are loaded with BatchWriteItem, 25 a batch, several
 * batches in flight. The large size is as many events as load within the time budget.
 *
 * subjectReport itself is not timed: it first records an audit_exported event for the child,
 * so each call would add one to the child's events and the two sizes would differ.
 */

const CHILD = subjectIdOf(-1);
const BATCH = 25;
const PARALLEL_BATCHES = 8;
const PAGE = 100;

export async function writeBatch(
  doc: DynamoDBDocumentClient,
  table: string,
  items: Record<string, unknown>[],
) {
  let request: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> | undefined = {
    [table]: items.map((Item) => ({ PutRequest: { Item } })),
  };
  for (let attempt = 0; request && (request[table]?.length ?? 0) > 0; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(200, 10 * 2 ** attempt)));
    const out = await doc.send(new BatchWriteCommand({ RequestItems: request }));
    request = out.UnprocessedItems as typeof request;
  }
}

export async function loadEvents(store: BenchStore, events: readonly AuditEvent[]): Promise<void> {
  const items = events.map(auditItem);
  const batches = Math.ceil(items.length / BATCH);
  await inParallel(batches, PARALLEL_BATCHES, (b) =>
    writeBatch(store.doc, store.tables.audit, items.slice(b * BATCH, (b + 1) * BATCH)),
  );
}

/** Drafts numbered from `from`; the child's events sit at `childAt` positions, the rest are others'. */
function drafts(from: number, count: number, childAt: ReadonlySet<number>, base: number): AuditDraft[] {
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    const subject = childAt.has(n) ? CHILD : subjectIdOf(n % 20_000);
    return disclosureDraft(n, subject, new Date(base + n * 1000));
  });
}

async function childQuery(store: BenchStore, expected: number): Promise<number> {
  const start = performance.now();
  let cursor: string | undefined;
  let found = 0;
  do {
    const page = await store.audit.query({ subjectId: CHILD }, cursor, PAGE);
    found += page.items.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const ms = since(start);
  if (found !== expected) throw new Error(`the child's query found ${found} events, not ${expected}`);
  return ms;
}

/** Queries alternate between the two trails, so JVM warm-up and noise fall on both alike. */
async function interleaved(
  stores: [BenchStore, BenchStore],
  warmup: number,
  queries: number,
  expected: number,
) {
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < warmup + queries; i++) {
    for (const k of [0, 1] as const) {
      const ms = await childQuery(stores[k], expected);
      if (i >= warmup) times[k].push(ms);
    }
  }
  return times;
}

export async function benchAuditQuery(
  endpoint: string,
  options: { small: number; large: number; childEvents: number; loadBudgetMs: number; queries: number },
): Promise<BenchResult> {
  const smallStore = await benchStore(endpoint, { seed: false });
  const store = await benchStore(endpoint, { seed: false });
  const base = Date.parse("2026-06-01T00:00:00Z");
  const step = Math.floor(options.small / options.childEvents);
  const childAt = new Set(Array.from({ length: options.childEvents }, (_, i) => i * step + 7));

  // The small trail, and the same first events at the start of the large one.
  const first = drafts(0, options.small, childAt, base);
  await loadEvents(smallStore, chainRoundRobin(first, emptyHeads(smallStore.audit.shardCount())));
  const heads: ShardHead[] = emptyHeads(store.audit.shardCount());
  let started = performance.now();
  await loadEvents(store, chainRoundRobin(first, heads));
  const smallLoadMs = since(started);
  log(`audit query: loaded ${options.small} events in ${Math.round(smallLoadMs)} ms`);

  // Grow the large trail in chunks until the next chunk would overrun the load budget.
  let loaded = options.small;
  const chunk = 5_000;
  started = performance.now();
  while (loaded < options.large) {
    const elapsed = since(started);
    const perEvent =
      loaded > options.small ? elapsed / (loaded - options.small) : smallLoadMs / options.small;
    const next = Math.min(chunk, options.large - loaded);
    if (smallLoadMs + elapsed + next * perEvent > options.loadBudgetMs) break;
    await loadEvents(store, chainRoundRobin(drafts(loaded, next, childAt, base), heads));
    loaded += next;
  }
  const largeLoadMs = since(started) + smallLoadMs;
  const putsPerSecond = loaded / (largeLoadMs / 1000);
  const capped = loaded < options.large;
  log(
    `audit query: trail holds ${loaded} events, loaded in ${Math.round(largeLoadMs / 1000)} s (${Math.round(putsPerSecond)} puts/s)${capped ? `; ${options.large} would not load within ${Math.round(options.loadBudgetMs / 1000)} s` : ""}`,
  );
  const [small, large] = await interleaved([smallStore, store], 10, options.queries, options.childEvents);

  const s50 = percentile(small, 50);
  const l50 = percentile(large, 50);
  return {
    name: `auditor query, one child (${options.childEvents} events) in ${loaded} events, p50`,
    figure: round(l50),
    unit: "ms",
    baseline: round(s50),
    baselineLabel: `same query with ${options.small} events in the trail, p50`,
    ratio: round(l50 / s50),
    ratioMeaning: `x for ${round(loaded / options.small, 0)}x the events`,
    extra: `p99 ${round(percentile(large, 99))} ms vs ${round(percentile(small, 99))} ms`,
    details: {
      childEvents: options.childEvents,
      smallEvents: options.small,
      largeEvents: loaded,
      largeTarget: options.large,
      largeCappedByLoadBudget: capped,
      loadBudgetSeconds: Math.round(options.loadBudgetMs / 1000),
      loadSeconds: round(largeLoadMs / 1000, 1),
      loadPutsPerSecond: Math.round(putsPerSecond),
      batch: BATCH,
      parallelBatches: PARALLEL_BATCHES,
      queries: options.queries,
      smallP50Ms: round(s50),
      smallP99Ms: round(percentile(small, 99)),
      largeP50Ms: round(l50),
      largeP99Ms: round(percentile(large, 99)),
    },
  };
}
