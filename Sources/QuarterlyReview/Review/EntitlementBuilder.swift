import SnapshotModel
import AccessEngine
import PolicyAudit

/// Accumulates entitlement items from the roads login roles take to classified data.
///
/// A road (a reacher's path) is cut into: its first membership (`login → role`), every
/// capability step on it, and the entitlement at its end (the grant, attribute, predefined-role
/// membership or ownership that gives the access). The end carries the columns; the first
/// membership and the capabilities are linked to it and carry, at the end, everything they lead to.
struct EntitlementBuilder {
    /// The entitlement at the end of a road, before it is an item.
    struct Entitlement {
        var key: String
        var kind: ReviewItem.Kind
        var principal: String
        var subject: String
        var privilege: String
        var severity: Severity
        /// The role whose accountable owner decides the item.
        var ownerRole: RoleIndex?
    }

    let context: AuditContext
    let traced: Set<TracedAccess>
    let loginAccess: ((LoginAccess) -> Void)?
    private(set) var exposure = ExposureMatrix()
    private(set) var traces: [TracedAccess: Set<String>] = [:]
    private var items: [ReviewItem] = []
    private var indexOfKey: [String: Int] = [:]
    /// Per item: the classified columns it opens, by privilege (end items only).
    private var opened: [Int: [Privilege: Set<ColumnRef>]] = [:]
    /// Per login role: its membership items by role name (a road's first step, met again and again).
    private var firstHops: [RoleIndex: [(role: String, index: Int)]] = [:]
    /// Per end item, this question's login counts by cause (see `settlePeople`).
    private var pendingPeople: [Int: [String: Int]] = [:]
    /// Per attribute, privileged-membership or capability item: the login roles counted.
    private var counted: [Int: Set<RoleIndex>] = [:]
    /// Per first membership or capability item: the end items it leads to.
    private var links: [Int: Set<Int>] = [:]

    init(context: AuditContext, traced: Set<TracedAccess>, loginAccess: ((LoginAccess) -> Void)?) {
        self.context = context
        self.traced = traced
        self.loginAccess = loginAccess
    }

    var graph: AccessGraph { context.graph }

    /// Takes every login road of `cause` to `columns` of `table`; returns the end items it touched.
    mutating func take(_ cause: AccessCause, columns: [ColumnRef], table: ObjectIndex, privilege: Privilege) -> [Int] {
        let graph = self.graph
        let causeRoute = Self.route(of: cause.kind)
        let relation = graph.objects[table].name
        let columnNames = columns.map { context.targetName($0.object, $0.column) }
        let target = "relation|\(relation)|\(privilege.rawValue)"
        let perLogin = privilege == .select || loginAccess != nil
        // Every road of a cause rooted in one grant, attribute or ownership ends in the same item.
        let sharedEnd: Bool = switch cause.kind {
        case .predefinedRole: false
        case .capability: cause.rootGrant != nil
        default: true
        }
        var endOfCause: Int?
        var people: [Int: Int] = [:]
        var sharedPeople = 0
        for reacher in cause.reachers where graph.roles[reacher.principal].attributes.login {
            let route = Self.route(reacher, causeRoute: causeRoute)
            let endIndex: Int
            if sharedEnd, let known = endOfCause {
                endIndex = known
                touch(endIndex, mode: reacher.mode, path: reacher.path, route: route)
                sharedPeople += 1
            } else {
                guard let end = entitlement(of: reacher, cause: cause.kind) else { continue }
                endIndex = upsert(end, mode: reacher.mode, path: AccessPath(reacher.path), route: route)
                endOfCause = endIndex
                people[endIndex, default: 0] += 1
            }
            let first = Self.hasWayStations(reacher.path) || !traced.isEmpty ? place(reacher, end: endIndex, route: route, target: target) : nil
            guard perLogin else { continue }
            let login = graph.roles[reacher.principal].name
            for (column, columnName) in zip(columns, columnNames) {
                if privilege == .select {
                    exposure.add(principal: reacher.principal, column: column, route: route, principalName: login, columnName: columnName)
                }
                loginAccess?(LoginAccess(
                    login: login, privilege: privilege.rawValue, relation: relation,
                    column: String(columnName.dropFirst(relation.count + 1)), membershipItem: first.map { items[$0].id },
                    item: items[endIndex].id, mode: reacher.mode, path: AccessPath(reacher.path)))
            }
        }
        // A summarised grant to PUBLIC: its one route (counted above) stands for this many login roles.
        if let summarized = cause.summarizedLogins, endOfCause != nil { sharedPeople = summarized - 1 }
        if let endOfCause, sharedEnd { people[endOfCause, default: 0] += sharedPeople }
        let base = Self.baseKey(of: cause.kind)
        for (index, count) in people {
            pendingPeople[index, default: [:]][base, default: 0] += count
            opened[index, default: [:]][privilege, default: []].formUnion(columns)
        }
        return people.keys.sorted()
    }

    /// After all the causes of one question (a column or relation and a privilege): an end's
    /// people are the most that one cause gives, its parts split by capability added up (they
    /// are disjoint by principal); causes met on other columns give the same people again.
    mutating func settlePeople() {
        for (index, byBase) in pendingPeople { items[index].people = max(items[index].people, byBase.values.max() ?? 0) }
        pendingPeople.removeAll(keepingCapacity: true)
    }

    /// A cause without the capability it was split off by.
    static func baseKey(of kind: AccessCause.Kind) -> String {
        if case .capability(_, let inner?) = kind { return baseKey(of: inner.cause) }
        return ReachQuery.key(kind)
    }

    /// Whether a road passes a membership or capability before its end (a grant to PUBLIC or to
    /// the login itself does not).
    static func hasWayStations(_ path: [PathStep]) -> Bool {
        guard path.count > 1 else { return false }
        switch path[1] {
        case .publicRole, .grant, .superuser, .ownership, .implicitGrant: return path.dropFirst(2).contains { if case .capability = $0 { true } else { false } }
        default: return true
        }
    }

    /// A road to a privileged attribute or predefined role: its end is given.
    mutating func take(_ reacher: Reacher, entitlement: Entitlement, target: String) {
        let route = Self.route(reacher, causeRoute: nil)
        let end = upsert(entitlement, mode: reacher.mode, path: AccessPath(reacher.path), route: route)
        _ = place(reacher, end: end, route: route, target: target)
        counted[end, default: []].insert(reacher.principal)
        items[end].people = max(items[end].people, counted[end]?.count ?? 0)
    }

    /// Adds columns to end items met before through the same cause.
    mutating func addColumns(_ columns: [ColumnRef], privilege: Privilege, to ends: [Int]) {
        for end in ends { opened[end, default: [:]][privilege, default: []].formUnion(columns) }
    }

    /// Records one road to the end item `endIndex`: its first membership and its capabilities,
    /// linked to the end. Returns the first membership's item.
    private mutating func place(_ reacher: Reacher, end endIndex: Int, route: ExposureRoute, target: String) -> Int? {
        let login = graph.roles[reacher.principal].name
        var touched: [Int] = traced.isEmpty ? [] : [endIndex]
        var first: Int?
        var holder = login
        scan: for (position, step) in reacher.path.enumerated().dropFirst() {
            switch step {
            case .role(let name), .setRole(let name):
                if position == 1, let known = firstHops[reacher.principal]?.first(where: { $0.role == name })?.index {
                    if known != endIndex {
                        first = known
                        touch(known, mode: reacher.mode, path: reacher.path, route: route)
                        links[known, default: []].insert(endIndex)
                        if !traced.isEmpty { touched.append(known) }
                    }
                } else if position == 1 {
                    let membership = Entitlement(
                        key: "membership|\(login)|\(name)", kind: .membership, principal: login, subject: name, privilege: "MEMBER",
                        severity: .info, ownerRole: reacher.principal)
                    let index = upsert(membership, mode: reacher.mode, path: AccessPath(reacher.path), route: route)
                    firstHops[reacher.principal, default: []].append((name, index))
                    if index != endIndex {
                        first = index
                        items[index].people = 1
                        links[index, default: []].insert(endIndex)
                        if !traced.isEmpty { touched.append(index) }
                    }
                }
                holder = name
            case .capability(let capability):
                let entitlement = Entitlement(
                    key: "capability|\(holder)|\(capability.text)", kind: .capability, principal: holder, subject: capability.text,
                    privilege: capability.kind, severity: .info, ownerRole: graph.roleIndex[holder])
                let index = upsert(entitlement, mode: reacher.mode, path: AccessPath(reacher.path), route: route)
                if index != endIndex {
                    links[index, default: []].insert(endIndex)
                    if !traced.isEmpty { touched.append(index) }
                }
                // The login roles that can take the step (capabilities are few; their people counted exactly).
                counted[index, default: []].insert(reacher.principal)
                items[index].people = counted[index]?.count ?? 0
                if let becomes = capability.becomes { holder = becomes }
            case .publicRole, .superuser: continue
            default: break scan
            }
        }
        if !traced.isEmpty {
            let key = TracedAccess(login: login, target: target)
            if traced.contains(key) { traces[key, default: []].formUnion(touched.map { items[$0].id }) }
        }
        return first
    }

    /// Keeps the most direct route's shortest path on an item.
    private mutating func touch(_ index: Int, mode: AccessMode, path steps: [PathStep], route: ExposureRoute) {
        items[index].routes.insert(route)
        if (mode, steps.count) < (items[index].mode, items[index].path.steps.count) {
            items[index].mode = mode
            items[index].path = AccessPath(steps)
        }
    }

    private mutating func upsert(_ entitlement: Entitlement, mode: AccessMode, path: AccessPath, route: ExposureRoute) -> Int {
        if let index = indexOfKey[entitlement.key] {
            items[index].severity = max(items[index].severity, entitlement.severity)
            // A grant on a definer view read through its definer is a definer item, whichever road came first.
            if entitlement.kind == .definer { items[index].kind = .definer }
            touch(index, mode: mode, path: path.steps, route: route)
            return index
        }
        let declaration = entitlement.ownerRole.flatMap { context.declared.declaration(of: graph.roles[$0].name) }
        let principalDeclaration = context.declared.declaration(of: entitlement.principal)
        indexOfKey[entitlement.key] = items.count
        items.append(ReviewItem(
            id: ReviewItem.id(forKey: entitlement.key), key: entitlement.key, kind: entitlement.kind, principal: entitlement.principal,
            owner: declaration?.owner, principalKind: principalDeclaration?.kind, subject: entitlement.subject,
            privilege: entitlement.privilege, severity: entitlement.severity, routes: [route], mode: mode, path: path))
        return items.count - 1
    }

    /// Fills in what each item opens (end items from their columns, the others from the ends
    /// they lead to) and the rules of the findings that name its principal on its subject.
    mutating func finish(findings: [Finding]) -> [ReviewItem] {
        let classOrder = context.policy.dataClasses.sorted { $0.severity > $1.severity }.map(\.name)
        let privilegeOrder = ReviewItemCollector.columnPrivileges + ReviewItemCollector.relationPrivileges
        var classesOfEnd: [Int: Set<String>] = [:]
        for (index, byPrivilege) in opened {
            var columns = Set<ColumnRef>()
            for set in byPrivilege.values { columns.formUnion(set) }
            var classes = Set<String>()
            for column in columns {
                for dataClass in context.classification.classesOfColumn[column] ?? [] {
                    classes.insert(dataClass.name)
                    items[index].severity = max(items[index].severity, dataClass.severity)
                }
            }
            classesOfEnd[index] = classes
            items[index].columns = columns.sorted(by: Self.catalogOrder).map { context.targetName($0.object, $0.column) }
            items[index].opens = privilegeOrder.filter { byPrivilege[$0] != nil }.map(\.rawValue)
        }
        // A membership or capability opens what its ends open; its columns are counted, and
        // listed by the ends (a login's membership may lead to thousands).
        var names: [ColumnRef: String] = [:]
        // The members of one group lead to the same ends: what a set of ends opens is worked out once.
        var opensOfEnds: [Set<Int>: (severity: Severity, holders: [String], opens: [String], columns: [String], classes: Set<String>)] = [:]
        for (index, ends) in links {
            // Its own columns too, when it is also the end of roads of its own.
            var key = ends
            if opened[index] != nil { key.insert(index) }
            let summary = opensOfEnds[key] ?? {
                var columns = Set<ColumnRef>()
                var privileges = Set<Privilege>()
                var classes = Set<String>()
                var holders = Set<String>()
                var severity = Severity.info
                for end in key {
                    severity = max(severity, items[end].severity)
                    if end != index { holders.insert(items[end].principal) }
                    classes.formUnion(classesOfEnd[end] ?? [])
                    for (privilege, opened) in opened[end] ?? [:] {
                        privileges.insert(privilege)
                        columns.formUnion(opened)
                    }
                }
                let named = columns.sorted(by: Self.catalogOrder).map { column in
                    if let known = names[column] { return known }
                    let name = context.targetName(column.object, column.column)
                    names[column] = name
                    return name
                }
                let value = (severity, holders.sorted(), privilegeOrder.filter { privileges.contains($0) }.map(\.rawValue), named, classes)
                opensOfEnds[key] = value
                return value
            }()
            items[index].severity = max(items[index].severity, summary.severity)
            items[index].leadsTo = summary.holders
            items[index].opens = summary.opens
            items[index].columns = summary.columns
            classesOfEnd[index, default: []].formUnion(summary.classes)
        }
        for (index, classes) in classesOfEnd {
            items[index].classes = classes.sorted { (classOrder.firstIndex(of: $0) ?? 0, $0) < (classOrder.firstIndex(of: $1) ?? 0, $1) }
        }
        attach(findings)
        return items
    }

    /// Relations in catalog order, columns in table order (cheaper than sorting names, and how
    /// a reader knows the table).
    static func catalogOrder(_ a: ColumnRef, _ b: ColumnRef) -> Bool { (a.object, a.column) < (b.object, b.column) }

    /// Names each item's findings: rules whose affected principals include its principal on its subject.
    private mutating func attach(_ findings: [Finding]) {
        var rulesByPrincipalSubject: [String: Set<String>] = [:]
        for finding in findings where !finding.suppressed {
            let subjects = [finding.object, finding.cause.kind == .attribute ? finding.cause.description : nil].compactMap { $0 }
            // The finding's principal (a grant's grantee) and the people it affects.
            let principals = [finding.principal].compactMap { $0 } + finding.affected.filter { $0.suppression == nil }.map(\.name)
            for principal in principals {
                for subject in subjects { rulesByPrincipalSubject["\(principal)|\(subject)", default: []].insert(finding.rule) }
                rulesByPrincipalSubject["\(principal)|*", default: []].insert(finding.rule)
            }
        }
        for index in items.indices {
            let item = items[index]
            let subjectRules = rulesByPrincipalSubject["\(item.principal)|\(item.subject)"] ?? []
            let roleRules = [.attribute, .membership].contains(item.kind) ? (rulesByPrincipalSubject["\(item.principal)|*"] ?? []).filter {
                $0 == "undeclared-attribute" || $0 == "undeclared-membership" || $0 == "bulk-export-role"
            } : []
            items[index].findingRules = subjectRules.union(roleRules).sorted()
        }
    }
}
