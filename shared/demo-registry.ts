import type { Agreement, AgreementVersion, Partner, RoutingRule } from "./domain/registry.js";
import { CONCERN_TYPES, DATA_CATEGORIES, type DataCategory } from "./domain/vocabulary.js";

/** The demo registry from the contract, loaded on a first start with an empty store. */

export const DEMO_PARTNERS: Partner[] = [
  {
    id: "essex-police",
    name: "Essex Police",
    type: "police",
    areas: ["essex", "southend"],
    clientIds: ["essex-police-app", "essex-police-ig"],
    governance: true,
  },
  { id: "essex-mash", name: "Essex MASH", type: "mash", areas: ["essex"], clientIds: ["essex-mash-portal"] },
  {
    id: "southend-mash",
    name: "Southend MASH",
    type: "mash",
    areas: ["southend"],
    clientIds: ["southend-mash-portal"],
  },
  {
    id: "st-marys-primary",
    name: "St Mary's Primary School",
    type: "school",
    areas: ["essex"],
    clientIds: ["st-marys-primary-app"],
  },
  {
    id: "essex-yos",
    name: "Essex Youth Offending Service",
    type: "youth_offending_service",
    areas: ["essex"],
    clientIds: ["essex-yos-app"],
  },
  {
    id: "essex-edt",
    name: "Essex Emergency Duty Team",
    type: "local_authority",
    areas: ["essex"],
    clientIds: ["essex-edt-app"],
  },
  {
    id: "essex-health",
    name: "Essex Safeguarding Health",
    type: "health",
    areas: ["essex"],
    clientIds: ["essex-health-app"],
  },
];

const LAWFUL_BASIS = [
  "UK GDPR Art. 6(1)(e)",
  "UK GDPR Art. 9(2)(g); DPA 2018 Sch. 1 para 18",
  "Children Act 2004 s11",
  "Crime and Disorder Act 1998 s115",
];

function agreement(
  id: string,
  title: string,
  recipientId: string,
  concernTypes: AgreementVersion["concernTypes"],
  dataCategories: DataCategory[],
  ageRange: { min: number; max: number },
  areas: string[],
): Agreement {
  return {
    id,
    title,
    discloserId: "essex-police",
    recipientId,
    versions: [
      {
        version: 1,
        status: "active",
        purposes: ["safeguarding"],
        lawfulBasis: LAWFUL_BASIS,
        concernTypes,
        dataCategories,
        ageRange,
        areas,
        validFrom: "2025-04-01T00:00:00.000Z",
        validTo: "2028-03-31T23:59:59.999Z",
        retentionDays: 2555,
        createdAt: "2025-03-01T00:00:00.000Z",
        statusChangedAt: "2025-04-01T00:00:00.000Z",
      },
    ],
  };
}

const ALL_TYPES = [...CONCERN_TYPES];
const ALL_CATEGORIES = [...DATA_CATEGORIES];

export const DEMO_AGREEMENTS: Agreement[] = [
  agreement(
    "encompass-st-marys",
    "Operation Encompass: St Mary's Primary",
    "st-marys-primary",
    ["domestic_abuse_child_present", "online_harm"],
    ["identity", "education", "voice_of_child"],
    { min: 4, max: 17 },
    ["essex"],
  ),
  agreement(
    "mash-essex",
    "Essex MASH information sharing",
    "essex-mash",
    ALL_TYPES,
    ALL_CATEGORIES,
    { min: 0, max: 17 },
    ["essex"],
  ),
  agreement(
    "mash-southend",
    "Southend MASH information sharing",
    "southend-mash",
    ALL_TYPES,
    ALL_CATEGORIES,
    { min: 0, max: 17 },
    ["southend"],
  ),
  agreement(
    "yos-essex",
    "Essex Youth Offending Service",
    "essex-yos",
    ["youth_offending"],
    ["identity", "contact", "education", "offences", "risk", "officer"],
    { min: 10, max: 17 },
    ["essex"],
  ),
  agreement(
    "edt-essex",
    "Essex Emergency Duty Team: custody and missing children",
    "essex-edt",
    ["child_in_custody", "missing_child"],
    ["identity", "contact", "care_status", "incident", "officer"],
    { min: 0, max: 17 },
    ["essex"],
  ),
  // Operation Encompass for children on no school's roll: the local authority hears instead.
  agreement(
    "encompass-essex-la",
    "Operation Encompass: Essex children not on a school roll",
    "essex-edt",
    ["domestic_abuse_child_present", "online_harm"],
    ["identity", "education", "voice_of_child"],
    { min: 4, max: 17 },
    ["essex"],
  ),
];

const MASH_DUE = { kind: "by_risk", red: "PT4H", amber: "PT24H", green: "PT72H" } as const;
const SCHOOL = { resolve: "subject_school" } as const;
const SCHOOL_CATEGORIES: DataCategory[] = ["identity", "education", "voice_of_child"];
const mash = (id: string, concernTypes: RoutingRule["concernTypes"]): RoutingRule => ({
  id,
  concernTypes,
  recipient: { resolve: "area", type: "mash" },
  dataCategories: ALL_CATEGORIES,
  due: MASH_DUE,
});

export const DEMO_RULES: RoutingRule[] = [
  {
    id: "encompass-school",
    concernTypes: ["domestic_abuse_child_present", "online_harm"],
    recipient: SCHOOL,
    dataCategories: SCHOOL_CATEGORIES,
    due: { kind: "next_school_day", at: "09:00" },
  },
  mash("mash-all", [
    "domestic_abuse_child_present",
    "online_harm",
    "missing_child",
    "child_exploitation",
    "radicalisation",
    "neglect_or_abuse",
  ]),
  {
    id: "missing-looked-after",
    concernTypes: ["missing_child"],
    conditions: { lookedAfter: true },
    recipient: { resolve: "area", type: "local_authority" },
    dataCategories: ["identity", "contact", "care_status", "incident", "officer"],
    due: { kind: "after", duration: "PT2H" },
  },
  {
    id: "neglect-health",
    concernTypes: ["neglect_or_abuse"],
    recipient: { resolve: "area", type: "health" },
    dataCategories: [
      "identity",
      "contact",
      "care_status",
      "incident",
      "risk",
      "voice_of_child",
      "special_category",
      "officer",
    ],
    due: MASH_DUE,
  },
  {
    id: "custody-local-authority",
    concernTypes: ["child_in_custody"],
    recipient: { resolve: "area", type: "local_authority" },
    dataCategories: ["identity", "contact", "care_status", "incident", "officer"],
    due: { kind: "after", duration: "PT1H" },
  },
  {
    id: "youth-offending",
    concernTypes: ["youth_offending"],
    conditions: { ageRange: { min: 10, max: 17 } },
    recipient: { resolve: "area", type: "youth_offending_service" },
    dataCategories: ["identity", "contact", "education", "offences", "risk", "officer"],
    due: { kind: "after", duration: "PT72H" },
  },
];
