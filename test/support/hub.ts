import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../infra/local/dynamodb-local.js";
import { mintToken } from "../../infra/local/token.js";
import { OpenApiCheck } from "./openapi-check.js";

export interface Hub {
  url: string;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  child: ChildProcess;
  output: () => string;
  token(clientId: string, scope: string, sub?: string): Promise<string>;
  stop(): Promise<number | null>;
}

/**
 * The environment that runs a process under libfaketime with its clock moved by `offset`.
 * The library is preloaded directly rather than through the `faketime` wrapper: the wrapper
 * names a semaphore and shared memory after its pid and leaves them behind when it is
 * killed, so a later wrapper that happens to get the same pid fails with "sem_open: File
 * exists".
 */
function fakeClock(offset: string): NodeJS.ProcessEnv {
  const library = FAKETIME_LIBRARIES.find((path) => existsSync(path));
  if (!library) throw new Error(`libfaketime is not installed (looked in ${FAKETIME_LIBRARIES.join(", ")})`);
  return { LD_PRELOAD: library, FAKETIME: offset, FAKETIME_DONT_FAKE_MONOTONIC: "1" };
}

const FAKETIME_LIBRARIES = ["x86_64-linux-gnu", "aarch64-linux-gnu"]
  .map((triplet) => `/usr/lib/${triplet}/faketime/libfaketime.so.1`)
  .concat("/usr/lib/faketime/libfaketime.so.1");

/**
 * Start the hub exactly as `npm start` does, in a child process on a free loopback port,
 * and wait until it says it is serving. `faketime` (e.g. "+2d") runs it under Debian's
 * libfaketime with its clock moved; DynamoDB Local's JVM does not start under it, so such
 * a hub needs LANTERN_DYNAMODB_ENDPOINT.
 */
export async function startHub(
  env: NodeJS.ProcessEnv = {},
  options: { faketime?: string } = {},
): Promise<Hub> {
  const dataDir = env.LANTERN_DATA_DIR ?? mkdtempSync(join(tmpdir(), "lantern-e2e-"));
  const port = await freePort();
  const fullEnv: NodeJS.ProcessEnv = {
    ...process.env,
    LANTERN_TABLE_PREFIX: `e2e${randomUUID().slice(0, 8)}`,
    ...env,
    LANTERN_DATA_DIR: dataDir,
    PORT: String(port),
  };
  const node = [process.execPath, "--import", "tsx", "infra/local/main.ts"];
  if (options.faketime) Object.assign(fullEnv, fakeClock(options.faketime));
  const [command, ...args] = node;
  const child = spawn(command as string, args, {
    env: fullEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    let err = "";
    const timer = setTimeout(() => reject(new Error(`hub did not start: ${err}`)), 60_000);
    child.stderr?.on("data", (chunk: Buffer) => {
      err += chunk.toString("utf8");
      output += chunk.toString("utf8");
      if (err.includes("serving on")) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`hub exited with ${code}: ${err}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    dataDir,
    env: fullEnv,
    child,
    output: () => output,
    token: (clientId, scope, sub) => mintToken({ dataDir, clientId, scope, sub }),
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      return exited;
    },
  };
}

/** fetch with a JSON body and a bearer token. */
export async function call(
  hub: Hub,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  } else if (options.raw !== undefined) {
    body = options.raw;
  }
  const response = await fetch(`${hub.url}${path}`, { method, headers, body });
  const text = await response.text();
  await checkAgainstDocument(hub, { method, path, status: response.status, headers: response.headers, text });
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: json as Record<string, unknown> & { items?: unknown[] },
  };
}

const documents = new WeakMap<Hub, Promise<OpenApiCheck>>();

/**
 * Every answer a test receives through `call` must be what the served OpenAPI document says
 * (status, content type, headers, body schema); a mismatch fails the test that made the call.
 * The document is fetched once per hub.
 */
async function checkAgainstDocument(hub: Hub, answer: Parameters<OpenApiCheck["problems"]>[0]) {
  let check = documents.get(hub);
  if (!check) {
    check = fetch(`${hub.url}/v1/openapi.json`)
      .then((r) => r.json())
      .then((doc) => new OpenApiCheck(doc as Record<string, unknown>));
    documents.set(hub, check);
  }
  const problems = (await check).problems(answer);
  if (problems.length > 0) {
    throw new Error(`The answer is not what the OpenAPI document declares:\n  ${problems.join("\n  ")}`);
  }
}
