import { TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { chainOrder } from "../shared/app/audit.js";
import { submitConcern } from "../shared/app/submit-concern.js";
import { verifyAudit } from "../shared/domain/verify.js";
import { amyConcern } from "../test/support/fixtures.js";
import { captureCapacity } from "./capacity.js";
import { type BenchResult, inParallel, log, percentile, round, since } from "./stats.js";
import { type BenchStore, benchStore } from "./store.js";
import { caller, captureTransaction, replay, subjectKey } from "./submit.js";

/**
 * 7. Concurrency: `submitters` submissions in flight at once on the demo registry (4 shards,
 * the hub's default), against as many bare TransactWriteItems in flight of the items one
 * submission writes. After every run the trail is read back: each disclosure in a receipt
 * must be in the trail exactly once, no disclosure may be there that no receipt lists, and the
 * chain must verify.
 */

interface Run {
  ms: number;
  latencies: number[];
  failures: Record<string, number>;
}

async function timed(total: number, parallel: number, job: (i: number) => Promise<void>): Promise<Run> {
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  const start = performance.now();
  await inParallel(total, parallel, async (i) => {
    const t = performance.now();
    try {
      await job(i);
      latencies.push(since(t));
    } catch (error: unknown) {
      const name = (error as { status?: number }).status ?? (error as Error).name ?? "error";
      failures[String(name)] = (failures[String(name)] ?? 0) + 1;
    }
  });
  return { ms: since(start), latencies, failures };
}

/** What the trail holds against what the receipts promised. */
async function checkTrail(store: BenchStore, promised: ReadonlySet<string>) {
  const seen = new Map<string, number>();
  async function* disclosures() {
    for await (const event of chainOrder(store.audit)) {
      if (event.action === "disclosure" && event.notificationId)
        seen.set(event.notificationId, (seen.get(event.notificationId) ?? 0) + 1);
      yield event;
    }
  }
  const verified = await verifyAudit({
    events: disclosures(),
    checkpoints: [],
    keys: { keys: [] },
    shards: store.audit.shardCount(),
  });
  const lost = [...promised].filter((id) => !seen.has(id)).length;
  const duplicated = [...seen.values()].filter((n) => n > 1).length;
  const unreceipted = [...seen.keys()].filter((id) => !promised.has(id)).length;
  return {
    lost,
    duplicated,
    unreceipted,
    chainValid: verified.valid,
    eventsChecked: verified.eventsChecked,
    problems: verified.problems.slice(0, 5),
  };
}

async function runAt(endpoint: string, submitters: number, total: number, offset: number) {
  const store = await benchStore(endpoint);
  const { input, notificationIds } = await captureTransaction(store);
  const capacity = captureCapacity(store.doc);
  const promised = new Set<string>(notificationIds);
  const lantern = await timed(total, submitters, async () => {
    const response = await submitConcern({ ...store, subjectKey }, caller, amyConcern(), undefined);
    const body = response.body as { notifications: { id: string }[] };
    for (const n of body.notifications) promised.add(n.id);
  });
  const transactions = capacity.tally.requests.TransactWriteItemsCommand ?? 0;
  const bare = await timed(total, submitters, async (i) => {
    await store.doc.send(new TransactWriteCommand(replay(input, store.tables.audit, offset + i)));
  });
  return { lantern, bare, trail: await checkTrail(store, promised), transactions };
}

const rate = (run: Run) => run.latencies.length / (run.ms / 1000);

export async function benchConcurrency(
  endpoint: string,
  options: { levels: { submitters: number; total: number }[] },
): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  let offset = 0;
  for (const { submitters, total } of options.levels) {
    const { lantern, bare, trail, transactions } = await runAt(endpoint, submitters, total, offset);
    offset += total;
    const ok = lantern.latencies.length;
    log(
      `concurrency ${submitters}: ${ok}/${total} submitted, failures ${JSON.stringify(lantern.failures)}; ` +
        `trail: ${trail.lost} lost, ${trail.duplicated} duplicated, ${trail.unreceipted} unreceipted disclosures, ` +
        `chain ${trail.chainValid ? "verifies" : "INVALID"} (${trail.eventsChecked} events)`,
    );
    if (trail.lost || trail.duplicated || trail.unreceipted || !trail.chainValid)
      throw new Error(
        `concurrency ${submitters}: the trail does not match the receipts: ${JSON.stringify(trail)}`,
      );
    // DynamoDB Local answers some bare transactions with InternalServerError when it is
    // overloaded (after the SDK's own retries): recorded, and the rate counts only successes.
    if (Object.keys(bare.failures).length > 0)
      log(`concurrency ${submitters}: bare transactions failed: ${JSON.stringify(bare.failures)}`);
    const figure = rate(lantern);
    const baseline = rate(bare);
    results.push({
      name: `throughput, ${submitters} concurrent submitters / ${submitters} concurrent bare transactions`,
      figure: round(figure, 1),
      unit: "submissions/s",
      baseline: round(baseline, 1),
      baselineLabel: "bare TransactWriteItems of the same items",
      ratio: round(figure / baseline),
      ratioMeaning: "x the bare transactions' throughput",
      extra:
        `p50 ${round(percentile(lantern.latencies, 50))} ms, p99 ${round(percentile(lantern.latencies, 99))} ms; ` +
        `${round(transactions / Math.max(1, total), 2)} transactions per submission; ` +
        `failed ${total - ok}; 0 lost, 0 duplicated, chain verifies`,
      details: {
        submitters,
        submissions: total,
        succeeded: ok,
        failures: lantern.failures,
        wallMs: round(lantern.ms),
        p50Ms: round(percentile(lantern.latencies, 50)),
        p99Ms: round(percentile(lantern.latencies, 99)),
        transactionsSentPerSubmission: round(transactions / Math.max(1, total), 2),
        bareWallMs: round(bare.ms),
        bareFailures: bare.failures,
        bareP50Ms: round(percentile(bare.latencies, 50)),
        bareP99Ms: round(percentile(bare.latencies, 99)),
        trail,
      },
    });
  }
  return results;
}
