import { createHash } from "node:crypto";
import { type AuditEvent, canonicalJson, hashEvent } from "../shared/domain/audit.js";
import { canonicalEvent } from "../shared/domain/jcs.js";
import { verifyAudit } from "../shared/domain/verify.js";
import { chainRoundRobin, disclosureDraft, emptyHeads, subjectIdOf } from "./events.js";
import { type BenchResult, log, median, round, since } from "./stats.js";

/**
 * 3. Audit verification throughput: verifyAudit over in-memory chained events, over raw SHA-256
 * of the same canonical bytes (canonical JSON of each event without `hash`, computed beforehand).
 * In between, hashEvent alone (canonicalise + hash) shows where the time goes.
 */

async function timeRuns(runs: number, work: () => void | Promise<void>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await work();
    times.push(since(start));
  }
  return times;
}

function withoutHash(event: AuditEvent): Omit<AuditEvent, "hash"> {
  const { hash: _hash, ...rest } = event;
  return rest;
}

export async function benchVerify(options: {
  events: number;
  shards: number;
  runs: number;
}): Promise<BenchResult> {
  const base = Date.parse("2026-11-01T00:00:00Z");
  const drafts = Array.from({ length: options.events }, (_, n) =>
    disclosureDraft(n, subjectIdOf(n % 5000), new Date(base + n * 1000)),
  );
  let start = performance.now();
  const events = chainRoundRobin(drafts, emptyHeads(options.shards));
  log(
    `verify: chained ${events.length} events over ${options.shards} shards in ${Math.round(since(start))} ms`,
  );

  start = performance.now();
  const bytes = events.map((e) => Buffer.from(canonicalJson(withoutHash(e)), "utf8"));
  const canonicalMs = since(start);
  const meanBytes = bytes.reduce((s, b) => s + b.length, 0) / bytes.length;
  // The same canonicalisation by the specialised canonicaliser that hashEvent uses.
  start = performance.now();
  let fastBytes = 0;
  for (const e of events) fastBytes += canonicalEvent(e).length;
  const fastCanonicalMs = since(start);
  if (fastBytes === 0) throw new Error("nothing canonicalised");

  let valid = true;
  const verifyTimes = await timeRuns(options.runs, async () => {
    const result = await verifyAudit({ events, checkpoints: [], keys: { keys: [] }, shards: options.shards });
    valid &&= result.valid && result.eventsChecked === events.length;
  });
  if (!valid) throw new Error("verifyAudit did not accept the benchmark's own chain");
  const hashEventTimes = await timeRuns(options.runs, () => {
    for (const e of events) hashEvent(e);
  });
  let sink = 0;
  const shaTimes = await timeRuns(options.runs, () => {
    for (const b of bytes) sink += createHash("sha256").update(b).digest().length;
  });
  if (sink === 0) throw new Error("no hashes computed");

  const rate = (ms: number) => events.length / (ms / 1000);
  const verifyRate = rate(median(verifyTimes));
  const hashEventRate = rate(median(hashEventTimes));
  const shaRate = rate(median(shaTimes));
  return {
    name: `audit verification (verifyAudit, ${options.events} events, ${options.shards} shards)`,
    figure: Math.round(verifyRate),
    unit: "events/s",
    baseline: Math.round(shaRate),
    baselineLabel: "raw SHA-256 of the same canonical bytes",
    ratio: round(shaRate / verifyRate),
    ratioMeaning: "x slower than raw SHA-256",
    extra:
      `hashEvent alone ${Math.round(hashEventRate)} events/s (${round(shaRate / hashEventRate)}x slower than SHA-256); ` +
      `canonicalEvent ${round(canonicalMs / fastCanonicalMs)}x faster than canonicalize`,
    details: {
      events: events.length,
      shards: options.shards,
      runs: options.runs,
      meanCanonicalBytes: Math.round(meanBytes),
      verifyMedianMs: round(median(verifyTimes)),
      verifyRunsMs: verifyTimes.map((t) => round(t)),
      hashEventMedianMs: round(median(hashEventTimes)),
      hashEventRate: Math.round(hashEventRate),
      sha256MedianMs: round(median(shaTimes)),
      canonicaliseOnceMs: round(canonicalMs),
      fastCanonicaliseOnceMs: round(fastCanonicalMs),
      fastOverGenericCanonicaliser: round(canonicalMs / fastCanonicalMs),
    },
  };
}
