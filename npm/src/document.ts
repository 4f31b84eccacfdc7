/**
 * One document under the full contract: the members (type and form, as Python's fields),
 * the I-JSON profile, then the document rules of the rules file, which Python also checks
 * only once every member is well formed. Ajv's standalone validator of the whole schema
 * has the last word on the schema's part: should it refuse a document no rule above
 * refused, its own first error is reported, under the catalogue rule of its schema path.
 */

import { validateSchema } from "./_generated/validators.js";
import { broken, entry } from "./catalogue.js";
import { brokenChecks } from "./conditions.js";
import { RULES } from "./contract-files.js";
import { fieldErrors, uniquenessErrors } from "./fields.js";
import { ijsonProblems } from "./ijson.js";
import { NonFiniteToken } from "./json-text.js";
import type { Json, JsonObject } from "./json-value.js";
import type { ContractError } from "./verdict.js";

/** A place inside `metadata` that holds something JSON cannot carry, with what it holds. */
export interface NotJsonInMetadata {
  loc: (string | number)[];
  problem: string;
}

/** Every rule `document` breaks (empty when it keeps the whole contract). */
export function documentErrors(document: Json, notJson: readonly NotJsonInMetadata[] = []): ContractError[] {
  const errors = fieldErrors(document);
  for (const { rule, loc } of ijsonProblems(document)) {
    errors.push(broken(loc, rule, { limit: String(RULES.limits.metadata_depth) }));
  }
  errors.push(...metadataErrors(document, notJson));
  if (errors.length === 0) {
    const object = document as JsonObject;
    errors.push(...brokenChecks(RULES.document, { self: object }), ...uniquenessErrors(object));
  }
  if (errors.length === 0 && !validateSchema(document)) errors.push(ajvError());
  return errors;
}

/** `metadata_json` for each NaN/Infinity token and each JavaScript value JSON cannot carry. */
function metadataErrors(document: Json, notJson: readonly NotJsonInMetadata[]): ContractError[] {
  const metadata = (document as JsonObject | null)?.metadata;
  const found: NotJsonInMetadata[] = [...notJson];
  if (metadata !== null && typeof metadata === "object" && !Array.isArray(metadata)) {
    for (const [key, item] of Object.entries(metadata)) {
      if (item instanceof NonFiniteToken) found.push({ loc: [key], problem: `${item.token} is not JSON; use null or a number` });
    }
  }
  return found.map(({ loc, problem }) =>
    broken(["metadata", ...loc.slice(0, 1)], "metadata_json", { where: where(loc), problem }),
  );
}

/** Python's spelling of a place inside metadata: `metadata['a'][0]`. */
function where(loc: readonly (string | number)[]): string {
  return "metadata" + loc.map((step) => (typeof step === "number" ? `[${step}]` : `[${pythonRepr(step)}]`)).join("");
}

function pythonRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const body = text.replaceAll("\\", "\\\\").replaceAll(quote, `\\${quote}`);
  return `${quote}${body}${quote}`;
}

/** Ajv's first error as a contract error: the catalogue rule whose schema path it starts with. */
function ajvError(): ContractError {
  const first = (validateSchema as unknown as { errors?: { instancePath: string; schemaPath: string }[] }).errors?.[0];
  const schemaPath = first?.schemaPath ?? "#";
  const path = first?.instancePath ?? "";
  let best: [string, string] | undefined;
  for (const [rule, { schema_path: paths = [] }] of Object.entries(RULES.rules)) {
    for (const prefix of paths) {
      if ((schemaPath === prefix || schemaPath.startsWith(prefix + "/")) && prefix.length > (best?.[1].length ?? -1)) {
        best = [rule, prefix];
      }
    }
  }
  if (best === undefined) throw new Error(`Ajv refused the document at ${schemaPath}, which no rule covers`);
  const rule = best[0];
  return { path, rule, message: entry(rule).message };
}
