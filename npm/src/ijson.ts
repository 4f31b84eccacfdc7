/**
 * The I-JSON profile (RFC 7493) on a decoded document, which JSON Schema cannot state:
 * every number within a double's range (`JSON.parse` turns `1e400` into `Infinity`), every
 * string and member name well-formed Unicode (an escaped `\ud800` survives `JSON.parse` as
 * a lone surrogate), nesting bounded (`metadata` at most the rules file's limit deep).
 *
 * The first breach is reported, found in the order Python's walk finds it (a stack: a
 * container's member names when it is reached, its members last to first), so both
 * runtimes name the same place. The walk keeps its own stack: no depth overflows it. A
 * container shared by several parents (a JavaScript value can do that, as a Python one can)
 * is walked once per parent, as JSON would write it, until the walk passes the rules file's
 * `metadata_expansion` units: then it is refused (`metadata_size`), as in Python.
 */

import { problem } from "./catalogue.js";
import { RULES } from "./contract-files.js";
import { NonFiniteToken } from "./json-text.js";
import type { Json, JsonObject, Step } from "./json-value.js";
import { locOf } from "./json-value.js";

export interface Breach {
  rule: string;
  loc: (string | number)[];
  context: Record<string, string>;
}

const LONE_SURROGATE = /\p{Cs}/u;
/** A document's depth bound: `metadata` is one level below the top. */
const DOCUMENT_DEPTH = RULES.limits.metadata_depth + 1;
/** Most units of JSON a walk may reach once something is met twice (see `Expansion`). */
const MAX_EXPANSION = RULES.limits.metadata_expansion;
/** Characters of text that count as one more unit, and make a string count as reused. */
const TEXT_UNIT = RULES.limits.metadata_text_unit;
const HIGH_SURROGATES = /[\uD800-\uDBFF]/g;
/** Python's account of that refusal (rule `metadata_size`). */
const REUSED = problem("metadata_size", "reused", { limit: String(MAX_EXPANSION), unit: String(TEXT_UNIT) });

interface Item {
  node: Json;
  step: Step | null;
  depth: number;
}

/**
 * The JSON units a walk has reached, as Python counts them (rules file `limits`): one per
 * value, plus one per `metadata_text_unit` characters (code points) of each string and
 * member name; and whether anything was reached twice: a container, or a string of at least
 * `metadata_text_unit` characters. A JavaScript string has no identity but its text, so an
 * equal long string counts as reused, on decoded values only (`textsByValue`): a parsed text
 * is a tree, whose every use of a string is written in the text already.
 */
class Expansion {
  private readonly containers = new Set<object>();
  private readonly texts = new Set<string>();
  private shared = false;
  private units = 0;

  constructor(private readonly textsByValue: boolean) {}

  /** Count a list or object; whether the bound is now passed. */
  container(node: object): boolean {
    if (this.containers.has(node)) this.shared = true;
    this.containers.add(node);
    return this.spend(1);
  }

  /** Count a string or member name; whether the bound is now passed. */
  text(value: string): boolean {
    if (value.length < TEXT_UNIT) return this.spend(1); // fewer code points than UTF-16 units
    const length = codePoints(value);
    if (this.textsByValue && length >= TEXT_UNIT) {
      if (this.texts.has(value)) this.shared = true;
      this.texts.add(value);
    }
    return this.spend(1 + Math.floor(length / TEXT_UNIT));
  }

  /** Count a number, boolean or null; whether the bound is now passed. */
  scalar(): boolean {
    return this.spend(1);
  }

  private spend(units: number): boolean {
    this.units += units;
    return this.shared && this.units > MAX_EXPANSION;
  }
}

/** Code points of a well-formed string (Python's `len`): a surrogate pair is one. */
function codePoints(value: string): number {
  return value.length - (value.match(HIGH_SURROGATES)?.length ?? 0);
}

/**
 * The first I-JSON breach of `document`, or `undefined`. NaN (not JSON at all) is
 * `metadata_json`. `decoded`: the document is a value the caller decoded or built (strings
 * may be reused), not one parsed from text here.
 */
export function firstBreach(document: Json, decoded: boolean): Breach | undefined {
  const stack: Item[] = [{ node: document, step: null, depth: 0 }];
  const expansion = new Expansion(decoded);
  while (stack.length > 0) {
    const { node, step, depth } = stack.pop() as Item;
    if (depth > DOCUMENT_DEPTH) return breach("ijson_depth", step, { limit: String(RULES.limits.metadata_depth) });
    const found = scalarBreach(node, step, expansion);
    if (found !== null) {
      if (found !== undefined) return found;
      continue;
    }
    if (expansion.container(node as object)) return breach("metadata_size", step, { problem: REUSED });
    const keys = Object.keys(node as object);
    for (const key of keys) {
      if (!Array.isArray(node)) {
        if (LONE_SURROGATE.test(key)) return breach("ijson_unicode", step);
        if (expansion.text(key)) return breach("metadata_size", step, { problem: REUSED });
      }
      const member = Array.isArray(node) ? Number(key) : key;
      stack.push({ node: (node as JsonObject)[key] as Json, step: { up: step, key: member }, depth: depth + 1 });
    }
  }
  return undefined;
}

/** A scalar's breach (`undefined`: none); `null` when `node` is a container. */
function scalarBreach(node: Json, step: Step | null, expansion: Expansion): Breach | undefined | null {
  if (typeof node === "string") {
    if (LONE_SURROGATE.test(node)) return breach("ijson_unicode", step);
    return expansion.text(node) ? breach("metadata_size", step, { problem: REUSED }) : undefined;
  }
  if (typeof node === "number") {
    if (Number.isNaN(node)) return breach("metadata_json", step, { problem: problem("metadata_json", "non_finite", { value: "NaN" }) });
    if (!Number.isFinite(node)) return breach("ijson_number_range", step);
  } else if (node !== null && typeof node === "object" && !(node instanceof NonFiniteToken)) {
    return null;
  }
  return expansion.scalar() ? breach("metadata_size", step, { problem: REUSED }) : undefined;
}

function breach(rule: string, step: Step | null, context: Record<string, string> = {}): Breach {
  return { rule, loc: locOf(step), context };
}

/**
 * Whether Python's JSON reader would refuse the text of `document` in its parser (a lone
 * surrogate anywhere, nesting past its limit) or in its metadata check (a number beyond a
 * double inside `metadata`), and so judge the decoded value instead: the first breach is then
 * the only error. Other breaches (a number beyond a double in `group_id`) meet the member's
 * own check first, as they do in Python.
 */
export function breachStopsReading(document: Json, breachFound: Breach): boolean {
  if (breachFound.rule !== "ijson_number_range") return true;
  if (document === null || typeof document !== "object" || Array.isArray(document)) return false;
  const metadata = (document as JsonObject).metadata;
  return metadata !== undefined && holdsOutOfRange(metadata);
}

function holdsOutOfRange(value: Json): boolean {
  const stack: Json[] = [value];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const node = stack.pop() as Json;
    if (typeof node === "number" && !Number.isFinite(node) && !Number.isNaN(node)) return true;
    if (node === null || typeof node !== "object" || node instanceof NonFiniteToken || seen.has(node)) continue;
    seen.add(node);
    for (const item of Object.values(node)) stack.push(item);
  }
  return false;
}
