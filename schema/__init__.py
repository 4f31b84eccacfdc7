"""The contract's JSON files (schema, lifecycle), shipped inside the package as data."""
