import SnapshotModel

/// Derives what every role can effectively do, the way PostgreSQL derives it: direct grants,
/// PUBLIC, inherited memberships, SET ROLE reach, ownership, superuser, schema USAGE, definer
/// views and SECURITY DEFINER functions, and row-level security. Every answer carries its path.
///
/// Closures are memoised per role over the membership graph; nothing is a dense
/// role × object matrix. Not thread-safe: use one engine per task.
package final class EffectiveAccessEngine {
    package let graph: AccessGraph
    package let cache: MembershipCache
    let rowSecurity: RowSecurityEvaluator
    private var ownedObjects: [RoleIndex: [ObjectIndex]] = [:]
    private var readableCache: [RoleIndex: [ColumnRef: AccessPath]] = [:]
    private var writableCache: [RoleIndex: [(object: ObjectIndex, column: Int?, privilege: Privilege, path: AccessPath)]] = [:]
    private var readableInProgress: Set<RoleIndex> = []
    /// Set when a readable-columns computation met a role already being computed (a cycle cut).
    private var readableCycleCut = false
    /// Per grantee, its SELECT grants on relations: PUBLIC's list is walked for every role
    /// whose readable columns are asked, so it is filtered once (it was owners × PUBLIC grants).
    private var selectGrantCache: [Grantee: [AccessGraph.GrantLocation]] = [:]

    /// What roles can become through capabilities; built on first use.
    private(set) lazy var capabilities = CapabilityIndex(engine: self)

    package init(graph: AccessGraph) {
        self.graph = graph
        cache = MembershipCache(graph: graph)
        rowSecurity = RowSecurityEvaluator(graph: graph, cache: cache)
        for index in graph.objects.indices { ownedObjects[graph.objects[index].owner, default: []].append(index) }
    }

    package convenience init(snapshot: Snapshot) { self.init(graph: AccessGraph(snapshot: snapshot)) }

    // MARK: - The questions PostgreSQL's own functions answer

    /// `has_table_privilege` / `has_sequence_privilege` / `has_function_privilege` /
    /// `has_schema_privilege` / `has_database_privilege`: the object's ACL alone (no schema USAGE).
    package func hasPrivilege(_ role: RoleIndex, _ privilege: Privilege, on object: ObjectIndex) -> Bool {
        guard graph.applicablePrivileges(graph.objects[object].kind).contains(privilege) else { return false }
        if graph.roles[role].attributes.superuser { return true }
        if holds(role, privilege, in: graph.objects[object].acl) { return true }
        return holdsImplicitly(role, privilege, on: graph.objects[object].kind)
    }

    /// Through pg_read_all_data / pg_write_all_data, whose privileges are in no ACL.
    func holdsImplicitly(_ role: RoleIndex, _ privilege: Privilege, on kind: ObjectKind) -> Bool {
        let roles = cache.ancestors(of: role, via: .inherit)
        return graph.implicitPrivilegeRoles.contains { holder in
            roles.contains(holder) && PredefinedRoles.implicitPrivileges(of: graph.roles[holder].name, on: kind).contains(privilege)
        }
    }

    /// `has_column_privilege`: a table-level grant or a grant on the column.
    package func hasColumnPrivilege(_ role: RoleIndex, _ privilege: Privilege, on column: ColumnRef) -> Bool {
        if hasPrivilege(role, privilege, on: column.object) { return true }
        return holds(role, privilege, in: graph.objects[column.object].columns[column.column].acl)
    }

    /// `has_any_column_privilege`: a table-level grant or a grant on any column.
    package func hasAnyColumnPrivilege(_ role: RoleIndex, _ privilege: Privilege, on table: ObjectIndex) -> Bool {
        if hasPrivilege(role, privilege, on: table) { return true }
        // PostgreSQL looks at user columns only (system columns' grants do not count here).
        return graph.objects[table].columns.contains { !$0.system && holds(role, privilege, in: $0.acl) }
    }

    /// The modes of `pg_has_role`.
    package enum RoleCheck: Sendable {
        /// `USAGE`: has the privileges of the role without SET ROLE.
        case usage
        /// `MEMBER`: is a member directly or indirectly.
        case member
        /// `SET` (PostgreSQL 16+): may SET ROLE to it.
        case set
    }

    /// `pg_has_role(role, target, mode)`.
    package func hasRole(_ role: RoleIndex, _ target: RoleIndex, _ check: RoleCheck) -> Bool {
        if role == target || graph.roles[role].attributes.superuser { return true }
        switch check {
        case .usage: return cache.ancestors(of: role, via: .inherit).contains(target)
        case .member: return cache.ancestors(of: role, via: .any).contains(target)
        case .set: return cache.ancestors(of: role, via: .set).contains(target)
        }
    }

    func holds(_ role: RoleIndex, _ privilege: Privilege, in acl: [GrantBundle], withGrantOption: Bool = false) -> Bool {
        let roles = cache.ancestors(of: role, via: .inherit)
        return acl.contains { bundle in
            guard (withGrantOption ? bundle.grantable : bundle.privileges).contains(privilege) else { return false }
            switch bundle.grantee {
            case .publicRole: return true
            case .role(let grantee): return roles.contains(grantee)
            }
        }
    }

    // MARK: - Everything a role can do

    /// Every privilege `role` holds, one (shortest, most direct) path per object, column and privilege.
    package func privileges(of role: RoleIndex) -> [EffectivePrivilege] {
        let block = connectionBlock(of: role)
        return collect(role, keepingAlternatives: false).held.values.map { makeEffective($0, principal: role, connectionBlock: block) }
            .sorted(by: Self.order)
    }

    /// Every route by which `role` holds any privilege on `object` (and `column`, if given):
    /// each grant, PUBLIC grant, ownership, attribute, SET ROLE target, view and function that
    /// gives it, each with its shortest membership chain. Empty when `role` can do nothing there.
    package func explain(_ role: RoleIndex, object: ObjectIndex, column: Int? = nil) -> [EffectivePrivilege] {
        let collector = collect(role, keepingAlternatives: true)
        let matching = collector.alternatives.filter { held in
            guard held.object == object else { return false }
            guard let column else { return true }
            return held.column == nil || held.column == column
        }
        var seen = Set<EffectivePrivilege>()
        let block = connectionBlock(of: role)
        return matching.map { makeEffective($0, principal: role, connectionBlock: block) }
            .filter { seen.insert($0).inserted }
            .sorted { ($0.privilege, $0.mode, $0.path.steps.count) < ($1.privilege, $1.mode, $1.path.steps.count) }
    }

    private func collect(_ role: RoleIndex, keepingAlternatives: Bool) -> HeldCollector {
        var collector = HeldCollector(keepsAlternatives: keepingAlternatives)
        collectDirect(role, into: &collector)
        collectSetRole(role, into: &collector)
        collectCapabilities(role, into: &collector)
        collectWatches(role, into: &collector)
        collectDefinerRoutes(into: &collector)
        return collector
    }

    // MARK: - Collection

    struct Held {
        package var object: ObjectIndex
        var column: Int?
        var privilege: Privilege
        var grantable: Bool
        var mode: AccessMode
        var route: AccessRoute
        var path: [PathStep]
        /// The role whose rights are in force (for row security): the principal, the SET ROLE
        /// target, or a definer view's or function's owner.
        var actingRole: RoleIndex
        var note: String?
    }

    struct HeldKey: Hashable {
        package var object: ObjectIndex
        var column: Int?
        var privilege: Privilege
    }

    struct HeldCollector {
        var held: [HeldKey: Held] = [:]
        let keepsAlternatives: Bool
        var alternatives: [Held] = []

        mutating func offer(_ candidate: Held) {
            if keepsAlternatives { alternatives.append(candidate) }
            let key = HeldKey(object: candidate.object, column: candidate.column, privilege: candidate.privilege)
            if let existing = held[key], !Self.isBetter(candidate, than: existing) { return }
            held[key] = candidate
        }

        /// A total order, so the kept path never depends on the order routes were found in:
        /// usable before SET ROLE before latent, then shorter, then by route, then by text.
        static func isBetter(_ a: Held, than b: Held) -> Bool {
            if a.mode != b.mode { return a.mode < b.mode }
            if a.path.count != b.path.count { return a.path.count < b.path.count }
            if a.route != b.route { return routeRank(a.route) < routeRank(b.route) }
            return AccessPath(a.path).description < AccessPath(b.path).description
        }

        static func routeRank(_ route: AccessRoute) -> Int {
            switch route {
            case .grant: 0
            case .publicGrant: 1
            case .predefinedRole: 2
            case .superuser: 3
            case .view: 4
            case .function: 5
            case .ownership: 6
            case .watch: 7
            }
        }
    }

    private func roleSteps(_ chain: [RoleIndex]) -> [PathStep] { chain.map { .role(graph.roles[$0].name) } }

    private func grantStep(_ location: AccessGraph.GrantLocation, _ privilege: Privilege, _ bundle: GrantBundle) -> PathStep {
        let object = graph.objects[location.object]
        return .grant(
            privilege: privilege, object: object.name, column: location.column.map { object.columns[$0].name },
            grantee: graph.name(of: bundle.grantee), grantors: bundle.grantors, grantable: bundle.grantable.contains(privilege))
    }

    private func offerGrants(of grantee: Grantee, prefix: [PathStep], mode: AccessMode, acting: RoleIndex, into collector: inout HeldCollector) {
        let route: AccessRoute = grantee == .publicRole ? .publicGrant : .grant
        for location in graph.grants(of: grantee) {
            let bundle = graph.bundle(at: location)
            for privilege in bundle.privileges {
                offer(Held(
                    object: location.object, column: location.column, privilege: privilege,
                    grantable: bundle.grantable.contains(privilege), mode: mode, route: route,
                    path: prefix + [grantStep(location, privilege, bundle)], actingRole: acting), into: &collector)
            }
        }
    }

    /// pg_read_all_data's and pg_write_all_data's privileges on every relation, sequence and schema.
    private func offerImplicit(of holder: RoleIndex, prefix: [PathStep], mode: AccessMode, acting: RoleIndex, into collector: inout HeldCollector) {
        guard graph.implicitPrivilegeRoles.contains(holder) else { return }
        let name = graph.roles[holder].name
        for (index, object) in graph.objects.enumerated() {
            for privilege in PredefinedRoles.implicitPrivileges(of: name, on: object.kind) {
                offer(Held(
                    object: index, column: nil, privilege: privilege, grantable: false, mode: mode, route: .predefinedRole,
                    path: prefix + [.implicitGrant(privilege: privilege, object: object.name, role: name)], actingRole: acting), into: &collector)
            }
        }
    }

    private func offerEverything(prefix: [PathStep], mode: AccessMode, acting: RoleIndex, into collector: inout HeldCollector) {
        for (index, object) in graph.objects.enumerated() {
            for privilege in graph.applicablePrivileges(object.kind) {
                offer(Held(
                    object: index, column: nil, privilege: privilege, grantable: true, mode: mode, route: .superuser,
                    path: prefix, actingRole: acting), into: &collector)
            }
        }
    }

    private func offerOwnership(
        of owners: [RoleIndex], prefixFor: (RoleIndex) -> [PathStep], mode: AccessMode, acting: RoleIndex, into collector: inout HeldCollector
    ) {
        for owner in owners {
            for index in ownedObjects[owner] ?? [] {
                let object = graph.objects[index]
                for privilege in graph.applicablePrivileges(object.kind) {
                    offer(Held(
                        object: index, column: nil, privilege: privilege, grantable: true, mode: max(mode, .capability), route: .ownership,
                        path: prefixFor(owner) + [.ownership(object: object.name)], actingRole: acting,
                        note: "through ownership: the owner can grant it to itself at any time"), into: &collector)
                }
            }
        }
    }

    private func collectDirect(_ role: RoleIndex, into collector: inout HeldCollector) {
        let name = graph.roles[role].name
        if graph.roles[role].attributes.superuser {
            offerEverything(prefix: [.superuser(name)], mode: .direct, acting: role, into: &collector)
            return
        }
        let inherited = cache.ancestors(of: role, via: .inherit)
        for ancestor in inherited.order {
            let prefix = roleSteps(inherited.chain(to: ancestor, in: graph))
            offerGrants(of: .role(ancestor), prefix: prefix, mode: .direct, acting: role, into: &collector)
            offerImplicit(of: ancestor, prefix: prefix, mode: .direct, acting: role, into: &collector)
        }
        offerGrants(of: .publicRole, prefix: [.role(name), .publicRole], mode: .direct, acting: role, into: &collector)
        offerOwnership(
            of: inherited.order, prefixFor: { self.roleSteps(inherited.chain(to: $0, in: self.graph)) }, mode: .direct, acting: role,
            into: &collector)
    }

    private func collectSetRole(_ role: RoleIndex, into collector: inout HeldCollector) {
        if graph.roles[role].attributes.superuser { return }
        let inherited = cache.ancestors(of: role, via: .inherit)
        let settable = cache.ancestors(of: role, via: .set)
        for target in settable.order.dropFirst() {
            let setChain = settable.chain(to: target, in: graph)
            let prefix: [PathStep] = [.role(graph.roles[role].name)] + setChain.dropFirst().map { .setRole(graph.roles[$0].name) }
            if graph.roles[target].attributes.superuser {
                offerEverything(prefix: prefix + [.superuser(graph.roles[target].name)], mode: .setRole, acting: target, into: &collector)
                continue
            }
            let targetRoles = cache.ancestors(of: target, via: .inherit)
            for ancestor in targetRoles.order where !inherited.contains(ancestor) {
                let steps = prefix + roleSteps(Array(targetRoles.chain(to: ancestor, in: graph).dropFirst()))
                offerGrants(of: .role(ancestor), prefix: steps, mode: .setRole, acting: target, into: &collector)
                offerImplicit(of: ancestor, prefix: steps, mode: .setRole, acting: target, into: &collector)
                offerOwnership(of: [ancestor], prefixFor: { _ in steps }, mode: .setRole, acting: target, into: &collector)
            }
        }
    }

    /// Roles reached only through capabilities (ADMIN OPTION, CREATEROLE before 16, redirectable
    /// definer code): their privileges, in mode `capability`, acting as that role.
    private func collectCapabilities(_ role: RoleIndex, into collector: inout HeldCollector) {
        if graph.roles[role].attributes.superuser { return }
        let inherited = cache.ancestors(of: role, via: .inherit)
        for route in capabilities.routes(from: role) {
            let target = route.target
            if graph.roles[target].attributes.superuser {
                offerEverything(
                    prefix: route.steps.dropLast() + [.superuser(graph.roles[target].name)], mode: .capability, acting: target, into: &collector)
                continue
            }
            let targetRoles = cache.ancestors(of: target, via: .inherit)
            for ancestor in targetRoles.order where !inherited.contains(ancestor) {
                let steps = route.steps + roleSteps(Array(targetRoles.chain(to: ancestor, in: graph).dropFirst()))
                offerGrants(of: .role(ancestor), prefix: steps, mode: .capability, acting: target, into: &collector)
                offerImplicit(of: ancestor, prefix: steps, mode: .capability, acting: target, into: &collector)
                offerOwnership(of: [ancestor], prefixFor: { _ in steps }, mode: .capability, acting: target, into: &collector)
            }
        }
    }

    /// The roles `role` acts as, with the steps to each and the mode: itself, its SET ROLE
    /// targets, and the roles its capabilities reach.
    func actingRoles(of role: RoleIndex) -> [(role: RoleIndex, steps: [PathStep], mode: AccessMode)] {
        let name = graph.roles[role].name
        let settable = cache.ancestors(of: role, via: .set)
        var result: [(role: RoleIndex, steps: [PathStep], mode: AccessMode)] = settable.order.map { target in
            let chain = settable.chain(to: target, in: graph)
            return (target, [.role(name)] + chain.dropFirst().map { .setRole(graph.roles[$0].name) }, target == role ? .direct : .setRole)
        }
        for route in capabilities.routes(from: role) { result.append((route.target, route.steps, .capability)) }
        return result
    }

    /// Data watched flowing past: TRIGGER on a relation (a trigger receives its rows), being able
    /// to replace a trigger, policy or expression function (its body then receives them), REPLICATION (logical decoding), monitoring roles
    /// (other sessions' SQL text), server-file roles and catalog grants (the data itself).
    private func collectWatches(_ role: RoleIndex, into collector: inout HeldCollector) {
        if graph.roles[role].attributes.superuser { return }
        // Only TRIGGER holdings and privileges on relations with rules lead anywhere: pick those
        // out first (sorting every holding of a role cost more than the audit of it).
        let leading = collector.held.values.filter { held in
            (held.privilege == .trigger && held.column == nil) || graph.rules[held.object] != nil
        }
        for held in leading.sorted(by: { HeldCollector.isBetter($0, than: $1) }) {
            if held.privilege == .trigger, held.column == nil, graph.objects[held.object].kind == .table {
                offerWatch(
                    columnsOf: [held.object], step: .trigger(table: graph.objects[held.object].name), prefix: held.path,
                    mode: max(held.mode, .capability), acting: held.actingRole, into: &collector)
            }
            for rule in graph.rules[held.object] ?? [] where rule.event == held.privilege {
                offerRuleReads(rule, on: held.object, firedBy: held, into: &collector)
            }
        }
        for acting in actingRoles(of: role) {
            // Replacing the body of a function a trigger runs, a row-security policy calls or a
            // relation's own expression (generated column, CHECK, index) calls: receive the rows
            // (for an expression, the columns it passes).
            let mode = max(acting.mode, .capability)
            for (function, prefix) in replaceable(graph.triggerTables, by: acting) {
                for table in graph.triggerTables[function] ?? [] {
                    let step = CapabilityStep.triggerFunction(function: graph.objects[function].name, table: graph.objects[table].name)
                    offerWatch(columnsOf: [table], step: step, prefix: prefix, mode: mode, acting: acting.role, into: &collector)
                }
            }
            for (function, prefix) in replaceable(graph.policyTables, by: acting) {
                for table in graph.policyTables[function] ?? [] {
                    let step = CapabilityStep.policyFunction(function: graph.objects[function].name, table: graph.objects[table].name)
                    offerWatch(columnsOf: [table], step: step, prefix: prefix, mode: mode, acting: acting.role, into: &collector)
                }
            }
            for (function, prefix) in replaceable(graph.expressionTables, by: acting) {
                for use in graph.expressionTables[function] ?? [] {
                    guard let expression = graph.expressions[use.table]?[use.expression] else { continue }
                    let step = CapabilityStep.expressionFunction(
                        function: graph.objects[function].name, table: graph.objects[use.table].name, expression: expression.text)
                    offerWatch(columns: expression.reads, step: step, prefix: prefix, mode: mode, acting: acting.role, into: &collector)
                }
            }
            for (step, steps) in globalWatches(of: acting.role, prefix: acting.steps) {
                offerWatch(columnsOf: dataRelations, step: step, prefix: steps, mode: max(acting.mode, .capability), acting: acting.role, into: &collector)
            }
        }
    }

    /// The functions (keys of `functions`) whose body the acting role can replace, in index
    /// order, each with the path from the principal through the owner to the ownership.
    private func replaceable<Use>(
        _ functions: [ObjectIndex: Use], by acting: (role: RoleIndex, steps: [PathStep], mode: AccessMode)
    ) -> [(function: ObjectIndex, prefix: [PathStep])] {
        guard !functions.isEmpty else { return [] }
        let inherited = cache.ancestors(of: acting.role, via: .inherit)
        return functions.keys.sorted().filter { canReplace(acting.role, $0) }.map { function in
            let owner = graph.objects[function].owner
            return (function, acting.steps + roleSteps(Array(inherited.chain(to: owner, in: graph).dropFirst()))
                + [.ownership(object: graph.objects[function].name)])
        }
    }

    /// Whether `role`, as current user, can replace `function`'s body: it has the owner's
    /// privileges and CREATE on the function's schema (`CREATE OR REPLACE FUNCTION` checks both;
    /// an owner without CREATE there cannot change the body).
    func canReplace(_ role: RoleIndex, _ function: ObjectIndex) -> Bool {
        guard cache.ancestors(of: role, via: .inherit).contains(graph.objects[function].owner) else { return false }
        guard let schema = graph.objects[function].schema else { return true }
        return hasPrivilege(role, .create, on: schema)
    }

    /// Relations that hold rows (tables, partitioned tables, materialized views): what
    /// replication, statistics and the data files reveal.
    private(set) lazy var dataRelations: [ObjectIndex] = graph.objects.indices.filter(holdsRows)

    /// Whether a relation holds rows of its own (table, partitioned table, materialized view).
    func holdsRows(_ index: ObjectIndex) -> Bool {
        let kind = graph.objects[index].relationKind
        return kind == .table || kind == .partitionedTable || kind == .materializedView
    }

    /// Grants whose holder sees every table's data outside any table ACL: SELECT on
    /// pg_statistic, EXECUTE on the file functions, ALTER SYSTEM on a parameter the server runs.
    private(set) lazy var watchGrants: [(grantee: Grantee, step: CapabilityStep)] = {
        var result: [(grantee: Grantee, step: CapabilityStep)] = []
        for grant in graph.catalogGrants {
            guard let privilege = CatalogObjects.dataRevealingPrivilege(kind: grant.kind, object: grant.object) else { continue }
            for bundle in grant.acl where bundle.privileges.contains(privilege) {
                result.append((bundle.grantee, .catalog(object: grant.object, privilege: privilege, grantee: graph.name(of: bundle.grantee))))
            }
        }
        for parameter in graph.parameterGrants where CatalogObjects.codeRunningParameters.contains(parameter.name) {
            for bundle in parameter.acl where bundle.privileges.contains(.alterSystem) {
                result.append((bundle.grantee, .alterSystem(parameter: parameter.name, grantee: graph.name(of: bundle.grantee))))
            }
        }
        return result
    }()

    /// The watch capabilities a role acting as itself holds over every relation, each with its steps.
    func globalWatches(of role: RoleIndex, prefix: [PathStep]) -> [(CapabilityStep, [PathStep])] {
        let node = graph.roles[role]
        if node.attributes.superuser { return [] }
        var result: [(CapabilityStep, [PathStep])] = []
        if node.attributes.replication { result.append((.replication(role: node.name), prefix)) }
        let inherited = cache.ancestors(of: role, via: .inherit)
        for ancestor in inherited.order {
            let name = graph.roles[ancestor].name
            let steps = prefix + roleSteps(Array(inherited.chain(to: ancestor, in: graph).dropFirst()))
            if name == PredefinedRoles.readAllStats { result.append((.monitoring(role: name), steps)) }
            if PredefinedRoles.serverFileRoles.contains(name) { result.append((.serverFiles(role: name), steps)) }
        }
        for grant in watchGrants {
            switch grant.grantee {
            case .publicRole: result.append((grant.step, prefix))
            case .role(let holder) where inherited.contains(holder):
                result.append((grant.step, prefix + roleSteps(Array(inherited.chain(to: holder, in: graph).dropFirst()))))
            default: continue
            }
        }
        return result
    }

    /// A rewrite rule's actions run as the relation's owner for whoever fires it, and return
    /// what they read: the columns its owner can read reach the role that fired it.
    private func offerRuleReads(_ rule: RuleNode, on table: ObjectIndex, firedBy held: Held, into collector: inout HeldCollector) {
        let owner = graph.objects[table].owner
        let readable = readableColumns(of: owner)
        let step = PathStep.capability(.rewriteRule(rule: rule.name, table: graph.objects[table].name, event: rule.event, owner: graph.roles[owner].name))
        for column in rule.reads {
            guard let ownerPath = readable[column] else { continue }
            offer(Held(
                object: column.object, column: column.column, privilege: .select, grantable: false, mode: max(held.mode, .capability),
                route: .watch, path: held.path + [step] + ownerPath.steps.dropFirst(), actingRole: owner,
                note: "returned by a rewrite rule that runs as the table's owner"), into: &collector)
        }
    }

    private func offerWatch(
        columnsOf relations: [ObjectIndex], step: CapabilityStep, prefix: [PathStep], mode: AccessMode, acting: RoleIndex,
        into collector: inout HeldCollector
    ) {
        let columns = relations.flatMap { relation in
            graph.objects[relation].columns.indices.filter { !graph.objects[relation].columns[$0].system }.map { ColumnRef(object: relation, column: $0) }
        }
        offerWatch(columns: columns, step: step, prefix: prefix, mode: mode, acting: acting, into: &collector)
    }

    private func offerWatch(
        columns: [ColumnRef], step: CapabilityStep, prefix: [PathStep], mode: AccessMode, acting: RoleIndex, into collector: inout HeldCollector
    ) {
        let path = prefix + [.capability(step)]
        for column in columns {
            offer(Held(
                object: column.object, column: column.column, privilege: .select, grantable: false, mode: mode, route: .watch, path: path,
                actingRole: acting, note: "rows watched flowing past, not read by a grant"), into: &collector)
        }
    }

    /// Offers a candidate after the schema check: tables, sequences and functions are reachable
    /// only with USAGE on their schema; without it the privilege is held but latent. (Definer
    /// routes are exempt: PostgreSQL checks the view's or function's own schema, not the base's.)
    private func offer(_ candidate: Held, into collector: inout HeldCollector) {
        var held = candidate
        if held.mode != .latent, held.route != .view, held.route != .function, held.route != .watch,
            let schema = graph.objects[held.object].schema, !hasPrivilege(held.actingRole, .usage, on: schema)
        {
            held.mode = .latent
            held.note = "not usable by name: \(graph.roles[held.actingRole].name) lacks USAGE on schema \(graph.objects[schema].name) (views, SQL-standard functions and triggers bound to it still read it)"
        }
        collector.offer(held)
    }

    /// SELECT on a definer view reaches the base columns its owner can read; EXECUTE on a
    /// SECURITY DEFINER function reaches what its owner can read (or the columns it declares).
    /// Runs to a fixpoint: a function or view that reads another definer view's column reaches
    /// that view's base columns too.
    private func collectDefinerRoutes(into collector: inout HeldCollector) {
        var worklist = collector.held.values.sorted { HeldCollector.isBetter($1, than: $0) }
        var expanded = Set<HeldKey>()
        while let held = worklist.popLast() {
            guard expanded.insert(HeldKey(object: held.object, column: held.column, privilege: held.privilege)).inserted else { continue }
            for derived in definerReach(of: held) {
                let tableKey = HeldKey(object: derived.object, column: nil, privilege: derived.privilege)
                if let table = collector.held[tableKey], table.mode <= derived.mode {
                    // Redundant for the listing, but still a route `explain` must show.
                    if collector.keepsAlternatives { collector.alternatives.append(derived) }
                    continue
                }
                let key = HeldKey(object: derived.object, column: derived.column, privilege: derived.privilege)
                let before = collector.held[key]
                offer(derived, into: &collector)
                if let after = collector.held[key], before.map({ $0.path != after.path || $0.mode != after.mode }) ?? true {
                    expanded.remove(key)
                    worklist.append(after)
                }
            }
        }
    }

    /// The base columns one held privilege reaches through a definer view or function.
    private func definerReach(of held: Held) -> [Held] {
        let object = graph.objects[held.object]
        var fired: [Held] = []
        if Self.writePrivileges.contains(held.privilege), let triggers = graph.triggers[held.object] {
            fired = triggerWrites(held, triggers: triggers)
        }
        if object.relationKind == .view, !object.securityInvoker, object.updatable.contains(held.privilege) {
            return fired + writeThrough(held, view: object)
        }
        if !fired.isEmpty { return fired }
        let reads: [ColumnRef]?
        let hop: PathStep
        let route: AccessRoute
        if held.privilege == .select, object.isDefinerView {
            reads = held.column.flatMap { object.columns[$0].reads } ?? object.reads
            hop = .definerView(view: object.name, owner: graph.roles[object.owner].name)
            route = .view
        } else if held.privilege == .execute, object.kind == .function, object.securityDefiner, !object.triggerOnly {
            reads = object.reads
            hop = .definerFunction(function: object.name, owner: graph.roles[object.owner].name)
            route = .function
        } else {
            return []
        }
        let readable = readableColumns(of: object.owner)
        var result: [Held] = (reads ?? Array(readable.keys)).compactMap { column in
            guard let ownerPath = readable[column] else { return nil }
            return Held(
                object: column.object, column: column.column, privilege: .select, grantable: false,
                mode: held.mode, route: route, path: held.path + [hop] + ownerPath.steps.dropFirst(),
                actingRole: object.owner, note: held.note)
        }
        // What its body writes, it writes with its owner's rights (where the owner holds them).
        if route == .function {
            result += definerWrites(of: held.object, through: held, hop: hop, note: "written by SECURITY DEFINER \(object.name) with its owner's rights")
        }
        // Definer functions its body calls run as their own owners and return what they reach.
        if route == .function {
            for callee in object.definerCallees {
                let calleeHop = PathStep.definerFunction(function: graph.objects[callee].name, owner: graph.roles[graph.objects[callee].owner].name)
                guard !held.path.contains(calleeHop) else { continue }
                var through = held
                through.object = callee
                through.path = held.path + [hop]
                result += definerReach(of: through)
            }
        }
        return result
    }

    /// The privileges that write a relation (and fire its triggers).
    static let writePrivileges = PrivilegeSet([.insert, .update, .delete, .truncate])

    /// What a definer function writes with its owner's rights for whoever runs it (`held`, a
    /// privilege that runs it): its body's writes where the owner holds them, or, when its writes
    /// cannot be read, everything the owner can write.
    private func definerWrites(of function: ObjectIndex, through held: Held, hop: PathStep, note: String) -> [Held] {
        let owner = graph.objects[function].owner
        var result: [Held] = []
        for write in graph.functionWrites[function] ?? [] {
            guard let ownerPath = directPath(owner, write.privilege, on: write.object, column: write.column) else { continue }
            result.append(Held(
                object: write.object, column: write.column, privilege: write.privilege, grantable: false, mode: held.mode,
                route: .function, path: held.path + [hop] + ownerPath.dropFirst(), actingRole: owner, note: note))
        }
        if graph.opaqueWriterSet.contains(function) {
            for write in writableTargets(of: owner) {
                result.append(Held(
                    object: write.object, column: write.column, privilege: write.privilege, grantable: false, mode: held.mode,
                    route: .function, path: held.path + [hop] + write.path.steps.dropFirst(), actingRole: owner,
                    note: note + " (its body runs SQL built at run time: anything the owner can write)"))
            }
        }
        return result
    }

    /// A write on a relation fires its triggers; a SECURITY DEFINER trigger function makes its own
    /// writes with its owner's rights (no EXECUTE is checked when a trigger fires).
    private func triggerWrites(_ held: Held, triggers: [TriggerNode]) -> [Held] {
        var result: [Held] = []
        for trigger in triggers where trigger.events.contains(held.privilege) {
            guard let function = trigger.function, graph.objects[function].securityDefiner else { continue }
            let owner = graph.objects[function].owner
            let hop = PathStep.definerTrigger(
                trigger: trigger.name, relation: graph.objects[held.object].name, function: graph.objects[function].name, owner: graph.roles[owner].name)
            guard !held.path.contains(hop) else { continue }
            result += definerWrites(
                of: function, through: held, hop: hop,
                note: "written by trigger \(trigger.name) (SECURITY DEFINER \(graph.objects[function].name)) fired by \(held.privilege.rawValue) on \(graph.objects[held.object].name)")
        }
        return result
    }

    /// Everything `role` can write as itself (INSERT, UPDATE, DELETE, TRUNCATE on relations, by
    /// column where granted by column), one path each: what an opaque definer function of its may write.
    func writableTargets(of role: RoleIndex) -> [(object: ObjectIndex, column: Int?, privilege: Privilege, path: AccessPath)] {
        if let cached = writableCache[role] { return cached }
        var result: [(object: ObjectIndex, column: Int?, privilege: Privilege, path: AccessPath)] = []
        var seen = Set<HeldKey>()
        let name = graph.roles[role].name
        func add(_ object: ObjectIndex, _ column: Int?, _ privilege: Privilege, _ steps: [PathStep]) {
            guard seen.insert(HeldKey(object: object, column: column, privilege: privilege)).inserted else { return }
            result.append((object, column, privilege, AccessPath(steps)))
        }
        let tables = graph.objects.indices.filter { graph.objects[$0].kind == .table }
        if graph.roles[role].attributes.superuser {
            for table in tables { for privilege in Self.writePrivileges { add(table, nil, privilege, [.superuser(name)]) } }
        } else {
            let inherited = cache.ancestors(of: role, via: .inherit)
            var grantees: [(Grantee, [PathStep])] = inherited.order.map { (.role($0), roleSteps(inherited.chain(to: $0, in: graph))) }
            grantees.append((.publicRole, [.role(name), .publicRole]))
            for (grantee, prefix) in grantees {
                for location in graph.grants(of: grantee) where graph.objects[location.object].kind == .table {
                    let bundle = graph.bundle(at: location)
                    for privilege in bundle.privileges.intersection(Self.writePrivileges) {
                        add(location.object, location.column, privilege, prefix + [grantStep(location, privilege, bundle)])
                    }
                }
                guard case .role(let holder) = grantee, graph.implicitPrivilegeRoles.contains(holder) else { continue }
                let holderName = graph.roles[holder].name
                let implicit = PredefinedRoles.implicitPrivileges(of: holderName, on: .table).intersection(Self.writePrivileges)
                for table in tables {
                    for privilege in implicit {
                        add(table, nil, privilege, prefix + [.implicitGrant(privilege: privilege, object: graph.objects[table].name, role: holderName)])
                    }
                }
            }
        }
        writableCache[role] = result
        return result
    }

    /// A write on an auto-updatable view without `security_invoker` is a write on its base
    /// relation with the view owner's rights: INSERT and UPDATE on the base column a view column
    /// is (from the view's stored query; without it, every column the view reads), DELETE on the
    /// relation. Only what the owner itself holds passes (a view over a view is not followed).
    private func writeThrough(_ held: Held, view: SecurableObject) -> [Held] {
        let hop = PathStep.definerView(view: view.name, owner: graph.roles[view.owner].name)
        let reads = held.column.flatMap { view.columns[$0].reads } ?? view.reads ?? []
        var result: [Held] = []
        var seenTables = Set<ObjectIndex>()
        for base in reads {
            let column: Int? = held.privilege == .delete ? nil : base.column
            if column == nil, !seenTables.insert(base.object).inserted { continue }
            guard let ownerPath = directPath(view.owner, held.privilege, on: base.object, column: column) else { continue }
            result.append(Held(
                object: base.object, column: column, privilege: held.privilege, grantable: false, mode: held.mode, route: .view,
                path: held.path + [hop] + ownerPath.dropFirst(), actingRole: view.owner,
                note: "written through view \(view.name) with its owner's rights"))
        }
        return result
    }

    /// How `role` holds `privilege` on an object (or one of its columns) as itself: SUPERUSER,
    /// a grant to it, to a role whose privileges it has, or to PUBLIC, or pg_write_all_data;
    /// the role first, then the memberships, then the grant. Nil when it does not.
    func directPath(_ role: RoleIndex, _ privilege: Privilege, on object: ObjectIndex, column: Int?) -> [PathStep]? {
        let name = graph.roles[role].name
        if graph.roles[role].attributes.superuser { return [.superuser(name)] }
        let inherited = cache.ancestors(of: role, via: .inherit)
        var sites: [(location: AccessGraph.GrantLocation, bundle: GrantBundle)] = []
        for (position, bundle) in graph.objects[object].acl.enumerated() {
            sites.append((AccessGraph.GrantLocation(object: object, column: nil, bundle: position), bundle))
        }
        if let column {
            for (position, bundle) in graph.objects[object].columns[column].acl.enumerated() {
                sites.append((AccessGraph.GrantLocation(object: object, column: column, bundle: position), bundle))
            }
        }
        for (location, bundle) in sites where bundle.privileges.contains(privilege) {
            switch bundle.grantee {
            case .publicRole: return [.role(name), .publicRole, grantStep(location, privilege, bundle)]
            case .role(let holder) where inherited.contains(holder):
                return roleSteps(inherited.chain(to: holder, in: graph)) + [grantStep(location, privilege, bundle)]
            default: continue
            }
        }
        for holder in graph.implicitPrivilegeRoles where inherited.contains(holder) {
            let holderName = graph.roles[holder].name
            guard PredefinedRoles.implicitPrivileges(of: holderName, on: graph.objects[object].kind).contains(privilege) else { continue }
            return roleSteps(inherited.chain(to: holder, in: graph)) + [.implicitGrant(privilege: privilege, object: graph.objects[object].name, role: holderName)]
        }
        return nil
    }

    /// The columns `role` can SELECT as itself (directly or through its own definer views),
    /// with one path each. This is what a definer view or function owned by `role` can read.
    private func selectGrants(of grantee: Grantee) -> [AccessGraph.GrantLocation] {
        if let cached = selectGrantCache[grantee] { return cached }
        let locations = graph.grants(of: grantee).filter { location in
            graph.bundle(at: location).privileges.contains(.select) && graph.objects[location.object].kind == .table
        }
        selectGrantCache[grantee] = locations
        return locations
    }

    /// The columns `role` can SELECT as itself (directly or through definer views it can read).
    ///
    /// Owners of definer views can read each other's views in a cycle; the cycle is cut where it
    /// closes. A result computed *inside* a cut cycle misses what comes back round through the
    /// role being computed outside it, so it is not cached (it is recomputed when asked first);
    /// the outermost result is complete, since all it misses is its own.
    package func readableColumns(of role: RoleIndex) -> [ColumnRef: AccessPath] {
        if let cached = readableCache[role] { return cached }
        guard readableInProgress.insert(role).inserted else {
            readableCycleCut = true
            return [:]
        }
        let cutOutside = readableCycleCut
        readableCycleCut = false
        defer {
            readableInProgress.remove(role)
            readableCycleCut = readableCycleCut || cutOutside
        }
        let result = computeReadableColumns(of: role)
        if !readableCycleCut || readableInProgress.count == 1 { readableCache[role] = result }
        return result
    }

    private func computeReadableColumns(of role: RoleIndex) -> [ColumnRef: AccessPath] {
        var result: [ColumnRef: AccessPath] = [:]
        walkReadableColumns(of: role) { column, steps in
            let path = steps()
            if let existing = result[column], existing.steps.count <= path.count { return false }
            result[column] = AccessPath(path)
            return true
        } path: { result[$0]?.steps ?? [] }
        return result
    }

    /// The columns `role` can SELECT as itself, as `readableColumns` finds them, without building
    /// a path, keeping those `keep` accepts. A check that only counts what every role reads (the
    /// undeclared roles of a first run) asks this: every role's paths are roles × columns of work
    /// and memory on a large database.
    package func readableColumnSet(of role: RoleIndex, keeping keep: (ColumnRef) -> Bool) -> Set<ColumnRef> {
        var result = Set<ColumnRef>()
        // A definer view's columns are kept too: they lead to base columns.
        walkReadableColumns(of: role) { column, _ in
            (keep(column) || graph.objects[column.object].isDefinerView) && result.insert(column).inserted
        } path: { _ in [] }
        return result.filter(keep)
    }

    /// `readableColumnSet(of:keeping:)` for many roles, computed once per distinct inheritance:
    /// what a role reads as itself depends only on the roles whose grants it inherits (itself
    /// included) that hold SELECT grants or SELECT by predefined role, unless it is a superuser.
    /// (The walk skips a role's own definer views, but only because their owner reads what they
    /// read already: a member reading through them reaches the same columns.) In an organisation
    /// thousands of people inherit only their teams' grants, so a first run's undeclared roles
    /// share a few hundred answers instead of walking every reachable table once per person.
    /// - Returns: the distinct sets, and for each of `roles` the position of its set.
    package func readableColumnSets(
        of roles: [RoleIndex], keeping keep: (ColumnRef) -> Bool
    ) -> (sets: [Set<ColumnRef>], setOfRole: [Int]) {
        var sets: [Set<ColumnRef>] = []
        var setOfKey: [[RoleIndex]: Int] = [:]
        let setOfRole = roles.map { role in
            let key: [RoleIndex]
            if graph.roles[role].attributes.superuser {
                key = [-1 - role]  // its own answer
            } else {
                key = cache.ancestors(of: role, via: .inherit).order.filter { ancestor in
                    !selectGrants(of: .role(ancestor)).isEmpty || graph.implicitPrivilegeRoles.contains(ancestor)
                }.sorted()
            }
            if let known = setOfKey[key] { return known }
            sets.append(readableColumnSet(of: role, keeping: keep))
            setOfKey[key] = sets.count - 1
            return sets.count - 1
        }
        return (sets, setOfRole)
    }

    /// Walks what `role` can SELECT as itself: SUPERUSER, grants to it, to roles it inherits and
    /// to PUBLIC, predefined roles' implicit SELECT, then through the definer views among what it
    /// reached to a fixpoint. `offer` gets each column with a way to build its path (built only
    /// if asked) and says whether it kept it (new, or a shorter path); `path` gives a kept
    /// column's path, to extend through a view.
    private func walkReadableColumns(
        of role: RoleIndex, offer: (ColumnRef, () -> [PathStep]) -> Bool, path: (ColumnRef) -> [PathStep]
    ) {
        let name = graph.roles[role].name
        var reached: [ColumnRef] = []
        func add(_ column: ColumnRef, _ steps: () -> [PathStep]) {
            // The path is built inside `offer` or not at all; it never outlives the call.
            if withoutActuallyEscaping(steps, do: { offer(column, $0) }) { reached.append(column) }
        }
        func addTable(_ object: ObjectIndex, _ steps: () -> [PathStep]) {
            for column in graph.objects[object].columns.indices where !graph.objects[object].columns[column].system {
                add(ColumnRef(object: object, column: column), steps)
            }
        }
        func addGrants(_ grantee: Grantee, prefix: () -> [PathStep]) {
            for location in selectGrants(of: grantee) {
                let steps = { prefix() + [self.grantStep(location, .select, self.graph.bundle(at: location))] }
                if let column = location.column { add(ColumnRef(object: location.object, column: column), steps) } else { addTable(location.object, steps) }
            }
        }
        if graph.roles[role].attributes.superuser {
            for index in graph.objects.indices where graph.objects[index].kind == .table { addTable(index) { [.superuser(name)] } }
        } else {
            let inherited = cache.ancestors(of: role, via: .inherit)
            for ancestor in inherited.order {
                let prefix = { self.roleSteps(inherited.chain(to: ancestor, in: self.graph)) }
                addGrants(.role(ancestor), prefix: prefix)
                let holder = graph.roles[ancestor].name
                guard graph.implicitPrivilegeRoles.contains(ancestor),
                    PredefinedRoles.implicitPrivileges(of: holder, on: .table).contains(.select)
                else { continue }
                for index in graph.objects.indices where graph.objects[index].kind == .table {
                    addTable(index) { prefix() + [.implicitGrant(privilege: .select, object: self.graph.objects[index].name, role: holder)] }
                }
            }
            addGrants(.publicRole) { [.role(name), .publicRole] }
        }
        // Through the definer views this role can read, and the views those read, to a fixpoint.
        while let column = reached.popLast() {
            let view = graph.objects[column.object]
            guard view.isDefinerView, view.owner != role else { continue }
            let reads = view.columns[column.column].reads ?? view.reads ?? []
            let ownerReadable = readableColumns(of: view.owner)
            let hop = PathStep.definerView(view: view.name, owner: graph.roles[view.owner].name)
            for base in reads {
                guard let ownerPath = ownerReadable[base] else { continue }
                add(base) { path(column) + [hop] + ownerPath.steps.dropFirst() }
            }
        }
    }

    /// - Parameter connectionBlock: why the principal cannot connect (its access is then latent).
    private func makeEffective(_ held: Held, principal: RoleIndex, connectionBlock: String?) -> EffectivePrivilege {
        let object = graph.objects[held.object]
        var held = held
        if let connectionBlock, held.mode != .latent {
            held.mode = .latent
            held.note = Self.connectionNote(connectionBlock)
        }
        return EffectivePrivilege(
            principal: graph.roles[principal].name, objectKind: object.kind, object: object.name,
            column: held.column.map { object.columns[$0].name }, privilege: held.privilege,
            grantable: held.grantable, mode: held.mode, route: held.route, path: AccessPath(held.path),
            rowScope: rowSecurity.scope(of: held.actingRole, on: held.object, for: held.privilege) {
                hasParameterPrivilege(held.actingRole, .set, on: $0)
            }, note: held.note)
    }

    static func order(_ a: EffectivePrivilege, _ b: EffectivePrivilege) -> Bool {
        (a.objectKind.rawValue, a.object, a.column ?? "", a.privilege) < (b.objectKind.rawValue, b.object, b.column ?? "", b.privilege)
    }
}
