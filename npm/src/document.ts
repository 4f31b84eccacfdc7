/**
 * One document under the full contract, judged as Python judges it, step by step:
 *
 * 1. I-JSON (`ijson.ts`): the first breach is the only error when Python's reader stops at
 *    it (always for a decoded value, as `from_document`; for text, when its parser or its
 *    metadata check refuses it, as `model_validate_json`).
 * 2. The members, each on its own (type and form, `fields.ts`), and NaN/Infinity tokens in
 *    metadata.
 * 3. Once every member is well formed: the rules file's document checks, then uniqueness.
 *
 * Ajv's standalone validator of the whole schema has the last word on the schema's part:
 * should it refuse a document nothing above refused, its first error is reported, under the
 * catalogue rule of its schema path.
 */

import { validateSchema } from "./_generated/validators.js";
import { broken, entry, problem } from "./catalogue.js";
import { brokenChecks } from "./conditions.js";
import { RULES } from "./contract-files.js";
import { fieldErrors, uniquenessErrors, type NumberText } from "./fields.js";
import { breachStopsReading, firstBreach } from "./ijson.js";
import { NonFiniteToken } from "./json-text.js";
import type { Json, JsonObject, NotJson } from "./json-value.js";
import { tokenOf } from "./python-repr.js";
import type { ContractError } from "./verdict.js";

/** How a document reached the checks. */
export type Reading =
  | { from: "value"; notJson: readonly NotJson[] }
  | { from: "text"; tokens: boolean; numberText: NumberText };

/**
 * What the metadata check of JSON text says of a NaN or Infinity token, or a number beyond a
 * double, inside `metadata` (the `problem` of rule `metadata_json`, as in Python).
 */
const NOT_A_JSON_NUMBER = problem("metadata_json", "not_a_json_number");

/** Every rule `document` breaks (empty when it keeps the whole contract). */
export function documentErrors(document: Json, reading: Reading): ContractError[] {
  if (reading.from === "value" && reading.notJson.length > 0) {
    const [first] = reading.notJson as [NotJson];
    return [broken(first.loc, "metadata_json", { where: where(first.loc), problem: problem("metadata_json", "cannot_be_written", { what: first.found }) })];
  }
  const breach = firstBreach(document, reading.from === "value");
  if (breach !== undefined) {
    const stops = reading.from === "value" || (!reading.tokens && breachStopsReading(document, breach));
    if (stops) return [broken(breach.loc, breach.rule, { where: where(breach.loc), ...breach.context })];
  }
  const numberText: NumberText = reading.from === "text" ? reading.numberText : (_member, value) => tokenOf(value);
  const errors = [...fieldErrors(document, numberText), ...tokenErrors(document)];
  if (errors.length === 0) {
    const object = document as JsonObject;
    errors.push(...brokenChecks(RULES.document, { self: object }), ...uniquenessErrors(object));
  }
  if (errors.length === 0 && !validateSchema(document)) errors.push(ajvError());
  return errors;
}

function isObject(value: Json): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** `metadata_json` at each top-level metadata member holding a NaN/Infinity token or a number beyond a double. */
function tokenErrors(document: Json): ContractError[] {
  const metadata = isObject(document) ? document.metadata : undefined;
  if (metadata === undefined || !isObject(metadata)) return [];
  return Object.keys(metadata)
    .filter((key) => holdsNonFinite(metadata[key] as Json))
    .map((key) => broken(["metadata", key], "metadata_json", { where: "metadata", problem: NOT_A_JSON_NUMBER }));
}

function holdsNonFinite(value: Json): boolean {
  const stack: Json[] = [value];
  while (stack.length > 0) {
    const node = stack.pop() as Json;
    if (node instanceof NonFiniteToken) return true;
    if (typeof node === "number" && !Number.isFinite(node)) return true;
    if (node !== null && typeof node === "object") for (const item of Object.values(node)) stack.push(item);
  }
  return false;
}

/** Python's spelling of a place: `metadata['a'][0]`; the whole value is `document`. */
function where(loc: readonly (string | number)[]): string {
  const [head, ...rest] = loc.length > 0 ? loc : ["document"];
  return String(head) + rest.map((step) => `[${typeof step === "number" ? step : pythonRepr(step)}]`).join("");
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
  let best: [string, string] | undefined;
  for (const [rule, { schema_path: paths = [] }] of Object.entries(RULES.rules)) {
    for (const prefix of paths) {
      const covers = schemaPath === prefix || schemaPath.startsWith(`${prefix}/`);
      if (covers && prefix.length > (best?.[1].length ?? -1)) best = [rule, prefix];
    }
  }
  if (best === undefined) throw new Error(`Ajv refused the document at ${schemaPath}, which no rule covers`);
  return { path: first?.instancePath ?? "", rule: best[0], message: entry(best[0]).message };
}
