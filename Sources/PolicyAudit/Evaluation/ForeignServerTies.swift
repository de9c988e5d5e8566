import AuditSupport
import SnapshotModel
import AccessPolicy

/// When several databases are audited together, a foreign server in one that points at another
/// of them is followed there: its session finding says which classified columns of that
/// database the mapped user reads, and takes the most severe of their classes.
struct ForeignServerTies {
    let snapshots: [Snapshot]
    let policy: Policy
    let today: DayDate

    func apply(to findings: inout [Finding]) {
        var contexts: [String: AuditContext] = [:]
        for index in findings.indices where findings[index].rule == "foreign-server-session" {
            guard let from = snapshots.first(where: { $0.database == findings[index].database }),
                let server = from.foreignServers?.first(where: { $0.name == findings[index].object }),
                let target = snapshots.first(where: { $0.database == server.dbname && $0.database != from.database })
            else { continue }
            let context = contexts[target.database] ?? AuditContext(snapshot: target, policy: policy, today: today)
            contexts[target.database] = context
            var reads: [String] = []
            var severity = findings[index].severity
            for user in Set(server.mappings.compactMap(\.user)).sorted() {
                guard let role = context.graph.roleIndex[user] else { continue }
                // Table-level SELECT covers every classified column of the table.
                var columns: Set<String> = []
                for privilege in context.engine.privileges(of: role) where privilege.privilege == .select && privilege.mode != .latent {
                    guard let table = context.graph.object(privilege.objectKind, privilege.object) else { continue }
                    let refs = privilege.column.flatMap { context.graph.columnRef("\(privilege.object).\($0)") }.map { [$0] }
                        ?? context.classification.columnsOfTable[table] ?? []
                    for ref in refs {
                        guard let top = context.classification.topClass(of: ref) else { continue }
                        severity = max(severity, top.severity)
                        columns.insert(context.targetName(ref.object, ref.column))
                    }
                }
                reads.append("\(user) reads \(columns.count) classified column(s) there\(columns.isEmpty ? "" : ": " + columns.sorted().prefix(5).joined(separator: ", "))")
            }
            let unreadable = server.mappings.contains { $0.user == nil }
            findings[index].message += "; database \(target.database) is audited too: " + (reads.isEmpty ? "" : reads.joined(separator: "; "))
                + (unreadable ? "\(reads.isEmpty ? "" : "; ")a mapping's remote user could not be read" : "")
            findings[index].severity = severity
        }
    }
}
