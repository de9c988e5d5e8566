/// Builds a review's items from one audit context, from the target side (the same reverse
/// queries the checks use), so the work grows with causes, not with principals × objects.
///
/// Principals are login roles: nobody connects as a group, and a group's access reaches the
/// review through every login role that inherits or can SET ROLE to it.
public struct ReviewItemCollector {
    /// Privileges reviewed on classified columns, and on their relations as a whole.
    public static let columnPrivileges: [Privilege] = [.select, .insert, .update]
    public static let relationPrivileges: [Privilege] = [.delete, .truncate]
    /// Predefined roles that read or write everything, or reach the server's files and shell.
    public static let privilegedRoles: [String: Severity] = [
        PredefinedRoles.readAllData: .critical, PredefinedRoles.writeAllData: .high,
        "pg_read_server_files": .critical, "pg_write_server_files": .critical, "pg_execute_server_program": .critical,
    ]

    let context: AuditContext

    public init(context: AuditContext) { self.context = context }

    /// Items, riskiest first, and the read exposure per principal and classified column.
    public func collect(findings: [Finding]) -> (items: [ReviewItem], exposure: ExposureMatrix) {
        var builder = Builder(context: context)
        collectAccess(into: &builder)
        collectAttributes(into: &builder)
        collectMemberships(into: &builder)
        builder.attach(findings)
        return (builder.items.values.sorted(by: ReviewItem.riskFirst), builder.exposure)
    }

    private var graph: AccessGraph { context.graph }

    private func isReviewed(_ role: RoleIndex) -> Bool { graph.roles[role].attributes.login }

    private func collectAccess(into builder: inout Builder) {
        let tables = context.classification.columnsOfTable.keys.sorted()
        for table in tables {
            let columns = context.classification.columnsOfTable[table] ?? []
            for privilege in Self.columnPrivileges {
                for column in columns {
                    for cause in context.reach.causes(privilege, column: column) {
                        let route = Self.route(of: cause.kind)
                        for reacher in cause.reachers where isReviewed(reacher.principal) {
                            builder.addAccess(reacher, route: route, table: table, column: column, privilege: privilege)
                        }
                    }
                }
            }
            for privilege in Self.relationPrivileges {
                for cause in context.reach.causes(privilege, object: table) {
                    let route = Self.route(of: cause.kind)
                    for reacher in cause.reachers where isReviewed(reacher.principal) {
                        for column in columns { builder.addAccess(reacher, route: route, table: table, column: column, privilege: privilege) }
                    }
                }
            }
        }
    }

    /// The route a cause stands for, before the reacher's own chain is considered.
    static func route(of kind: AccessCause.Kind) -> ExposureRoute? {
        switch kind {
        case .grant(_, _, .publicRole): .publicGrant
        case .grant: nil
        case .superuser, .predefinedRole: .privileged
        case .view: .view
        case .function, .trigger: .function
        case .ownership, .capability: .capability
        }
    }

    private func collectAttributes(into builder: inout Builder) {
        let attributes: [(String, Severity, (SnapshotRole) -> Bool)] = [
            ("SUPERUSER", .critical, { $0.superuser }), ("BYPASSRLS", .high, { $0.bypassrls }),
            ("CREATEROLE", .high, { $0.createrole }), ("REPLICATION", .high, { $0.replication }),
        ]
        for (holder, node) in graph.roles.enumerated() where !PredefinedRoles.isPredefined(node.name) {
            for (attribute, severity, held) in attributes where held(node.attributes) {
                if isReviewed(holder) {
                    builder.addPrivileged(
                        kind: .attribute, principal: holder, subject: attribute, privilege: attribute, severity: severity,
                        reacher: Reacher(principal: holder, path: [.role(node.name)], mode: .direct))
                }
                // Attributes are never inherited; SET ROLE to the holder gives them.
                let setters = context.engine.cache.descendants(of: holder, via: .set)
                for setter in setters.order.dropFirst() where isReviewed(setter) {
                    let chain = setters.chain(to: setter, in: graph)
                    let path: [PathStep] = [.role(graph.roles[setter].name)] + chain.dropFirst().map { .setRole(graph.roles[$0].name) }
                    builder.addPrivileged(
                        kind: .attribute, principal: setter, subject: node.name, privilege: attribute, severity: severity,
                        reacher: Reacher(principal: setter, path: path, mode: .setRole))
                }
            }
        }
    }

    private func collectMemberships(into builder: inout Builder) {
        for (name, severity) in Self.privilegedRoles.sorted(by: { $0.key < $1.key }) {
            guard let role = graph.roleIndex[name] else { continue }
            for reacher in context.reach.reachers(of: .role(role)) where isReviewed(reacher.principal) && reacher.principal != role {
                builder.addPrivileged(kind: .membership, principal: reacher.principal, subject: name, privilege: "MEMBER", severity: severity, reacher: reacher)
            }
        }
    }
}

/// Which login roles read which classified columns, and by which routes (SELECT only).
public struct ExposureMatrix: Sendable {
    public private(set) var cells: [String: [String: Set<ExposureRoute>]] = [:]

    mutating func add(principal: String, column: String, route: ExposureRoute) {
        cells[principal, default: [:]][column, default: []].insert(route)
    }

    /// Principals with any classified read access, sorted.
    public var principals: [String] { cells.keys.sorted() }
    /// Classified columns anyone reads, sorted.
    public var columns: [String] { Set(cells.values.flatMap(\.keys)).sorted() }
    public func routes(_ principal: String, _ column: String) -> Set<ExposureRoute> { cells[principal]?[column] ?? [] }
    /// How many classified columns a principal reads.
    public func count(_ principal: String) -> Int { cells[principal]?.count ?? 0 }
}

extension ReviewItemCollector {
    /// Accumulates items by key.
    struct Builder {
        let context: AuditContext
        var items: [String: ReviewItem] = [:]
        var exposure = ExposureMatrix()
        private var columnBest: [String: [String: ColumnAccess]] = [:]

        init(context: AuditContext) { self.context = context }

        mutating func addAccess(_ reacher: Reacher, route causeRoute: ExposureRoute?, table: ObjectIndex, column: ColumnRef, privilege: Privilege) {
            let graph = context.graph
            let principal = graph.roles[reacher.principal].name
            let object = graph.objects[table]
            let route = Self.route(reacher, causeRoute: causeRoute)
            let columnName = object.columns[column.column].name
            let key = "access|\(principal)|\(object.name)|\(privilege.rawValue)"
            let severity = context.classification.topClass(of: column)?.severity ?? .info
            let classes = context.classification.classesOfColumn[column]?.map(\.name) ?? []
            upsert(key: key, kind: .access, principal: reacher.principal, subject: object.name, privilege: privilege.rawValue,
                   severity: severity, reacher: reacher, route: route)
            let path = AccessPath(reacher.path)
            if var best = columnBest[key]?[columnName] {
                best.routes.insert(route)
                if (reacher.mode, path.steps.count) < (best.mode, best.path.steps.count) {
                    best.mode = reacher.mode
                    best.path = path
                }
                columnBest[key]?[columnName] = best
            } else {
                columnBest[key, default: [:]][columnName] = ColumnAccess(column: columnName, mode: reacher.mode, routes: [route], path: path)
            }
            for name in classes where items[key]?.classes.contains(name) == false { items[key]?.classes.append(name) }
            // Latent access (no schema USAGE) is exposure too: objects bound by OID read it.
            if privilege == .select {
                exposure.add(principal: principal, column: "\(object.name).\(columnName)", route: route)
            }
        }

        mutating func addPrivileged(kind: ReviewItem.Kind, principal: RoleIndex, subject: String, privilege: String, severity: Severity, reacher: Reacher) {
            let name = context.graph.roles[principal].name
            let route: ExposureRoute = switch reacher.mode {
            case .setRole: .setRole
            case .capability: .capability
            default: reacher.path.count > 1 ? .inherited : .direct
            }
            upsert(key: "\(kind.rawValue)|\(name)|\(subject)|\(privilege)", kind: kind, principal: principal, subject: subject,
                   privilege: privilege, severity: severity, reacher: reacher, route: route)
        }

        private mutating func upsert(
            key: String, kind: ReviewItem.Kind, principal: RoleIndex, subject: String, privilege: String, severity: Severity,
            reacher: Reacher, route: ExposureRoute
        ) {
            let path = AccessPath(reacher.path)
            if var item = items[key] {
                item.severity = max(item.severity, severity)
                item.routes.insert(route)
                if (reacher.mode, path.steps.count) < (item.mode, item.path.steps.count) {
                    item.mode = reacher.mode
                    item.path = path
                }
                items[key] = item
                return
            }
            let name = context.graph.roles[principal].name
            let declaration = context.declared.declaration(of: name)
            items[key] = ReviewItem(
                id: ReviewItem.id(forKey: key), key: key, kind: kind, principal: name, owner: declaration?.owner,
                principalKind: declaration?.kind, subject: subject, privilege: privilege, severity: severity,
                routes: [route], mode: reacher.mode, path: path)
        }

        /// The route a reacher takes to a cause: its own grant, an inherited one, or SET ROLE.
        static func route(_ reacher: Reacher, causeRoute: ExposureRoute?) -> ExposureRoute {
            if reacher.mode == .capability { return .capability }
            if let causeRoute { return causeRoute }
            if reacher.mode == .setRole { return .setRole }
            let roles = reacher.path.filter { if case .role = $0 { true } else { false } }
            return roles.count > 1 ? .inherited : .direct
        }

        /// Names each item's findings: rules whose affected principals include it on its subject.
        mutating func attach(_ findings: [Finding]) {
            var rulesByPrincipalSubject: [String: Set<String>] = [:]
            for finding in findings where !finding.suppressed {
                let subjects = [finding.object, finding.cause.kind == .attribute ? finding.cause.description : nil].compactMap { $0 }
                let principals = finding.affected.isEmpty ? [finding.principal].compactMap { $0 } : finding.affected.filter { $0.suppression == nil }.map(\.name)
                for principal in principals {
                    for subject in subjects { rulesByPrincipalSubject["\(principal)|\(subject)", default: []].insert(finding.rule) }
                    rulesByPrincipalSubject["\(principal)|*", default: []].insert(finding.rule)
                }
            }
            let classOrder = context.policy.dataClasses.sorted { $0.severity > $1.severity }.map(\.name)
            for key in items.keys {
                guard var item = items[key] else { continue }
                item.columnAccess = (columnBest[key] ?? [:]).values.sorted { $0.column < $1.column }
                item.columns = item.columnAccess.map(\.column)
                item.classes.sort { (classOrder.firstIndex(of: $0) ?? 0) < (classOrder.firstIndex(of: $1) ?? 0) }
                let subjectRules = rulesByPrincipalSubject["\(item.principal)|\(item.subject)"] ?? []
                let attributeRules = item.kind == .access ? [] : (rulesByPrincipalSubject["\(item.principal)|*"] ?? []).filter {
                    $0 == "undeclared-attribute" || $0 == "undeclared-membership" || $0 == "bulk-export-role"
                }
                item.findingRules = subjectRules.union(attributeRules).sorted()
                items[key] = item
            }
        }
    }
}
