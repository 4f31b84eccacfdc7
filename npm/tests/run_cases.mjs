#!/usr/bin/env node
// Runs cases through the INSTALLED package (`import ... from "execution-group"`), from the
// folder it was installed in: npm/tests/test_against_python.py copies this file there.
//
//   node run_cases.mjs CASES.json   prints a JSON array: one {valid, errors} per case
//
// Each case is {"check": "text", "text": ...} (validateJson), {"check": "value", "text": ...}
// (validate on JSON.parse(text)), or {"check": "successor", "before": ..., "after": ...,
// "as": "text" | "value"} (checkSuccessor on the texts, or on their decoded values), or
// {"check": "reused", "text": ..., "item": STRING, "times": N, "keyed": BOOLEAN} (validate on
// the decoded text whose metadata member "reused" holds N uses of the one string: as items,
// or as the member name of N separate objects).

import { readFileSync } from "node:fs";

import { checkSuccessor, validate, validateJson } from "execution-group";

/** The decoded text with `metadata.reused` holding `times` uses of the one string `item`. */
function reusing({ text, item, times, keyed }) {
  const value = JSON.parse(text);
  const uses = keyed ? Array.from({ length: times }, () => ({ [item]: 1 })) : Array(times).fill(item);
  value.metadata = { ...value.metadata, reused: uses };
  return value;
}

const run = {
  text: (item) => validateJson(item.text),
  value: (item) => validate(JSON.parse(item.text)),
  reused: (item) => validate(reusing(item)),
  successor: (item) =>
    item.as === "text"
      ? checkSuccessor(item.before, item.after)
      : checkSuccessor(JSON.parse(item.before), JSON.parse(item.after)),
};

const items = JSON.parse(readFileSync(process.argv[2], "utf8"));
process.stdout.write(JSON.stringify(items.map((item) => run[item.check](item))) + "\n");
