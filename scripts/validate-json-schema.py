#!/usr/bin/env python3
"""Validates a JSON document against a JSON Schema (draft-04 to 2020-12), for the tests.
Usage: validate-json-schema.py SCHEMA DOCUMENT. Exit 0 valid, 1 invalid (errors printed), 2 unusable."""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("python3 jsonschema is missing: pip install jsonschema", file=sys.stderr)
    sys.exit(2)

with open(sys.argv[1]) as f:
    schema = json.load(f)
with open(sys.argv[2]) as f:
    if sys.argv[2].endswith((".yaml", ".yml")):
        import yaml  # PyYAML; timestamps stay strings, as the policy loader reads them

        class Loader(yaml.SafeLoader):
            pass

        Loader.yaml_implicit_resolvers = {k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"] for k, v in Loader.yaml_implicit_resolvers.items()}
        document = yaml.load(f, Loader=Loader)
    else:
        document = json.load(f)
validator_class = jsonschema.validators.validator_for(schema)
validator_class.check_schema(schema)
errors = sorted(validator_class(schema).iter_errors(document), key=lambda e: list(e.absolute_path))
for error in errors[:20]:
    print("/".join(str(p) for p in error.absolute_path), ":", error.message, file=sys.stderr)
sys.exit(1 if errors else 0)
