import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { FORBIDDEN_IN_BUNDLE, functionEntries, SHARED_ESBUILD } from "../../infra/aws/esbuild-config.js";

/**
 * Each HTTP function's bundle, built as the stack builds it, holds only its own routes' schemas
 * (found by their OpenAPI ids), and none bundles GOV.UK Notify's client: the cold start builds
 * no other function's schemas and loads no sender it never uses. The public function
 * is not checked: its OpenAPI route imports the whole table, on that route's first request.
 */
const ABSENT: Record<string, string[]> = {
  concerns: ["Agreement", "AuditEvent", "BreakGlassReview", "Partner", "RecallRequest"],
  notifications: ["ConcernSubmission", "Agreement", "AuditEvent", "Partner", "BreakGlassReview"],
  registry: ["ConcernSubmission", "AuditEvent", "Notification", "BreakGlassReview"],
  audit: ["ConcernSubmission", "Agreement", "Partner", "RoutingRule"],
};

const dir = mkdtempSync(join(tmpdir(), "lantern-bundles-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("function bundles", () => {
  for (const [name, absent] of Object.entries(ABSENT)) {
    it(`${name} holds its own routes' schemas and not the others'`, async () => {
      const outfile = join(dir, name, "index.mjs");
      const entry = functionEntries()[name as keyof ReturnType<typeof functionEntries>];
      const result = await build({
        ...SHARED_ESBUILD,
        mainFields: [...SHARED_ESBUILD.mainFields],
        external: [...SHARED_ESBUILD.external],
        sourcemap: false,
        entryPoints: [entry],
        outfile,
        logLevel: "error",
        metafile: true,
      });
      const ids = new Set([...readFileSync(outfile, "utf8").matchAll(/id:"([A-Z]\w*)"/g)].map((m) => m[1]));
      for (const id of absent) expect(ids, `${name} bundles the ${id} schema`).not.toContain(id);
      // And it does hold its own (the check above is not vacuous).
      expect(ids.size).toBeGreaterThan(3);
      // No HTTP function sends alerts: Notify's client (axios, form-data) is the deliverer's only.
      const inputs = Object.keys(result.metafile.inputs);
      expect(
        inputs.filter((i) => /node_modules\/(notifications-node-client|axios|form-data)\//.test(i)),
      ).toEqual([]);
      // Only the audit function signs checkpoints' keys or asks the checkpointer: the others do
      // not bundle the KMS and Lambda clients (unevaluated, they still cost their parse).
      const clients = inputs.filter((i) => /node_modules\/@aws-sdk\/client-(kms|lambda)\//.test(i));
      if (name === "audit") expect(clients.length).toBeGreaterThan(0);
      else expect(clients, `${name} bundles the KMS or Lambda client`).toEqual([]);
    }, 60_000);
  }
});

describe("every Lambda bundle", () => {
  it("holds zod/mini and never zod classic, the CDK or the local hub", async () => {
    // Prepare: every function at once, as the stack bundles each.
    const outdir = join(dir, "all");

    // Act
    const result = await build({
      ...SHARED_ESBUILD,
      mainFields: [...SHARED_ESBUILD.mainFields],
      external: [...SHARED_ESBUILD.external],
      sourcemap: false,
      entryPoints: functionEntries(),
      outdir,
      logLevel: "error",
      metafile: true,
    });

    // Assess
    const bundles = Object.values(result.metafile.outputs).filter((o) => o.entryPoint);
    expect(bundles).toHaveLength(Object.keys(functionEntries()).length);
    const usesMini: string[] = [];
    for (const bundle of bundles) {
      const inputs = Object.keys(bundle.inputs);
      const forbidden = inputs.filter((i) => FORBIDDEN_IN_BUNDLE.some((pattern) => pattern.test(i)));
      expect(forbidden, `${bundle.entryPoint} bundles forbidden code`).toEqual([]);
      if (inputs.some((i) => /node_modules\/zod\/v4\/mini\//.test(i)))
        usesMini.push(String(bundle.entryPoint));
    }
    // The check above is not vacuous: the functions that validate do bundle zod, as mini.
    for (const group of ["concerns", "notifications", "registry", "audit", "public"]) {
      expect(
        usesMini.some((entry) => entry.endsWith(`functions/${group}.ts`)),
        group,
      ).toBe(true);
    }
  }, 120_000);

  it("would refuse zod classic", () => {
    expect(FORBIDDEN_IN_BUNDLE.some((p) => p.test("node_modules/zod/v4/classic/schemas.js"))).toBe(true);
    expect(FORBIDDEN_IN_BUNDLE.some((p) => p.test("node_modules/zod/v4/mini/schemas.js"))).toBe(false);
  });
});
