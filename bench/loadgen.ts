import { Agent, request } from "node:http";

/**
 * A bounded loopback load generator: `connections` keep-alive sockets, one loop per socket
 * sending the next request when the last answered, for `durationMs`. Only 127.0.0.1.
 */
export interface LoadResult {
  requests: number;
  errors: number;
  durationMs: number;
  requestsPerSecond: number;
  latenciesMs: number[];
  bodyBytes: number;
}

function once(
  agent: Agent,
  url: URL,
  headers: Record<string, string>,
): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: "GET",
        headers,
      },
      (res) => {
        let bytes = 0;
        res.on("data", (chunk: Buffer) => {
          bytes += chunk.length;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, bytes }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

export async function drive(
  target: string,
  headers: Record<string, string>,
  options: { connections: number; durationMs: number },
): Promise<LoadResult> {
  const url = new URL(target);
  if (url.hostname !== "127.0.0.1")
    throw new Error(`the load generator drives 127.0.0.1 only, not ${url.hostname}`);
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  let errors = 0;
  let bodyBytes = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;
  const loop = async () => {
    while (performance.now() < deadline) {
      const start = performance.now();
      try {
        const { status, bytes } = await once(agent, url, headers);
        if (status !== 200) errors += 1;
        else {
          latencies.push(performance.now() - start);
          bodyBytes = bytes;
        }
      } catch {
        errors += 1;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.connections }, loop));
  } finally {
    agent.destroy();
  }
  const durationMs = performance.now() - started;
  return {
    requests: latencies.length,
    errors,
    durationMs,
    requestsPerSecond: latencies.length / (durationMs / 1000),
    latenciesMs: latencies,
    bodyBytes,
  };
}
