"""The conformance corpus through JSON Schema engines of other languages.

Go gojsonschema, C++ valijson (over nlohmann-json), Ruby json_schemer and Perl
JSON::Validator judge every corpus document against the draft-07 rendering of the schema
(``schema/execution_group.draft-07.schema.json``); each must give the case's
``schema_valid``, except where ``tests/engines/known_disagreements.json`` documents an
engine bug (and a documented case that starts agreeing fails the run, so the list never
goes stale). The runners are small programs in ``tests/engines/<language>/``; each reads a
list of files holding the documents' raw bytes. ``python -m tools.engines --help``.
"""
