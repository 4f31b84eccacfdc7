#!/usr/bin/env node
// Ajv 8 (draft 2020-12, default options = strict mode) plus ajv-formats on a JSON Lines
// file: the schema alone, compiled once, every non-blank line parsed and checked. The
// baseline `python -m bench.cli` times `execution-group validate` against.
//
//   node js/validate-lines.mjs FILE.jsonl
//       Prints {"documents": N, "valid": N, "invalid": N} on one line.
//       Exit 0 when every document is valid, 1 when some are not, 2 on a usage error.
//
// The file is read in 1 MiB pieces and cut into lines by hand: node's readline module
// costs about twice as much per line, which would flatter the comparison.

import { createReadStream, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SCHEMA = join(ROOT, "schema", "execution_group.schema.json");

const args = process.argv.slice(2);
if (args.length !== 1) {
  console.error("usage: validate-lines.mjs FILE.jsonl");
  process.exit(2);
}

const ajv = new Ajv2020();
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, "utf8")));

let documents = 0;
let valid = 0;

function check(line) {
  if (line.trim() === "") return;
  documents += 1;
  let document;
  try {
    document = JSON.parse(line);
  } catch {
    return;
  }
  if (validate(document)) valid += 1;
}

let rest = "";
for await (const piece of createReadStream(args[0], { encoding: "utf8", highWaterMark: 1 << 20 })) {
  const lines = (rest + piece).split("\n");
  rest = lines.pop();
  for (const line of lines) check(line);
}
check(rest);

process.stdout.write(JSON.stringify({ documents, valid, invalid: documents - valid }) + "\n");
process.exitCode = documents === valid ? 0 : 1;
