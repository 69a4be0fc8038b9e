import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";

/** One row of the results table: a figure, the baseline measured in the same run, their ratio. */
export interface BenchResult {
  name: string;
  figure: number;
  unit: string;
  baseline: number;
  baselineLabel: string;
  /** figure / baseline for costs (latency, time, size); baseline / figure for rates. */
  ratio: number;
  /** How to read the ratio, e.g. "x slower than baseline". */
  ratioMeaning: string;
  /** A secondary figure for the table, e.g. p99 or bundle size with its own ratio. */
  extra?: string;
  details: Record<string, unknown>;
}

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export const median = (samples: readonly number[]) => percentile(samples, 50);

export const round = (n: number, digits = 2) => Number(n.toFixed(digits));

/** Milliseconds since an earlier performance.now(). */
export const since = (start: number) => performance.now() - start;

export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Run `n` async jobs from `next` with at most `parallel` in flight. */
export async function inParallel(n: number, parallel: number, job: (i: number) => Promise<void>) {
  let cursor = 0;
  const worker = async () => {
    while (cursor < n) {
      const i = cursor++;
      await job(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, n) }, worker));
}

export interface Machine {
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  java: string;
  date: string;
}

function javaVersion(): string {
  // java -version writes to stderr.
  const probe = spawnSync("java", ["-version"], { encoding: "utf8" });
  return (probe.stderr || probe.stdout || "unknown").split("\n")[0] ?? "unknown";
}

export function machine(): Machine {
  let cpuModel = cpus()[0]?.model ?? "unknown";
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8")
      .split("\n")
      .find((l) => l.startsWith("model name"));
    if (line) cpuModel = line.split(":")[1]?.trim() ?? cpuModel;
  } catch {
    // not Linux: keep os.cpus()'s answer
  }
  let nproc = cpus().length;
  try {
    nproc = Number(execFileSync("nproc", { encoding: "utf8" }).trim()) || nproc;
  } catch {
    // no nproc
  }
  return {
    nproc,
    cpuModel,
    memoryGiB: round(totalmem() / 1024 ** 3, 1),
    node: process.version,
    java: javaVersion(),
    date: new Date().toISOString(),
  };
}

/** CPU seconds (user + system) a process has used so far, from /proc; NaN where unreadable. */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start at field 3.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks / 100; // USER_HZ is 100 on Linux
  } catch {
    return Number.NaN;
  }
}

/** Share of one core each process used while `work` ran. */
export async function cpuShares<T>(
  pids: Record<string, number | undefined>,
  work: () => Promise<T>,
): Promise<{ result: T; cores: Record<string, number> }> {
  const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid)]));
  const self = process.cpuUsage();
  const start = performance.now();
  const result = await work();
  const seconds = since(start) / 1000;
  const cores: Record<string, number> = {};
  for (const [k, pid] of Object.entries(pids)) {
    cores[k] = round((cpuSeconds(pid) - (before[k] ?? Number.NaN)) / seconds);
  }
  const used = process.cpuUsage(self);
  cores.loadGenerator = round((used.user + used.system) / 1e6 / seconds);
  return { result, cores };
}
