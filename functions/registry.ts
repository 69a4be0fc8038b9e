import { registryGroup } from "../shared/api/groups/registry.js";
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
  rotateEscalationContactWebhookSecret,
  rotateWebhookSecret,
  updatePartner,
} from "../shared/app/registry.js";
import { createHttpHandler } from "../shared/http/lambda.js";
import { wired } from "./wiring.js";

/** Lambda entry point for information governance's policy: partners, agreements, routing rules. */
const w = wired();

export const handler = createHttpHandler(
  registryGroup,
  {
    registerPartner: async ({ caller, body }) => {
      const partner = await registerPartner(w, caller, body);
      return { status: 201, body: partner, headers: { Location: `/v1/partners/${partner.id}` } };
    },
    listPartners: async ({ caller }) => ({ status: 200, body: await listPartners(w, caller) }),
    readPartner: async ({ caller, params }) => ({
      status: 200,
      body: await readPartner(w, params.id, caller),
    }),
    updatePartner: async ({ caller, params, body }) => ({
      status: 200,
      body: await updatePartner(w, caller, params.id, body),
    }),
    rotateWebhookSecret: async ({ caller, params }) => ({
      status: 200,
      body: await rotateWebhookSecret(w, caller, params.id),
    }),
    rotateEscalationContactWebhookSecret: async ({ caller, params }) => ({
      status: 200,
      body: await rotateEscalationContactWebhookSecret(w, caller, params.id),
    }),
    createAgreement: async ({ caller, body }) => {
      const agreement = await createNewAgreement(w, caller, body);
      return { status: 201, body: agreement, headers: { Location: `/v1/agreements/${agreement.id}` } };
    },
    listAgreements: async () => ({ status: 200, body: await listAgreements(w) }),
    agreementCoverage: async ({ query }) => ({
      status: 200,
      body: await agreementCoverage(w, query.within),
    }),
    readAgreement: async ({ params }) => ({ status: 200, body: await readAgreement(w, params.id) }),
    addAgreementVersion: async ({ caller, params, body }) => ({
      status: 201,
      body: await addAgreementVersion(w, caller, params.id, body),
    }),
    amendAgreementDraft: async ({ caller, params, body }) => ({
      status: 200,
      body: await amendDraft(w, caller, params.id, params.version, body),
    }),
    activateAgreementVersion: async ({ caller, params }) => ({
      status: 200,
      body: await changeAgreementStatus(w, caller, params.id, params.version, "activate"),
    }),
    suspendAgreementVersion: async ({ caller, params }) => ({
      status: 200,
      body: await changeAgreementStatus(w, caller, params.id, params.version, "suspend"),
    }),
    revokeAgreementVersion: async ({ caller, params }) => ({
      status: 200,
      body: await changeAgreementStatus(w, caller, params.id, params.version, "revoke"),
    }),
    readRoutingRules: async () => ({ status: 200, body: await readRoutingRules(w) }),
    readCalendar: async ({ params }) => ({ status: 200, body: await readCalendar(w, params.area) }),
    replaceCalendar: async ({ caller, params, body }) => ({
      status: 200,
      body: await replaceCalendar(w, caller, params.area, body),
    }),
    replaceRoutingRules: async ({ caller, body }) => ({
      status: 200,
      body: await replaceRoutingRules(w, caller, body.rules),
    }),
  },
  w.http,
);
