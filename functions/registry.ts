import {
  addAgreementVersion,
  agreementCoverage,
  amendDraft,
  changeAgreementStatus,
  createNewAgreement,
  listAgreements,
  listPartners,
  readAgreement,
  readCalendar,
  readPartner,
  readRoutingRules,
  registerPartner,
  replaceCalendar,
  replaceRoutingRules,
  rotateWebhookSecret,
  updatePartner,
} from "../shared/app/registry.js";
import { createHttpHandler } from "../shared/http/lambda.js";
import { wired } from "./wiring.js";

/** Lambda entry point for information governance's policy: partners, agreements, routing rules. */
const w = wired();
const deps = { clock: w.clock, ids: w.ids, registry: w.registry, webhookHttpsOnly: w.webhookHttpsOnly };

export const handler = createHttpHandler<
  | "registerPartner"
  | "listPartners"
  | "readPartner"
  | "updatePartner"
  | "rotateWebhookSecret"
  | "createAgreement"
  | "listAgreements"
  | "agreementCoverage"
  | "readAgreement"
  | "addAgreementVersion"
  | "amendAgreementDraft"
  | "activateAgreementVersion"
  | "suspendAgreementVersion"
  | "revokeAgreementVersion"
  | "readRoutingRules"
  | "replaceRoutingRules"
  | "readCalendar"
  | "replaceCalendar"
>(
  {
    registerPartner: async ({ caller, body }) => {
      const partner = await registerPartner(deps, caller, body);
      return { status: 201, body: partner, headers: { Location: `/v1/partners/${partner.id}` } };
    },
    listPartners: async () => ({ status: 200, body: await listPartners(deps) }),
    readPartner: async ({ params }) => ({ status: 200, body: await readPartner(deps, params.id) }),
    updatePartner: async ({ caller, params, body }) => ({
      status: 200,
      body: await updatePartner(deps, caller, params.id, body),
    }),
    rotateWebhookSecret: async ({ caller, params }) => ({
      status: 200,
      body: await rotateWebhookSecret(deps, caller, params.id),
    }),
    createAgreement: async ({ caller, body }) => {
      const agreement = await createNewAgreement(deps, caller, body);
      return { status: 201, body: agreement, headers: { Location: `/v1/agreements/${agreement.id}` } };
    },
    listAgreements: async () => ({ status: 200, body: await listAgreements(deps) }),
    agreementCoverage: async ({ query }) => ({
      status: 200,
      body: await agreementCoverage(deps, query.within),
    }),
    readAgreement: async ({ params }) => ({ status: 200, body: await readAgreement(deps, params.id) }),
    addAgreementVersion: async ({ caller, params, body }) => ({
      status: 201,
      body: await addAgreementVersion(deps, caller, params.id, body),
    }),
    amendAgreementDraft: async ({ caller, params, body }) => ({
      status: 200,
      body: await amendDraft(deps, caller, params.id, params.version, body),
    }),
    activateAgreementVersion: async ({ caller, params }) => ({
      status: 200,
      body: await changeAgreementStatus(deps, caller, params.id, params.version, "activate"),
    }),
    suspendAgreementVersion: async ({ caller, params }) => ({
      status: 200,
      body: await changeAgreementStatus(deps, caller, params.id, params.version, "suspend"),
    }),
    revokeAgreementVersion: async ({ caller, params }) => ({
      status: 200,
      body: await changeAgreementStatus(deps, caller, params.id, params.version, "revoke"),
    }),
    readRoutingRules: async () => ({ status: 200, body: await readRoutingRules(deps) }),
    readCalendar: async ({ params }) => ({ status: 200, body: await readCalendar(deps, params.area) }),
    replaceCalendar: async ({ caller, params, body }) => ({
      status: 200,
      body: await replaceCalendar(deps, caller, params.area, body),
    }),
    replaceRoutingRules: async ({ caller, body }) => ({
      status: 200,
      body: await replaceRoutingRules(deps, caller, body.rules),
    }),
  },
  w.http,
);
