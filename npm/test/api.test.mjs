// The package's own tests (node:test), run on the built bundle (`npm test` builds first):
// what the contract says about values Python never sees (JavaScript objects), the exact
// comparisons, and that no input makes a function throw. Agreement with Python on the
// corpora is checked by npm/tests/test_against_python.py on the packed package.

import assert from "node:assert/strict";
import { test } from "node:test";

import { INTERNAL_ERROR, checkSuccessor, rules as rulesFile, schema, validate, validateJson } from "../dist/index.js";

const [twap, iceberg] = schema.examples;
const rules = (verdict) => verdict.errors.map((error) => `${error.path} ${error.rule}`);

test("the schema's examples keep the contract, as values and as text", () => {
  for (const example of schema.examples) {
    assert.deepEqual(validate(example), { valid: true, errors: [] });
    assert.deepEqual(validateJson(JSON.stringify(example)), { valid: true, errors: [] });
    assert.deepEqual(validateJson(new TextEncoder().encode(JSON.stringify(example))), { valid: true, errors: [] });
  }
});

test("quantities compare as exact decimals, never as doubles", () => {
  const over = { ...twap, target_quantity: "0.3", filled_quantity: "0.30000001" };
  assert.deepEqual(rules(validate(over)), ["/filled_quantity fill_exceeds_target"]);
  assert.equal(validate(over).errors[0].message, "filled_quantity 0.30000001 cannot exceed target_quantity 0.3");
  // Number("999999999999.99999999") === Number("1000000000000"): a double cannot tell these apart.
  const big = { ...twap, target_quantity: "999999999999.99999998", filled_quantity: "999999999999.99999999" };
  assert.deepEqual(rules(validate(big)), ["/filled_quantity fill_exceeds_target"]);
  assert.equal(validate({ ...twap, target_quantity: "100", filled_quantity: "100.00000000" }).valid, true);
  const zero = { ...twap, target_quantity: "0.00000000", filled_quantity: null };
  assert.deepEqual(rules(validate(zero)), ["/target_quantity target_quantity_positive"]);
});

test("timestamps compare as instants with every fraction digit", () => {
  const created = "2025-10-28T14:30:22.000000001Z";
  const early = { ...twap, created_at: created, updated_at: "2025-10-28T14:30:22Z" };
  assert.deepEqual(rules(validate(early)), ["/updated_at updated_before_created"]);
  const same = { ...twap, created_at: "2025-10-28T14:30:22.1+00:00", updated_at: "2025-10-28T14:30:22.100000000Z" };
  assert.equal(validate(same).valid, true);
});

test("duplicate member names: the last one wins", () => {
  const text = JSON.stringify(twap).replace('"status":"ACTIVE"', '"status":"PAUSED","status":"ACTIVE"');
  assert.equal(validateJson(text).valid, true);
  const reversed = JSON.stringify(twap).replace('"status":"ACTIVE"', '"status":"ACTIVE","status":"PAUSED"');
  assert.deepEqual(rules(validateJson(reversed)), ["/status enum"]);
});

test("I-JSON: numbers beyond a double, lone surrogates escaped or raw, metadata too deep", () => {
  const withMetadata = (text) => JSON.stringify({ ...twap, metadata: null }).replace('"metadata":null', `"metadata":${text}`);
  assert.deepEqual(rules(validateJson(withMetadata('{"n": 1e400}'))), ["/metadata/n ijson_number_range"]);
  assert.deepEqual(rules(validateJson(withMetadata('{"n": -1e400}'))), ["/metadata/n ijson_number_range"]);
  assert.equal(validateJson(withMetadata('{"n": 1e-400}')).valid, true); // underflow is a double: 0
  assert.deepEqual(rules(validateJson(withMetadata('{"s": "\\ud800"}'))), ["/metadata/s ijson_unicode"]);
  assert.deepEqual(rules(validateJson(withMetadata('{"s": "\ud800"}'))), ["/metadata/s ijson_unicode"]);
  assert.equal(validateJson(withMetadata('{"s": "\\ud83d\\ude00"}')).valid, true); // a pair is fine
  // A bad member name is reported at the object that holds it, as Python does.
  assert.deepEqual(rules(validateJson(withMetadata('{"\\udfff": 1}'))), ["/metadata ijson_unicode"]);
  const nested = (levels) => withMetadata(`${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`);
  assert.equal(validateJson(nested(199)).valid, true);
  // Reported at the first value too deep: 200 members below metadata.
  assert.deepEqual(rules(validateJson(nested(200))), [`/metadata${"/a".repeat(200)} ijson_depth`]);
  assert.equal(validateJson(nested(200)).errors[0].message, "metadata may nest at most 199 levels deep");
});

test("JavaScript values JSON cannot carry are refused where they sit (the first one, as Python's walk)", () => {
  const cyclic = { ...twap, metadata: { a: 1 } };
  cyclic.metadata.self = cyclic.metadata;
  assert.deepEqual(rules(validate(cyclic)), ["/metadata/self metadata_json"]);
  assert.equal(
    validate(cyclic).errors[0].message,
    "metadata['self']: a cycle (a value that contains itself) cannot be written as JSON",
  );
  for (const [name, odd] of [["big", 10n], ["when", new Date(0)], ["gone", undefined], ["f", () => 1], ["m", new Map()]]) {
    assert.deepEqual(rules(validate({ ...twap, metadata: { ok: 1, [name]: odd } })), [`/metadata/${name} metadata_json`]);
  }
  assert.deepEqual(rules(validate({ ...twap, group_id: 5n })), ["/group_id metadata_json"]);
  assert.deepEqual(rules(validate({ ...twap, target_quantity: Symbol("x") })), ["/target_quantity metadata_json"]);
  // An optional member set to undefined is absent, as JSON.stringify and TypeScript have it.
  assert.equal(validate({ ...twap, metadata: undefined }).valid, true);
  assert.deepEqual(rules(validate({ ...twap, group_id: undefined })), ["/group_id missing"]);
  // A shared (not cyclic) object is fine, until JSON would write it out of all proportion.
  const shared = { depth: 1 };
  assert.equal(validate({ ...twap, metadata: { a: shared, b: shared } }).valid, true);
  let doubling = { leaf: 1 };
  for (let index = 0; index < 40; index++) doubling = { a: doubling, b: doubling };
  assert.deepEqual(rules(validate({ ...twap, metadata: doubling })).map((line) => line.split(" ")[1]), ["metadata_size"]);
});

test("a long string reused counts its text, as Python counts it: one unit per 64 characters", () => {
  const { metadata_expansion: most, metadata_text_unit: unit } = rulesFile.limits;
  const long = "x".repeat(unit); // two units a use; a reused string of this length makes the bound apply
  const withTags = (tags) => ({ ...twap, metadata: { tags } });
  const refused = validate(withTags(Array(most / 2 + 1).fill(long)));
  assert.deepEqual(refused.errors.map((error) => error.rule), ["metadata_size"]);
  assert.equal(validate(withTags(Array(most / 2 - 100).fill(long))).valid, true);
  // Shorter strings never make the bound apply; a parsed text is a tree, its strings all written out.
  assert.equal(validate(withTags(Array(most * 2).fill("x".repeat(unit - 1)))).valid, true);
  assert.equal(validateJson(JSON.stringify(withTags(Array(most / 2 + 1).fill(long)))).valid, true);
  // Characters are code points, as Python's len: a surrogate pair is one.
  const astral = "\u{1F600}".repeat(unit); // 2 units in Python, 3 if UTF-16 units were counted
  assert.equal(validate(withTags(Array(Math.floor(most / 2.5)).fill(astral))).valid, true);
  assert.deepEqual(rules(validate(withTags(Array(most / 2 + 1).fill(astral)))).map((line) => line.split(" ")[1]), ["metadata_size"]);
  // A member name counts too: one long key in many separate objects.
  const keyed = Array.from({ length: most / 4 + 1 }, () => ({ [long]: 1 }));
  assert.deepEqual(rules(validate(withTags(keyed))).map((line) => line.split(" ")[1]), ["metadata_size"]);
});

const hostile = [
  ["undefined", () => undefined],
  ["a bigint", () => 12n],
  ["a symbol", () => Symbol("x")],
  ["a function", () => () => 1],
  ["a cycle at the top", () => {
    const value = { ...twap };
    value.group_id = value;
    return value;
  }],
  ["a getter that throws", () => Object.defineProperty({ ...twap }, "status", { enumerable: true, get() { throw new Error("boom"); } })],
  ["a getter that throws a non-Error", () => Object.defineProperty({ ...twap }, "metadata", { enumerable: true, get() { throw { toString() { throw new Error("again"); } }; } })],
  ["a proxy whose traps throw", () => new Proxy({}, { ownKeys() { throw new Error("no keys"); }, getPrototypeOf() { throw new Error("no prototype"); } })],
  ["a revoked proxy", () => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return proxy; }],
  ["an array proxy whose length throws", () => ({ ...twap, order_ids: new Proxy([], { get(target, key) { if (key === "length") throw new Error("no length"); return target[key]; } }) })],
  ["a getter that answers differently each time", () => {
    let calls = 0;
    return Object.defineProperty({ ...twap }, "status", { enumerable: true, get: () => (calls++ % 2 ? "ACTIVE" : 7) });
  }],
  ["an object with a null prototype", () => Object.assign(Object.create(null), twap)],
  ["a class instance", () => new (class Group { constructor() { Object.assign(this, twap); } })()],
  ["a million-deep array in metadata", () => {
    let deep = [];
    for (let index = 0; index < 1_000_000; index++) deep = [deep];
    return { ...twap, metadata: { deep } };
  }],
  ["a DAG that doubles at every level", () => {
    let node = { leaf: 1 };
    for (let index = 0; index < 300; index++) node = { a: node, b: node };
    return { ...twap, metadata: node };
  }],
  ["a sparse array", () => ({ ...twap, order_ids: [, "x"] })], // eslint-disable-line no-sparse-arrays
  ["a huge sparse array", () => ({ ...twap, order_ids: Object.assign([], { length: 2 ** 32 - 1 }) })],
  ["__proto__ as a member", () => JSON.parse(`{"__proto__": {"status": "ACTIVE"}}`)],
];

for (const [name, make] of hostile) {
  test(`validate never throws: ${name}`, () => {
    const verdict = validate(make());
    assert.equal(typeof verdict.valid, "boolean");
    assert.ok(Array.isArray(verdict.errors));
    for (const error of verdict.errors) {
      assert.equal(typeof error.path, "string");
      assert.equal(typeof error.rule, "string");
      assert.equal(typeof error.message, "string");
      assert.notEqual(error.rule, "internal_error", error.message);
    }
    const successor = checkSuccessor(make(), make());
    assert.equal(typeof successor.valid, "boolean");
    assert.ok(successor.errors.every((error) => error.rule !== "internal_error"), JSON.stringify(successor.errors));
  });
}

test("validateJson never throws, whatever it is given", () => {
  const deep = "[".repeat(1_000_000) + "]".repeat(1_000_000);
  const inputs = [undefined, null, 1, 1n, {}, [], Symbol("x"), () => 1, "", " ", "{", "NaN", "[NaN", '"\\u"',
    deep, `{"metadata": ${deep}}`, new Uint8Array([0xff, 0xfe]), new Proxy({}, { get() { throw new Error("x"); } }),
    `"${"\\\"".repeat(100_000)}NaN`];
  for (const input of inputs) {
    const verdict = validateJson(input);
    assert.equal(verdict.valid, false);
    assert.ok(verdict.errors.length > 0);
    assert.ok(verdict.errors.every((error) => error.rule !== "internal_error"), JSON.stringify(verdict.errors));
  }
  assert.deepEqual(rules(validateJson(42)), [" json_invalid"]);
  assert.deepEqual(rules(validate(42)), [" model_type"]);
});

test("NaN and Infinity tokens are read as Python's parser reads them, never inside strings", () => {
  const text = JSON.stringify({ ...twap, metadata: { note: "NaN Infinity", x: 1 } }).replace('"x":1', '"x":NaN');
  assert.deepEqual(rules(validateJson(text)), ["/metadata/x metadata_json"]);
  const field = JSON.stringify(twap).replace('"filled_quantity":"30.0"', '"filled_quantity":-Infinity');
  assert.deepEqual(validateJson(field).errors, [
    { path: "/filled_quantity", rule: "quantity_string", message: "must be a string in plain decimal notation, got the number -inf" },
  ]);
  const written = JSON.stringify(twap).replace('"filled_quantity":"30.0"', '"filled_quantity":30.0');
  assert.equal(validateJson(written).errors[0].message, "must be a string in plain decimal notation, got the number 30.0");
  assert.deepEqual(rules(validateJson('"NaN"')), [" model_type"]);
  // A string of the document that spells the internal stand-in for a token stays a string,
  // however it is escaped.
  const spelled = JSON.stringify({ ...twap, metadata: { x: 1 } })
    .replace('"x":1', '"x":NaN,"s":"\\u0000nf0:NaN","t":"\\u0000\\u006ef1:NaN","u":"\\u0000nf2:Infinity","v":"\\u0000non-finite:NaN"');
  assert.deepEqual(rules(validateJson(spelled)), ["/metadata/x metadata_json"]);
});

test("checkSuccessor: immutable members equal as values, states skipped, orders appended", () => {
  const later = {
    ...twap,
    status: "COMPLETED",
    completed_at: "2025-10-28T15:00:00+00:00",
    updated_at: "2025-10-28T15:00:00Z",
    order_ids: [...twap.order_ids, "binance_126"],
    target_quantity: "100.00",
    created_at: "2025-10-28T14:30:22.000+00:00",
    filled_quantity: "20.0", // a busted fill may lower it
    metadata: { free: true },
  };
  assert.deepEqual(checkSuccessor(twap, later), { valid: true, errors: [] });
  assert.deepEqual(checkSuccessor(JSON.stringify(twap), JSON.stringify(later)), { valid: true, errors: [] });
  const pending = { ...twap, status: "PENDING", order_ids: [] };
  assert.equal(checkSuccessor(pending, later).valid, true); // PENDING -> COMPLETED through ACTIVE
  assert.deepEqual(rules(checkSuccessor(later, twap)), [
    "/after/status status_unreachable",
    "/after/order_ids order_ids_append_only",
    "/after/updated_at updated_at_backwards",
  ]);
  assert.deepEqual(rules(checkSuccessor(twap, iceberg)), [
    "/after/group_id immutable_field",
    "/after/parent_directive_id immutable_field",
    "/after/execution_strategy immutable_field",
    "/after/created_at immutable_field",
    "/after/target_quantity immutable_field",
    "/after/order_ids order_ids_append_only",
  ]);
  assert.deepEqual(rules(checkSuccessor({ ...twap, group_id: "x" }, "{")), ["/before/group_id group_id_form", "/after json_invalid"]);
});

test("order ids are checked for uniqueness by hashing, not by comparing every pair", async () => {
  const { readFile } = await import("node:fs/promises");
  const generated = await readFile(new URL("../src/_generated/validators.js", import.meta.url), "utf8");
  // Ajv compares every pair (quadratic: minutes for 100,000 orders) unless it knows the items
  // are scalars, which build.mjs tells it; then it keeps an index of the values seen.
  assert.ok(/indices[0-9]+ = \{\}/.test(generated), "Ajv's standalone code compares every pair of order ids");
  const many = { ...twap, order_ids: Array.from({ length: 100_000 }, (_, index) => `venue_${index}`) };
  assert.equal(validate(many).valid, true);
  many.order_ids.push("venue_99999");
  assert.deepEqual(rules(validate(many)), ["/order_ids order_ids_unique"]);
});

test("the bundle compiles no schema and generates no code at run time", async () => {
  const { readFile } = await import("node:fs/promises");
  const bundle = await readFile(new URL("../dist/index.js", import.meta.url), "utf8");
  assert.doesNotMatch(bundle, /new Function|\beval\(/);
  assert.doesNotMatch(bundle, /^\s*import\s/m, "the bundle imports nothing: Ajv's helpers are inlined");
  assert.doesNotMatch(bundle, /\.compile\(/);
});

test("internal_error, the code of the package's own failure, is in the catalogue as no contract rule", () => {
  assert.equal(INTERNAL_ERROR, "internal_error");
  assert.equal(rulesFile.rules[INTERNAL_ERROR]?.kind, "internal");
  assert.match(rulesFile.rules[INTERNAL_ERROR].message, /\{detail\}/);
});

test("the problem texts of metadata_json and metadata_size are the catalogue's", () => {
  const { metadata_json: json, metadata_size: size } = rulesFile.rules;
  const nan = validate({ ...twap, metadata: { x: NaN } }).errors;
  assert.deepEqual(nan.map((error) => error.message), [`metadata['x']: ${json.problems.non_finite.replace("{value}", "NaN")}`]);
  const date = validate({ ...twap, metadata: { x: new Date(0) } }).errors;
  assert.deepEqual(date.map((error) => error.message), [`metadata['x']: ${json.problems.cannot_be_written.replace("{what}", "a Date")}`]);
  const token = validateJson(JSON.stringify({ ...twap, metadata: { x: 1 } }).replace('"x":1', '"x":Infinity')).errors;
  assert.deepEqual(token.map((error) => error.message), [`metadata: ${json.problems.not_a_json_number}`]);
  const doubling = [];
  let level = doubling;
  for (let i = 0; i < 20; i++) level = [level, level];
  const reused = validate({ ...twap, metadata: { d: level } }).errors;
  const limits = rulesFile.limits;
  const text = size.problems.reused.replace("{limit}", String(limits.metadata_expansion)).replace("{unit}", String(limits.metadata_text_unit));
  assert.deepEqual(reused.map((error) => error.rule), ["metadata_size"]);
  assert.ok(reused[0].message.endsWith(`: ${text}`), reused[0].message);
});
