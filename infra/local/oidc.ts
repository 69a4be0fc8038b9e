import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { JWK } from "jose";
import Provider, { type Configuration, errors, type KoaContextWithOIDC } from "oidc-provider";
import { DEFAULTS } from "../../shared/config.js";
import { CONSOLE_CLIENTS, CONSOLE_SCOPES, DEMO_PEOPLE, type DemoPerson } from "./demo-people.js";
import { loginPage, logoutPage, signedOutPage } from "./oidc-pages.js";

/**
 * The local hub's development issuer as a real OpenID provider (oidc-provider), so people sign
 * in to the console with the authorization code flow and PKCE. It signs with the same key as
 * `npm run token`, under the same issuer identifier, so its access tokens (RFC 9068 JWTs) are
 * verified by the same code as every other token.
 */

/** The resource indicator the console asks tokens for; its audience is the hub's. */
export const CONSOLE_RESOURCE = "urn:lantern:api";
const PREFIX = "/oidc";

export interface DevelopmentIssuer {
  /** Answers the request when it is the issuer's (discovery, /oidc/*); false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
}

function personOf(sub: string): DemoPerson | undefined {
  return DEMO_PEOPLE.find((person) => person.sub === sub);
}

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
      // A login form holds one short field; anything longer is not ours.
      if (body.length > 4096) req.destroy();
    });
    req.on("end", () => resolve(new URLSearchParams(body)));
    req.on("error", reject);
  });
}

function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": PAGE_CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
  });
  res.end(body);
}

const PAGE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function configuration(options: { privateJwk: JWK; hubUrl: string; audience: string; ttlSeconds: number }) {
  const people = (clientId: string) => DEMO_PEOPLE.filter((person) => person.clientId === clientId);
  const config: Configuration = {
    // Every console client is public (a page cannot keep a secret): PKCE is required of them.
    clients: CONSOLE_CLIENTS.map(({ clientId }) => ({
      client_id: clientId,
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code"],
      response_types: ["code"],
      redirect_uris: [`${options.hubUrl}/callback`],
      post_logout_redirect_uris: [`${options.hubUrl}/signed-out`],
      id_token_signed_response_alg: "ES256",
    })),
    jwks: { keys: [options.privateJwk as never] },
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    scopes: ["openid", "profile"],
    claims: { openid: ["sub"], profile: ["name"] },
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    ttl: { AccessToken: options.ttlSeconds, IdToken: options.ttlSeconds, Session: 8 * 3600 },
    routes: {
      authorization: `${PREFIX}/auth`,
      token: `${PREFIX}/token`,
      jwks: `${PREFIX}/jwks`,
      end_session: `${PREFIX}/session/end`,
      userinfo: `${PREFIX}/me`,
      pushed_authorization_request: `${PREFIX}/request`,
    },
    responseTypes: ["code"],
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.body = logoutPage(form);
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.body = signedOutPage();
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => CONSOLE_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resourceIndicator) => {
          if (resourceIndicator !== CONSOLE_RESOURCE) throw new errors.InvalidTarget();
          return {
            scope: CONSOLE_SCOPES.join(" "),
            audience: options.audience,
            accessTokenFormat: "jwt",
            accessTokenTTL: options.ttlSeconds,
            jwt: { sign: { alg: "ES256" } },
          };
        },
      },
    },
    interactions: {
      url: (ctx, interaction) => new URL(`${PREFIX}/interaction/${interaction.uid}`, ctx.href).href,
    },
    findAccount: (_ctx, sub) => {
      const person = personOf(sub);
      if (!person) return undefined;
      return { accountId: sub, claims: () => ({ sub, name: person.name }) };
    },
    // No consent screen: the issuer grants each person exactly the scopes of their role.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { client, session, provider } = ctx.oidc;
      const accountId = session?.accountId;
      if (!client || !session || !accountId) return undefined;
      const existing = ctx.oidc.result?.consent?.grantId || session.grantIdFor(client.clientId);
      if (existing) return provider.Grant.find(existing);
      const person = personOf(accountId);
      if (!person || person.clientId !== client.clientId) return undefined;
      const grant = new provider.Grant({ clientId: client.clientId, accountId });
      grant.addOIDCScope("openid profile");
      grant.addResourceScope(CONSOLE_RESOURCE, person.scope);
      // Every other scope the console asks for is refused here, not left for a consent screen.
      const held = new Set(person.scope.split(" "));
      grant.rejectResourceScope(CONSOLE_RESOURCE, CONSOLE_SCOPES.filter((s) => !held.has(s)).join(" "));
      await grant.save();
      session.grantIdFor(client.clientId, grant.jti);
      return grant;
    },
    renderError: (ctx, out) => {
      ctx.type = "html";
      ctx.body = loginPage({
        uid: "",
        clientName: "",
        people: [],
        error: String(out.error_description ?? out.error),
      });
    },
  };
  return { config, people };
}

export function developmentIssuer(options: {
  privateJwk: JWK;
  hubUrl: string;
  audience: string;
  ttlSeconds: number;
}): DevelopmentIssuer {
  const { config, people } = configuration(options);
  // oidc-provider insists on a web URI at construction; the identifier it signs with is the
  // hub's own development issuer, so these tokens and `npm run token`'s verify alike.
  const provider = new Provider(options.hubUrl, config);
  Object.defineProperty(provider, "issuer", { value: DEFAULTS.localIssuer });
  const callback = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    const clientId = String(details.params.client_id);
    const clientName = CONSOLE_CLIENTS.find((c) => c.clientId === clientId)?.name ?? clientId;
    if (req.method === "POST") {
      const form = await readForm(req);
      const person = personOf(form.get("account") ?? "");
      // The person must belong to the organisation whose console asked: that is what makes the
      // client id, and so the partner, the issuer's decision rather than the browser's.
      if (!person || person.clientId !== clientId) {
        html(
          res,
          400,
          loginPage({
            uid: details.uid,
            clientName,
            people: people(clientId),
            error: "Choose one of the people listed.",
          }),
        );
        return;
      }
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: person.sub } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    html(res, 200, loginPage({ uid: details.uid, clientName, people: people(clientId) }));
  }

  return {
    handle(req, res) {
      const path = new URL(req.url ?? "/", "http://localhost").pathname;
      if (path.startsWith(`${PREFIX}/interaction/`)) {
        interaction(req, res).catch(() => {
          if (!res.headersSent)
            html(
              res,
              400,
              loginPage({
                uid: "",
                clientName: "",
                people: [],
                error: "This sign-in has expired. Go back to the console and sign in again.",
              }),
            );
        });
        return true;
      }
      if (path.startsWith(`${PREFIX}/`) || path === "/.well-known/openid-configuration") {
        void callback(req, res);
        return true;
      }
      return false;
    },
  };
}
