// Translation keys are typed: every t("…") of the pages (and the server's page titles) must name a
// key of the en-US packs, the base every other language and brand override is checked against
// (npm run locales:check). A missing key fails the typecheck.
import "i18next";
import type admin from "../locales/en-US/admin.json";
import type common from "../locales/en-US/common.json";
import type dev from "../locales/en-US/dev.json";
import type email from "../locales/en-US/email.json";
import type journey from "../locales/en-US/journey.json";

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "common";
    resources: { admin: typeof admin; common: typeof common; dev: typeof dev; email: typeof email; journey: typeof journey };
  }
}
