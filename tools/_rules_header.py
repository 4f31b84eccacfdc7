"""The header every file compiled from the rules file opens with."""

HEADER = """\
# GENERATED FILE: DO NOT EDIT BY HAND.
# Source: schema/execution_group.rules.json{extra}
# Generator: tools/rules_codegen.py
# Regenerate: nox -s rules      Check for drift: nox -s drift
"""
