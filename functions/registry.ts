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
import { answer, ok } from "../shared/http/answer.js";
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
    listPartners: ok(({ caller }) => listPartners(w, caller)),
    readPartner: ok(({ caller, params }) => readPartner(w, params.id, caller)),
    updatePartner: ok(({ caller, params, body }) => updatePartner(w, caller, params.id, body)),
    rotateWebhookSecret: ok(({ caller, params }) => rotateWebhookSecret(w, caller, params.id)),
    rotateEscalationContactWebhookSecret: ok(({ caller, params }) =>
      rotateEscalationContactWebhookSecret(w, caller, params.id),
    ),
    createAgreement: async ({ caller, body }) => {
      const agreement = await createNewAgreement(w, caller, body);
      return { status: 201, body: agreement, headers: { Location: `/v1/agreements/${agreement.id}` } };
    },
    listAgreements: ok(() => listAgreements(w)),
    agreementCoverage: ok(({ query }) => agreementCoverage(w, query.within)),
    readAgreement: ok(({ params }) => readAgreement(w, params.id)),
    addAgreementVersion: answer(201)(({ caller, params, body }) =>
      addAgreementVersion(w, caller, params.id, body),
    ),
    amendAgreementDraft: ok(({ caller, params, body }) =>
      amendDraft(w, caller, params.id, params.version, body),
    ),
    activateAgreementVersion: ok(({ caller, params }) =>
      changeAgreementStatus(w, caller, params.id, params.version, "activate"),
    ),
    suspendAgreementVersion: ok(({ caller, params }) =>
      changeAgreementStatus(w, caller, params.id, params.version, "suspend"),
    ),
    revokeAgreementVersion: ok(({ caller, params }) =>
      changeAgreementStatus(w, caller, params.id, params.version, "revoke"),
    ),
    readRoutingRules: ok(() => readRoutingRules(w)),
    readCalendar: ok(({ params }) => readCalendar(w, params.area)),
    replaceCalendar: ok(({ caller, params, body }) => replaceCalendar(w, caller, params.area, body)),
    replaceRoutingRules: ok(({ caller, body }) => replaceRoutingRules(w, caller, body.rules)),
  },
  w.http,
);
