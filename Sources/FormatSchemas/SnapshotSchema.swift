extension JSONSchemas {
    /// Snapshots, format version 1 (draft-07).
    package static let snapshot = #"""
    {
      "$schema": "http://json-schema.org/draft-07/schema#",
      "$id": "https://access-audit.dev/schemas/snapshot-v1.schema.json",
      "title": "access-audit snapshot, format version 1",
      "description": "One database's roles, memberships, objects, ACLs, default privileges and row-level security, as the exporter reads them from the catalogs. Every acl is explicit: a NULL catalog ACL is written as acldefault() for the object.",
      "type": "object",
      "additionalProperties": false,
      "required": ["format_version", "server_version", "database", "exported_at", "roles", "memberships", "databases", "schemas", "tables", "sequences", "functions", "default_privileges", "row_security_policies"],
      "properties": {
        "format_version": {"const": 1},
        "server_version": {"type": "string"},
        "server_version_num": {"type": "integer"},
        "database": {"type": "string"},
        "exported_at": {"type": "string", "description": "ISO 8601 time of the export"},
        "exported_by": {"type": "string", "description": "the role the exporter connected as"},
        "row_counts": {"type": "object", "additionalProperties": {"type": "integer"}, "description": "rows read per section, so a reviewer can see the export is complete"},
        "roles": {
          "type": "array",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["name", "superuser", "inherit", "createrole", "createdb", "login", "replication", "bypassrls"],
            "properties": {
              "name": {"type": "string"},
              "superuser": {"type": "boolean"},
              "inherit": {"type": "boolean"},
              "createrole": {"type": "boolean"},
              "createdb": {"type": "boolean"},
              "login": {"type": "boolean"},
              "replication": {"type": "boolean"},
              "bypassrls": {"type": "boolean"},
              "valid_until": {"type": ["string", "null"]},
              "connection_limit": {"type": "integer", "description": "rolconnlimit: -1 no limit, 0 no session at all (superusers exempt)"}
            }
          }
        },
        "memberships": {
          "type": "array",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["role", "member", "admin"],
            "properties": {
              "role": {"type": "string"},
              "member": {"type": "string"},
              "grantor": {"type": ["string", "null"]},
              "admin": {"type": "boolean"},
              "inherit": {"type": "boolean", "description": "PG16 inherit_option; for older servers the member's rolinherit. Absent: the member's rolinherit."},
              "set": {"type": "boolean", "description": "PG16 set_option; true for older servers. Absent: true."}
            }
          }
        },
        "databases": {
          "type": "array",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["name", "owner", "acl"],
            "properties": {
              "name": {"type": "string"},
              "owner": {"type": "string"},
              "acl": {"$ref": "#/definitions/acl"},
              "allow_connections": {"type": "boolean", "description": "datallowconn: false lets nobody connect"},
              "connection_limit": {"type": "integer", "description": "datconnlimit: -1 no limit, 0 superusers only"}
            }
          }
        },
        "schemas": {"type": "array", "items": {"$ref": "#/definitions/ownedObject"}},
        "tables": {
          "type": "array",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["schema", "name", "kind", "owner", "acl", "columns", "row_security", "force_row_security"],
            "properties": {
              "schema": {"type": "string"},
              "name": {"type": "string"},
              "kind": {"enum": ["table", "view", "materialized_view", "foreign_table", "partitioned_table"]},
              "owner": {"type": "string"},
              "acl": {"$ref": "#/definitions/acl"},
              "columns": {
                "type": "array",
                "items": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": ["name"],
                  "properties": {
                    "name": {"type": "string"},
                    "acl": {"$ref": "#/definitions/acl"},
                    "reads": {"type": "array", "items": {"type": "string"}, "description": "views: base columns this column reads"},
                    "system": {"type": "boolean", "description": "a system column (tableoid, ctid, …) exported because it carries a grant of its own"}
                  }
                }
              },
              "row_security": {"type": "boolean"},
              "force_row_security": {"type": "boolean"},
              "security_invoker": {"type": "boolean"},
              "reads": {"type": "array", "items": {"type": "string"}, "description": "views and materialized views (required): base columns schema.table.column their query reads"},
              "triggers": {
                "type": "array",
                "description": "triggers on the relation (internal ones excluded); a trigger function runs for every role that writes the relation",
                "items": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": ["name", "function", "events", "enabled"],
                  "properties": {
                    "name": {"type": "string"},
                    "function": {"type": "string", "description": "the trigger function's signature schema.name(arguments)"},
                    "events": {"type": "array", "items": {"enum": ["INSERT", "UPDATE", "DELETE", "TRUNCATE"]}},
                    "enabled": {"type": "boolean"},
                    "timing": {"enum": ["BEFORE", "AFTER", "INSTEAD OF"], "description": "INSTEAD OF (views): the trigger replaces the write, so the view no longer passes that event to its base relation"}
                  }
                }
              },
              "rules": {
                "type": "array",
                "description": "rewrite rules other than a view's _RETURN: their actions run with the relation owner's rights for every role whose statement fires them",
                "items": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": ["name", "event", "reads", "enabled"],
                  "properties": {
                    "name": {"type": "string"},
                    "event": {"enum": ["SELECT", "INSERT", "UPDATE", "DELETE"]},
                    "reads": {"type": "array", "items": {"type": "string"}, "description": "columns schema.table.column its condition and actions read"},
                    "enabled": {"type": "boolean"}
                  }
                }
              },
              "updatable": {"type": "array", "items": {"enum": ["INSERT", "UPDATE", "DELETE"]}, "description": "views PostgreSQL writes through to their base relation (pg_relation_is_updatable); without security_invoker, with the view owner's rights"},
              "unique_keys": {"type": "array", "items": {"type": "array", "items": {"type": "string"}}, "description": "the columns of each unique index (primary keys and UNIQUE constraints included): writing a value answers whether it is there"},
              "query": {
                "anyOf": [{"$ref": "#/definitions/queryTree"}, {"type": "null"}],
                "description": "views and materialized views: the stored query (pg_rewrite.ev_action of the _RETURN rule), from which each view column's own base columns are read"
              },
              "inherits": {"type": "array", "items": {"type": "string"}, "description": "parents schema.table (pg_inherits: a partition's parent, INHERITS parents), in inheritance order; SELECT on a parent returns its children's rows for the inherited columns"},
              "expressions": {
                "type": "array",
                "description": "the relation's own expressions that call functions of the exported schemas, evaluated as whoever writes: the owner of a function they call receives the values written",
                "items": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": ["kind", "name", "calls", "reads"],
                  "properties": {
                    "kind": {"enum": ["default", "generated", "check", "index"]},
                    "name": {"type": "string", "description": "the column (default, generated), constraint or index"},
                    "calls": {"type": "array", "items": {"type": "string"}, "description": "function signatures schema.name(arguments)"},
                    "reads": {"type": "array", "items": {"type": "string"}, "description": "the relation's columns the expression passes (names)"}
                  }
                }
              }
            }
          }
        },
        "sequences": {
          "type": "array",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["schema", "name", "owner", "acl"],
            "properties": {"schema": {"type": "string"}, "name": {"type": "string"}, "owner": {"type": "string"}, "acl": {"$ref": "#/definitions/acl"}}
          }
        },
        "functions": {
          "type": "array",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["schema", "name", "identity_arguments", "owner", "security_definer", "acl"],
            "properties": {
              "schema": {"type": "string"},
              "name": {"type": "string"},
              "identity_arguments": {"type": "string"},
              "owner": {"type": "string"},
              "security_definer": {"type": "boolean"},
              "acl": {"$ref": "#/definitions/acl"},
              "reads": {"type": "array", "items": {"type": "string"}, "description": "columns the function reads; absent: everything its owner can read"},
              "language": {"type": "string", "description": "pg_language.lanname: sql, plpgsql, c, internal, …"},
              "kind": {"enum": ["function", "procedure", "aggregate", "window"]},
              "config": {"type": "array", "items": {"type": "string"}, "description": "proconfig: settings pinned on the function, e.g. search_path=public, pg_temp"},
              "sql_standard_body": {"type": "boolean", "description": "BEGIN ATOMIC / RETURN body: names bound at creation, no search_path can redirect them"},
              "support_functions": {"type": "array", "items": {"type": "string"}, "description": "aggregates: transition, final, combine, … functions by signature"},
              "calls": {"type": "array", "items": {"type": "string"}, "description": "SQL-standard bodies: the functions they call, by signature"},
              "body": {"$ref": "#/definitions/queryTree", "description": "SQL-standard bodies that write (UPDATE, INSERT, DELETE): the stored tree (prosqlbody), from which what they write with their owner's rights is read"},
              "returns_trigger": {"type": "boolean", "description": "returns trigger or event_trigger: runs only when a trigger fires, never by a call"},
              "source": {"type": "string", "description": "SECURITY DEFINER functions whose body is text (plpgsql, SQL in a string): prosrc with string literals and comments blanked (they may hold secrets); the statements that write are read from it"}
            }
          }
        },
        "default_privileges": {
          "type": "array",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["role", "object_type", "acl"],
            "properties": {
              "role": {"type": "string"},
              "schema": {"type": ["string", "null"]},
              "object_type": {"enum": ["tables", "sequences", "functions", "types", "schemas", "large_objects"]},
              "acl": {"$ref": "#/definitions/acl"}
            }
          }
        },
        "row_security_policies": {
          "type": "array",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["schema", "table", "name", "command", "permissive", "roles"],
            "properties": {
              "schema": {"type": "string"},
              "table": {"type": "string"},
              "name": {"type": "string"},
              "command": {"enum": ["ALL", "SELECT", "INSERT", "UPDATE", "DELETE"]},
              "permissive": {"type": "boolean"},
              "roles": {"type": "array", "items": {"type": "string"}},
              "using": {"type": ["string", "null"]},
              "with_check": {"type": ["string", "null"]},
              "functions": {"type": "array", "items": {"type": "string"}, "description": "functions its expressions call, by signature: they receive the rows it checks"},
              "settings": {
                "type": "array",
                "description": "settings its expressions read with current_setting('…'); a session that can SET one chooses its own rows",
                "items": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": ["name"],
                  "properties": {
                    "name": {"type": "string"},
                    "context": {"type": ["string", "null"], "description": "pg_settings.context (user, superuser, …); null for a custom setting the server does not know, which any session may SET"}
                  }
                }
              }
            }
          }
        },
        "large_objects": {
          "type": "array",
          "description": "large objects (pg_largeobject_metadata) counted per owner and ACL; their ACL alone decides who reads them (pg_read_all_data does not)",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["owner", "acl", "count"],
            "properties": {
              "owner": {"type": "string"},
              "acl": {"$ref": "#/definitions/acl"},
              "count": {"type": "integer", "minimum": 1}
            }
          }
        },
        "logging": {
          "type": ["object", "null"],
          "description": "what decides whether reads are logged: pgaudit, the server's logging settings and their per-database and per-role overrides; absent or null: not exported (coverage unknown)",
          "additionalProperties": false,
          "required": ["pgaudit_loaded", "settings", "overrides"],
          "properties": {
            "pgaudit_loaded": {"type": "boolean", "description": "pgaudit's settings are defined (it loads only through shared_preload_libraries)"},
            "pgaudit_extension": {"type": ["string", "null"], "description": "the pgaudit extension's version in this database (its event triggers log DDL)"},
            "settings": {
              "type": "array",
              "items": {
                "type": "object",
                "additionalProperties": false,
                "required": ["name"],
                "properties": {
                  "name": {"type": "string"},
                  "value": {"type": ["string", "null"], "description": "null: the exporting role may not see it"},
                  "source": {"type": ["string", "null"], "description": "pg_settings.source; database, user, database user: the server's own value is hidden behind the exporting session's override"}
                }
              }
            },
            "overrides": {
              "type": "array",
              "items": {
                "type": "object",
                "additionalProperties": false,
                "required": ["name", "value"],
                "properties": {
                  "database": {"type": ["string", "null"], "description": "null: every database"},
                  "role": {"type": ["string", "null"], "description": "null: every role (ALTER ROLE ALL)"},
                  "name": {"type": "string"},
                  "value": {"type": "string"}
                }
              }
            }
          }
        },
        "lo_compat_privileges": {"type": ["boolean", "null"], "description": "on: every role reads and writes every large object (no ACL check)"},
        "foreign_servers": {
          "type": "array",
          "description": "foreign servers: USAGE with a user mapping for the current role or PUBLIC opens a session elsewhere (postgres_fdw, dblink) as the mapped user",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["name", "owner", "wrapper", "acl", "mappings"],
            "properties": {
              "name": {"type": "string"},
              "owner": {"type": "string"},
              "wrapper": {"type": "string", "description": "the foreign-data wrapper (postgres_fdw, dblink_fdw, …)"},
              "acl": {"$ref": "#/definitions/acl"},
              "host": {"type": ["string", "null"]},
              "port": {"type": ["string", "null"]},
              "dbname": {"type": ["string", "null"]},
              "mappings": {
                "type": "array",
                "items": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": ["role"],
                  "properties": {
                    "role": {"type": "string", "description": "the local role, or PUBLIC"},
                    "user": {"type": ["string", "null"], "description": "the remote user, when the exporting role may read the mapping's options (no other option is exported)"}
                  }
                }
              }
            }
          }
        },
        "catalog_grants": {
          "type": "array",
          "description": "grants on pg_catalog tables and functions whose ACL differs from initdb's (pg_init_privs)",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["kind", "object", "acl"],
            "properties": {
              "kind": {"enum": ["table", "function"]},
              "object": {"type": "string", "description": "pg_catalog.pg_statistic, or a function signature pg_catalog.pg_read_file(text)"},
              "acl": {"$ref": "#/definitions/acl"}
            }
          }
        },
        "parameter_privileges": {
          "type": "array",
          "description": "configuration parameters with privileges of their own (pg_parameter_acl, PostgreSQL 15+; empty before 15): SET and ALTER SYSTEM",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["name", "acl"],
            "properties": {
              "name": {"type": "string", "description": "the parameter's name, lower case"},
              "acl": {"$ref": "#/definitions/acl"}
            }
          }
        }
      },
      "definitions": {
        "queryTree": {
          "type": "object",
          "description": "a stored query as PostgreSQL keeps it (a node tree every role may read), with what it needs to be read",
          "additionalProperties": false,
          "required": ["tree", "outputs", "relations"],
          "properties": {
            "tree": {"type": "string"},
            "outputs": {"type": "array", "items": {"type": ["string", "null"]}, "description": "a view's columns by attribute number (empty for a function body)"},
            "relations": {
              "type": "array",
              "description": "the relations the tree names (:relid), with their columns by attribute number (null where dropped)",
              "items": {
                "type": "object",
                "additionalProperties": false,
                "required": ["oid", "name", "columns"],
                "properties": {
                  "oid": {"type": "integer"},
                  "name": {"type": "string"},
                  "columns": {"type": "array", "items": {"type": ["string", "null"]}}
                }
              }
            }
          }
        },
        "acl": {
          "type": "array",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["grantee", "grantor", "privilege", "grantable"],
            "properties": {
              "grantee": {"type": "string", "description": "role name or PUBLIC"},
              "grantor": {"type": "string"},
              "privilege": {"enum": ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER", "MAINTAIN", "USAGE", "CREATE", "CONNECT", "TEMPORARY", "EXECUTE", "SET", "ALTER SYSTEM"]},
              "grantable": {"type": "boolean"}
            }
          }
        },
        "ownedObject": {
          "type": "object",
          "additionalProperties": false,
          "required": ["name", "owner", "acl"],
          "properties": {"name": {"type": "string"}, "owner": {"type": "string"}, "acl": {"$ref": "#/definitions/acl"}}
        }
      }
    }

    """#
}
