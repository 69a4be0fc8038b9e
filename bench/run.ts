import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../infra/aws/esbuild-config.js";
import { type RunningDynamo, startDynamoLocal } from "../infra/local/dynamodb-local.js";
import { benchAuditQuery } from "./audit-query.js";
import { benchColdStart } from "./cold-start.js";
import { benchConcurrency } from "./concurrency.js";
import { benchHub } from "./hub.js";
import { benchRegistrySize } from "./registry.js";
import { type BenchResult, log, machine, round, since } from "./stats.js";
import { benchSubmit } from "./submit.js";
import { benchVerify } from "./verify.js";
import { benchVerifyStore } from "./verify-store.js";

/**
 * `npm run bench`: the five benchmarks against one DynamoDB Local started here (in memory) and
 * stopped at the end; a table on stdout and bench/results.json. `npm run bench -- --quick` is a
 * smoke run with small sizes, not for the figures.
 */

const quick = process.argv.includes("--quick");
/** `--only=1,6`: just those benchmarks, by number (for working on one; not for the figures). */
const only = process.argv
  .find((a) => a.startsWith("--only="))
  ?.slice("--only=".length)
  .split(",");

const READ_AHEAD = [
  { parallel: 1, depth: 2 },
  { parallel: 4, depth: 2 },
];

const CONFIG = quick
  ? {
      submit: { warmup: 5, iterations: 30 },
      coldStart: { spawns: 2 },
      verify: { events: 5_000, shards: 4, runs: 1 },
      verifyScaling: { events: 1_000, shards: 4, runs: 1 },
      auditQuery: { small: 1_000, large: 3_000, childEvents: 20, loadBudgetMs: 20_000, queries: 10 },
      hub: { concerns: 5, connections: 4, durationMs: 2_000, warmupMs: 500 },
      registry: {
        warmup: 1,
        iterations: 5,
        sizes: [
          { name: "demo", schools: 0 },
          { name: "county", schools: 60 },
          { name: "national", schools: 300 },
        ],
      },
      concurrency: {
        levels: [
          { submitters: 1, total: 5 },
          { submitters: 10, total: 20 },
          { submitters: 50, total: 50 },
        ],
      },
      verifyStore: { events: 2_000, shards: 4, runs: 1, readAhead: READ_AHEAD },
    }
  : {
      submit: { warmup: 30, iterations: 300 },
      coldStart: { spawns: 7 },
      verify: { events: 50_000, shards: 4, runs: 2 },
      verifyScaling: { events: 10_000, shards: 4, runs: 3 },
      auditQuery: { small: 1_000, large: 100_000, childEvents: 20, loadBudgetMs: 180_000, queries: 50 },
      hub: { concerns: 20, connections: 16, durationMs: 10_000, warmupMs: 2_000 },
      registry: {
        warmup: 2,
        iterations: 15,
        sizes: [
          { name: "demo", schools: 0 },
          { name: "county", schools: 600 },
          { name: "national", schools: 5_000 },
        ],
      },
      concurrency: {
        levels: [
          { submitters: 1, total: 40 },
          { submitters: 10, total: 80 },
          { submitters: 50, total: 100 },
        ],
      },
      verifyStore: { events: 5_000, shards: 4, runs: 2, readAhead: READ_AHEAD },
    };

interface Failure {
  benchmark: string;
  error: string;
}

async function step<T>(name: string, failures: Failure[], work: () => Promise<T>): Promise<T | null> {
  if (only && !only.includes(name.split(" ")[0] ?? "")) return null;
  const start = performance.now();
  log(`${name}: starting`);
  try {
    const result = await work();
    log(`${name}: done in ${round(since(start) / 1000, 1)} s`);
    return result;
  } catch (error: unknown) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log(`${name}: FAILED ${message}`);
    failures.push({ benchmark: name, error: message });
    return null;
  }
}

function table(results: BenchResult[]): string {
  const rows = results.map((r) => [
    r.name,
    `${r.figure} ${r.unit}`,
    `${r.baseline} ${r.unit} (${r.baselineLabel})`,
    `${r.ratio}${r.ratioMeaning.startsWith("x") ? "" : " "}${r.ratioMeaning}`,
    r.extra ?? "",
  ]);
  const header = ["benchmark", "figure", "baseline", "ratio", "also"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("-|-"), ...rows.map(line)].join("\n");
}

async function main(): Promise<number> {
  const started = performance.now();
  const failures: Failure[] = [];
  const results: BenchResult[] = [];
  const host = machine();
  log(`machine: ${host.nproc} CPUs (${host.cpuModel}), ${host.memoryGiB} GiB, Node ${host.node}`);
  let dynamo: RunningDynamo | null = null;
  const stopAll = () => {
    void dynamo?.stop().finally(() => process.exit(130));
  };
  process.once("SIGINT", stopAll);
  process.once("SIGTERM", stopAll);
  try {
    dynamo = await startDynamoLocal({ dbPath: null });
    const endpoint = dynamo.endpoint;
    log(`DynamoDB Local (in memory) on ${endpoint}`);
    const add = (r: BenchResult | BenchResult[] | null) => {
      if (r) results.push(...(Array.isArray(r) ? r : [r]));
    };
    add(await step("1 submit", failures, () => benchSubmit(endpoint, CONFIG.submit)));
    add(await step("2 cold start", failures, () => benchColdStart(endpoint, CONFIG.coldStart)));
    add(await step("3 verify", failures, () => benchVerify(CONFIG.verifyScaling)));
    add(await step("3 verify", failures, () => benchVerify(CONFIG.verify)));
    add(await step("4 audit query", failures, () => benchAuditQuery(endpoint, CONFIG.auditQuery)));
    add(await step("5 hub", failures, () => benchHub(endpoint, CONFIG.hub, dynamo?.child.pid)));
    add(await step("6 registry size", failures, () => benchRegistrySize(endpoint, CONFIG.registry)));
    add(await step("7 concurrency", failures, () => benchConcurrency(endpoint, CONFIG.concurrency)));
    add(
      await step("8 verify from the store", failures, () => benchVerifyStore(endpoint, CONFIG.verifyStore)),
    );
  } finally {
    await dynamo?.stop();
  }
  const totalSeconds = round(since(started) / 1000, 1);
  process.stdout.write(
    `\n${table(results)}\n\nTotal ${totalSeconds} s${quick ? " (quick smoke run)" : ""}\n`,
  );
  const out = { machine: host, quick, only: only ?? null, totalSeconds, config: CONFIG, results, failures };
  writeFileSync(join(PROJECT_ROOT, "bench", "results.json"), `${JSON.stringify(out, null, 2)}\n`);
  log("wrote bench/results.json");
  return failures.length > 0 ? 1 : 0;
}

process.exitCode = await main();
