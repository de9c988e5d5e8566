import AuditSupport
import SnapshotModel
import AccessEngine

/// A login role can read a classified column and the read would leave no pgaudit record: its
/// sessions log no READ class and the audit role holds no SELECT that marks the table or
/// column, pgaudit is not loaded, the log drops pgaudit's records, or the road runs no statement
/// of the reader's on the table at all. One finding per cause (the setting, the missing grant or
/// the road), listing the login roles and columns; coverage that could not be read is reported
/// as unknown, never as logged.
struct UnloggedClassifiedReadCheck: PartitionedAuditCheck {
    static let description = CheckDescription(
        id: "unlogged-classified-read",
        summary: "A login role can read a classified column and the read would not be logged (pgaudit session or object logging), or whether it would is unknown.",
        defaultSeverity: .medium,
        triggering: [CheckExample(
            policy: "version: 1\nsettings:\n  read_logging: required\n" + examplePolicyHeader.dropFirst("version: 1\n".count)
                + "roles:\n  agent: {kind: human, login: true, grants: [{table: public.customers, privileges: [SELECT]}]}\n",
            snapshot: SnapshotBuilder().role("agent", login: true).table("public.customers", columns: ["email"])
                .grant([.select], on: "public.customers", to: "agent").logging(pgaudit: true, settings: ["pgaudit.log": "write, ddl"]).build(),
            expect: "[{object: public.customers, column: email, privilege: SELECT, severity: medium, at: policy.yaml:3}]"),
            CheckExample(
            policy: examplePolicyHeader + "roles:\n  agent: {kind: human, login: true, grants: [{table: public.customers, privileges: [SELECT]}]}\n",
            snapshot: SnapshotBuilder().role("agent", login: true).table("public.customers", columns: ["email"])
                .grant([.select], on: "public.customers", to: "agent").logging(pgaudit: true, settings: ["pgaudit.log": "write, ddl"]).build(),
            expect: "[{object: public.customers, column: email, privilege: SELECT, severity: info, at: policy.yaml:1}]")],
        nonTriggering: [CheckExample(
            policy: examplePolicyHeader + "roles:\n  agent: {kind: human, login: true, grants: [{table: public.customers, privileges: [SELECT]}]}\n",
            snapshot: SnapshotBuilder().role("agent", login: true).table("public.customers", columns: ["email"])
                .grant([.select], on: "public.customers", to: "agent").logging(pgaudit: true, settings: ["pgaudit.log": "read, write"]).build())],
        otherSeverities: [.info])

    /// Why one group of reads would not be logged.
    struct Gap: Sendable {
        var key: String
        var cause: Cause
        var why: String
    }

    /// The login roles whose reads of some columns would leave no record, for one reason.
    struct Group: Sendable {
        var gap: Gap
        var columns: [ColumnRef] = []
        var columnSet: Set<ColumnRef> = []
        var reachers: [Reacher] = []
        var seen: [Bool]
        /// The login partitions (definer owners and coverage key) every login of which a summarised
        /// grant to PUBLIC has already put in.
        var everyLogin: Set<String> = []

        mutating func add(_ column: ColumnRef) {
            if columns.last != column, columnSet.insert(column).inserted { columns.append(column) }
        }

        mutating func add(_ reacher: Reacher) {
            if !seen[reacher.principal] {
                seen[reacher.principal] = true
                reachers.append(reacher)
            }
        }
    }

    /// The groups of one contiguous part of the classified columns (a table's columns together).
    func partial(_ part: Int, of count: Int, in context: AuditContext) -> [Group] {
        let classified = context.classification.classifiedColumns
        guard !classified.isEmpty, context.snapshot.logging != nil else { return [] }
        let graph = context.graph
        let sessions = SessionLogging(logging: context.snapshot.logging, database: context.snapshot.database)
        let audit = ObjectAudit(engine: context.engine)
        // Each login's coverage as an id: the logins without overrides of their own share one,
        // so a gap is worked out once per road and coverage, not once per principal.
        var coverages: [SessionLogging.ReadCoverage] = []
        var coverageIDs: [SessionLogging.ReadCoverage: Int] = [:]
        var coverageOfRole = [Int](repeating: -1, count: graph.roles.count)
        for (index, role) in graph.roles.enumerated() where role.attributes.login {
            let value = sessions.readCoverage(login: role.name)
            let id = coverageIDs[value] ?? coverages.count
            if id == coverages.count {
                coverageIDs[value] = id
                coverages.append(value)
            }
            coverageOfRole[index] = id
        }
        // pgaudit logs inside a definer only for sessions whose user is a member of its owner.
        var membersOf: [String: Set<RoleIndex>] = [:]
        func isMember(_ login: RoleIndex, of owners: [String]) -> Bool {
            if graph.roles[login].attributes.superuser { return true }
            return owners.allSatisfy { owner in
                if membersOf[owner] == nil {
                    membersOf[owner] = graph.roleIndex[owner].map { Set(context.engine.cache.descendants(of: $0, via: .any).order) } ?? []
                }
                return membersOf[owner]?.contains(login) ?? false
            }
        }
        var groups: [Group] = []
        var groupOfKey: [String: Int] = [:]
        // Grants to PUBLIC (SELECT on the column, EXECUTE on a definer reading it) come back as
        // one route and a count: PUBLIC reaches every login that is not a superuser.
        let previous = context.reach.summarizesPublicGrants
        context.reach.summarizesPublicGrants = previous.union([.select, .execute])
        defer { context.reach.summarizesPublicGrants = previous }
        let everyone = graph.roles.indices.filter { graph.roles[$0].attributes.login && !graph.roles[$0].attributes.superuser }
        // Those logins by coverage key (and, behind a definer, by membership of its owners): once per owner set.
        var everyoneByKey: [[String]: [(key: Int, logins: [RoleIndex])]] = [:]
        func partition(owners: [String]) -> [(key: Int, logins: [RoleIndex])] {
            if let known = everyoneByKey[owners] { return known }
            var byKey: [Int: [RoleIndex]] = [:]
            for login in everyone where coverageOfRole[login] >= 0 {
                byKey[coverageOfRole[login] * 2 + (!owners.isEmpty && isMember(login, of: owners) ? 1 : 0), default: []].append(login)
            }
            let result = byKey.keys.sorted().map { (key: $0, logins: byKey[$0] ?? []) }
            everyoneByKey[owners] = result
            return result
        }
        for column in classified.contiguousPart(part, of: count, keepingTogether: { $0.object == $1.object }) {
            for cause in context.reach.causes(.select, column: column) {
                let road = LoggedRoad.of(cause.kind, column: column, graph: graph)
                let owners: [String] = if case .definerCall(let owners, _) = road { owners } else { [] }
                var decided: [Int: Int] = [:]
                // The group of a coverage key (coverage id × 2, + 1 for a member of the definer's owners).
                func group(forKey key: Int) -> Int? {
                    if let known = decided[key] { return known >= 0 ? known : nil }
                    var index = -1
                    if let gap = gap(road, coverage: coverages[key / 2], member: key % 2 == 1, column: column, sessions: sessions, audit: audit, graph: graph) {
                        index = groupOfKey[gap.key] ?? groups.count
                        if index == groups.count {
                            groupOfKey[gap.key] = index
                            groups.append(Group(gap: gap, seen: [Bool](repeating: false, count: graph.roles.count)))
                        }
                    }
                    decided[key] = index
                    return index >= 0 ? index : nil
                }
                if cause.summarizedLogins != nil, let representative = cause.reachers.first {
                    for (key, logins) in partition(owners: owners) {
                        guard let index = group(forKey: key) else { continue }
                        groups[index].add(column)
                        guard groups[index].everyLogin.insert("\(owners.joined(separator: "\u{0}"))\u{1}\(key)").inserted else { continue }
                        for login in logins {
                            groups[index].add(context.reach.publicRoute(from: representative, role: login, grantOn: cause.rootGrant?.object ?? column.object))
                        }
                    }
                    continue
                }
                for reacher in cause.reachers {
                    let coverage = coverageOfRole[reacher.principal]
                    guard coverage >= 0 else { continue }
                    let key = coverage * 2 + (!owners.isEmpty && isMember(reacher.principal, of: owners) ? 1 : 0)
                    guard let index = group(forKey: key) else { continue }
                    groups[index].add(column)
                    groups[index].add(reacher)
                }
            }
        }
        return groups
    }

    /// The parts' groups merged as one run in column order would have made them: a group's
    /// reachers are the first of each principal, its columns in order, groups in order of first use.
    func findings(merging partials: [[Group]], in context: AuditContext) -> [Finding] {
        guard !context.classification.classifiedColumns.isEmpty else { return [] }
        let graph = context.graph
        let severity: Severity = context.policy.settings.readLogging == .required ? Self.description.defaultSeverity : .info
        let location = context.policy.settings.location ?? context.fallbackLocation
        guard context.snapshot.logging != nil else {
            // An export from before logging settings were read: say so once, cheaply.
            return [Self.finding(severity: .info, principal: nil,
                cause: Cause(.setting, "logging settings not in the snapshot"),
                message: "whether reads of classified columns are logged is unknown: the snapshot does not carry the logging settings (export it again with this version's exporter)",
                location: location)]
        }
        var groups: [Group] = []
        var groupOfKey: [String: Int] = [:]
        for group in partials.joined() {
            guard let index = groupOfKey[group.gap.key] else {
                groupOfKey[group.gap.key] = groups.count
                groups.append(group)
                continue
            }
            for column in group.columns { groups[index].add(column) }
            for reacher in group.reachers { groups[index].add(reacher) }
        }
        return groups.map { group in
            let (sample, count) = context.affectedSample(group.reachers, rule: Self.description.id)
            let names = group.columns.map(graph.name(of:))
            let shown = names.prefix(10).joined(separator: ", ") + (names.count > 10 ? " and \(names.count - 10) more" : "")
            let first = graph.objects[group.columns[0].object]
            return Self.finding(severity: severity, principal: nil, objectKind: .table, object: first.name,
                column: group.columns.count == 1 ? first.columns[group.columns[0].column].name : nil, privilege: .select,
                cause: group.gap.cause,
                message: "\(count) login role(s) can read \(shown) and the read would not be logged: \(group.gap.why)",
                affected: sample.sorted { $0.name < $1.name }, principalCount: count, location: location)
        }
    }

    /// Why reads on `road` by sessions with `coverage` would leave no record; nil when logged.
    private func gap(
        _ road: LoggedRoad, coverage: SessionLogging.ReadCoverage, member: Bool, column: ColumnRef, sessions: SessionLogging,
        audit: ObjectAudit, graph: AccessGraph
    ) -> Gap? {
        switch road {
        case .unseen(let how):
            return Gap(key: "unseen \(how)", cause: Cause(.capability, how),
                       why: "the road runs no statement of the reader's on the table (\(how)); pgaudit records nothing that names the column")
        case .remoteSession(let user, let relations):
            guard graph.roleIndex[user] != nil else {
                return Gap(key: "remote \(user)", cause: Cause(.capability, "a foreign server session as \(user)"),
                           why: "a foreign server opens a session as \(user), a role this snapshot does not have: its logging is unknown")
            }
            return relationGap(sessions.readCoverage(login: user), relations: relations, column: column, audit: audit)
        case .relation(let relations):
            return relationGap(coverage, relations: relations, column: column, audit: audit)
        case .definerCall(_, let relations):
            if member { return relationGap(coverage, relations: relations, column: column, audit: audit) }
            switch coverage {
            case .nothing(let reason): return Gap(key: "nothing \(reason)", cause: Cause(.setting, reason), why: reason)
            case .unknown(let reason): return unknownGap(reason)
            case .pgaudit(let classes, let origin, _, _):
                if !classes.isDisjoint(with: [.read, .function]) { return nil }
                let why = "\(origin) logs neither READ nor FUNCTION, and pgaudit's object logging never sees inside a SECURITY DEFINER function (it skips statements run as a role the session user is not a member of)"
                return Gap(key: "definer \(origin)", cause: Cause(.setting, origin), why: why)
            }
        }
    }

    private func relationGap(_ coverage: SessionLogging.ReadCoverage, relations: [ObjectIndex], column: ColumnRef, audit: ObjectAudit) -> Gap? {
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
