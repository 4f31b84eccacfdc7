/**
 * JSON text to a JSON value, read as Python's parser (pydantic-core's) reads it.
 *
 * `JSON.parse` is used as it is (it keeps the last of duplicate member names, as every parser
 * of the contract does, and never overflows its stack). Where Python's parser differs, it is
 * followed: the tokens `NaN`, `Infinity` and `-Infinity` are read as the non-finite numbers
 * they name, so that the contract reports them where they sit (`metadata_json`, a field's
 * form) rather than as text that is not JSON. What I-JSON forbids (numbers beyond a double,
 * lone surrogates, deep metadata) is checked on the value afterwards (`ijson.ts`).
 */

import type { Json, JsonObject } from "./json-value.js";

/** A parsed document, its text, and whether it held NaN/Infinity tokens; or why it is not JSON. */
export type Parsed = { ok: true; value: Json; text: string; tokens: boolean } | { ok: false; error: string };

/** A `NaN`, `Infinity` or `-Infinity` token of the text: not JSON, read as Python's parser reads it. */
export class NonFiniteToken {
  constructor(readonly token: string) {
    Object.freeze(this);
  }
}
const TOKENS = ["-Infinity", "Infinity", "NaN"];
// The global of every runtime (Node, browsers, Deno, Bun); declared here so the package's
// types need neither the DOM library nor @types/node.
declare const TextDecoder: new (
  label: string,
  options: { fatal: boolean; ignoreBOM: boolean },
) => { decode(input: Uint8Array): string };
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** `input` (a string, or UTF-8 bytes) parsed; `{ok: false, error}` says why it is not JSON. */
export function parseJson(input: unknown): Parsed {
  let text: string;
  if (typeof input === "string") text = input;
  else if (isBytes(input)) {
    try {
      text = UTF8.decode(input);
    } catch {
      return { ok: false, error: "the bytes are not valid UTF-8" };
    }
  } else {
    return { ok: false, error: `JSON input should be a string or UTF-8 bytes, not ${kindOf(input)}` };
  }
  try {
    return { ok: true, value: JSON.parse(text) as Json, text, tokens: false };
  } catch (error) {
    return withNonFinite(text) ?? { ok: false, error: reason(error) };
  }
}

/** The text parsed with `NaN`, `Infinity`, `-Infinity` tokens read as numbers; `undefined` if still not JSON. */
function withNonFinite(text: string): Parsed | undefined {
  if (!text.includes("NaN") && !text.includes("Infinity")) return undefined;
  const { tokens, used } = scan(text);
  if (tokens.length === 0) return undefined;
  let free = 0;
  while (used.has(free)) free++;
  const marker = `${MARKER}${free}:`;
  const parts: string[] = [];
  let copied = 0;
  for (const { index, token } of tokens) {
    parts.push(text.slice(copied, index), JSON.stringify(marker + token));
    copied = index + token.length;
  }
  parts.push(text.slice(copied));
  let value: Json;
  try {
    value = JSON.parse(parts.join("")) as Json;
  } catch {
    return undefined;
  }
  return { ok: true, value: restore(value, marker), text, tokens: true };
}

/** What stands for a token in the rewritten text: `\u0000nf<i>:` then the token. */
const MARKER = "\u0000nf";
const MARKED = /^\u0000nf([0-9]+):/;

/**
 * One linear pass: where each non-finite token outside a string is, and which marker numbers
 * the document's own strings use (a string can only start with U+0000 through an escape, so
 * only strings that open with a backslash are decoded), so that none is taken for a token.
 */
function scan(text: string): { tokens: { index: number; token: string }[]; used: Set<number> } {
  const tokens: { index: number; token: string }[] = [];
  const used = new Set<number>();
  for (let index = 0; index < text.length; index++) {
    if (text[index] === '"') {
      const end = stringEnd(text, index);
      if (text[index + 1] === "\\") {
        const id = MARKED.exec(decoded(text.slice(index, end + 1)))?.[1];
        if (id !== undefined) used.add(Number(id));
      }
      index = end;
      continue;
    }
    const token = TOKENS.find((name) => text.startsWith(name, index));
    if (token === undefined) continue;
    tokens.push({ index, token });
    index += token.length - 1;
  }
  return { tokens, used };
}

function decoded(literal: string): string {
  try {
    return JSON.parse(literal) as string;
  } catch {
    return ""; // not a JSON string: the whole text will not parse either
  }
}

/** `value` with each marker string turned back into its non-finite number (iteratively). */
function restore(value: Json, marker: string): Json {
  const fix = (item: Json): Json =>
    typeof item === "string" && item.startsWith(marker)
      ? (new NonFiniteToken(item.slice(marker.length)) as unknown as Json)
      : item;
  const stack: (Json[] | JsonObject)[] = [];
  const top = fix(value);
  if (top !== null && typeof top === "object" && !(top instanceof NonFiniteToken)) stack.push(top);
  while (stack.length > 0) {
    const node = stack.pop() as Json[] | JsonObject;
    for (const key of Object.keys(node)) {
      const item = fix((node as JsonObject)[key] as Json);
      (node as JsonObject)[key] = item;
      if (item !== null && typeof item === "object" && !(item instanceof NonFiniteToken)) stack.push(item);
    }
  }
  return top;
}

const NUMBER_TOKEN = /-?Infinity|NaN|-?[0-9][-+.0-9eE]*/y;

/**
 * The text of each number (or NaN/Infinity token) that is the value of a member of the
 * top-level object (the last one of duplicates, as JSON.parse keeps it): Python quotes a
 * number as it was written (`30.0`, not `30`), which the parsed value no longer tells.
 * One linear pass over text already known to parse.
 */
export function topLevelNumbers(text: string): Map<string, string> {
  const found = new Map<string, string>();
  let depth = 0;
  let key: string | undefined;
  let afterColon = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index] as string;
    if (char === '"') {
      const end = stringEnd(text, index);
      if (depth === 1 && !afterColon) key = JSON.parse(text.slice(index, end + 1)) as string;
      index = end;
    } else if (char === "{" || char === "[") depth++;
    else if (char === "}" || char === "]") depth--;
    else if (depth === 1 && char === ":") afterColon = true;
    else if (depth === 1 && char === ",") afterColon = false;
    else if (depth === 1 && afterColon && key !== undefined) {
      NUMBER_TOKEN.lastIndex = index;
      const token = NUMBER_TOKEN.exec(text)?.[0];
      if (token !== undefined) {
        found.set(key, token);
        index += token.length - 1;
      }
    }
  }
  return found;
}

/** The index of the quote that closes the string opening at `start`. */
function stringEnd(text: string, start: number): number {
  for (let index = start + 1; index < text.length; index++) {
    if (text[index] === "\\") index++;
    else if (text[index] === '"') return index;
  }
  return text.length;
}

/** Whether `input` is a Uint8Array (`instanceof` would run a Proxy's getPrototypeOf trap, which may throw). */
export function isBytes(input: unknown): input is Uint8Array {
  try {
    return input instanceof Uint8Array;
  } catch {
    return false;
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : "not JSON text";
}

function kindOf(input: unknown): string {
  if (input === null) return "null";
  if (Array.isArray(input)) return "an array";
  return `a ${typeof input}`;
}
