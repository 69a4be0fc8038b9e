import type { ConcernSubmission } from "./concern.js";
import type { Partner, RecipientSelector } from "./registry.js";
import type { UnresolvedRoute } from "./routing.js";
import type { RuleProblem } from "./routing-validation.js";
import type { PartnerType } from "./vocabulary.js";

/**
 * The recipient resolvers: how a routing rule's `recipient` names who must hear, in one
 * table. Routing (a concern's recipients), rule validation (could the rule ever reach
 * anyone?) and coverage (who the rule reaches in an area) all ask here, so a new kind of
 * selector is one schema member (RecipientSelectorSchema) and one entry below, which the
 * compiler demands.
 */

/** The partner type that discloses: it submits concerns and is never routed to. */
export const DISCLOSER_TYPE = "police" as const satisfies PartnerType;

export const isDiscloser = (partner: Pick<Partner, "type">): boolean => partner.type === DISCLOSER_TYPE;

/** A selector's kind: `resolve` names it, a fixed partner (`partnerId`) has none. */
export type ResolverKind = Extract<RecipientSelector, { resolve: string }>["resolve"] | "partner";
type SelectorOf<K extends ResolverKind> = K extends "partner"
  ? Extract<RecipientSelector, { partnerId: string }>
  : Extract<RecipientSelector, { resolve: K }>;

export function resolverKind(selector: RecipientSelector): ResolverKind {
  return "partnerId" in selector ? "partner" : selector.resolve;
}

/** What a resolver needs of a concern to find its recipients. */
export interface ResolveInput {
  concern: { area: string; subject: Pick<ConcernSubmission["subject"], "schoolId" | "educationStatus"> };
  partners: readonly Partner[];
}

interface Resolver<S> {
  /** Who a matched rule reaches for this concern, or why nobody (routing.ts). */
  resolve(selector: S, input: ResolveInput): Partner[] | UnresolvedRoute["reason"];
  /** Why the rule could never reach anyone among the registered partners (routing-validation.ts). */
  problem(selector: S, partners: readonly Partner[]): RuleProblem | null;
  /** Who the rule reaches for a concern in `area`, as far as the registry says (coverage.ts). */
  inArea(selector: S, area: string, partners: readonly Partner[]): Partner[];
  /**
   * Every set of partners the rule may reach for one concern in `area`, whatever else the
   * concern says; it reaches one of them (transaction-size.ts bounds a submission by these).
   */
  reachable(selector: S, area: string, partners: readonly Partner[]): Partner[][];
}

/**
 * Whether the child is a registered pupil of a named education setting. A home-educated
 * child, one not on a roll, or one whose school is not known is the local authority's to
 * hear about (Domestic Abuse Act 2021 s49A).
 */
export function onSchoolRoll(
  subject: Pick<ConcernSubmission["subject"], "schoolId" | "educationStatus">,
): boolean {
  return subject.schoolId !== undefined && (subject.educationStatus ?? "on_roll") === "on_roll";
}

const ofTypeIn = (partners: readonly Partner[], type: PartnerType, area: string) =>
  partners.filter((p) => p.type === type && p.areas.includes(area));

/** No partner of any of `types` is registered: the rule can never match. */
function noneOf(types: readonly PartnerType[], partners: readonly Partner[]): RuleProblem | null {
  return partners.some((p) => types.includes(p.type))
    ? null
    : {
        path: "/recipient",
        message: `no ${types.join(" or ")} partner is registered: the rule can never match`,
      };
}

export const RESOLVERS: { [K in ResolverKind]: Resolver<SelectorOf<K>> } = {
  partner: {
    resolve: (selector, input) => {
      const partner = input.partners.find((p) => p.id === selector.partnerId);
      return partner ? [partner] : "partner_not_registered";
    },
    problem: (selector, partners) =>
      partners.some((p) => p.id === selector.partnerId)
        ? null
        : {
            path: "/recipient/partnerId",
            message: `no partner ${selector.partnerId} is registered: the rule can never match`,
          },
    inArea: (selector, _area, partners) => partners.filter((p) => p.id === selector.partnerId),
    reachable: (selector, _area, partners) => [partners.filter((p) => p.id === selector.partnerId)],
  },
  // The child's school; for a child on no school's roll, the area's local authority.
  subject_school: {
    resolve: (_selector, input) => {
      if (!onSchoolRoll(input.concern.subject)) {
        const authorities = ofTypeIn(input.partners, "local_authority", input.concern.area);
        return authorities.length > 0 ? authorities : "no_partner_for_area";
      }
      const schoolId = input.concern.subject.schoolId;
      const school = input.partners.find((p) => p.id === schoolId && p.type === "school");
      return school ? [school] : "school_not_registered";
    },
    problem: (_selector, partners) => noneOf(["school", "local_authority"], partners),
    inArea: (_selector, area, partners) => ofTypeIn(partners, "school", area),
    // Any one school (by id, wherever it is), or the area's local authorities.
    reachable: (_selector, area, partners) => [
      ...partners.filter((p) => p.type === "school").map((school) => [school]),
      ofTypeIn(partners, "local_authority", area),
    ],
  },
  // Every partner of a type that serves the concern's area.
  area: {
    resolve: (selector, input) => {
      const inArea = ofTypeIn(input.partners, selector.type, input.concern.area);
      return inArea.length > 0 ? inArea : "no_partner_for_area";
    },
    problem: (selector, partners) =>
      selector.type === DISCLOSER_TYPE
        ? { path: "/recipient/type", message: `${DISCLOSER_TYPE} are the discloser, not a recipient` }
        : noneOf([selector.type], partners),
    inArea: (selector, area, partners) => ofTypeIn(partners, selector.type, area),
    reachable: (selector, area, partners) => [ofTypeIn(partners, selector.type, area)],
  },
};

/** The resolver of a selector, typed so its own selector goes in. */
export function resolverOf(selector: RecipientSelector): Resolver<RecipientSelector> {
  return RESOLVERS[resolverKind(selector)] as Resolver<RecipientSelector>;
}
