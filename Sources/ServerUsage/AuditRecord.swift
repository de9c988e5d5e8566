/// One pgaudit record, from the message `AUDIT: SESSION,1,1,READ,SELECT,TABLE,public.customers,…`:
/// its audit type, class, command and the object it names (pgaudit names relations and functions,
/// never columns).
package struct AuditRecord: Sendable, Equatable {
    /// `SESSION` (pgaudit.log) or `OBJECT` (the audit role's grants).
    package var auditType: String
    /// `READ`, `WRITE`, `FUNCTION`, `ROLE`, `DDL`, `MISC`, `MISC_SET`.
    package var auditClass: String
    /// The command tag (`SELECT`, `INSERT`, `EXECUTE`, …).
    package var command: String
    /// `TABLE`, `VIEW`, `FUNCTION`, … ; empty when the statement names no object.
    package var objectType: String
    /// `schema.name`, quoted as PostgreSQL quotes identifiers; empty when none.
    package var objectName: String

    /// Reads the message of a log line; nil when it is not a pgaudit record.
    package init?(message: ArraySlice<UInt8>) {
        let marker = Array("AUDIT: ".utf8)
        guard message.count > marker.count, message.prefix(marker.count).elementsEqual(marker) else { return nil }
        let fields = Self.leadingFields(message.dropFirst(marker.count), count: 7)
        guard fields.count == 7, ["SESSION", "OBJECT"].contains(fields[0]) else { return nil }
        auditType = fields[0]
        auditClass = fields[3]
        command = fields[4]
        objectType = fields[5]
        objectName = fields[6]
    }

    /// The first `count` comma-separated fields, with pgaudit's CSV quoting (a field holding a
    /// comma, quote or line break is quoted, quotes doubled).
    static func leadingFields(_ bytes: ArraySlice<UInt8>, count: Int) -> [String] {
        var fields: [String] = []
        var field: [UInt8] = []
        var index = bytes.startIndex
        var quoted = false
        while index < bytes.endIndex, fields.count < count {
            let byte = bytes[index]
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.endIndex, bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(byte)
                }
            } else if byte == UInt8(ascii: "\""), field.isEmpty {
                quoted = true
            } else if byte == UInt8(ascii: ",") {
                fields.append(String(decoding: field, as: UTF8.self))
                field = []
            } else {
                field.append(byte)
            }
            index += 1
        }
        if fields.count < count, index == bytes.endIndex, !quoted { fields.append(String(decoding: field, as: UTF8.self)) }
        return fields
    }
}
