/**
 * The members of one document, each judged on its own as Python's model judges its fields:
 * absent required members, unknown members, and each member's JSON type and lexical form.
 *
 * Each member is checked by Ajv's standalone validator of its schema definition (generated at
 * build time), and a failure reports the catalogue rule whose `schema_path` names that part
 * of the schema: nothing here restates a pattern, a code or a message.
 */

import * as validators from "./_generated/validators.js";
import { broken, entry, ruleForSchemaPath } from "./catalogue.js";
import { RULES, SCHEMA } from "./contract-files.js";
import type { Json, JsonObject } from "./json-value.js";
import { NonFiniteToken } from "./json-text.js";
import { kindOfToken, reprOfToken, tokenOf } from "./python-repr.js";
import type { ContractError } from "./verdict.js";

type Validator = (data: unknown) => boolean;

/** How one member is checked: a definition (maybe nullable), an array of one, or a JSON type. */
type MemberCheck =
  | { kind: "definition"; name: string; nullable: boolean }
  | { kind: "array"; item: string }
  | { kind: "types"; types: string[] };

const DEFS = "#/$defs/";

/** Pydantic's list of the allowed values: `'A', 'B' or 'C'`. */
function expected(values: readonly string[]): string {
  const quoted = values.map((value) => `'${value}'`);
  return quoted.length < 2 ? quoted.join("") : `${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1)}`;
}

function definitionName(ref: unknown): string | undefined {
  return typeof ref === "string" && ref.startsWith(DEFS) ? ref.slice(DEFS.length) : undefined;
}

function memberCheck(member: string): MemberCheck {
  const property = SCHEMA.properties[member] as Record<string, unknown>;
  const direct = definitionName(property.$ref);
  if (direct !== undefined) return { kind: "definition", name: direct, nullable: false };
  const branches = property.anyOf as Record<string, unknown>[] | undefined;
  const first = definitionName(branches?.[0]?.$ref);
  if (first !== undefined) {
    return { kind: "definition", name: first, nullable: branches?.[1]?.type === "null" };
  }
  const items = definitionName((property.items as Record<string, unknown> | undefined)?.$ref);
  if (property.type === "array" && items !== undefined) return { kind: "array", item: items };
  const types = property.type;
  return { kind: "types", types: Array.isArray(types) ? (types as string[]) : [types as string] };
}

const MEMBERS: readonly [string, MemberCheck][] = Object.keys(SCHEMA.properties).map((member) => [
  member,
  memberCheck(member),
]);

function validator(definition: string): Validator {
  const found = (validators as Record<string, Validator>)[`validate${definition}`];
  if (found === undefined) throw new Error(`no standalone validator for $defs/${definition}`);
  return found;
}

/** The text a top-level member's number was written as (Python tells `30` from `30.0`). */
export type NumberText = (member: string, value: number | NonFiniteToken) => string;

/** The members whose definition compares as a decimal: the quantities. */
const QUANTITY_MEMBERS: readonly string[] = MEMBERS.filter(
  ([, check]) => check.kind === "definition" && RULES.declared[check.name] === "decimal",
).map(([member]) => member);

/** The rule of a JSON number where a quantity belongs (the catalogue lists it beside `quantity_form`). */
const QUANTITY_NUMBER = entry("quantity_string") && "quantity_string";

/** `quantity_string` when `value`, in a quantity member, is a JSON number (Python's check of decoded JSON). */
function quantityNumberError(member: string, value: Json, numberText: NumberText): ContractError | undefined {
  if (!(typeof value === "number" || value instanceof NonFiniteToken)) return undefined;
  return broken([member], QUANTITY_NUMBER, { number: reprOfToken(numberText(member, value)) });
}

/** Python's name of the type of a JSON value (`{kind}` in a message); a number's from its text. */
function pythonKind(member: string, value: Json, numberText: NumberText): string {
  if (value === null) return "NoneType";
  if (Array.isArray(value)) return "list";
  if (value instanceof NonFiniteToken || typeof value === "number") return kindOfToken(numberText(member, value));
  switch (typeof value) {
    case "string":
      return "str";
    case "boolean":
      return "bool";
    default:
      return "dict";
  }
}

/** The error of `value` failing `definition` at `loc`; any message placeholder it can fill is filled. */
function formError(loc: (string | number)[], definition: string, kind: string): ContractError {
  const rule = ruleForSchemaPath(DEFS + definition);
  const values = SCHEMA.$defs[definition]?.enum;
  return broken(loc, rule, { kind, ...(values === undefined ? {} : { expected: expected(values) }) });
}

function jsonType(value: Json): string {
  if (value === null) return "null";
  if (value instanceof NonFiniteToken) return "number";
  if (Array.isArray(value)) return "array";
  return typeof value === "number" && Number.isInteger(value) ? "integer" : typeof value;
}

function memberErrors(member: string, check: MemberCheck, value: Json, numberText: NumberText): ContractError[] {
  const kind = (): string => pythonKind(member, value, numberText);
  switch (check.kind) {
    case "definition":
      if (check.nullable && value === null) return [];
      if (validator(check.name)(value)) return [];
      const asNumber = QUANTITY_MEMBERS.includes(member) ? quantityNumberError(member, value, numberText) : undefined;
      if (asNumber !== undefined) return [asNumber];
      return [formError([member], check.name, kind())];
    case "array": {
      if (!Array.isArray(value)) {
        return [broken([member], ruleForSchemaPath(`#/properties/${member}/type`), { kind: kind() })];
      }
      const valid = validator(check.item);
      const errors: ContractError[] = [];
      value.forEach((item, index) => {
        if (!valid(item)) errors.push(formError([member, index], check.item, pythonKind(member, item as Json, (_member, number) => tokenOf(number))));
      });
      return errors;
    }
    case "types": {
      const type = jsonType(value);
      const ok = check.types.includes(type) || (type === "integer" && check.types.includes("number"));
      return ok ? [] : [broken([member], ruleForSchemaPath(`#/properties/${member}/type`), { kind: kind() })];
    }
  }
}

/** Every member error of `document`: the whole value's type, then each member in schema order, then unknown members. */
export function fieldErrors(document: Json, numberText: NumberText): ContractError[] {
  if (document === null || typeof document !== "object" || Array.isArray(document)) {
    return [broken([], ruleForSchemaPath("#/type"))];
  }
  const object = document as JsonObject;
  const errors: ContractError[] = [];
  for (const [member, check] of MEMBERS) {
    if (!Object.hasOwn(object, member)) {
      if (SCHEMA.required.includes(member)) errors.push(broken([member], ruleForSchemaPath("#/required")));
      continue;
    }
    errors.push(...memberErrors(member, check, object[member] as Json, numberText));
  }
  for (const member of Object.keys(object)) {
    if (!Object.hasOwn(SCHEMA.properties, member)) {
      errors.push(broken([member], ruleForSchemaPath("#/additionalProperties")));
    }
  }
  return errors;
}

/** Whether `document`'s order ids are all different (checked with the document rules, as Python does). */
export function uniquenessErrors(document: JsonObject): ContractError[] {
  const ids = document.order_ids as Json[];
  return new Set(ids).size === ids.length
    ? []
    : [broken(["order_ids"], ruleForSchemaPath("#/properties/order_ids/uniqueItems"))];
}
