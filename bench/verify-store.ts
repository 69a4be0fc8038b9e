import { chainOrder } from "../shared/app/audit.js";
import type { AuditEvent } from "../shared/domain/audit.js";
import { verifyAudit } from "../shared/domain/verify.js";
import { loadEvents } from "./audit-query.js";
import { chainRoundRobin, disclosureDraft, emptyHeads, subjectIdOf } from "./events.js";
import { chainOrderAhead } from "./read-ahead.js";
import { type BenchResult, log, median, round, since } from "./stats.js";
import { benchStore } from "./store.js";

/**
 * 8. Verification reading the trail from DynamoDB Local: shard after shard (`chainOrder`, one
 * page at a time) against several shards read at once, pages ahead (`chainOrderAhead`, what
 * `GET /v1/audit/verify` uses). Runs alternate, so both see the same JVM state.
 */

type Reader = { name: string; read: () => AsyncIterable<AuditEvent> };

export async function benchVerifyStore(
  endpoint: string,
  options: { events: number; shards: number; runs: number; readAhead: { parallel: number; depth: number }[] },
): Promise<BenchResult[]> {
  const store = await benchStore(endpoint, { seed: false, shards: options.shards });
  const base = Date.parse("2026-11-01T00:00:00Z");
  const drafts = Array.from({ length: options.events }, (_, n) =>
    disclosureDraft(n, subjectIdOf(n % 5000), new Date(base + n * 1000)),
  );
  let start = performance.now();
  await loadEvents(store, chainRoundRobin(drafts, emptyHeads(options.shards)));
  log(`verify-store: loaded ${options.events} events in ${round(since(start) / 1000, 1)} s`);

  const readers: Reader[] = [
    { name: "sequential", read: () => chainOrder(store.audit) },
    ...options.readAhead.map((o) => ({
      name: `${o.parallel} shards, ${o.depth} pages ahead`,
      read: () => chainOrderAhead(store.audit, () => 0, o),
    })),
  ];
  const times = readers.map(() => [] as number[]);
  for (let run = 0; run < options.runs; run++) {
    for (const [k, reader] of readers.entries()) {
      start = performance.now();
      const result = await verifyAudit({
        events: reader.read(),
        checkpoints: [],
        keys: { keys: [] },
        shards: options.shards,
      });
      times[k]?.push(since(start));
      if (!result.valid || result.eventsChecked !== options.events)
        throw new Error(`${reader.name}: the trail did not verify (${result.eventsChecked} events)`);
    }
  }
  const rate = (k: number) => options.events / (median(times[k] ?? []) / 1000);
  const sequential = rate(0);
  return readers.slice(1).map((reader, i) => ({
    name: `verification from DynamoDB Local, ${options.events} events in ${options.shards} shards: ${reader.name} / sequential`,
    figure: Math.round(rate(i + 1)),
    unit: "events/s",
    baseline: Math.round(sequential),
    baselineLabel: "shard after shard, one page at a time",
    ratio: round(rate(i + 1) / sequential),
    ratioMeaning: "x the sequential reader's rate",
    details: {
      events: options.events,
      shards: options.shards,
      runs: options.runs,
      readAhead: options.readAhead[i],
      medianMs: round(median(times[i + 1] ?? [])),
      runsMs: (times[i + 1] ?? []).map((t) => round(t)),
      sequentialMedianMs: round(median(times[0] ?? [])),
      sequentialRunsMs: (times[0] ?? []).map((t) => round(t)),
    },
  }));
}
