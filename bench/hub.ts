import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../infra/aws/esbuild-config.js";
import { freePort } from "../infra/local/dynamodb-local.js";
import { mintToken } from "../infra/local/token.js";
import { documentClient } from "../shared/adapters/dynamodb/client.js";
import { DynamoConcernStore } from "../shared/adapters/dynamodb/concern-store.js";
import { DynamoRegistryStore } from "../shared/adapters/dynamodb/registry-store.js";
import { tableNames } from "../shared/config.js";
import { amyConcern } from "../test/support/fixtures.js";
import { drive, type LoadResult } from "./loadgen.js";
import { type BenchResult, cpuShares, log, percentile, round } from "./stats.js";

/**
 * 5. The local hub's inbox (GET /v1/notifications) under a loopback load generator, over a bare
 * Node HTTP server, in its own process too, answering a body of the same size.
 */

interface Running {
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Spawn in a new process group, resolve once stderr says `ready`, stop by killing the group. */
function startProcess(args: string[], env: NodeJS.ProcessEnv, ready: string): Promise<Running> {
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.stdout?.resume(); // request logs: drained, so a full pipe never blocks the server
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const kill = (signal: NodeJS.Signals) => {
      try {
        process.kill(-(child.pid as number), signal);
      } catch {
        // already gone
      }
    };
    kill("SIGTERM");
    const timer = setTimeout(() => kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    let err = "";
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${args.join(" ")} did not start: ${err.slice(-500)}`));
    }, 60_000);
    child.stderr?.on("data", (chunk: Buffer) => {
      err = (err + chunk.toString("utf8")).slice(-4000);
      if (err.includes(ready)) {
        clearTimeout(timer);
        resolve({ child, stop });
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${args.join(" ")} exited: ${err.slice(-500)}`));
    });
  });
}

const BARE_SERVER = `
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
const body = readFileSync(process.argv[2]);
const server = createServer((req, res) => {
  res.writeHead(200, { "content-type": "application/json", "content-length": body.length });
  res.end(body);
});
server.listen(Number(process.argv[3]), "127.0.0.1", () => process.stderr.write("bare server listening\\n"));
`;

async function submitConcerns(url: string, token: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const response = await fetch(`${url}/v1/concerns`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        "idempotency-key": `bench-${i}`,
      },
      body: JSON.stringify(amyConcern()),
    });
    if (response.status !== 201) throw new Error(`submission ${i} answered ${response.status}`);
    await response.arrayBuffer();
  }
}

/**
 * The inbox's store reads alone, as the hub makes them per request (the caller's client and
 * partner, then the inbox query), from as many loops as connections: DynamoDB Local's ceiling.
 */
async function storeOnly(endpoint: string, prefix: string, connections: number, durationMs: number) {
  const doc = documentClient(endpoint, {});
  const tables = tableNames({ LANTERN_TABLE_PREFIX: prefix });
  const registry = new DynamoRegistryStore(doc, tables);
  const concerns = new DynamoConcernStore(doc, tables);
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + durationMs;
  const loop = async () => {
    while (performance.now() < deadline) {
      const start = performance.now();
      const partner = await registry.partnerByClientId("essex-mash-portal");
      await concerns.listNotifications(partner?.id ?? "essex-mash", undefined, undefined, 25);
      latencies.push(performance.now() - start);
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  doc.destroy();
  const seconds = (performance.now() - started) / 1000;
  return {
    requestsPerSecond: Math.round(latencies.length / seconds),
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
  };
}

function summary(r: LoadResult) {
  return {
    requests: r.requests,
    errors: r.errors,
    seconds: round(r.durationMs / 1000, 1),
    requestsPerSecond: Math.round(r.requestsPerSecond),
    p50Ms: round(percentile(r.latenciesMs, 50)),
    p99Ms: round(percentile(r.latenciesMs, 99)),
    bodyBytes: r.bodyBytes,
  };
}

export async function benchHub(
  endpoint: string,
  options: { concerns: number; connections: number; durationMs: number; warmupMs: number },
  dynamoPid?: number,
): Promise<BenchResult> {
  const dataDir = mkdtempSync(join(tmpdir(), "lantern-bench-hub-"));
  const running: Running[] = [];
  try {
    const port = await freePort();
    const prefix = `bench${randomUUID().slice(0, 8)}`;
    const hub = await startProcess(
      ["--import", "tsx", "infra/local/main.ts"],
      {
        ...process.env,
        PORT: String(port),
        LANTERN_DATA_DIR: dataDir,
        LANTERN_DYNAMODB_ENDPOINT: endpoint,
        LANTERN_TABLE_PREFIX: prefix,
      },
      "serving on",
    );
    running.push(hub);
    const url = `http://127.0.0.1:${port}`;
    const police = await mintToken({
      dataDir,
      clientId: "essex-police-app",
      scope: "concerns:submit",
      sub: "pc-1234",
    });
    await submitConcerns(url, police, options.concerns);
    const mash = await mintToken({
      dataDir,
      clientId: "essex-mash-portal",
      scope: "notifications:read",
      sub: "duty-sw",
    });
    const headers = { authorization: `Bearer ${mash}` };
    const inbox = await fetch(`${url}/v1/notifications`, { headers });
    const body = Buffer.from(await inbox.arrayBuffer());
    const items = (JSON.parse(body.toString("utf8")) as { items: unknown[] }).items.length;
    if (inbox.status !== 200 || items !== options.concerns) {
      throw new Error(`the inbox answered ${inbox.status} with ${items} items`);
    }
    log(`hub: inbox of ${items} notifications, ${body.length} bytes; driving ${options.durationMs / 1000} s`);
    const load = { connections: options.connections, durationMs: options.durationMs };
    await drive(`${url}/v1/notifications`, headers, { ...load, durationMs: options.warmupMs });
    const { result: lantern, cores: hubCores } = await cpuShares(
      { hub: hub.child.pid, dynamoDbLocal: dynamoPid },
      () => drive(`${url}/v1/notifications`, headers, load),
    );
    await hub.stop();
    const store = await storeOnly(endpoint, prefix, options.connections, options.durationMs / 2);
    log(`hub: the inbox's 3 store reads alone: ${store.requestsPerSecond} per s, p99 ${store.p99Ms} ms`);

    const bodyFile = join(dataDir, "body.json");
    writeFileSync(bodyFile, body);
    const serverFile = join(dataDir, "bare-server.mjs");
    writeFileSync(serverFile, BARE_SERVER);
    const barePort = await freePort();
    const bare = await startProcess(
      [serverFile, bodyFile, String(barePort)],
      { PATH: process.env.PATH },
      "listening",
    );
    running.push(bare);
    const bareUrl = `http://127.0.0.1:${barePort}/v1/notifications`;
    await drive(bareUrl, headers, { ...load, durationMs: options.warmupMs });
    const { result: baseline, cores: bareCores } = await cpuShares({ bare: bare.child.pid }, () =>
      drive(bareUrl, headers, load),
    );
    await bare.stop();
    if (baseline.bodyBytes !== lantern.bodyBytes) throw new Error("the bare server's body differs in size");

    const l = summary(lantern);
    const b = summary(baseline);
    return {
      name: `hub inbox GET /v1/notifications (${options.connections} connections, ${options.durationMs / 1000} s)`,
      figure: l.requestsPerSecond,
      unit: "req/s",
      baseline: b.requestsPerSecond,
      baselineLabel: `bare node:http server, same ${body.length}-byte body`,
      ratio: round(b.requestsPerSecond / l.requestsPerSecond),
      ratioMeaning: "x fewer requests/s than bare",
      extra: `p99 ${l.p99Ms} ms vs ${b.p99Ms} ms (${round(l.p99Ms / b.p99Ms)}x); its store reads alone ${store.requestsPerSecond}/s`,
      details: {
        concerns: options.concerns,
        items,
        hub: l,
        bare: b,
        storeReadsOnly: store,
        cpuCoresDuringHubRun: hubCores,
        cpuCoresDuringBareRun: bareCores,
      },
    };
  } finally {
    for (const r of running) await r.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
