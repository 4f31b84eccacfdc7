#!/usr/bin/env node
// Ajv 8 (draft 2020-12, default options = strict mode, with ajv-formats) on change records:
// schema/execution_group.change.schema.json, which refers to execution_group.schema.json.
//
//   node js/validate-changes.mjs FILE
//       FILE holds a JSON array of change records; prints a JSON array of Ajv's
//       verdicts (true = valid), in the same order.

import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const SCHEMA = join(resolve(dirname(fileURLToPath(import.meta.url)), ".."), "schema");
const read = (path) => JSON.parse(readFileSync(path, "utf8"));

const ajv = new Ajv2020();
addFormats(ajv);
ajv.addSchema(read(join(SCHEMA, "execution_group.schema.json")));
const validate = ajv.compile(read(join(SCHEMA, "execution_group.change.schema.json")));

const records = read(process.argv[2]);
process.stdout.write(JSON.stringify(records.map((record) => validate(record))) + "\n");
