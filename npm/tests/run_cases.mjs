#!/usr/bin/env node
// Runs cases through the INSTALLED package (`import ... from "execution-group"`), from the
// folder it was installed in: npm/tests/test_against_python.py copies this file there.
//
//   node run_cases.mjs CASES.json   prints a JSON array: one {valid, errors} per case
//
// Each case is {"check": "text", "text": ...} (validateJson), {"check": "value", "text": ...}
// (validate on JSON.parse(text)), or {"check": "successor", "before": ..., "after": ...,
// "as": "text" | "value"} (checkSuccessor on the texts, or on their decoded values).

import { readFileSync } from "node:fs";

import { checkSuccessor, validate, validateJson } from "execution-group";

const run = {
  text: (item) => validateJson(item.text),
  value: (item) => validate(JSON.parse(item.text)),
  successor: (item) =>
    item.as === "text"
      ? checkSuccessor(item.before, item.after)
      : checkSuccessor(JSON.parse(item.before), JSON.parse(item.after)),
};

const items = JSON.parse(readFileSync(process.argv[2], "utf8"));
process.stdout.write(JSON.stringify(items.map((item) => run[item.check](item))) + "\n");
