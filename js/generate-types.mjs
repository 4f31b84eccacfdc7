#!/usr/bin/env node
// TypeScript types from schema/execution_group.schema.json, with the pinned
// json-schema-to-typescript (js/package.json, js/package-lock.json).
//
//   node js/generate-types.mjs           write the outputs below
//   node js/generate-types.mjs --check   write nothing; print a unified diff and exit 1
//                                        when a committed output is not what the schema
//                                        generates (drift)
//
// Outputs:
//   generated/typescript/execution_group.d.ts   the types
//   js/examples.ts                              the schema's `examples` as typed literals,
//                                               for `tsc --noEmit -p js/tsconfig.json`
//
// What the generator is given is the schema less what TypeScript cannot state: the
// `allOf` rules (docs/contract.md §3: status => timestamp, strategy => target, ...) and the
// patterns are runtime checks: validate with Ajv (js/validate-corpus.mjs shows how).

import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { compile } from "json-schema-to-typescript";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SCHEMA_PATH = join(ROOT, "schema", "execution_group.schema.json");
const TYPES_PATH = join(ROOT, "generated", "typescript", "execution_group.d.ts");
const EXAMPLES_PATH = join(ROOT, "js", "examples.ts");
const GENERATOR = JSON.parse(
  readFileSync(join(ROOT, "js", "node_modules", "json-schema-to-typescript", "package.json"), "utf8"),
);

function header(what, generator = `json-schema-to-typescript ${GENERATOR.version} (pinned in js/package.json),`) {
  return [
    "/* eslint-disable */",
    "/**",
    ` * GENERATED FILE - DO NOT EDIT. ${what}`,
    " *",
    " * Source: schema/execution_group.schema.json",
    ` * Generator: ${generator}`,
    " *   run by js/generate-types.mjs.",
    " * Regenerate: npm ci --prefix js && node js/generate-types.mjs   (or: nox -s ts)",
    " * Check for drift: node js/generate-types.mjs --check            (or: nox -s drift_ts)",
    " */",
  ].join("\n");
}

/** The schema as the generator sees it: no allOf, no examples, no $ref siblings. */
function generatorInput(schema) {
  const input = structuredClone(schema);
  delete input.allOf; // if/then rules: runtime only (Ajv); an allOf would open the type up
  delete input.examples;
  for (const property of Object.values(input.properties)) {
    // A description beside a $ref makes the generator mint GroupId1, Timestamp1, ...
    if (property.$ref) delete property.description;
  }
  return input;
}

async function typesFile(schema) {
  const body = await compile(generatorInput(schema), "ExecutionGroup", {
    bannerComment: "",
    additionalProperties: true, // only where the schema says nothing; the root says false
    strictIndexSignatures: false,
    unreachableDefinitions: false,
    format: true,
  });
  const notes = [
    "",
    "/*",
    " * Types alone do not validate: the patterns (ids, timestamps, decimal strings) and the",
    " * cross-field rules of the schema's allOf are checked at run time by a JSON Schema",
    " * validator, e.g. Ajv 8 (ajv/dist/2020) with ajv-formats, default options.",
    " */",
    "",
  ].join("\n");
  return `${header("TypeScript types of an ExecutionGroup document.")}\n${notes}\n${body}`;
}

function examplesFile(schema) {
  const lines = [
    header(
      "The schema's `examples`, type-checked by tsc against the generated type.",
      "the schema's `examples`, written as typed literals",
    ),
    "",
    'import type { ExecutionGroup } from "../generated/typescript/execution_group";',
    "",
  ];
  const names = schema.examples.map((_, index) => `example${index + 1}`);
  schema.examples.forEach((document, index) => {
    lines.push(`export const ${names[index]}: ExecutionGroup = ${JSON.stringify(document)};`, "");
  });
  lines.push(
    `export const examples: ExecutionGroup[] = [${names.join(", ")}];`,
    "",
    "// The type must reject what the schema rejects structurally: tsc fails if one of",
    "// these lines stops being an error.",
    "export const rejected: ExecutionGroup[] = [",
    "  {",
    "    ...example1,",
    "    // @ts-expect-error -- unknown property (a typo): additionalProperties is false",
    '    filled_qty: "30.0",',
    "  },",
    "  {",
    "    ...example1,",
    "    // @ts-expect-error -- not an enum value (enums are upper case)",
    '    status: "active",',
    "  },",
    "  {",
    "    ...example1,",
    "    // @ts-expect-error -- quantities are decimal strings, never JSON numbers",
    "    target_quantity: 100,",
    "  },",
    "];",
    "",
    "// @ts-expect-error -- group_id is required",
    "export const missing: ExecutionGroup = { ...example1, group_id: undefined };",
    "",
  );
  return lines.join("\n");
}

/** A unified diff (LCS based; the files are small). */
function unifiedDiff(oldText, newText, oldName, newName, context = 3) {
  const a = oldText.split("\n");
  const b = newText.split("\n");
  const n = a.length;
  const m = b.length;
  const lcs = Array.from({ length: n + 1 }, () => new Int32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const ops = []; // [kind, oldIndex, newIndex]
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push([" ", i++, j++]);
    else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) ops.push(["+", i, j++]);
    else ops.push(["-", i++, j]);
  }
  const out = [`--- ${oldName}`, `+++ ${newName}`];
  let k = 0;
  while (k < ops.length) {
    if (ops[k][0] === " ") {
      k++;
      continue;
    }
    let start = Math.max(0, k - context);
    let end = k;
    // extend the hunk while changes are within 2 * context lines of each other
    while (end < ops.length) {
      if (ops[end][0] !== " ") {
        end++;
        continue;
      }
      let next = end;
      while (next < ops.length && ops[next][0] === " ") next++;
      if (next < ops.length && next - end <= 2 * context) end = next;
      else break;
    }
    const stop = Math.min(ops.length, end + context);
    const hunk = ops.slice(start, stop);
    const oldCount = hunk.filter((op) => op[0] !== "+").length;
    const newCount = hunk.filter((op) => op[0] !== "-").length;
    out.push(`@@ -${hunk[0][1] + 1},${oldCount} +${hunk[0][2] + 1},${newCount} @@`);
    for (const [kind, oi, ni] of hunk) out.push(kind + (kind === "+" ? b[ni] : a[oi]));
    k = stop;
  }
  return out.join("\n");
}

function readOrEmpty(path) {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

async function main(argv) {
  const check = argv.includes("--check");
  const unknown = argv.filter((arg) => arg !== "--check");
  if (unknown.length > 0) {
    console.error(`usage: generate-types.mjs [--check]; unknown: ${unknown.join(" ")}`);
    return 2;
  }
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, "utf8"));
  const outputs = [
    [TYPES_PATH, await typesFile(schema)],
    [EXAMPLES_PATH, examplesFile(schema)],
  ];
  let drift = 0;
  for (const [path, text] of outputs) {
    const name = relative(ROOT, path);
    if (check) {
      const committed = readOrEmpty(path);
      if (committed !== text) {
        drift++;
        console.log(unifiedDiff(committed, text, `${name} (committed)`, `${name} (generated)`));
      }
    } else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      console.log(`wrote ${name}`);
    }
  }
  if (check) {
    if (drift > 0) {
      console.error(`${drift} generated TypeScript file(s) out of date: run node js/generate-types.mjs`);
      return 1;
    }
    console.log("generated TypeScript files are up to date");
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
