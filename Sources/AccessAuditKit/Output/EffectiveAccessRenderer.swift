import Foundation

/// `effective`: every effective privilege with its path, as CSV (streamed row by row) or JSON.
public struct EffectiveAccessRenderer: Sendable {
    public static let csvHeader = ["principal", "object_kind", "object", "column", "privilege", "grantable", "mode", "route", "rows", "path", "note"]

    public init() {}

    public func csvRow(_ privilege: EffectivePrivilege) -> String {
        CSV.row([
            privilege.principal, privilege.objectKind.rawValue, privilege.object, privilege.column ?? "", privilege.privilege.rawValue,
            privilege.grantable ? "true" : "false", privilege.mode.rawValue, privilege.route.rawValue, privilege.rowScope?.text ?? "",
            privilege.path.description, privilege.note ?? "",
        ])
    }

    public func json(_ privilege: EffectivePrivilege) -> JSONValue {
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
    public func csvRow(_ privilege: ParameterPrivilege, principal: String) -> String {
        CSV.row([
            principal, "parameter", privilege.parameter, "", privilege.privilege.rawValue, privilege.grantable ? "true" : "false",
            AccessMode.direct.rawValue, privilege.route.rawValue, "", privilege.path.description, "",
        ])
    }

    public func json(_ privilege: ParameterPrivilege, principal: String) -> JSONValue {
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

/// RFC 4180 CSV fields.
public enum CSV {
    public static func row(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    public static func field(_ text: String) -> String {
        // Scalars, not Characters: "\r\n" is one Character that equals neither "\r" nor "\n".
        guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
