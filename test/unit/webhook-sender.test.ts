import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookSender } from "../../shared/adapters/webhook-sender.js";
import { refusedAddress } from "../../shared/domain/webhook-destination.js";

/** A self-signed certificate for `name`, made with the machine's openssl. */
function certificateFor(name: string): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), "lantern-tls-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "1",
        "-subj",
        `/CN=${name}`,
        "-addext",
        `subjectAltName=DNS:${name}`,
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    return {
      key: readFileSync(join(dir, "key.pem"), "utf8"),
      cert: readFileSync(join(dir, "cert.pem"), "utf8"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Seen {
  host: string | undefined;
  servername: string | false | null | undefined;
  localAddress: string | undefined;
  body: string;
  signature: string | undefined;
}

const HOOK_NAME = "hooks.lantern.test";
/** Only the test's own receiver on loopback is let through; every other rule stays. */
const loopbackReceiverOnly = (address: string) => (address === "127.0.0.1" ? null : refusedAddress(address));

describe("the webhook sender", () => {
  const tls = certificateFor(HOOK_NAME);
  const seen: Seen[] = [];
  let server: Server;
  let port: number;
  const lookups: string[] = [];
  // A name that exists nowhere but in this resolver: reaching the receiver proves the
  // connection went to the address the sender checked, not to a lookup of its own.
  const resolve = async (hostname: string) => {
    lookups.push(hostname);
    if (hostname === HOOK_NAME) return ["127.0.0.1"];
    if (hostname === "evil.example") return ["10.0.0.5"];
    if (hostname === "rebind.example") return ["81.2.69.160", "169.254.169.254"];
    throw new Error("ENOTFOUND");
  };

  beforeAll(async () => {
    server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => {
        body += c.toString("utf8");
      });
      req.on("end", () => {
        const socket = req.socket as TLSSocket;
        seen.push({
          host: req.headers.host,
          servername: socket.servername,
          localAddress: socket.localAddress,
          body,
          signature: req.headers["webhook-signature"] as string | undefined,
        });
        // "/slow" never answers: the sender must give up on its own.
        if (req.url !== "/slow") res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it("connects to the checked address, with the host name as TLS server name and Host", async () => {
    const send = webhookSender({ httpsOnly: true, resolve, refuse: loopbackReceiverOnly, ca: tls.cert });
    lookups.length = 0;
    const result = await send(
      `https://${HOOK_NAME}:${port}/lantern`,
      { "webhook-signature": "v1,abc" },
      '{"type":"notification.created"}',
      5_000,
    );
    expect(result).toEqual({ status: 204, error: null });
    expect(lookups).toEqual([HOOK_NAME]);
    expect(seen.at(-1)).toEqual({
      host: `${HOOK_NAME}:${port}`,
      servername: HOOK_NAME,
      localAddress: "127.0.0.1",
      body: '{"type":"notification.created"}',
      signature: "v1,abc",
    });
  });

  it("still checks the certificate against the host name", async () => {
    const other = certificateFor("other.lantern.test");
    const send = webhookSender({ httpsOnly: true, resolve, refuse: loopbackReceiverOnly, ca: other.cert });
    const before = seen.length;
    const result = await send(`https://${HOOK_NAME}:${port}/lantern`, {}, "{}", 5_000);
    expect(result).toEqual({ status: null, error: "no_answer" });
    expect(seen.length).toBe(before);
  });

  it("refuses, as a failed attempt, a name that resolves to an internal address", async () => {
    const send = webhookSender({ httpsOnly: true, resolve });
    await expect(send("https://evil.example/hook", {}, "{}", 5_000)).resolves.toEqual({
      status: null,
      error: "destination_refused: the host resolves to a private address",
    });
    // DNS rebinding: one public and one internal answer is refused too, before any connection.
    await expect(send("https://rebind.example/hook", {}, "{}", 5_000)).resolves.toEqual({
      status: null,
      error: "destination_refused: the host resolves to a link-local address",
    });
  });

  it("refuses literal internal addresses, the test's own receiver included, when nothing is widened", async () => {
    const send = webhookSender({ httpsOnly: true, resolve, ca: tls.cert });
    const before = seen.length;
    for (const [href, reason] of [
      [`https://127.0.0.1:${port}/lantern`, "loopback"],
      [`https://2130706433:${port}/lantern`, "loopback"],
      [`https://[::ffff:127.0.0.1]:${port}/lantern`, "loopback"],
      ["https://169.254.169.254/latest/meta-data", "link-local"],
      ["https://100.64.0.1/hook", "shared (100.64.0.0/10)"],
    ] as const) {
      expect(await send(href, {}, "{}", 5_000)).toEqual({
        status: null,
        error: `destination_refused: the host is a ${reason} address`,
      });
    }
    expect(await send(`https://${HOOK_NAME}:${port}/lantern`, {}, "{}", 5_000)).toEqual({
      status: null,
      error: "destination_refused: the host resolves to a loopback address",
    });
    expect(seen.length).toBe(before);
  });

  it("refuses plain http when https-only, and reports a name that does not resolve", async () => {
    const send = webhookSender({ httpsOnly: true, resolve });
    expect(await send("http://81.2.69.160/hook", {}, "{}", 5_000)).toEqual({
      status: null,
      error: "destination_refused: not an https URL",
    });
    expect(await send("https://nowhere.example/hook", {}, "{}", 5_000)).toEqual({
      status: null,
      error: "dns_failure",
    });
  });

  it("gives up on a receiver that does not answer in time", async () => {
    const send = webhookSender({ httpsOnly: true, resolve, refuse: loopbackReceiverOnly, ca: tls.cert });
    const started = Date.now();
    const result = await send(`https://${HOOK_NAME}:${port}/slow`, {}, "{}", 300);
    expect(result).toEqual({ status: null, error: "timeout" });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("in development sends plain http to loopback, to the address it resolved", async () => {
    const got: string[] = [];
    const plain = createHttpServer((req, res) => {
      got.push(`${req.method} ${req.headers.host} ${req.headers["content-type"]}`);
      res.writeHead(500).end();
    });
    await new Promise<void>((r) => plain.listen(0, "127.0.0.1", () => r()));
    const plainPort = (plain.address() as AddressInfo).port;
    try {
      const send = webhookSender({ httpsOnly: false, resolve: async () => ["127.0.0.1"] });
      expect(await send(`http://localhost:${plainPort}/hook`, {}, "{}", 5_000)).toEqual({
        status: 500,
        error: null,
      });
      expect(got).toEqual([`POST localhost:${plainPort} application/json`]);
    } finally {
      await new Promise((r) => plain.close(r));
    }
  });
});
