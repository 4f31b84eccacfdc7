/**
 * The interpreter of the rules file's checks (`document` and `successor`): operands,
 * conditions and comparisons, as its README section ("The rules file") defines them. Python
 * evaluates the same data; a rule added to the file is checked here without new code.
 */

import { compareDecimals } from "./decimal.js";
import { compareInstants } from "./instant.js";
import { LIFECYCLE, RULES, SCHEMA, type Check } from "./contract-files.js";
import type { Json, JsonObject } from "./json-value.js";
import { broken } from "./catalogue.js";
import type { ContractError } from "./verdict.js";

/** A value the checks see: JSON, or unset (absent, null, or reached through a non-object). */
const UNSET = Symbol("unset");
type Value = Json | typeof UNSET;

export interface Scope {
  roots: Readonly<Record<string, Json>>;
  vars: Readonly<Record<string, string>>;
}

type Operator = (args: unknown, scope: Scope, node: Record<string, unknown>) => boolean;

/** Every check of `checks` that `roots` breaks, in the file's order. */
export function brokenChecks(checks: readonly Check[], roots: Readonly<Record<string, Json>>): ContractError[] {
  const found: ContractError[] = [];
  for (const check of checks) {
    for (const vars of bindings(check)) {
      const scope: Scope = { roots, vars };
      if (check.when !== undefined && !holds(check.when, scope)) continue;
      if (holds(check.require, scope)) continue;
      const context: Record<string, string> = {};
      for (const [name, operand] of Object.entries(check.context ?? {})) {
        context[name] = text(value(operand, scope));
      }
      found.push(broken(location(check.at, scope), check.rule, context));
    }
  }
  return found;
}

/** Each set of variables `check.each` binds (one empty set without `each`). */
function bindings(check: Check): Record<string, string>[] {
  if (check.each === undefined) return [{}];
  const { lifecycle, list, bind } = check.each;
  const items: unknown = lifecycle !== undefined ? LIFECYCLE[lifecycle] : list;
  if (Array.isArray(items)) return items.map((item) => ({ [bind[0] as string]: String(item) }));
  return Object.entries(items as Record<string, unknown>).map(([key, item]) => ({
    [bind[0] as string]: key,
    [bind[1] as string]: String(item),
  }));
}

/** The reported location of a path: `self` is dropped, `before` and `after` are kept. */
function location(path: readonly unknown[], scope: Scope): (string | number)[] {
  const steps = path.map((step) => step_(step, scope));
  return steps[0] === "self" ? steps.slice(1) : steps;
}

function step_(step: unknown, scope: Scope): string {
  if (typeof step === "string") return step;
  const name = (step as { var: string }).var;
  return scope.vars[name] as string;
}

/** The value at `path`: UNSET when a member on the way is absent or null, or a step meets a non-object. */
function at(path: readonly unknown[], scope: Scope): Value {
  const [root, ...members] = path.map((step) => step_(step, scope));
  let node: Value = Object.hasOwn(scope.roots, root as string) ? (scope.roots[root as string] as Json) : UNSET;
  for (const member of members) {
    if (node === UNSET || node === null || typeof node !== "object" || Array.isArray(node)) return UNSET;
    node = Object.hasOwn(node, member) ? ((node as JsonObject)[member] as Json) : UNSET;
  }
  return node === null ? UNSET : node;
}

function value(operand: unknown, scope: Scope): Value {
  if (operand === null || typeof operand !== "object") return operand as Json;
  const node = operand as Record<string, unknown>;
  if ("var" in node) return scope.vars[node.var as string] as string;
  if ("get" in node) return at(node.get as unknown[], scope);
  if ("count" in node) {
    const list = at(node.count as unknown[], scope);
    return Array.isArray(list) ? list.length : UNSET;
  }
  throw new Error(`unknown operand ${JSON.stringify(operand)}`);
}

/** A context value's text: a string as written, a number in decimal. */
function text(operand: Value): string {
  if (operand === UNSET) return "None";
  return typeof operand === "string" ? operand : JSON.stringify(operand);
}

function holds(condition: unknown, scope: Scope): boolean {
  const node = condition as Record<string, unknown>;
  for (const [name, operator] of Object.entries(OPERATORS)) {
    if (Object.hasOwn(node, name)) return operator(node[name], scope, node);
  }
  throw new Error(`unknown condition ${JSON.stringify(condition)}`);
}

const ORDER: Record<string, (sign: number) => boolean> = {
  eq: (sign) => sign === 0,
  lt: (sign) => sign < 0,
  le: (sign) => sign <= 0,
  gt: (sign) => sign > 0,
  ge: (sign) => sign >= 0,
};

function comparison(name: string): Operator {
  return (args, scope, node) => {
    const [left, right] = args as [unknown, unknown];
    const a = value(left, scope);
    const b = value(right, scope);
    if (a === UNSET || b === UNSET) return name === "eq" && a === UNSET && b === UNSET;
    const kind = node.as === "declared" ? declaredKind(scope, left, right) : (node.as as string);
    return (ORDER[name] as (sign: number) => boolean)(compare(kind, a, b));
  };
}

const OPERATORS: Record<string, Operator> = {
  all: (args, scope) => (args as unknown[]).every((item) => holds(item, scope)),
  any: (args, scope) => (args as unknown[]).some((item) => holds(item, scope)),
  not: (args, scope) => !holds(args, scope),
  set: (args, scope) => at(args as unknown[], scope) !== UNSET,
  number: (args, scope) => typeof value(args, scope) === "number",
  in: (args, scope) => {
    const [item, list] = args as [unknown, unknown[]];
    const found = value(item, scope);
    return typeof found === "string" && list.some((option) => value(option, scope) === found);
  },
  starts_with: (args, scope) => {
    const [whole, prefix] = (args as [unknown, unknown]).map((operand) => value(operand, scope));
    if (!Array.isArray(whole) || !Array.isArray(prefix) || prefix.length > whole.length) return false;
    return prefix.every((item, index) => whole[index] === item);
  },
  reachable: (args, scope) => {
    const [source, target] = (args as [unknown, unknown]).map((operand) => value(operand, scope));
    return typeof source === "string" && typeof target === "string" && reachable(source, target);
  },
  eq: comparison("eq"),
  lt: comparison("lt"),
  le: comparison("le"),
  gt: comparison("gt"),
  ge: comparison("ge"),
};

/** `target` is `source`, or follows it through one or more moves of the transition table. */
function reachable(source: string, target: string): boolean {
  const seen = new Set([source]);
  const queue = [source];
  while (queue.length > 0) {
    const state = queue.shift() as string;
    if (state === target) return true;
    for (const next of LIFECYCLE.transitions[state] ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return false;
}

/** How the member a `get` operand reads compares, through the schema and `declared`. */
function declaredKind(scope: Scope, ...operands: unknown[]): string {
  for (const operand of operands) {
    const path = (operand as { get?: unknown[] } | null)?.get;
    const member = Array.isArray(path) && path.length === 2 ? step_(path[1], scope) : undefined;
    if (typeof member !== "string") continue;
    const property = SCHEMA.properties[member];
    const ref = (property?.$ref ?? (property?.anyOf as { $ref?: string }[] | undefined)?.[0]?.$ref) as
      | string
      | undefined;
    const definition = ref?.startsWith("#/$defs/") ? ref.slice("#/$defs/".length) : undefined;
    if (definition !== undefined && Object.hasOwn(RULES.declared, definition)) {
      return RULES.declared[definition] as string;
    }
    return "json";
  }
  return "json";
}

/** Sign of `a` against `b` compared as `kind`; unequal JSON values of no order give 1. */
function compare(kind: string, a: Json, b: Json): number {
  switch (kind) {
    case "decimal":
      return compareDecimals(a as string, b as string);
    case "instant":
      return compareInstants(a as string, b as string);
    case "number":
    case "integer":
      return Math.sign((a as number) - (b as number));
    case "text":
      return compareText(a as string, b as string);
    case "json":
      return jsonEqual(a, b) ? 0 : 1;
    default:
      throw new Error(`unknown comparison type ${kind}`);
  }
}

/** Code point order (JavaScript's `<` orders UTF-16 code units). */
function compareText(a: string, b: string): number {
  const left = Array.from(a, (char) => char.codePointAt(0) as number);
  const right = Array.from(b, (char) => char.codePointAt(0) as number);
  for (let index = 0; index < Math.min(left.length, right.length); index++) {
    if (left[index] !== right[index]) return (left[index] as number) < (right[index] as number) ? -1 : 1;
  }
  return Math.sign(left.length - right.length);
}

/** Equal as JSON values (object members in any order); iterative, so any depth is safe. */
function jsonEqual(a: Json, b: Json): boolean {
  const pairs: [Json, Json][] = [[a, b]];
  while (pairs.length > 0) {
    const [x, y] = pairs.pop() as [Json, Json];
    if (x === y) continue;
    if (typeof x !== "object" || typeof y !== "object" || x === null || y === null) return false;
    if (Array.isArray(x) !== Array.isArray(y)) return false;
    const keysX = Object.keys(x);
    if (keysX.length !== Object.keys(y).length) return false;
    for (const key of keysX) {
      if (!Object.hasOwn(y, key)) return false;
      pairs.push([(x as JsonObject)[key] as Json, (y as JsonObject)[key] as Json]);
    }
  }
  return true;
}
