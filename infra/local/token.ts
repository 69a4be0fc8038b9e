import { parseArgs } from "node:util";
import { SignJWT } from "jose";
import { DEFAULTS, ENV } from "../../shared/config.js";
import { issuerKey, issuerSigningKey } from "./keys.js";

/**
 * `npm run token -- --client <clientId> --scope "<scopes>" [--sub <user>] [--ttl <seconds>]`
 * prints an access token from the local development issuer (RFC 9068 shape), for curl and tests.
 */
export async function mintToken(options: {
  dataDir: string;
  clientId: string;
  scope: string;
  sub?: string | undefined;
  ttlSeconds?: number | undefined;
  audience?: string | undefined;
}): Promise<string> {
  const { privateJwk } = await issuerKey(options.dataDir);
  const key = await issuerSigningKey(privateJwk);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ client_id: options.clientId, scope: options.scope })
    .setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid: privateJwk.kid as string })
    .setIssuer(DEFAULTS.localIssuer)
    .setAudience(options.audience ?? DEFAULTS.audience)
    .setSubject(options.sub ?? options.clientId)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + (options.ttlSeconds ?? 3600))
    .setJti(crypto.randomUUID())
    .sign(key);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      client: { type: "string" },
      scope: { type: "string", default: "" },
      sub: { type: "string" },
      ttl: { type: "string" },
    },
  });
  if (!values.client) {
    process.stderr.write(
      'Usage: npm run -s token -- --client <clientId> --scope "<scopes>" [--sub <user>] [--ttl <seconds>]\n',
    );
    process.exit(2);
  }
  const token = await mintToken({
    dataDir: process.env[ENV.dataDir] || DEFAULTS.dataDir,
    clientId: values.client,
    scope: values.scope,
    sub: values.sub,
    ttlSeconds: values.ttl ? Number(values.ttl) : undefined,
    audience: process.env[ENV.audience] || undefined,
  });
  process.stdout.write(`${token}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    process.stderr.write(`token: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
