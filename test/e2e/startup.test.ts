import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { freePort } from "../../infra/local/dynamodb-local.js";

/** When the hub cannot start, it says why in one sentence and exits non-zero, with no stack trace. */
function startHubExpectingFailure(env: NodeJS.ProcessEnv) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "infra/local/main.ts"], {
    env: { ...process.env, LANTERN_DATA_DIR: mkdtempSync(join(tmpdir(), "lantern-start-")), ...env },
    encoding: "utf8",
    timeout: 30_000,
  });
  const lines = result.stderr.split("\n").filter((l) => l.startsWith("Lantern"));
  return { status: result.status, lines, stderr: result.stderr };
}

describe("starting the hub", () => {
  it("refuses a port that is taken", async () => {
    const port = await freePort();
    const blocker = createServer().listen(port, "127.0.0.1");
    await new Promise((r) => blocker.once("listening", r));
    try {
      const { status, lines, stderr } = startHubExpectingFailure({ PORT: String(port) });
      expect(status).toBe(1);
      expect(lines).toEqual([
        `Lantern cannot start: Port ${port} is already in use: stop what is using it or set PORT to another port.`,
      ]);
      expect(stderr).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  });

  it("says Java is missing when it is", async () => {
    const { status, lines, stderr } = startHubExpectingFailure({
      PORT: String(await freePort()),
      PATH: "/nonexistent",
    });
    expect(status).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Lantern cannot start: Java 17 or later is needed/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
