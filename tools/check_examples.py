"""The main job's last step: every shipped example passes the full contract.

The examples are the schema's own ``examples`` (the design's five). Each is validated by
the model (``model_validate_json``), written back, and the written document is checked
to be identical; the exit status is 1 if any fails.
"""

from __future__ import annotations

import json
import sys

from pydantic import ValidationError

from execution_group import ExecutionGroup
from execution_group.contract import examples

__all__ = ["main"]


def main() -> int:
    """Validate and round-trip every example; print one line each."""
    failures = 0
    for index, document in enumerate(examples(), 1):
        label = f"example {index} ({document['execution_strategy']} {document['status']})"
        try:
            group = ExecutionGroup.model_validate_json(json.dumps(document))
        except ValidationError as exc:
            failures += 1
            print(f"FAIL {label}\n{exc}")
            continue
        if json.loads(group.model_dump_json()) != document:
            failures += 1
            print(f"FAIL {label}: written back differently")
            continue
        print(f"OK   {label}")
    total = len(examples())
    print(f"{total - failures}/{total} examples valid against the full contract")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
