import AuditCommands
import AuditSupport
import AccessPolicy
import PolicyAudit
import QuarterlyReview

extension PolicyOptions {
    /// The policy and the digest of every file it was parsed from (the same bytes).
    func loadAttested() throws(InputError) -> (Policy, [ReviewManifest.FileDigest]) {
        guard !policies.isEmpty else {
            throw InputError(SourceLocation.commandLine, "give at least one --policies path")
        }
        let loader = PolicyLoader()
        let sources = try loader.read(paths: policies)
        let policy = try loader.load(sources: sources.map { (file: $0.file, text: $0.text) })
        return (policy, sources.map { ReviewManifest.FileDigest(role: "policy", path: $0.file, data: $0.data) })
    }
}
