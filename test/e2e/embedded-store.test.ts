import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  ResourceNotFoundException,
} from "@aws-sdk/client-dynamodb";
import { afterAll, describe, expect, it } from "vitest";
import {
  ensureTables,
  SHARED_STORE_FILE,
  startDynamoLocal,
  storeFileName,
} from "../../infra/local/dynamodb-local.js";
import { documentClient, dynamoClient } from "../../shared/adapters/dynamodb/client.js";
import { DynamoRegistryStore } from "../../shared/adapters/dynamodb/registry-store.js";
import { seedRegistry } from "../../shared/app/seed.js";
import { DEMO_AGREEMENTS, DEMO_PARTNERS, DEMO_RULES } from "../../shared/demo-registry.js";
import { amyConcern } from "../support/fixtures.js";
import { call, type Hub, startHub } from "../support/hub.js";

/**
 * The store `npm start` embeds holds children's data. DynamoDB Local cannot bind loopback
 * only, so the hub keeps its tables under its own secret access key id: these tests talk to
 * it over the wire with other credentials and look at the child process from /proc. Only
 * 127.0.0.1 is ever contacted.
 */

function javaChildOf(parentPid: number): number {
  const pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      // Fields after the command name, which is in parentheses and may hold spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (ppid === parentPid && cmdline.includes("DynamoDBLocal.jar")) return Number(pid);
    } catch {
      // the process ended while we looked
    }
  }
  throw new Error(`no DynamoDB Local child of ${parentPid}`);
}

function storeEndpoint(hub: Hub): string {
  const match = /store (http:\/\/127\.0\.0\.1:\d+)/.exec(hub.output());
  if (!match) throw new Error("the hub did not name its store");
  return match[1] as string;
}

function clientWith(endpoint: string, accessKeyId: string, region = "eu-west-2"): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region, credentials: { accessKeyId, secretAccessKey: "x" } });
}

async function tablesSeenBy(client: DynamoDBClient): Promise<string[]> {
  return (await client.send(new ListTablesCommand({}))).TableNames ?? [];
}

// Each test starts its own hub and DynamoDB Local (the migration test two stores): give them
// room on a loaded machine.
describe("the embedded store", { timeout: 180_000 }, () => {
  const hubs: Hub[] = [];
  afterAll(async () => {
    for (const hub of hubs) await hub.stop();
  });

  it("shows a client with other credentials none of the hub's tables", async () => {
    // Prepare: the hub's own environment carries AWS credentials, which must not pick its database.
    const hub = await startHub({
      AWS_ACCESS_KEY_ID: "AKIAHUBENVIRONMENT",
      AWS_SECRET_ACCESS_KEY: `aws-secret-${randomUUID()}`,
      AWS_REGION: "us-east-1",
    });
    hubs.push(hub);
    const prefix = hub.env.LANTERN_TABLE_PREFIX as string;
    const police = await hub.token("essex-police-app", "concerns:submit concerns:read");
    const submitted = await call(hub, "POST", "/v1/concerns", { token: police, body: amyConcern() });
    const endpoint = storeEndpoint(hub);
    const keyFile = join(hub.dataDir, "dynamodb-access-key-id");
    const accessKeyId = readFileSync(keyFile, "utf8").trim();

    // Act
    const strangers = [
      clientWith(endpoint, "local"),
      clientWith(endpoint, "AKIAHUBENVIRONMENT", "us-east-1"),
      clientWith(endpoint, "AKIAHUBENVIRONMENT"),
      clientWith(endpoint, accessKeyId.slice(0, -1)),
      clientWith(endpoint, accessKeyId, "us-east-1"),
    ];
    const seenByStrangers = await Promise.all(strangers.map(tablesSeenBy));
    const read = await clientWith(endpoint, "local")
      .send(new GetItemCommand({ TableName: `${prefix}-data`, Key: { pk: { S: "x" }, sk: { S: "x" } } }))
      .then(
        () => "read",
        (error: unknown) => error,
      );
    const seenByHub = await tablesSeenBy(clientWith(endpoint, accessKeyId));

    // Assess
    expect(submitted.status).toBe(201);
    expect(seenByStrangers).toEqual(strangers.map(() => []));
    expect(read).toBeInstanceOf(ResourceNotFoundException);
    expect(seenByHub).toEqual(expect.arrayContaining([`${prefix}-data`, `${prefix}-audit`]));
    expect(accessKeyId).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(hub.dataDir, "dynamodb")).mode & 0o777).toBe(0o700);
    expect(hub.output()).not.toContain(accessKeyId);
  });

  it("runs with no telemetry and none of the hub's environment", async () => {
    // Prepare: key material in the hub's environment, and the keys it makes in its data dir.
    const secrets = [`aws-secret-${randomUUID()}`, `token-${randomUUID()}`];
    const hub = await startHub({ AWS_SECRET_ACCESS_KEY: secrets[0], AWS_SESSION_TOKEN: secrets[1] });
    hubs.push(hub);
    const madeByHub = [
      readFileSync(join(hub.dataDir, "subject-key"), "utf8").trim(),
      JSON.parse(readFileSync(join(hub.dataDir, "issuer-key.json"), "utf8")).d as string,
      JSON.parse(readFileSync(join(hub.dataDir, "checkpoint-keys.json"), "utf8")).current.d as string,
      readFileSync(join(hub.dataDir, "dynamodb-access-key-id"), "utf8").trim(),
    ];

    // Act
    const pid = javaChildOf(hub.child.pid as number);
    const environ = readFileSync(`/proc/${pid}/environ`, "utf8");
    const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");

    // Assess
    const names = environ
      .split("\0")
      .filter(Boolean)
      .map((entry) => entry.slice(0, entry.indexOf("=")));
    expect(names.every((name) => name === "PATH" || name === "JAVA_HOME")).toBe(true);
    for (const secret of [...secrets, ...madeByHub]) {
      expect(environ).not.toContain(secret);
      expect(argv.join(" ")).not.toContain(secret);
    }
    expect(argv).toContain("-disableTelemetry");
    expect(argv).not.toContain("-sharedDb");
  });

  it("keeps the data of a store made the old way, with one shared database", async () => {
    // Prepare: what an earlier Lantern left behind: `-sharedDb` under <data>/dynamodb.
    const dataDir = mkdtempSync(join(tmpdir(), "lantern-old-store-"));
    const prefix = `old${randomUUID().slice(0, 8)}`;
    const tables = { data: `${prefix}-data`, audit: `${prefix}-audit` };
    const old = await startDynamoLocal({ dbPath: join(dataDir, "dynamodb"), access: "shared" });
    try {
      await ensureTables(dynamoClient(old.endpoint, {}), tables);
      await seedRegistry(
        {
          clock: { now: () => new Date() },
          ids: { next: (p) => `${p}_${randomUUID()}` },
          registry: new DynamoRegistryStore(documentClient(old.endpoint, {}), tables),
        },
        { partners: DEMO_PARTNERS, agreements: DEMO_AGREEMENTS, rules: DEMO_RULES },
      );
    } finally {
      await old.stop();
    }

    // Act: the new hub, told not to seed, so only the old data can route anything.
    const hub = await startHub({
      LANTERN_DATA_DIR: dataDir,
      LANTERN_TABLE_PREFIX: prefix,
      LANTERN_SEED: "none",
    });
    hubs.push(hub);
    const ig = await hub.token("essex-police-ig", "partners:read");
    const partners = await call(hub, "GET", "/v1/partners", { token: ig });
    const police = await hub.token("essex-police-app", "concerns:submit");
    const submitted = await call(hub, "POST", "/v1/concerns", { token: police, body: amyConcern() });

    // Assess
    expect(hub.output()).toContain("moved the store made by an earlier version");
    expect(partners.status).toBe(200);
    expect((partners.json.items as { id: string }[]).map((p) => p.id).sort()).toEqual(
      DEMO_PARTNERS.map((p) => p.id).sort(),
    );
    expect(submitted.status).toBe(201);
    expect(submitted.json.notifications).toHaveLength(2);
    const accessKeyId = readFileSync(join(dataDir, "dynamodb-access-key-id"), "utf8").trim();
    expect(existsSync(join(dataDir, "dynamodb", SHARED_STORE_FILE))).toBe(false);
    expect(existsSync(join(dataDir, "dynamodb", storeFileName(accessKeyId)))).toBe(true);
  });
});
