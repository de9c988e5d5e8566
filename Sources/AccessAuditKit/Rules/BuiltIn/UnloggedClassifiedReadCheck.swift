/// A login role can read a classified column and the read would leave no pgaudit record: its
/// sessions log no READ class and the audit role holds no SELECT that marks the table or
/// column, pgaudit is not loaded, the log drops pgaudit's records, or the road runs no statement
/// of the reader's on the table at all. One finding per cause (the setting, the missing grant or
/// the road), listing the login roles and columns; coverage that could not be read is reported
/// as unknown, never as logged.
struct UnloggedClassifiedReadCheck: AuditCheck {
    static let description = CheckDescription(
        id: "unlogged-classified-read",
        summary: "A login role can read a classified column and the read would not be logged (pgaudit session or object logging), or whether it would is unknown.",
        defaultSeverity: .medium,
        triggering: [CheckExample(
            policy: examplePolicyHeader + "roles:\n  agent: {kind: human, login: true, grants: [{table: public.customers, privileges: [SELECT]}]}\n",
            snapshot: SnapshotBuilder().role("agent", login: true).table("public.customers", columns: ["email"])
                .grant([.select], on: "public.customers", to: "agent").logging(pgaudit: true, settings: ["pgaudit.log": "write, ddl"]).build())],
        nonTriggering: [CheckExample(
            policy: examplePolicyHeader + "roles:\n  agent: {kind: human, login: true, grants: [{table: public.customers, privileges: [SELECT]}]}\n",
            snapshot: SnapshotBuilder().role("agent", login: true).table("public.customers", columns: ["email"])
                .grant([.select], on: "public.customers", to: "agent").logging(pgaudit: true, settings: ["pgaudit.log": "read, write"]).build())])

    /// Why one group of reads would not be logged.
    private struct Gap {
        var key: String
        var cause: Cause
        var why: String
    }

    private struct Group {
        var gap: Gap
        var columns: [ColumnRef] = []
        var reachers: [Reacher] = []
        var seen: Set<RoleIndex> = []
    }

    func findings(in context: AuditContext) -> [Finding] {
        let classified = context.classification.classesOfColumn.keys.sorted { ($0.object, $0.column) < ($1.object, $1.column) }
        guard !classified.isEmpty else { return [] }
        let severity: Severity = context.policy.settings.readLogging == .required ? Self.description.defaultSeverity : .info
        let location = context.policy.settings.location ?? context.fallbackLocation
        guard context.snapshot.logging != nil else {
            // An export from before logging settings were read: say so once, cheaply.
            return [Finding(
                rule: Self.description.id, severity: .info, principal: nil,
                cause: Cause(.setting, "logging settings not in the snapshot"),
                message: "whether reads of classified columns are logged is unknown: the snapshot does not carry the logging settings (export it again with this version's exporter)",
                location: location)]
        }
        let sessions = SessionLogging(logging: context.snapshot.logging, database: context.snapshot.database)
        let audit = ObjectAudit(engine: context.engine)
        var coverage: [String: SessionLogging.ReadCoverage] = [:]
        func coverageOf(_ login: String) -> SessionLogging.ReadCoverage {
            if let known = coverage[login] { return known }
            let value = sessions.readCoverage(login: login)
            coverage[login] = value
            return value
        }
        var groups: [String: Group] = [:]
        var order: [String] = []
        for column in classified {
            for cause in context.reach.causes(.select, column: column) {
                let road = LoggedRoad.of(cause.kind, column: column, graph: context.graph)
                for reacher in cause.reachers where context.graph.roles[reacher.principal].attributes.login {
                    guard let gap = gap(road, login: reacher.principal, column: column, context: context, audit: audit, coverage: coverageOf) else { continue }
                    if groups[gap.key] == nil {
                        groups[gap.key] = Group(gap: gap)
                        order.append(gap.key)
                    }
                    if groups[gap.key]?.columns.contains(column) == false { groups[gap.key]?.columns.append(column) }
                    if groups[gap.key]?.seen.insert(reacher.principal).inserted == true { groups[gap.key]?.reachers.append(reacher) }
                }
            }
        }
        return order.compactMap { key in
            guard let group = groups[key] else { return nil }
            let (sample, count) = context.affectedSample(group.reachers, rule: Self.description.id)
            let names = group.columns.map(context.graph.name(of:))
            let shown = names.prefix(10).joined(separator: ", ") + (names.count > 10 ? " and \(names.count - 10) more" : "")
            let first = context.graph.objects[group.columns[0].object]
            return Finding(
                rule: Self.description.id, severity: severity, principal: nil, objectKind: .table, object: first.name,
                column: group.columns.count == 1 ? first.columns[group.columns[0].column].name : nil, privilege: .select,
                cause: group.gap.cause,
                message: "\(count) login role(s) can read \(shown) and the read would not be logged: \(group.gap.why)",
                affected: sample.sorted { $0.name < $1.name }, principalCount: count, location: location)
        }
    }

    private func gap(
        _ road: LoggedRoad, login: RoleIndex, column: ColumnRef, context: AuditContext, audit: ObjectAudit,
        coverage: (String) -> SessionLogging.ReadCoverage
    ) -> Gap? {
        let graph = context.graph
        let name = graph.roles[login].name
        switch road {
        case .unseen(let how):
            return Gap(key: "unseen \(how)", cause: Cause(.capability, how),
                       why: "the road runs no statement of the reader's on the table (\(how)); pgaudit records nothing that names the column")
        case .remoteSession(let user, let relations):
            guard graph.roleIndex[user] != nil else {
                return Gap(key: "remote \(user)", cause: Cause(.capability, "a foreign server session as \(user)"),
                           why: "a foreign server opens a session as \(user), a role this snapshot does not have: its logging is unknown")
            }
            return relationGap(coverage(user), session: user, relations: relations, column: column, audit: audit)
        case .relation(let relations):
            return relationGap(coverage(name), session: name, relations: relations, column: column, audit: audit)
        case .definerCall(let owners, let relations):
            // pgaudit logs inside a definer only when the session user is a member of its owner.
            let members = owners.allSatisfy { owner in
                guard let ownerIndex = graph.roleIndex[owner] else { return false }
                return graph.roles[login].attributes.superuser || context.engine.cache.ancestors(of: login, via: .any).contains(ownerIndex)
            }
            if members { return relationGap(coverage(name), session: name, relations: relations, column: column, audit: audit) }
            switch coverage(name) {
            case .nothing(let reason): return Gap(key: "nothing \(reason)", cause: Cause(.setting, reason), why: reason)
            case .unknown(let reason): return unknownGap(reason)
            case .pgaudit(let classes, let origin, _, _):
                if !classes.isDisjoint(with: [.read, .function]) { return nil }
                let why = "\(origin) logs neither READ nor FUNCTION, and pgaudit's object logging never sees inside a SECURITY DEFINER function (it skips statements run as a role the session user is not a member of)"
                return Gap(key: "definer \(origin)", cause: Cause(.setting, origin), why: why)
            }
        }
    }

    private func relationGap(
        _ coverage: SessionLogging.ReadCoverage, session: String, relations: [ObjectIndex], column: ColumnRef, audit: ObjectAudit
    ) -> Gap? {
        switch coverage {
        case .nothing(let reason): return Gap(key: "nothing \(reason)", cause: Cause(.setting, reason), why: reason)
        case .unknown(let reason): return unknownGap(reason)
        case .pgaudit(let classes, let origin, let auditor, let auditorOrigin):
            if classes.contains(.read) { return nil }
            if let auditor, audit.covers(auditor: auditor, relations: relations, column: column) { return nil }
            let objectSide = auditor.map { "the audit role \($0) (\(auditorOrigin)) holds no SELECT that marks the table or column (GRANT SELECT ON it TO \($0))" }
                ?? "no audit role marks it (\(auditorOrigin))"
            return Gap(key: "classes \(origin) \(auditorOrigin)", cause: Cause(.setting, origin),
                       why: "\(origin) has no READ class, and \(objectSide)")
        }
    }

    private func unknownGap(_ reason: String) -> Gap {
        Gap(key: "unknown \(reason)", cause: Cause(.setting, "unknown: \(reason)"), why: "whether it is logged is unknown: \(reason)")
    }
}
