/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT. The schema's `examples`, type-checked by tsc against the generated type.
 *
 * Source: schema/execution_group.schema.json
 * Generator: the schema's `examples`, written as typed literals
 *   run by js/generate-types.mjs.
 * Regenerate: npm ci --prefix js && node js/generate-types.mjs   (or: nox -s ts)
 * Check for drift: node js/generate-types.mjs --check            (or: nox -s drift_ts)
 */

import type { ExecutionGroup } from "../generated/typescript/execution_group";

export const example1: ExecutionGroup = {"group_id":"EXG_20251028_143022_a8f3c","parent_directive_id":"EXE_20251028_143020_b7c4d890","execution_strategy":"TWAP","order_ids":["binance_123","binance_124","binance_125"],"status":"ACTIVE","created_at":"2025-10-28T14:30:22Z","updated_at":"2025-10-28T14:35:15Z","target_quantity":"100.0","filled_quantity":"30.0","cancelled_at":null,"completed_at":null,"metadata":{"chunk_size":"10.0","interval_seconds":300,"total_chunks":10,"chunks_placed":3}};

export const example2: ExecutionGroup = {"group_id":"EXG_20251028_150000_c9e7f","parent_directive_id":"EXE_20251028_145958_d1a2b3c4","execution_strategy":"ICEBERG","order_ids":["binance_200"],"status":"ACTIVE","created_at":"2025-10-28T15:00:00Z","updated_at":"2025-10-28T15:00:00Z","target_quantity":"500.0","filled_quantity":"0.0","cancelled_at":null,"completed_at":null,"metadata":{"visible_ratio":0.2,"refresh_threshold":0.5,"total_refreshes":0}};

export const example3: ExecutionGroup = {"group_id":"EXG_20251028_160000_e2f8g","parent_directive_id":"EXE_20251028_155958_f3b4c5d6","execution_strategy":"TWAP","order_ids":["binance_300","binance_301"],"status":"CANCELLED","created_at":"2025-10-28T16:00:00Z","updated_at":"2025-10-28T16:05:30Z","target_quantity":"200.0","filled_quantity":"40.0","cancelled_at":"2025-10-28T16:05:30Z","completed_at":null,"metadata":{"cancel_reason":"RISK_THRESHOLD_BREACHED","risk_event_id":"THR_20251028_160530_abc123"}};

export const example4: ExecutionGroup = {"group_id":"EXG_20251028_100000_g4h9i","parent_directive_id":"EXE_20251028_095958_e5c6d7e8","execution_strategy":"DCA","order_ids":["binance_400","binance_401","binance_402","binance_403","binance_404"],"status":"COMPLETED","created_at":"2025-10-28T10:00:00Z","updated_at":"2025-10-28T14:00:00Z","target_quantity":"50.0","filled_quantity":"50.0","cancelled_at":null,"completed_at":"2025-10-28T14:00:00Z","metadata":{"frequency":"hourly","amount_per_buy":"10.0","total_buys":5,"start_time":"2025-10-28T10:00:00Z","end_time":"2025-10-28T14:00:00Z"}};

export const example5: ExecutionGroup = {"group_id":"EXG_20251028_120000_i5j0k","parent_directive_id":"EXE_20251028_115958_f6d7e8f9","execution_strategy":"SINGLE","order_ids":["binance_500"],"status":"COMPLETED","created_at":"2025-10-28T12:00:00Z","updated_at":"2025-10-28T12:00:01Z","target_quantity":"10.0","filled_quantity":"10.0","cancelled_at":null,"completed_at":"2025-10-28T12:00:01Z","metadata":null};

export const examples: ExecutionGroup[] = [example1, example2, example3, example4, example5];

// The type must reject what the schema rejects structurally: tsc fails if one of
// these lines stops being an error.
export const rejected: ExecutionGroup[] = [
  {
    ...example1,
    // @ts-expect-error -- unknown property (a typo): additionalProperties is false
    filled_qty: "30.0",
  },
  {
    ...example1,
    // @ts-expect-error -- not an enum value (enums are upper case)
    status: "active",
  },
  {
    ...example1,
    // @ts-expect-error -- quantities are decimal strings, never JSON numbers
    target_quantity: 100,
  },
];

// @ts-expect-error -- group_id is required
export const missing: ExecutionGroup = { ...example1, group_id: undefined };
