import AuditSupport
import SnapshotModel
import AccessEngine

/// `check --format json`: one object with `summary` and `findings`.
package struct FindingsJSONRenderer: Sendable {
    package init() {}

    package func render(_ result: AuditResult) -> String {
        let counts = result.counts
        let summary: JSONValue = .object(
            Severity.allCases.reversed().map { ($0.rawValue, JSONValue.number(counts[$0] ?? 0)) } + [
                ("total", .number(result.findings.count)),
                ("suppressed", .number(result.suppressedCount)),
                ("fail_on", .string(result.failOn.rawValue)),
                ("failed", .bool(result.failed)),
            ])
        return JSONValue.object([
            ("tool", .string("access-audit")),
            ("version", .string(ToolInfo.version)),
            ("databases", .array(result.databases.map(JSONValue.string))),
            ("summary", summary),
            ("findings", .array(result.findings.map(Self.json))),
        ]).rendered() + "\n"
    }

    static func json(_ finding: Finding) -> JSONValue {
        var fields = fields(finding)
        // A finding that gathers alike ones lists every object it stands for.
        if let objects = finding.groupedObjects { fields.insert(("objects", .array(objects.map(JSONValue.string))), at: 6) }
        return .object(fields)
    }

    private static func fields(_ finding: Finding) -> [(String, JSONValue)] {
        [
            ("rule", .string(finding.rule)),
            ("severity", .string(finding.severity.rawValue)),
            ("database", .optional(finding.database)),
            ("principal", .optional(finding.principal)),
            ("object_kind", .optional(finding.objectKind?.rawValue)),
            ("object", .optional(finding.object)),
            ("column", .optional(finding.column)),
            ("privilege", .optional(finding.privilege?.rawValue)),
            ("path", .optional(finding.path?.description)),
            ("message", .string(finding.message)),
            ("cause", .object([("kind", .string(finding.cause.kind.rawValue)), ("description", .string(finding.cause.description))])),
            ("principals", .array(finding.affected.map(Self.json))),
            ("principal_count", .number(finding.principalCount)),
            ("location", .object([
                ("file", .string(finding.location.file)), ("line", .number(finding.location.line)), ("column", .number(finding.location.column)),
            ])),
            ("fingerprint", .string(finding.fingerprint)),
            ("suppressed", .bool(finding.suppressed)),
            ("suppressed_by", finding.suppression.map { .object([("kind", .string($0.kind.rawValue)), ("reference", .string($0.reference))]) } ?? .null),
        ]
    }

    static func json(_ principal: AffectedPrincipal) -> JSONValue {
        .object([
            ("name", .string(principal.name)),
            ("mode", .string(principal.mode.rawValue)),
            ("path", .string(principal.path.description)),
            ("steps", .array(principal.path.steps.map(PathJSON.step))),
            ("note", .optional(principal.note)),
            ("suppressed_by", .optional(principal.suppression?.reference)),
        ])
    }
}

/// Path steps as JSON objects.
enum PathJSON {
    static func step(_ step: PathStep) -> JSONValue {
        switch step {
        case .role(let name): .object([("step", .string("role")), ("role", .string(name))])
        case .setRole(let name): .object([("step", .string("set_role")), ("role", .string(name))])
        case .publicRole: .object([("step", .string("public"))])
        case .superuser(let name): .object([("step", .string("superuser")), ("role", .string(name))])
        case .grant(let privilege, let object, let column, let grantee, let grantors, let grantable):
            .object([
                ("step", .string("grant")), ("privilege", .string(privilege.rawValue)), ("object", .string(object)),
                ("column", .optional(column)), ("grantee", .string(grantee)), ("grantors", .array(grantors.map(JSONValue.string))),
                ("grantable", .bool(grantable)),
            ])
        case .ownership(let object): .object([("step", .string("ownership")), ("object", .string(object))])
        case .implicitGrant(let privilege, let object, let role):
            .object([("step", .string("implicit_grant")), ("privilege", .string(privilege.rawValue)), ("object", .string(object)), ("role", .string(role))])
        case .definerView(let view, let owner): .object([("step", .string("definer_view")), ("view", .string(view)), ("owner", .string(owner))])
        case .definerFunction(let function, let owner):
            .object([("step", .string("definer_function")), ("function", .string(function)), ("owner", .string(owner))])
        case .definerTrigger(let trigger, let relation, let function, let owner):
            .object([
                ("step", .string("definer_trigger")), ("trigger", .string(trigger)), ("relation", .string(relation)),
                ("function", .string(function)), ("owner", .string(owner)),
            ])
        case .capability(let capability):
            .object([
                ("step", .string("capability")), ("capability", .string(capability.kind)), ("becomes", .optional(capability.becomes)),
                ("text", .string(capability.text)), ("remedy", .string(capability.remedy)),
            ])
        }
    }
}
