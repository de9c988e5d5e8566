import SnapshotModel
import AccessEngine
import ServerUsage

/// Whether a grant was used in a usage summary's window: used when a login role holding it
/// (inheriting it, or able to SET ROLE to its grantee) has a pgaudit record of that command on
/// that object; unused when none has and each one's use would have been logged with the object
/// named; otherwise unknown. Shared by `unused-access` and `init --usage`.
package struct GrantUse {
    package enum Verdict: Sendable, Equatable { case used, unused, unknown }

    let context: AuditContext
    let visibility: UsageVisibility
    private let used: Set<String>

    package init(context: AuditContext, usage: UsageEvidence) {
        self.context = context
        visibility = UsageVisibility(context: context, collectedUnder: usage.summary.collectedUnder)
        var used = Set<String>()
        for use in usage.summary.uses where use.database == nil || use.database == context.snapshot.database {
            if let privilege = use.privilege { used.insert("\(use.role)\u{0}\(use.object)\u{0}\(privilege.rawValue)") }
        }
        self.used = used
    }

    /// The login roles holding a grant to `grantee`, usable now or after SET ROLE.
    package func holders(of grantee: Grantee) -> [Reacher] {
        context.reach.reachers(of: grantee).filter {
            context.graph.roles[$0.principal].attributes.login && ($0.mode == .direct || $0.mode == .setRole)
        }
    }

    /// The verdict for `privilege` on `object` held by `holders`, and the holders whose use
    /// would not be logged.
    package func verdict(holders: [Reacher], object: ObjectIndex, privilege: Privilege) -> (Verdict, unseen: [Reacher]) {
        let graph = context.graph
        let name = graph.objects[object].kind == .function ? graph.objects[object].baseName : graph.objects[object].name
        if holders.contains(where: { used.contains("\(graph.roles[$0.principal].name)\u{0}\(name)\u{0}\(privilege.rawValue)") }) { return (.used, []) }
        let unseen = holders.filter { !visibility.seen(login: graph.roles[$0.principal].name, privilege: privilege, object: object) }
        return (unseen.isEmpty ? .unused : .unknown, unseen)
    }
}
