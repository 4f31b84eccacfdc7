"""The document rules (``docs/contract.md`` §3 and §4), checked on one state of a group.

They are written once, as data, in ``schema/execution_group.rules.json`` (member
``document``), which every runtime of the contract reads; here they arrive compiled into
one flat function (``generated/rules.py``, from ``tools/rules_codegen.py``), because every
document read runs them; ``order_count_violations`` holds the ones that read the number
of orders, all an append can break. Every check is O(1): the order list is seen only through its
length, its uniqueness being kept by ``OrderIds`` as orders arrive.
"""

from __future__ import annotations

from ._generated.rules import order_count_violations, violations

__all__ = ["order_count_violations", "violations"]
