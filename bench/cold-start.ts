import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build, type Metafile } from "esbuild";
import {
  functionEntries,
  LAMBDA_NODE_OPTIONS,
  PROJECT_ROOT,
  SHARED_ESBUILD,
} from "../infra/aws/esbuild-config.js";
import { type BenchResult, log, median, round, since } from "./stats.js";

/**
 * 2. Cold start: each HTTP function (and the authorizer) bundled with the shipped esbuild
 * options, its size and the time to initialise its module (`await import(bundle)`, which
 * builds the wiring) in a fresh `node` run with the stack's NODE_OPTIONS, over a bundle
 * holding only the DynamoDB DocumentClient. zod's own cost is measured beside them, as the
 * functions carry it (zod/mini: one small schema and the English messages, which tree-shakes to
 * what it uses) and as zod classic's import, which the functions used before (whole, untouched
 * by tree-shaking): what the switch saved.
 */

const FUNCTIONS = ["concerns", "notifications", "registry", "audit", "public", "authorizer"] as const;

const ZOD_ENTRY = `import { z } from "zod"; globalThis.__lanternBenchKeep = z;`;
const ZOD_MINI_ENTRY = `
import { en } from "zod/locales";
import { array, config, enum as enumOf, optional, strictObject, string } from "zod/mini";
config(en());
globalThis.__lanternBenchKeep = strictObject({ a: string(), b: optional(array(enumOf(["x", "y"]))) });
`;

const BASELINE_ENTRY = `
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
export const doc = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: "eu-west-2", endpoint: process.env.LANTERN_DYNAMODB_ENDPOINT }),
);
`;

/** Records the time around the import and exits, whatever handles the module left open. */
const PROBE = `
const start = performance.now();
await import(process.argv[2]);
const ms = performance.now() - start;
process.stdout.write(JSON.stringify({ ms }));
process.exit(0);
`;

const esbuildOptions = () => ({
  ...SHARED_ESBUILD,
  mainFields: [...SHARED_ESBUILD.mainFields],
  external: [...SHARED_ESBUILD.external],
  logLevel: "error" as const,
  metafile: true as const,
});

/** Bytes each package (or top-level project folder) contributes to a bundle, largest first. */
function contributions(result: Metafile): Record<string, number> {
  const output = Object.values(result.outputs).find((o) => o.entryPoint !== undefined);
  const by: Record<string, number> = {};
  for (const [path, input] of Object.entries(output?.inputs ?? {})) {
    const pkg = path.match(/node_modules\/((@[^/]+\/)?[^/]+)/)?.[1] ?? path.split("/")[0] ?? path;
    by[pkg] = (by[pkg] ?? 0) + input.bytesInOutput;
  }
  return Object.fromEntries(
    Object.entries(by)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8),
  );
}

interface Bundle {
  file: string;
  packages: Record<string, number>;
}

async function bundleAll(outdir: string): Promise<Record<string, Bundle>> {
  const entries = functionEntries();
  const bundles: Record<string, Bundle> = {};
  for (const name of FUNCTIONS) {
    const file = join(outdir, name, "index.mjs");
    const result = await build({ ...esbuildOptions(), entryPoints: [entries[name]], outfile: file });
    bundles[name] = { file, packages: contributions(result.metafile) };
  }
  for (const [name, contents] of [
    ["baseline", BASELINE_ENTRY],
    ["zod", ZOD_ENTRY],
    ["zodMini", ZOD_MINI_ENTRY],
  ] as const) {
    const file = join(outdir, name, "index.mjs");
    const result = await build({
      ...esbuildOptions(),
      stdin: { contents, resolveDir: PROJECT_ROOT, loader: "js", sourcefile: `${name}.js` },
      outfile: file,
    });
    bundles[name] = { file, packages: contributions(result.metafile) };
  }
  return bundles;
}

/**
 * What the wiring reads at cold start, shaped as the stack sets it: the issuer's key set by URL
 * (never fetched at init), the checkpoint key in KMS (never called at init), https-only
 * webhooks, the stack's NODE_OPTIONS. Two differences, for want of AWS: the subject key is
 * inline (the concerns function reads it from Secrets Manager at its cold start on AWS), and
 * no X-Ray tracer loads (it loads only where AWS_LAMBDA_FUNCTION_NAME is set).
 */
function wiringEnv(endpoint: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    NODE_OPTIONS: LAMBDA_NODE_OPTIONS,
    LANTERN_DYNAMODB_ENDPOINT: endpoint,
    LANTERN_DATA_TABLE: "bench-data",
    LANTERN_AUDIT_TABLE: "bench-audit",
    LANTERN_SUBJECT_KEY: Buffer.alloc(32, 3).toString("base64"),
    LANTERN_ISSUER: "https://issuer.bench.invalid",
    LANTERN_JWKS_URL: "https://issuer.bench.invalid/.well-known/jwks.json",
    LANTERN_CHECKPOINT_KMS_KEY_ID: "arn:aws:kms:eu-west-2:000000000000:key/bench",
    LANTERN_WEBHOOK_HTTPS_ONLY: "true",
  };
}

function initOnce(
  probe: string,
  bundle: string,
  env: NodeJS.ProcessEnv,
): Promise<{ ms: number; wallMs: number }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [probe, pathToFileURL(bundle).href], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString("utf8");
    });
    child.stderr.on("data", (c: Buffer) => {
      err += c.toString("utf8");
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code !== 0) return reject(new Error(`${bundle} failed to initialise: ${err.slice(0, 500)}`));
      try {
        resolve({ ms: (JSON.parse(out) as { ms: number }).ms, wallMs: since(start) });
      } catch {
        reject(new Error(`${bundle} printed no timing: ${out.slice(0, 200)} ${err.slice(0, 300)}`));
      }
    });
  });
}

export async function benchColdStart(endpoint: string, options: { spawns: number }): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), "lantern-bench-bundles-"));
  try {
    const started = performance.now();
    const bundles = await bundleAll(dir);
    log(`cold start: bundled ${Object.keys(bundles).length} entries in ${Math.round(since(started))} ms`);
    const probe = join(dir, "probe.mjs");
    writeFileSync(probe, PROBE);
    const env = wiringEnv(endpoint);
    const samples: Record<string, { ms: number[]; wallMs: number[] }> = {};
    for (const name of Object.keys(bundles)) samples[name] = { ms: [], wallMs: [] };
    // Round-robin, one spawn at a time, so drift and noise fall on every bundle alike.
    for (let i = 0; i < options.spawns; i++) {
      for (const [name, bundle] of Object.entries(bundles)) {
        const s = await initOnce(probe, bundle.file, env);
        samples[name]?.ms.push(s.ms);
        samples[name]?.wallMs.push(s.wallMs);
      }
    }
    const size = (name: string) => statSync(bundles[name]?.file as string).size;
    const baseInit = median(samples.baseline?.ms ?? []);
    const baseWall = median(samples.baseline?.wallMs ?? []);
    const baseSize = size("baseline");
    const zodRow = (name: "zod" | "zodMini", label: string, meaning: string): BenchResult => {
      const init = median(samples[name]?.ms ?? []);
      return {
        name: `cold start, ${label}: module init (median of ${options.spawns})`,
        figure: round(init, 1),
        unit: "ms",
        baseline: round(baseInit, 1),
        baselineLabel: "bundle of DynamoDB DocumentClient only",
        ratio: round(init / baseInit),
        ratioMeaning: `x the baseline's init (${meaning})`,
        extra: `bundle ${round(size(name) / 1024, 1)} KiB`,
        details: { initMedianMs: round(init, 1), initSamplesMs: samples[name]?.ms.map((x) => round(x, 1)) },
      };
    };
    const rows = FUNCTIONS.map((name): BenchResult => {
      const init = median(samples[name]?.ms ?? []);
      const wall = median(samples[name]?.wallMs ?? []);
      const bytes = size(name);
      return {
        name: `cold start ${name}: module init (median of ${options.spawns})`,
        figure: round(init, 1),
        unit: "ms",
        baseline: round(baseInit, 1),
        baselineLabel: "bundle of DynamoDB DocumentClient only",
        ratio: round(init / baseInit),
        ratioMeaning: "x the baseline's init",
        extra: `bundle ${round(bytes / 1024, 1)} KiB (${round(bytes / baseSize)}x of ${round(baseSize / 1024, 1)} KiB)`,
        details: {
          initMedianMs: round(init, 1),
          initSamplesMs: samples[name]?.ms.map((x) => round(x, 1)),
          processWallMedianMs: round(wall, 1),
          bundleBytes: bytes,
          baselineInitMedianMs: round(baseInit, 1),
          baselineProcessWallMedianMs: round(baseWall, 1),
          baselineBundleBytes: baseSize,
          sizeRatio: round(bytes / baseSize),
          largestInputsBytes: bundles[name]?.packages,
          baselineLargestInputsBytes: bundles.baseline?.packages,
        },
      };
    });
    return [
      ...rows,
      zodRow(
        "zodMini",
        "zod/mini, one schema and the English messages",
        "zod/mini alone, as the functions carry it",
      ),
      zodRow("zod", "zod classic alone", "zod classic alone, as the functions carried it before"),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
