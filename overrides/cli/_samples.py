"""One valid example document per execution strategy, for ``execution-group example``.

Strategies with an example in the schema (``examples``) use the first one; the others
(VWAP, LAYERED, POV) are written here. Every one validates against the full contract
(the CLI tests check each).
"""

from __future__ import annotations

import copy
from typing import Any

from ..contract import examples

__all__ = ["example"]

_WRITTEN_HERE: dict[str, dict[str, Any]] = {
    "VWAP": {
        "group_id": "EXG_20251028_090000_v3w4p",
        "parent_directive_id": "EXE_20251028_085958_a1b2c3d4",
        "execution_strategy": "VWAP",
        "order_ids": ["binance_600", "binance_601", "binance_602"],
        "status": "ACTIVE",
        "created_at": "2025-10-28T09:00:00Z",
        "updated_at": "2025-10-28T09:45:00Z",
        "target_quantity": "1000.0",
        "filled_quantity": "275.5",
        "cancelled_at": None,
        "completed_at": None,
        "metadata": {"volume_profile": "historical_20d", "buckets": 16, "buckets_placed": 3},
    },
    "LAYERED": {
        "group_id": "EXG_20251028_110000_l4y3r",
        "parent_directive_id": "EXE_20251028_105958_c0ffee01",
        "execution_strategy": "LAYERED",
        "order_ids": ["binance_700", "binance_701", "binance_702"],
        "status": "ACTIVE",
        "created_at": "2025-10-28T11:00:00Z",
        "updated_at": "2025-10-28T11:00:02Z",
        "target_quantity": "3.0",
        "filled_quantity": "0.0",
        "cancelled_at": None,
        "completed_at": None,
        "metadata": {
            "layers": [
                {"price": "64900.0", "quantity": "1.0"},
                {"price": "64800.0", "quantity": "1.0"},
                {"price": "64700.0", "quantity": "1.0"},
            ]
        },
    },
    "POV": {
        "group_id": "EXG_20251028_130000_p0v1a",
        "parent_directive_id": "EXE_20251028_125958_d00dfeed",
        "execution_strategy": "POV",
        "order_ids": [],
        "status": "PENDING",
        "created_at": "2025-10-28T13:00:00Z",
        "updated_at": "2025-10-28T13:00:00Z",
        "target_quantity": "250.0",
        "filled_quantity": None,
        "cancelled_at": None,
        "completed_at": None,
        "metadata": {"participation_rate": 0.1, "min_order_size": "0.5"},
    },
}


def example(strategy: str) -> dict[str, Any]:
    """A valid example document (a fresh copy) for ``strategy``, e.g. ``"TWAP"``.

    Raises ``KeyError`` for a name that is not a strategy.
    """
    for document in examples():
        if document["execution_strategy"] == strategy:
            return copy.deepcopy(document)
    return copy.deepcopy(_WRITTEN_HERE[strategy])
