import type { Group, RouteSpec } from "./routes.js";

export type RouteMatch =
  | { route: RouteSpec; params: Record<string, string> }
  | { allow: string[]; group: Group }
  | null;

/**
 * Match a concrete path against a table's templates: the route and its path parameters, or the
 * methods the path has and the group that serves it (a path belongs to one group, so its
 * function answers the 405). The whole table's match is `matchRoute` (routes.ts); a function
 * matches its own group's routes only, so it never imports (nor builds the schemas of) others.
 */
export function matchRouteIn(table: readonly RouteSpec[], method: string, path: string): RouteMatch {
  const allow: string[] = [];
  let group: Group | undefined;
  for (const r of table) {
    const params = matchPath(r.path, path);
    if (!params) continue;
    if (r.method === method) return { route: r, params };
    allow.push(r.method);
    group ??= r.group;
  }
  return group ? { allow, group } : null;
}

function matchPath(template: string, path: string): Record<string, string> | null {
  const t = template.split("/");
  const p = path.split("/");
  if (t.length !== p.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < t.length; i++) {
    const segment = t[i] as string;
    const actual = p[i] as string;
    if (segment.startsWith("{") && segment.endsWith("}")) {
      if (actual === "") return null;
      try {
        params[segment.slice(1, -1)] = decodeURIComponent(actual);
      } catch {
        return null;
      }
    } else if (segment !== actual) return null;
  }
  return params;
}
