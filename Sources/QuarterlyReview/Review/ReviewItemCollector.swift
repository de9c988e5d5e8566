import SnapshotModel
import AccessEngine
import PolicyAudit

/// Builds a review's entitlement items from one audit context, from the target side (the same
/// reverse queries the checks use). Every road a login role has to classified data is cut into
/// the entitlements it runs through — its first membership, the capabilities on the way, and
/// the grant, attribute or ownership at its end — so the items grow with memberships and
/// grants, not with people × objects.
///
/// Principals whose access is reviewed are login roles: nobody connects as a group, and a
/// group's grant reaches the review when a login role can use it.
package struct ReviewItemCollector {
    /// Privileges reviewed on classified columns, and on their relations as a whole.
    package static let columnPrivileges: [Privilege] = [.select, .insert, .update]
    package static let relationPrivileges: [Privilege] = [.delete, .truncate]
    /// Predefined roles that read or write everything, or reach the server's files and shell.
    package static let privilegedRoles: [String: Severity] = [
        PredefinedRoles.readAllData: .critical, PredefinedRoles.writeAllData: .high,
        "pg_read_server_files": .critical, "pg_write_server_files": .critical, "pg_execute_server_program": .critical,
    ]

    /// What the collector found: the items riskiest first, the read exposure, and for each
    /// traced login access the items that now carry it.
    package struct Collection: Sendable {
        package var items: [ReviewItem]
        package var exposure: ExposureMatrix
        package var traces: [TracedAccess: Set<String>]
    }

    let context: AuditContext
    /// Login accesses whose carrying items are wanted (a previous review's per-login items).
    var traced: Set<TracedAccess>
    /// Called with every login role's access, one row per column, when per-login detail is asked for.
    var loginAccess: ((LoginAccess) -> Void)?

    package init(context: AuditContext, traced: Set<TracedAccess> = [], loginAccess: ((LoginAccess) -> Void)? = nil) {
        self.context = context
        self.traced = traced
        self.loginAccess = loginAccess
    }

    package func collect(findings: [Finding]) -> Collection {
        var gathered = gather()
        return finish(&gathered, findings: findings)
    }

    /// Every road, cut into entitlements; what they open is filled in by `finish`.
    func gather() -> EntitlementBuilder {
        var builder = EntitlementBuilder(context: context, traced: traced, loginAccess: loginAccess)
        collectAccess(into: &builder)
        collectAttributes(into: &builder)
        collectMemberships(into: &builder)
        return builder
    }

    /// The items, riskiest first, each told what it opens and which findings name it.
    func finish(_ builder: inout EntitlementBuilder, findings: [Finding]) -> Collection {
        let items = builder.finish(findings: findings)
        return Collection(items: items.sorted(by: ReviewItem.riskFirst), exposure: builder.exposure, traces: builder.traces)
    }

    private var graph: AccessGraph { context.graph }

    private func collectAccess(into builder: inout EntitlementBuilder) {
        // Writes granted to PUBLIC are counted, not listed person by person, unless per-login
        // rows or traces of a previous review's per-login items are wanted. Reads never are:
        // the exposure matrix lists who reads what.
        let summarized: Set<Privilege> = loginAccess == nil && traced.isEmpty ? [.insert, .update, .delete, .truncate] : []
        let before = context.reach.summarizesPublicGrants
        context.reach.summarizesPublicGrants = summarized
        defer { context.reach.summarizesPublicGrants = before }
        for table in context.classification.columnsOfTable.keys.sorted() {
            let columns = context.classification.columnsOfTable[table] ?? []
            for privilege in Self.columnPrivileges {
                // A cause met again on another column carries the same people: only the column is new.
                var seen: [String: [Int]] = [:]
                let perColumn = privilege == .select || loginAccess != nil
                for column in columns {
                    for cause in context.reach.causes(privilege, column: column) {
                        let causeKey = ReachQuery.key(cause.kind)
                        if !perColumn, let items = seen[causeKey] {
                            builder.addColumns([column], privilege: privilege, to: items)
                            continue
                        }
                        seen[causeKey] = builder.take(cause, columns: [column], table: table, privilege: privilege)
                    }
                    builder.settlePeople()
                }
            }
            for privilege in Self.relationPrivileges {
                for cause in context.reach.causes(privilege, object: table) {
                    _ = builder.take(cause, columns: columns, table: table, privilege: privilege)
                }
                builder.settlePeople()
            }
        }
    }

    private func collectAttributes(into builder: inout EntitlementBuilder) {
        let attributes: [(String, Severity, (SnapshotRole) -> Bool)] = [
            ("SUPERUSER", .critical, { $0.superuser }), ("BYPASSRLS", .high, { $0.bypassrls }),
            ("CREATEROLE", .high, { $0.createrole }), ("REPLICATION", .high, { $0.replication }),
        ]
        for (holder, node) in graph.roles.enumerated() where !PredefinedRoles.isPredefined(node.name) {
            for (attribute, severity, held) in attributes where held(node.attributes) {
                let entitlement = EntitlementBuilder.Entitlement(
                    key: "attribute|\(node.name)|\(attribute)", kind: .attribute, principal: node.name, subject: attribute,
                    privilege: attribute, severity: severity, ownerRole: holder)
                if graph.roles[holder].attributes.login {
                    builder.take(Reacher(principal: holder, path: [.role(node.name)], mode: .direct), entitlement: entitlement,
                                 target: "attribute|\(node.name)|\(attribute)")
                }
                // Attributes are never inherited; SET ROLE to the holder gives them.
                let setters = context.engine.cache.descendants(of: holder, via: .set)
                for setter in setters.order.dropFirst() where graph.roles[setter].attributes.login {
                    let chain = setters.chain(to: setter, in: graph)
                    let path: [PathStep] = [.role(graph.roles[setter].name)] + chain.dropFirst().map { .setRole(graph.roles[$0].name) }
                    builder.take(Reacher(principal: setter, path: path, mode: .setRole), entitlement: entitlement,
                                 target: "attribute|\(node.name)|\(attribute)")
                }
            }
        }
    }

    private func collectMemberships(into builder: inout EntitlementBuilder) {
        for (name, severity) in Self.privilegedRoles.sorted(by: { $0.key < $1.key }) {
            guard let role = graph.roleIndex[name] else { continue }
            for reacher in context.reach.reachers(of: .role(role)) where graph.roles[reacher.principal].attributes.login && reacher.principal != role {
                guard var entitlement = builder.predefinedMembership(role, on: reacher) else { continue }
                // Whatever the road ends in (the membership, or a capability that becomes the role)
                // is as severe as the predefined role it gives.
                entitlement.severity = max(entitlement.severity, severity)
                builder.take(reacher, entitlement: entitlement, target: "role|\(name)")
            }
        }
    }
}

/// A login role's access whose carrying items a caller wants: `relation|schema.table|PRIVILEGE`,
/// `attribute|holder|ATTRIBUTE` or `role|predefined role`.
package struct TracedAccess: Hashable, Sendable {
    package var login: String
    package var target: String

    package init(login: String, target: String) {
        self.login = login
        self.target = target
    }
}

/// One login role's access to one classified column (or relation) and the items that carry it:
/// a row of `access-by-login.csv`.
package struct LoginAccess: Sendable {
    package var login: String
    package var privilege: String
    package var relation: String
    package var column: String
    /// The membership the road starts with, when it starts with one.
    package var membershipItem: String?
    /// The grant, attribute, ownership or capability at its end.
    package var item: String
    package var mode: AccessMode
    package var path: AccessPath
}
