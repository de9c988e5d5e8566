import Foundation
import AuditSupport
import AccessEngine

/// `effective`: every effective privilege with its path, as CSV (streamed row by row) or JSON.
package struct EffectiveAccessRenderer: Sendable {
    package static let csvHeader = ["principal", "object_kind", "object", "column", "privilege", "grantable", "mode", "route", "rows", "path", "note"]

    package init() {}

    package func csvRow(_ privilege: EffectivePrivilege) -> String {
        CSV.row([
            privilege.principal, privilege.objectKind.rawValue, privilege.object, privilege.column ?? "", privilege.privilege.rawValue,
            privilege.grantable ? "true" : "false", privilege.mode.rawValue, privilege.route.rawValue, privilege.rowScope?.text ?? "",
            privilege.path.description, privilege.note ?? "",
        ])
    }

    package func json(_ privilege: EffectivePrivilege) -> JSONValue {
        .object([
            ("principal", .string(privilege.principal)),
            ("object_kind", .string(privilege.objectKind.rawValue)),
            ("object", .string(privilege.object)),
            ("column", .optional(privilege.column)),
            ("privilege", .string(privilege.privilege.rawValue)),
            ("grantable", .bool(privilege.grantable)),
            ("mode", .string(privilege.mode.rawValue)),
            ("route", .string(privilege.route.rawValue)),
            ("rows", .optional(privilege.rowScope?.text)),
            ("path", .string(privilege.path.description)),
            ("steps", .array(privilege.path.steps.map(PathJSON.step))),
            ("note", .optional(privilege.note)),
        ])
    }

    /// A parameter privilege (object kind `parameter`, object the parameter's name): held by
    /// a grant or SUPERUSER, so its mode is `direct`.
    package func csvRow(_ privilege: ParameterPrivilege, principal: String) -> String {
        CSV.row([
            principal, "parameter", privilege.parameter, "", privilege.privilege.rawValue, privilege.grantable ? "true" : "false",
            AccessMode.direct.rawValue, privilege.route.rawValue, "", privilege.path.description, "",
        ])
    }

    package func json(_ privilege: ParameterPrivilege, principal: String) -> JSONValue {
        .object([
            ("principal", .string(principal)),
            ("object_kind", .string("parameter")),
            ("object", .string(privilege.parameter)),
            ("column", .null),
            ("privilege", .string(privilege.privilege.rawValue)),
            ("grantable", .bool(privilege.grantable)),
            ("mode", .string(AccessMode.direct.rawValue)),
            ("route", .string(privilege.route.rawValue)),
            ("rows", .null),
            ("path", .string(privilege.path.description)),
            ("steps", .array(privilege.path.steps.map(PathJSON.step))),
            ("note", .null),
        ])
    }
}
