/// Stable identity of a finding: rule, cause, principal, object, column and privilege, hashed.
/// It never includes policy locations or messages, so moving or rewording policy lines does not
/// change it, and a finding on another principal or object always has another fingerprint.
package enum Fingerprint {
    /// The fields that identify a finding, joined unambiguously.
    static func canonical(_ finding: Finding) -> String {
        [
            finding.database ?? "", finding.rule, finding.cause.kind.rawValue, finding.cause.description, finding.principal ?? "",
            finding.objectKind?.rawValue ?? "", finding.object ?? "", finding.column ?? "", finding.privilege?.rawValue ?? "",
        ].map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
    }

    package static func of(_ finding: Finding) -> String { hex128(canonical(finding)) }

    /// 128 bits of FNV-1a (two 64-bit lanes with distinct offsets). Not a security hash: a
    /// stable identifier, written here so the plugin's tool does not have to build a crypto library.
    package static func hex128(_ text: String) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x6c62_272e_07bb_0142
        for byte in text.utf8 {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            b = (b ^ UInt64(byte ^ 0x5a)) &* 0x0000_0100_0000_01b3
        }
        let hexA = String(a, radix: 16)
        let hexB = String(b, radix: 16)
        return String(repeating: "0", count: 16 - hexA.count) + hexA + String(repeating: "0", count: 16 - hexB.count) + hexB
    }
}
