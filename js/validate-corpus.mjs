#!/usr/bin/env node
// Ajv 8 (draft 2020-12, DEFAULT options = strict mode) plus ajv-formats against the
// conformance corpus: every case's `schema_valid` must be Ajv's verdict (docs/contract.md §1).
//
//   node js/validate-corpus.mjs [--json] [--fail-on-warnings] [--schema FILE] [DIR ...]
//       Check every tests/conformance/**/*.json case (or the cases under DIR ...).
//       Prints one line per disagreement and a summary; --json prints a report instead.
//       Exit 0 when Ajv agrees with every case (and, with --fail-on-warnings, strict mode
//       logged nothing), else 1. --schema checks another copy of the schema.
//   node js/validate-corpus.mjs --verdicts FILE
//       FILE holds a JSON array of {"document": ...} or {"document_text": "..."} items;
//       prints a JSON array of Ajv's verdicts (true = valid), in the same order.
//
// A `document_text` that is not strict RFC 8259 JSON (JSON.parse rejects it, e.g. NaN)
// is invalid. Exit 2 on a usage error or an unreadable case.

import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DEFAULT_SCHEMA = join(ROOT, "schema", "execution_group.schema.json");
const DEFAULT_CORPUS = join(ROOT, "tests", "conformance");

const args = process.argv.slice(2);
let schemaPath = DEFAULT_SCHEMA;
const schemaFlag = args.indexOf("--schema");
if (schemaFlag !== -1) {
  schemaPath = resolve(args[schemaFlag + 1] ?? "");
  args.splice(schemaFlag, 2);
}

// Strict mode reports what it does not reject (strictTypes, strictTuples) through
// console.warn; count those messages without touching Ajv's options.
const warnings = [];
const originalWarn = console.warn;
console.warn = (...args) => {
  warnings.push(args.map(String).join(" "));
};

const schema = JSON.parse(readFileSync(schemaPath, "utf8"));
const ajv = new Ajv2020(); // default options: strict mode, as docs/contract.md §1 requires
addFormats(ajv);
const validate = ajv.compile(schema);
console.warn = originalWarn;

/** Ajv's verdict on one item: {valid, errors} */
function verdict(item) {
  let document;
  if (Object.hasOwn(item, "document_text")) {
    try {
      document = JSON.parse(item.document_text);
    } catch (error) {
      return { valid: false, errors: [`not RFC 8259 JSON: ${error.message}`] };
    }
  } else if (Object.hasOwn(item, "document")) {
    document = item.document;
  } else {
    throw new Error("item has neither `document` nor `document_text`");
  }
  const valid = validate(document);
  const errors = valid
    ? []
    : validate.errors.map((e) => `${e.instancePath || "/"} ${e.message} (${e.schemaPath})`);
  return { valid, errors };
}

function caseFiles(dir) {
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...caseFiles(path));
    else if (name.endsWith(".json")) found.push(path);
  }
  return found;
}

function main(argv) {
  if (argv[0] === "--verdicts") {
    if (argv.length !== 2) {
      console.error("usage: validate-corpus.mjs --verdicts FILE");
      return 2;
    }
    const items = JSON.parse(readFileSync(argv[1], "utf8"));
    process.stdout.write(JSON.stringify(items.map((item) => verdict(item).valid)) + "\n");
    return 0;
  }
  const asJson = argv.includes("--json");
  const failOnWarnings = argv.includes("--fail-on-warnings");
  const dirs = argv.filter((arg) => !arg.startsWith("--"));
  const roots = dirs.length > 0 ? dirs.map((d) => resolve(d)) : [DEFAULT_CORPUS];

  const results = [];
  for (const root of roots) {
    for (const path of caseFiles(root)) {
      const name = relative(ROOT, path);
      let item;
      try {
        item = JSON.parse(readFileSync(path, "utf8"));
      } catch (error) {
        console.error(`${name}: unreadable case: ${error.message}`);
        return 2;
      }
      if (typeof item.schema_valid !== "boolean") {
        console.error(`${name}: case has no boolean schema_valid`);
        return 2;
      }
      const { valid, errors } = verdict(item);
      results.push({ case: name, expected: item.schema_valid, got: valid, errors });
    }
  }
  const disagreements = results.filter((r) => r.expected !== r.got);
  if (asJson) {
    process.stdout.write(
      JSON.stringify({ ajv: ajv.constructor.name, cases: results, warnings }, null, 2) + "\n",
    );
  } else {
    for (const r of disagreements) {
      console.log(
        `DISAGREE ${r.case}: expected schema_valid=${r.expected}, Ajv says ${r.got}` +
          (r.errors.length ? ` [${r.errors.join("; ")}]` : ""),
      );
    }
    for (const w of warnings) console.log(`STRICT-MODE WARNING: ${w}`);
    console.log(
      `ajv: ${results.length} cases, ${results.length - disagreements.length} agree, ` +
        `${disagreements.length} disagree, ${warnings.length} strict-mode warnings`,
    );
  }
  if (results.length === 0) {
    console.error("no cases found");
    return 1;
  }
  return disagreements.length === 0 && !(failOnWarnings && warnings.length > 0) ? 0 : 1;
}

process.exitCode = main(args);
