import { describe, expect, it } from "vitest";
import { auditGroup } from "../../shared/api/groups/audit.js";
import { concernsGroup } from "../../shared/api/groups/concerns.js";
import { notificationsGroup } from "../../shared/api/groups/notifications.js";
import { publicGroup } from "../../shared/api/groups/public.js";
import { registryGroup } from "../../shared/api/groups/registry.js";
import { matchRouteIn } from "../../shared/api/route-match.js";
import { type Group, type RouteGroup, type RouteSpec, routeGroups, routes } from "../../shared/api/routes.js";

const GROUPS: Record<Group, RouteGroup> = {
  concerns: concernsGroup,
  notifications: notificationsGroup,
  registry: registryGroup,
  audit: auditGroup,
  public: publicGroup,
};
const table = routes as readonly RouteSpec[];

describe("per-function route groups (what each function bundles of the table)", () => {
  it("hold exactly the table's routes of their group, each route in one group once", () => {
    expect(Object.keys(GROUPS).sort()).toEqual([...routeGroups()].sort());
    for (const [group, module] of Object.entries(GROUPS)) {
      expect(module.group).toBe(group);
      // The same route objects, not copies: the table and the functions share one definition.
      expect(new Set(module.routes)).toEqual(new Set(table.filter((r) => r.group === group)));
      expect(module.routes.length).toBe(new Set(module.routes).size);
    }
    expect(Object.values(GROUPS).reduce((n, g) => n + g.routes.length, 0)).toBe(table.length);
  });

  it("give every path to one group, so a wrong method reaches the function that can name all its methods", () => {
    const owners = new Map<string, Set<Group>>();
    for (const r of table) owners.set(r.path, (owners.get(r.path) ?? new Set()).add(r.group));
    expect([...owners].filter(([, groups]) => groups.size > 1)).toEqual([]);
  });

  it("match within a group as the whole table does: the route, or the path's methods and its group", () => {
    expect(matchRouteIn(concernsGroup.routes, "GET", "/v1/concerns/c_1")).toMatchObject({
      route: { operationId: "readConcern" },
      params: { id: "c_1" },
    });
    expect(matchRouteIn(concernsGroup.routes, "DELETE", "/v1/concerns")).toEqual({
      allow: ["POST"],
      group: "concerns",
    });
    expect(matchRouteIn(table, "DELETE", "/v1/concerns")).toEqual({ allow: ["POST"], group: "concerns" });
    // Another function's route is not this one's: 404 here, and on AWS it never arrives.
    expect(matchRouteIn(concernsGroup.routes, "GET", "/v1/notifications")).toBeNull();
  });
});
