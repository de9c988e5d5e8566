/// The JSON Schemas the project publishes (`access-audit schema policy|snapshot`).
package enum JSONSchemas {
    /// Policy files, format version 1 (draft-07, for editors such as VS Code's YAML extension).
    package static let policy = #"""
    {
      "$schema": "http://json-schema.org/draft-07/schema#",
      "$id": "https://access-audit.dev/schemas/policy-v1.schema.json",
      "title": "access-audit policy file, version 1",
      "type": "object",
      "additionalProperties": false,
      "required": ["version"],
      "properties": {
        "version": {"const": 1},
        "settings": {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "fail_on": {"$ref": "#/definitions/severity"},
            "read_logging": {"enum": ["required", "not_required"], "description": "required: reads of classified columns must be logged by pgaudit (the logging checks report at medium and fail the gate); not_required (default): they report at info"}
          }
        },
        "data_classes": {
          "type": "object",
          "additionalProperties": {
            "type": "object",
            "additionalProperties": false,
            "required": ["severity"],
            "properties": {
              "severity": {"$ref": "#/definitions/severity"},
              "description": {"type": "string"},
              "columns": {"$ref": "#/definitions/names", "description": "schema.table.column names or globs"},
              "tables": {"$ref": "#/definitions/names", "description": "schema.table names or globs: every column"},
              "large_objects": {"type": "boolean", "description": "the database's large objects hold this class (their ACLs decide who reads them; pg_read_all_data does not)"}
            }
          }
        },
        "roles": {
          "type": "object",
          "additionalProperties": {
            "type": "object",
            "additionalProperties": false,
            "required": ["kind"],
            "properties": {
              "kind": {"enum": ["human", "service", "breakglass", "group"]},
              "login": {"type": "boolean"},
              "owner": {"type": "string", "description": "accountable owner (person or team)"},
              "description": {"type": "string"},
              "expires": {"$ref": "#/definitions/date"},
              "attributes": {
                "type": "array",
                "items": {"enum": ["superuser", "createrole", "createdb", "replication", "bypassrls"]}
              },
              "member_of": {
                "type": "array",
                "items": {
                  "oneOf": [
                    {"type": "string"},
                    {
                      "type": "object",
                      "additionalProperties": false,
                      "required": ["role"],
                      "properties": {
                        "role": {"type": "string"},
                        "admin": {"type": "boolean"},
                        "inherit": {"type": "boolean"},
                        "set": {"type": "boolean"}
                      }
                    }
                  ]
                }
              },
              "grants": {"type": "array", "items": {"$ref": "#/definitions/grant"}},
              "owns": {"type": "array", "items": {"$ref": "#/definitions/objectSelector"}}
            }
          }
        },
        "rules": {"type": "array", "items": {"$ref": "#/definitions/rule"}},
        "exceptions": {
          "type": "array",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["rule", "reason", "ticket", "approved_by", "expires"],
            "properties": {
              "rule": {"type": "string"},
              "role": {"type": "string"},
              "roles": {"$ref": "#/definitions/names"},
              "reason": {"type": "string"},
              "ticket": {"type": "string"},
              "approved_by": {"type": "string"},
              "expires": {"$ref": "#/definitions/date"},
              "database": {"$ref": "#/definitions/names"},
              "schema": {"$ref": "#/definitions/names"},
              "table": {"$ref": "#/definitions/names"},
              "sequence": {"$ref": "#/definitions/names"},
              "function": {"$ref": "#/definitions/names"},
              "large_object": {"$ref": "#/definitions/names"}
            }
          }
        }
      },
      "definitions": {
        "severity": {"enum": ["info", "low", "medium", "high", "critical"]},
        "date": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
        "names": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
        "privilege": {
          "enum": ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER", "MAINTAIN",
                   "USAGE", "CREATE", "CONNECT", "TEMPORARY", "TEMP", "EXECUTE", "ALL"]
        },
        "privileges": {
          "oneOf": [{"$ref": "#/definitions/privilege"}, {"type": "array", "items": {"$ref": "#/definitions/privilege"}}]
        },
        "objectSelector": {
          "type": "object",
          "additionalProperties": false,
          "minProperties": 1,
          "properties": {
            "database": {"$ref": "#/definitions/names"},
            "schema": {"$ref": "#/definitions/names"},
            "table": {"$ref": "#/definitions/names"},
            "sequence": {"$ref": "#/definitions/names"},
            "function": {"$ref": "#/definitions/names"},
            "large_object": {"$ref": "#/definitions/names"}
          }
        },
        "grant": {
          "type": "object",
          "additionalProperties": false,
          "required": ["privileges"],
          "properties": {
            "database": {"$ref": "#/definitions/names"},
            "schema": {"$ref": "#/definitions/names"},
            "table": {"$ref": "#/definitions/names"},
            "sequence": {"$ref": "#/definitions/names"},
            "function": {"$ref": "#/definitions/names"},
            "large_object": {"$ref": "#/definitions/names"},
            "columns": {"$ref": "#/definitions/names"},
            "privileges": {"$ref": "#/definitions/privileges"},
            "with_grant_option": {"type": "boolean"}
          }
        },
        "principalSelector": {
          "type": "object",
          "additionalProperties": false,
          "minProperties": 1,
          "properties": {
            "roles": {"$ref": "#/definitions/names"},
            "kind": {"oneOf": [{"enum": ["human", "service", "breakglass", "group"]}, {"type": "array", "items": {"enum": ["human", "service", "breakglass", "group"]}}]},
            "login": {"type": "boolean"},
            "member_of": {"$ref": "#/definitions/names"}
          }
        },
        "accessMatcher": {
          "type": "object",
          "additionalProperties": false,
          "required": ["privileges"],
          "properties": {
            "privileges": {"$ref": "#/definitions/privileges"},
            "data_class": {"$ref": "#/definitions/names"},
            "columns": {"$ref": "#/definitions/names"},
            "database": {"$ref": "#/definitions/names"},
            "schema": {"$ref": "#/definitions/names"},
            "table": {"$ref": "#/definitions/names"},
            "sequence": {"$ref": "#/definitions/names"},
            "function": {"$ref": "#/definitions/names"},
            "large_object": {"$ref": "#/definitions/names"},
            "principals": {"$ref": "#/definitions/principalSelector"},
            "max_principals": {"type": "integer", "minimum": 0}
          }
        },
        "rule": {
          "type": "object",
          "additionalProperties": false,
          "required": ["id", "severity"],
          "oneOf": [{"required": ["deny"]}, {"required": ["require"]}, {"required": ["limit"]}, {"required": ["separate"]}],
          "properties": {
            "id": {"type": "string"},
            "description": {"type": "string"},
            "severity": {"$ref": "#/definitions/severity"},
            "deny": {"$ref": "#/definitions/accessMatcher"},
            "limit": {"allOf": [{"$ref": "#/definitions/accessMatcher"}, {"required": ["max_principals"]}]},
            "separate": {"type": "array", "minItems": 2, "maxItems": 2, "items": {"$ref": "#/definitions/accessMatcher"}},
            "require": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "tables": {"$ref": "#/definitions/names"},
                "database": {"$ref": "#/definitions/names"},
                "schema": {"$ref": "#/definitions/names"},
                "table": {"$ref": "#/definitions/names"},
                "sequence": {"$ref": "#/definitions/names"},
                "function": {"$ref": "#/definitions/names"},
                "large_object": {"$ref": "#/definitions/names"},
                "row_security": {"type": "boolean"},
                "force_row_security": {"type": "boolean"},
                "no_public_grant": {"type": "boolean"},
                "owner": {"type": "string"}
              }
            },
            "except": {"oneOf": [{"$ref": "#/definitions/principalSelector"}, {"type": "array", "items": {"$ref": "#/definitions/principalSelector"}}]}
          }
        }
      }
    }

    """#
}
