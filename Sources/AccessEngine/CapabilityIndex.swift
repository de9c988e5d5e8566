import SnapshotModel

/// The roles a principal can act as only through capabilities, with the steps that get it there:
/// ADMIN OPTION (it grants itself the role), CREATEROLE before PostgreSQL 16 (any non-superuser
/// role), and SECURITY DEFINER code it can redirect (called directly, through an aggregate, or
/// fired as a trigger by a write). Followed to a fixpoint: a role reached this way brings its own
/// capabilities and SET ROLE targets; code running inside a definer cannot SET ROLE.
///
/// Semantics by server version (verified on real servers): from PostgreSQL 16 ADMIN counts when
/// held through roles whose privileges the acting role inherits (`is_admin_of_role` with
/// `ROLERECURSE_PRIVS`); before 16 through any membership chain, and CREATEROLE may grant any
/// non-superuser role. Not thread-safe: one per engine.
final class CapabilityIndex {
    /// A role the principal acts as through at least one capability.
    struct Route {
        var target: RoleIndex
        /// From the principal to the target: `.role(principal)`, SET ROLE and capability steps, `.role(target)` last.
        var steps: [PathStep]
        /// Acting inside a definer's code: the target's privileges and capabilities, but no SET ROLE.
        var restricted: Bool
    }

    struct Edge {
        var target: RoleIndex
        var step: CapabilityStep
        var restricted: Bool
        /// For definer code: the function whose names must be redirected. The planting (a
        /// temporary view, or an object in a schema of the path) may be done by any role the
        /// principal acts as in full before the call, not only by the caller.
        var redirects: ObjectIndex?
    }

    /// What the roles a principal acts as in full can plant: TEMP anywhere among them, and the
    /// schemas they can create in.
    struct Planting {
        var temp = false
        var schemas = Set<String>()

        /// Adds a role's planting; true when that widened it.
        mutating func add(temp: Bool, schemas more: Set<String>) -> Bool {
            let before = (self.temp, schemas.count)
            self.temp = self.temp || temp
            schemas.formUnion(more)
            return before != (self.temp, schemas.count)
        }
    }

    private unowned let engine: EffectiveAccessEngine
    private var graph: AccessGraph { engine.graph }
    private var cache: MembershipCache { engine.cache }
    /// Before PostgreSQL 16 (or a snapshot that does not say, read as the newest).
    private let before16: Bool
    private var adminEdgesByMember: [RoleIndex: [Int]] = [:]
    /// Redirectable definer functions (and aggregates running one) by the grantee of their
    /// EXECUTE (nil: PUBLIC), so a role's edges come from its own closure, not from every function.
    private var callableBy: [Grantee: [(called: ObjectIndex, runs: ObjectIndex)]] = [:]
    private var redirectableTriggers: [(table: ObjectIndex, function: ObjectIndex, events: PrivilegeSet)] = []
    private var createRoleHolders = false
    /// Whether any capability edge can exist at all (most snapshots answer fast).
    let hasSources: Bool

    private var edgeCache: [RoleIndex: [Edge]] = [:]
    private var routeCache: [RoleIndex: [Route]] = [:]
    private var becomersIndex: [RoleIndex: [Reacher]]?
    private var tempCache: [RoleIndex: Bool] = [:]
    private var createCache: [RoleIndex: Set<String>] = [:]
    /// The schemas among the objects, found once (walking every object per role copied each).
    private lazy var schemaIndices: [ObjectIndex] = graph.objects.indices.filter { graph.objects[$0].kind == .schema }

    init(engine: EffectiveAccessEngine) {
        self.engine = engine
        let graph = engine.graph
        before16 = (graph.serverMajorVersion ?? Int.max) < 16
        for (index, edge) in graph.edges.enumerated() where edge.admin { adminEdgesByMember[edge.member, default: []].append(index) }
        // Redirectable definer functions, and aggregates whose support function is one (EXECUTE
        // on the aggregate runs it). By index: copying each object out costs a retain per field.
        var redirectableFunctions: [ObjectIndex] = []
        var aggregatesWithRedirectableSupport: [(aggregate: ObjectIndex, support: ObjectIndex)] = []
        for index in graph.objects.indices where graph.objects[index].kind == .function {
            if graph.objects[index].securityDefiner, !graph.objects[index].triggerOnly, Self.isRedirectable(graph.objects[index]) {
                redirectableFunctions.append(index)
            }
            for support in graph.objects[index].supportFunctions
            where graph.objects[support].securityDefiner && Self.isRedirectable(graph.objects[support]) {
                aggregatesWithRedirectableSupport.append((index, support))
            }
        }
        var callable: [Grantee: [(called: ObjectIndex, runs: ObjectIndex)]] = [:]
        func index(called: ObjectIndex, runs: ObjectIndex) {
            for bundle in graph.objects[called].acl where bundle.privileges.contains(.execute) {
                callable[bundle.grantee, default: []].append((called, runs))
            }
        }
        for function in redirectableFunctions { index(called: function, runs: function) }
        for (aggregate, support) in aggregatesWithRedirectableSupport { index(called: aggregate, runs: support) }
        callableBy = callable
        for (table, triggers) in graph.triggers.sorted(by: { $0.key < $1.key }) {
            for trigger in triggers {
                guard let function = trigger.function, graph.objects[function].securityDefiner, Self.isRedirectable(graph.objects[function]) else { continue }
                redirectableTriggers.append((table, function, trigger.events))
            }
        }
        if before16 { createRoleHolders = graph.roles.contains { $0.attributes.createrole && !$0.attributes.superuser } }
        hasSources = !adminEdgesByMember.isEmpty || !redirectableFunctions.isEmpty || !redirectableTriggers.isEmpty || createRoleHolders
            || !graph.definerCallers.isEmpty || graph.foreignServers.contains { $0.loopback && !$0.mappings.isEmpty }
    }

    static func isRedirectable(_ function: SecurableObject) -> Bool {
        if case .none = function.body?.redirection ?? .unpinned { return false }
        return true
    }

    // MARK: - Forward: what one principal can become

    /// Every role `principal` can act as only through a capability, one (first found, fewest
    /// steps) route per role; full routes win over restricted ones.
    func routes(from principal: RoleIndex) -> [Route] {
        if let cached = routeCache[principal] { return cached }
        guard hasSources, !graph.roles[principal].attributes.superuser else { return [] }
        struct State {
            var role: RoleIndex
            var restricted: Bool
            var steps: [PathStep]
            var viaCapability: Bool
        }
        var states: [State] = []
        var reached: [RoleIndex: Int] = [:]
        let settable = cache.ancestors(of: principal, via: .set)
        let name = graph.roles[principal].name
        for role in settable.order {
            let chain = settable.chain(to: role, in: graph)
            reached[role] = states.count
            states.append(State(role: role, restricted: false, steps: [.role(name)] + chain.dropFirst().map { .setRole(graph.roles[$0].name) }, viaCapability: false))
        }
        var planting = Planting()
        for state in states { _ = planting.add(temp: canUseTemp(state.role), schemas: creatableSchemas(state.role)) }
        var head = 0
        while head < states.count {
            let state = states[head]
            head += 1
            if graph.roles[state.role].attributes.superuser { continue }
            var next: [(RoleIndex, Bool, [PathStep])] = []
            for edge in edges(from: state.role) {
                if let function = edge.redirects, !canRedirect(function, with: planting) { continue }
                next.append((edge.target, edge.restricted, state.steps + [.capability(edge.step), .role(graph.roles[edge.target].name)]))
            }
            if !state.restricted, state.viaCapability {
                for e in graph.roles[state.role].memberOf where graph.edges[e].set {
                    let target = graph.edges[e].role
                    next.append((target, false, state.steps + [.setRole(graph.roles[target].name)]))
                }
            }
            for (target, restricted, steps) in next {
                if let at = reached[target] {
                    // A full route replaces a restricted one (it can also SET ROLE onwards).
                    guard states[at].restricted, !restricted, states[at].viaCapability else { continue }
                    states[at].restricted = false
                    states[at].steps = steps
                    states.append(states[at])
                    if planting.add(temp: canUseTemp(target), schemas: creatableSchemas(target)) { head = 0 }
                    continue
                }
                reached[target] = states.count
                states.append(State(role: target, restricted: restricted, steps: steps, viaCapability: true))
                // A role acted as in full may plant for the next call: look at every state again.
                if !restricted, planting.add(temp: canUseTemp(target), schemas: creatableSchemas(target)) { head = 0 }
            }
        }
        var result: [Route] = []
        var emitted = Set<RoleIndex>()
        for (role, at) in reached.sorted(by: { $0.value < $1.value }) where states[at].viaCapability && emitted.insert(role).inserted {
            result.append(Route(target: role, steps: states[at].steps, restricted: states[at].restricted))
        }
        routeCache[principal] = result
        return result
    }

    /// The capability edges out of a role acting as the current user.
    func edges(from role: RoleIndex) -> [Edge] {
        if let cached = edgeCache[role] { return cached }
        var result: [Edge] = []
        let node = graph.roles[role]
        if !node.attributes.superuser {
            // ADMIN OPTION: from 16 through inherited privileges, before 16 through any membership.
            let holders = cache.ancestors(of: role, via: before16 ? .any : .inherit)
            for holder in holders.order {
                for e in adminEdgesByMember[holder] ?? [] {
                    let target = graph.edges[e].role
                    // Only a superuser may grant a role that has SUPERUSER, ADMIN or not (15 to 18).
                    guard target != role, !graph.roles[target].attributes.superuser else { continue }
                    result.append(Edge(target: target, step: .adminOption(role: graph.roles[target].name, holder: graph.roles[holder].name), restricted: false))
                }
            }
            if before16, node.attributes.createrole {
                for target in graph.roles.indices where target != role && !graph.roles[target].attributes.superuser {
                    result.append(Edge(target: target, step: .createRole(role: graph.roles[target].name, holder: node.name), restricted: false))
                }
            }
            result += definerEdges(from: role)
            result += foreignServerEdges(from: role)
        }
        edgeCache[role] = result
        return result
    }

    private func definerEdges(from role: RoleIndex) -> [Edge] {
        var result: [Edge] = []
        func add(_ function: ObjectIndex, table: ObjectIndex?) {
            let owner = graph.objects[function].owner
            guard owner != role else { return }
            let step = CapabilityStep.definerCode(
                function: graph.objects[function].name, owner: graph.roles[owner].name, table: table.map { graph.objects[$0].name })
            result.append(Edge(target: owner, step: step, restricted: true, redirects: function))
        }
        // EXECUTE through PUBLIC or a role whose privileges this one has (superusers have no edges).
        var seen = Set<ObjectIndex>()
        let holders = [Grantee.publicRole] + cache.ancestors(of: role, via: .inherit).order.map { Grantee.role($0) }
        for holder in holders {
            for (called, runs) in callableBy[holder] ?? [] where usable(role, schemaOf: called) && seen.insert(runs).inserted {
                add(runs, table: nil)
            }
        }
        for trigger in redirectableTriggers where canWrite(role, trigger.table, events: trigger.events) { add(trigger.function, table: trigger.table) }
        // Replacing a function a definer's SQL-standard body calls (the role has its owner's
        // privileges and CREATE on its schema), then calling the definer: no planting needed,
        // the body itself is the callee's.
        if !graph.definerCallers.isEmpty {
            for (callee, definers) in graph.definerCallers.sorted(by: { $0.key < $1.key }) where engine.canReplace(role, callee) {
                for definer in definers where graph.objects[definer].owner != role && canCall(role, definer) {
                    let owner = graph.objects[definer].owner
                    result.append(Edge(
                        target: owner,
                        step: .replacedCallee(function: graph.objects[callee].name, definer: graph.objects[definer].name, owner: graph.roles[owner].name),
                        restricted: true, redirects: nil))
                }
            }
        }
        return result
    }

    /// A foreign server back into this database: a session as the mapped user, with all its
    /// rights (SET ROLE onwards included). A mapping whose remote user the export could not read
    /// is taken as the bootstrap superuser: the audit never passes what it could not see.
    private func foreignServerEdges(from role: RoleIndex) -> [Edge] {
        guard !graph.foreignServers.isEmpty else { return [] }
        return engine.foreignSessions(of: role).compactMap { session in
            let server = graph.foreignServers[session.server]
            guard server.loopback else { return nil }
            let target = session.user.flatMap { graph.roleIndex[$0] }
                ?? graph.roles.indices.first { graph.roles[$0].attributes.superuser }
            guard let target, target != role else { return nil }
            return Edge(
                target: target, step: .foreignServer(server: server.name, user: session.user, becomes: graph.roles[target].name),
                restricted: false)
        }
    }

    private func canCall(_ role: RoleIndex, _ function: ObjectIndex) -> Bool {
        engine.hasPrivilege(role, .execute, on: function) && usable(role, schemaOf: function)
    }

    private func usable(_ role: RoleIndex, schemaOf object: ObjectIndex) -> Bool {
        guard let schema = graph.objects[object].schema else { return true }
        return engine.hasPrivilege(role, .usage, on: schema)
    }

    private func canWrite(_ role: RoleIndex, _ table: ObjectIndex, events: PrivilegeSet) -> Bool {
        guard usable(role, schemaOf: table) else { return false }
        return events.contains { event in
            ObjectKind.column.applicablePrivileges.contains(event)
                ? engine.hasAnyColumnPrivilege(role, event, on: table) : engine.hasPrivilege(role, event, on: table)
        }
    }

    /// TEMP on the database (a snapshot without the database entry is read as yes).
    private func canUseTemp(_ role: RoleIndex) -> Bool {
        if let cached = tempCache[role] { return cached }
        let value = graph.object(.database, graph.database).map { engine.hasPrivilege(role, .temporary, on: $0) } ?? true
        tempCache[role] = value
        return value
    }

    /// The schemas `role` may create in: has_schema_privilege(CREATE), read from the schemas'
    /// ACLs once (by grantee) rather than asked schema by schema for every role.
    private func creatableSchemas(_ role: RoleIndex) -> Set<String> {
        if let cached = createCache[role] { return cached }
        var result: Set<String>
        if graph.roles[role].attributes.superuser {
            result = Set(schemaIndices.map { graph.objects[$0].name })
        } else {
            result = Set(schemasCreatable[.publicRole] ?? [])
            for ancestor in cache.ancestors(of: role, via: .inherit).order { result.formUnion(schemasCreatable[.role(ancestor)] ?? []) }
        }
        createCache[role] = result
        return result
    }

    /// For each grantee, the schemas whose ACL gives it CREATE.
    private lazy var schemasCreatable: [Grantee: [String]] = {
        var result: [Grantee: [String]] = [:]
        for index in schemaIndices {
            for bundle in graph.objects[index].acl where bundle.privileges.contains(.create) {
                result[bundle.grantee, default: []].append(graph.objects[index].name)
            }
        }
        return result
    }()

    /// Whether what can be planted redirects the function's names: unpinned, anything; a pinned
    /// path without pg_temp last, TEMP or a schema of the path; pg_temp last, a schema of the path.
    private func canRedirect(_ function: ObjectIndex, with planting: Planting) -> Bool {
        switch graph.objects[function].body?.redirection ?? .unpinned {
        case .none: false
        case .unpinned: planting.temp || !planting.schemas.isEmpty
        case .pinnedTempFirst(let schemas): planting.temp || !planting.schemas.isDisjoint(with: schemas)
        case .pinned(let schemas): !planting.schemas.isDisjoint(with: schemas)
        }
    }

    // MARK: - Reverse: who can become a role

    /// Principals that can act as `role` only through a capability, each with its route
    /// (mode `capability`). Built once for every principal when first asked.
    func becomers(of role: RoleIndex) -> [Reacher] {
        if becomersIndex == nil { buildBecomers() }
        return becomersIndex?[role] ?? []
    }

    private func buildBecomers() {
        var index: [RoleIndex: [Reacher]] = [:]
        if hasSources {
            for principal in graph.roles.indices
            where !graph.roles[principal].attributes.superuser && !PredefinedRoles.isPredefined(graph.roles[principal].name) {
                for route in routes(from: principal) {
                    index[route.target, default: []].append(Reacher(principal: principal, path: route.steps, mode: .capability))
                }
            }
        }
        becomersIndex = index
    }
}
