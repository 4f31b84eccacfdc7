"""Schema compatibility: a fail-closed prover of "every old document stays valid" (and the
reverse), the registries' modes, semver, and the reviewed-changes ledger."""

from tools.compat._changes import MODES, Change, Mode, compare, required_bump

__all__ = ["MODES", "Change", "Mode", "compare", "required_bump"]
