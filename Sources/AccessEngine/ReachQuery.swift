import SnapshotModel

/// Reverse queries over the graph: for a target column or object and a privilege, every cause
/// that gives it and the principals each cause reaches. This is what findings are built from,
/// so the audit's output grows with causes, not with principals × objects.
package final class ReachQuery {
    let engine: EffectiveAccessEngine
    var graph: AccessGraph { engine.graph }
    private var reachersCache: [Grantee: [Reacher]] = [:]
    private var routesCache: [Grantee: [Reacher]] = [:]
    private var superusers: [RoleIndex]
    private var superuserCausesCache: [AccessCause]?
    private var usageCache: [Int64: Bool] = [:]
    private var connectionBlocks: [RoleIndex: String?] = [:]
    private var usabilityCache: [UsabilityKey: [Bool]] = [:]
    private var oneRoutePerPrincipal: [Grantee: Bool] = [:]
    private var chosenRouteCache: [UsabilityKey: [Int]] = [:]
    private var lastTableGrants: (object: ObjectIndex, privilege: Privilege, summarized: Bool, causes: [AccessCause])?
    private var publicSummaries: [UsabilityKey: (logins: Int, best: Int?)] = [:]
    /// Privileges whose grants to PUBLIC on the target itself (and, for EXECUTE, on the definer
    /// functions that read it) come back summarised (`AccessCause.summarizedLogins`): for callers
    /// that count who holds them, not list them.
    package var summarizesPublicGrants: Set<Privilege> = []

    package init(engine: EffectiveAccessEngine) {
        self.engine = engine
        superusers = engine.graph.roles.indices.filter { engine.graph.roles[$0].attributes.superuser }
    }

    /// Principals that hold a grant made to `grantee`: those inheriting it (direct) and those
    /// that may SET ROLE to a role inheriting it (set_role), one route each (the shortest).
    /// Superusers are their own cause.
    package func reachers(of grantee: Grantee) -> [Reacher] {
        if let cached = reachersCache[grantee] { return cached }
        var seen = Set<RoleIndex>()
        let result = routes(to: grantee).filter { seen.insert($0.principal).inserted }
        reachersCache[grantee] = result
        return result
    }

    /// Every route to a grant made to `grantee`: one per inheriting principal, and for SET ROLE
    /// one per role a principal may become (the role it acts as decides whether it has USAGE
    /// on the object's schema, so a shorter route may be latent where a longer one is not).
    func routes(to grantee: Grantee) -> [Reacher] {
        if let cached = routesCache[grantee] { return cached }
        var result: [Reacher] = []
        switch grantee {
        case .publicRole:
            for role in graph.roles.indices where !graph.roles[role].attributes.superuser && !isPredefined(role) {
                result.append(Reacher(principal: role, path: [.role(graph.roles[role].name), .publicRole], mode: .direct))
            }
        case .role(let target):
            let inheritors = engine.cache.descendants(of: target, via: .inherit)
            var inheriting = Set<RoleIndex>()
            for role in inheritors.order where !graph.roles[role].attributes.superuser {
                inheriting.insert(role)
                if isPredefined(role) { continue }
                let chain = inheritors.chain(to: role, in: graph)
                result.append(Reacher(principal: role, path: chain.map { .role(graph.roles[$0].name) }, mode: .direct))
            }
            for holder in inheritors.order {
                let setters = engine.cache.descendants(of: holder, via: .set)
                let holderChain = inheritors.chain(to: holder, in: graph)
                for role in setters.order.dropFirst() where !inheriting.contains(role) && !graph.roles[role].attributes.superuser && !isPredefined(role) {
                    let setChain = setters.chain(to: role, in: graph)
                    var path: [PathStep] = [.role(graph.roles[role].name)]
                    path += setChain.dropFirst().map { .setRole(graph.roles[$0].name) }
                    path += holderChain.dropFirst().map { .role(graph.roles[$0].name) }
                    result.append(Reacher(principal: role, path: path, mode: .setRole))
                }
            }
            // Principals that become a holder through a capability (after every plain route, so
            // the plain route is the one kept for a principal that has both).
            if engine.capabilities.hasSources {
                var viaCapability: [Reacher] = []
                for holder in inheritors.order {
                    let holderChain = inheritors.chain(to: holder, in: graph).dropFirst().map { PathStep.role(graph.roles[$0].name) }
                    for becomer in engine.capabilities.becomers(of: holder) where !inheriting.contains(becomer.principal) {
                        viaCapability.append(Reacher(principal: becomer.principal, path: becomer.path + holderChain, mode: .capability))
                    }
                }
                // Fewest capability steps first, then the shortest path: the road a finding names.
                result += viaCapability.enumerated().sorted { a, b in
                    let (stepsA, stepsB) = (Self.capabilityCount(a.element.path), Self.capabilityCount(b.element.path))
                    if stepsA != stepsB { return stepsA < stepsB }
                    if a.element.path.count != b.element.path.count { return a.element.path.count < b.element.path.count }
                    return a.offset < b.offset
                }.map(\.element)
            }
        }
        // A login role that cannot connect holds all of it latently.
        for i in result.indices where result[i].mode != .latent {
            if let block = connectionBlock(of: result[i].principal) {
                result[i].mode = .latent
                result[i].note = EffectiveAccessEngine.connectionNote(block)
            }
        }
        routesCache[grantee] = result
        return result
    }

    private func connectionBlock(of role: RoleIndex) -> String? {
        if let known = connectionBlocks[role] { return known }
        let block = engine.connectionBlock(of: role)
        connectionBlocks[role] = .some(block)
        return block
    }

    static func capabilityCount(_ path: [PathStep]) -> Int {
        path.reduce(0) { count, step in if case .capability = step { count + 1 } else { count } }
    }

    /// Per principal, its first route that is not latent, else its first route (order kept).
    private static func bestRoutes(_ routes: [Reacher]) -> [Reacher] {
        bestRoutePositions(count: routes.count, principal: { routes[$0].principal }, latent: { routes[$0].mode == .latent }).map { routes[$0] }
    }

    /// `bestRoutes` by position, for routes whose principal and latency are known before they are built.
    private static func bestRoutePositions(count: Int, principal: (Int) -> RoleIndex, latent: (Int) -> Bool) -> [Int] {
        var at: [RoleIndex: Int] = [:]
        var chosen: [Int] = []
        for position in 0..<count {
            if let slot = at[principal(position)] {
                if latent(chosen[slot]), !latent(position) { chosen[slot] = position }
            } else {
                at[principal(position)] = chosen.count
                chosen.append(position)
            }
        }
        return chosen
    }

    /// Predefined roles are never principals: nobody logs in as them, they only carry privileges.
    private func isPredefined(_ role: RoleIndex) -> Bool { PredefinedRoles.isPredefined(graph.roles[role].name) }

    /// Every cause that gives `privilege` on `column` (table-level and column-level grants,
    /// superusers, definer views and functions that read it, ownership, and for SELECT the
    /// capabilities that watch its rows), split so that access through a capability is its own cause.
    package func causes(_ privilege: Privilege, column: ColumnRef) -> [AccessCause] {
        var visited = Set<ObjectIndex>()
        var result = columnCauses(privilege, column: column, depth: 0, visited: &visited)
        if privilege == .select { result += watchCauses(relation: column.object) + expressionCauses(column) }
        return Self.splitByCapability(result)
    }

    /// Only the causes of SELECT on `column` that run through definer views and functions (those
    /// whose `definer` is set), without the column's own grants: what the definer checks ask.
    package func definerReadCauses(_ column: ColumnRef) -> [AccessCause] {
        var visited = Set<ObjectIndex>()
        return Self.splitByCapability(definerCauses(column, depth: 0, visited: &visited))
    }

    /// Whether a definer view or function may read `column` (one that lists it, or one that
    /// lists nothing and whose owner can read it): only then can a cause of SELECT on it go
    /// through a definer. Checks about definers skip the other columns without their causes.
    package func hasDefinerReaders(_ column: ColumnRef) -> Bool {
        !graph.readers(of: column).isEmpty || !openDefiners(reading: column).isEmpty
    }

    /// Owners of functions that a relation's own expressions (generated column, CHECK, index)
    /// call with this column's values: replacing the body receives every value written.
    private func expressionCauses(_ column: ColumnRef) -> [AccessCause] {
        var result: [AccessCause] = []
        for use in graph.expressionsReadingColumn[column] ?? [] {
            guard let expression = graph.expressions[use.table]?[use.expression] else { continue }
            for function in expression.functions {
                let step = CapabilityStep.expressionFunction(
                    function: graph.objects[function].name, table: graph.objects[use.table].name, expression: expression.text)
                result.append(AccessCause(
                    kind: .capability(step, inner: AccessCause.Box(.ownership(function))), reachers: replacers(of: function, through: step)))
            }
        }
        return result
    }

    /// Open definer functions (no declared reads) indexed by the columns their owner can read,
    /// for owners that read few columns; owners that read many (a superuser reads all) are
    /// asked per column instead, so the index stays about as large as the owners' grants.
    private var openDefinerIndex: (byColumn: [ColumnRef: [ObjectIndex]], wideOwners: [(owner: RoleIndex, functions: [ObjectIndex])])?
    static let wideOwnerColumns = 10_000

    /// SECURITY DEFINER functions that declare no reads and whose owner can read `column`: they
    /// may return it (in the order the snapshot lists them).
    private func openDefiners(reading column: ColumnRef) -> [ObjectIndex] {
        if openDefinerIndex == nil {
            var byColumn: [ColumnRef: [ObjectIndex]] = [:]
            var wide: [RoleIndex: [ObjectIndex]] = [:]
            for function in graph.definerFunctionsWithoutReads {
                let owner = graph.objects[function].owner
                let readable = engine.readableColumns(of: owner)
                if readable.count > Self.wideOwnerColumns {
                    wide[owner, default: []].append(function)
                } else {
                    for column in readable.keys { byColumn[column, default: []].append(function) }
                }
            }
            openDefinerIndex = (byColumn, wide.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        }
        guard let index = openDefinerIndex else { return [] }
        var result = index.byColumn[column] ?? []
        for (owner, functions) in index.wideOwners where engine.readableColumns(of: owner)[column] != nil { result += functions }
        return index.wideOwners.isEmpty ? result : result.sorted()
    }

    /// Every cause that gives `privilege` on the whole `object` (object-level grants, superusers, ownership).
    package func causes(_ privilege: Privilege, object: ObjectIndex) -> [AccessCause] {
        Self.splitByCapability(plainObjectCauses(privilege, object: object, summarizing: summarizesPublicGrants.contains(privilege)) + writeThroughCauses(privilege, object: object, column: nil)
            + definerWriteCauses(privilege, object: object, column: nil))
    }

    /// Writes passed through auto-updatable views without `security_invoker` that read the
    /// column (or, without one, any column of the object): the view's grantees write the base
    /// relation with the view owner's rights, where the owner holds the privilege itself. So do
    /// whoever writes that view through a view over it, or through a definer function or trigger.
    private func writeThroughCauses(_ privilege: Privilege, object: ObjectIndex, column: Int?, depth: Int = 0) -> [AccessCause] {
        guard privilege == .insert || privilege == .update || privilege == .delete, depth < 16 else { return [] }
        let columns = column.map { [ColumnRef(object: object, column: $0)] }
            ?? graph.objects[object].columns.indices.map { ColumnRef(object: object, column: $0) }
        var views: [ObjectIndex] = []
        var seen = Set<ObjectIndex>()
        for ref in columns {
            for view in graph.readers(of: ref) where seen.insert(view).inserted {
                let candidate = graph.objects[view]
                if candidate.relationKind == .view, !candidate.securityInvoker, candidate.updatable.contains(privilege) { views.append(view) }
            }
        }
        var result: [AccessCause] = []
        for view in views {
            let owner = graph.objects[view].owner
            guard let ownerPath = engine.directPath(owner, privilege, on: object, column: privilege == .delete ? nil : column) else { continue }
            let hop = PathStep.definerView(view: graph.objects[view].name, owner: graph.roles[owner].name)
            var viewCauses = grantCauses(privilege, object: view, column: nil)
            // Views over this view, and definer functions and triggers writing it, write it too.
            var onward: [AccessCause] = privilege == .delete
                ? writeThroughCauses(privilege, object: view, column: nil, depth: depth + 1)
                    + definerWriteCauses(privilege, object: view, column: nil, depth: depth + 1) : []
            if ObjectKind.column.applicablePrivileges.contains(privilege) {
                // A column grant on the view writes the base columns that view column is made of.
                let viewObject = graph.objects[view]
                for position in viewObject.columns.indices {
                    let sources = viewObject.columns[position].reads ?? viewObject.reads ?? []
                    guard column.map({ sources.contains(ColumnRef(object: object, column: $0)) }) ?? sources.contains(where: { $0.object == object })
                    else { continue }
                    viewCauses += grantCauses(privilege, object: view, column: position)
                    onward += writeThroughCauses(privilege, object: view, column: position, depth: depth + 1)
                    onward += definerWriteCauses(privilege, object: view, column: position, depth: depth + 1)
                }
            }
            for cause in viewCauses {
                // The owner's own entry on its view adds nothing to what it holds on the base.
                if case .grant(_, _, .role(let grantee)) = cause.kind, grantee == owner { continue }
                result.append(AccessCause(
                    kind: .view(view, inner: AccessCause.Box(cause.kind)),
                    reachers: throughDefiner(cause.reachers, owner: owner).map { extend($0, hop: hop, tail: Array(ownerPath.dropFirst())) }))
            }
            var onwardKeys = Set<String>()
            for cause in onward where onwardKeys.insert(Self.key(cause.kind)).inserted {
                result.append(AccessCause(
                    kind: .view(view, inner: AccessCause.Box(cause.kind)),
                    reachers: throughDefiner(cause.reachers, owner: owner).map { extend($0, hop: hop, tail: Array(ownerPath.dropFirst())) }))
            }
        }
        return result
    }

    /// Writes SECURITY DEFINER functions make with their owner's rights (what their bodies write,
    /// or anything the owner can write when that cannot be read): whoever may call one makes
    /// them, and whoever writes a relation whose trigger runs one.
    private func definerWriteCauses(_ privilege: Privilege, object: ObjectIndex, column: Int?, depth: Int = 0) -> [AccessCause] {
        guard EffectiveAccessEngine.writePrivileges.contains(privilege), depth < 16 else { return [] }
        var functions = graph.definerWriters[object] ?? []
        let named = Set(functions)
        // Opaque writers write what their owners can: one question per owner, not per function.
        var ownerWrites: [RoleIndex: Bool] = [:]
        for function in graph.opaqueWriters where !named.contains(function) {
            let owner = graph.objects[function].owner
            let writes = ownerWrites[owner] ?? (engine.directPath(owner, privilege, on: object, column: column) != nil)
            ownerWrites[owner] = writes
            if writes { functions.append(function) }
        }
        var result: [AccessCause] = []
        for function in functions {
            let writes = (graph.functionWrites[function] ?? []).filter { write in
                write.privilege == privilege && write.object == object && (column == nil || write.column == nil || write.column == column)
            }
            guard !writes.isEmpty || graph.opaqueWriterSet.contains(function) else { continue }
            let owner = graph.objects[function].owner
            guard let ownerPath = engine.directPath(owner, privilege, on: object, column: column ?? writes.first?.column) else { continue }
            let tail = Array(ownerPath.dropFirst())
            if graph.objects[function].triggerOnly {
                result += triggerCauses(firing: function, tail: tail, depth: depth)
                continue
            }
            let hop = PathStep.definerFunction(function: graph.objects[function].name, owner: graph.roles[owner].name)
            for cause in grantCauses(.execute, object: function, column: nil) {
                result.append(AccessCause(
                    kind: .function(function, inner: AccessCause.Box(cause.kind)),
                    reachers: throughDefiner(cause.reachers, owner: owner).map { extend($0, hop: hop, tail: tail) }))
            }
        }
        return result
    }

    /// Who fires the triggers that run a SECURITY DEFINER trigger function: whoever may write the
    /// relation with an event of the trigger (a grant on it or on one of its columns, ownership,
    /// or a view, function or trigger writing it). No EXECUTE is checked when a trigger fires.
    private func triggerCauses(firing function: ObjectIndex, tail: [PathStep], depth: Int) -> [AccessCause] {
        let owner = graph.objects[function].owner
        var result: [AccessCause] = []
        for relation in graph.triggerTables[function] ?? [] {
            for trigger in graph.triggers[relation] ?? [] where trigger.function == function {
                let hop = PathStep.definerTrigger(
                    trigger: trigger.name, relation: graph.objects[relation].name, function: graph.objects[function].name,
                    owner: graph.roles[owner].name)
                for event in trigger.events.intersection(EffectiveAccessEngine.writePrivileges) {
                    var firing = plainObjectCauses(event, object: relation).filter { cause in
                        if case .superuser = cause.kind { return false }
                        return true
                    }
                    if ObjectKind.column.applicablePrivileges.contains(event) {
                        for position in graph.objects[relation].columns.indices { firing += grantCauses(event, object: relation, column: position) }
                    }
                    firing += writeThroughCauses(event, object: relation, column: nil, depth: depth + 1)
                    if depth < 4 { firing += definerWriteCauses(event, object: relation, column: nil, depth: depth + 1) }
                    for cause in firing {
                        result.append(AccessCause(
                            kind: .trigger(function, event: event, inner: AccessCause.Box(cause.kind)),
                            reachers: throughDefiner(cause.reachers, owner: owner).map { extend($0, hop: hop, tail: tail) }))
                    }
                }
            }
        }
        return result
    }

    private func plainObjectCauses(_ privilege: Privilege, object: ObjectIndex, summarizing: Bool = false) -> [AccessCause] {
        guard graph.applicablePrivileges(graph.objects[object].kind).contains(privilege) else { return [] }
        var result = grantCauses(privilege, object: object, column: nil, summarizing: summarizing)
        result += implicitCauses(privilege, object: object)
        result += superuserCauses()
        result += ownershipCauses(privilege, object: object)
        return result
    }

    /// Reachers that act through a capability become a cause of their own, named by the first
    /// capability on their path: that is what to change. A watch cause keeps its own step.
    static func splitByCapability(_ causes: [AccessCause]) -> [AccessCause] {
        var result: [AccessCause] = []
        for cause in causes {
            var own: CapabilityStep?
            if case .capability(let step, _) = cause.kind { own = step }
            // Most causes have no reacher through another capability: kept as they are.
            guard cause.reachers.contains(where: { reacher in AccessPath.firstCapability(in: reacher.path).map { $0 != own } ?? false }) else {
                result.append(cause)
                continue
            }
            var plain: [Reacher] = []
            var split: [CapabilityStep: [Reacher]] = [:]
            var order: [CapabilityStep] = []
            for reacher in cause.reachers {
                guard let step = AccessPath.firstCapability(in: reacher.path), step != own else {
                    plain.append(reacher)
                    continue
                }
                if split[step] == nil { order.append(step) }
                split[step, default: []].append(reacher)
            }
            if !plain.isEmpty || split.isEmpty {
                var kept = cause
                kept.reachers = plain
                result.append(kept)
            }
            for step in order {
                result.append(AccessCause(kind: .capability(step, inner: AccessCause.Box(cause.kind)), reachers: split[step] ?? []))
            }
        }
        return result
    }

    /// The owner (and whoever has its privileges) can grant itself any privilege on what it owns.
    /// Only a cause where the owner's own ACL entry lacks the privilege (it revoked it from
    /// itself): otherwise that entry is already a cause with the same principals.
    private var ownershipCache: [Int64: [AccessCause]] = [:]

    /// Computed once per object and privilege (asked for every column of a relation).
    private func ownershipCauses(_ privilege: Privilege, object: ObjectIndex) -> [AccessCause] {
        let key = Int64(object) << 16 | Int64(privilege.bit)
        if let cached = ownershipCache[key] { return cached }
        let result = computeOwnershipCauses(privilege, object: object)
        ownershipCache[key] = result
        return result
    }

    private func computeOwnershipCauses(_ privilege: Privilege, object: ObjectIndex) -> [AccessCause] {
        let target = graph.objects[object]
        let owner = target.owner
        let ownEntry = target.acl.contains { $0.grantee == .role(owner) && $0.privileges.contains(privilege) }
        guard !ownEntry else { return [] }
        let step = PathStep.ownership(object: target.name)
        let reachers = Self.bestRoutes(routes(to: .role(owner)).map { reacher in
            var extended = reacher
            extended.path.append(step)
            extended.mode = max(extended.mode, .capability)
            applyUsage(&extended, object: object)
            return extended
        })
        return [AccessCause(kind: .ownership(object), reachers: reachers)]
    }

    /// Capabilities that watch a relation's rows: TRIGGER on it, owning one of its trigger
    /// functions, and (for relations that hold rows) replication, monitoring roles, server files
    /// and catalog grants.
    private var watchCache: [ObjectIndex: [AccessCause]] = [:]

    /// Watch causes are the same for every column of a relation: computed once per relation.
    private func watchCauses(relation: ObjectIndex) -> [AccessCause] {
        if let cached = watchCache[relation] { return cached }
        let result = computeWatchCauses(relation: relation)
        watchCache[relation] = result
        return result
    }

    private func computeWatchCauses(relation: ObjectIndex) -> [AccessCause] {
        let target = graph.objects[relation]
        guard target.kind == .table else { return [] }
        var result: [AccessCause] = []
        let triggerStep = CapabilityStep.trigger(table: target.name)
        for cause in plainObjectCauses(.trigger, object: relation) {
            // The owner (and who has its privileges) reads the table anyway: its own TRIGGER
            // entry and its ownership add no road, only a second finding for the same principals.
            switch cause.kind {
            case .superuser, .ownership: continue
            case .grant(_, _, .role(let grantee)) where grantee == target.owner: continue
            default: break
            }
            result.append(AccessCause(
                kind: .capability(triggerStep, inner: AccessCause.Box(cause.kind)),
                reachers: cause.reachers.map { watching($0, through: triggerStep) }))
        }
        let replaceable = (graph.triggers[relation] ?? []).compactMap(\.function).map { ($0, CapabilityStep.triggerFunction) }
            + (graph.policyFunctions[relation] ?? []).map { ($0, CapabilityStep.policyFunction) }
        for (function, makeStep) in replaceable {
            let step = makeStep(graph.objects[function].name, target.name)
            result.append(AccessCause(
                kind: .capability(step, inner: AccessCause.Box(.ownership(function))), reachers: replacers(of: function, through: step)))
        }
        if engine.holdsRows(relation) { result += globalWatchCauses() }
        return result
    }

    /// Rewrite rules that read the column: whoever may fire one (the event's privilege on its
    /// relation, table- or column-level) gets what its actions return, read as the relation's owner.
    private func ruleCauses(_ column: ColumnRef) -> [AccessCause] {
        var result: [AccessCause] = []
        for (table, position) in graph.rulesReadingColumn[column] ?? [] {
            guard let rule = graph.rules[table]?[position] else { continue }
            let owner = graph.objects[table].owner
            guard let ownerPath = engine.readableColumns(of: owner)[column] else { continue }
            let step = CapabilityStep.rewriteRule(rule: rule.name, table: graph.objects[table].name, event: rule.event, owner: graph.roles[owner].name)
            let tail = [PathStep.capability(step)] + ownerPath.steps.dropFirst()
            var firing = plainObjectCauses(rule.event, object: table)
            if ObjectKind.column.applicablePrivileges.contains(rule.event) {
                for position in graph.objects[table].columns.indices { firing += grantCauses(rule.event, object: table, column: position) }
            }
            for cause in firing {
                if case .superuser = cause.kind { continue }
                let reachers = cause.reachers.map { reacher in
                    var extended = reacher
                    extended.path += tail
                    extended.mode = max(extended.mode, .capability)
                    return extended
                }
                result.append(AccessCause(kind: .capability(step, inner: AccessCause.Box(cause.kind)), reachers: reachers))
            }
        }
        return result
    }

    /// Principals that can replace `function`'s body, each with its path through the owner's
    /// privileges to the ownership and `step`: those acting as a role that has the owner's
    /// privileges and CREATE on the function's schema (the current user needs both).
    private func replacers(of function: ObjectIndex, through step: CapabilityStep) -> [Reacher] {
        let owner = graph.objects[function].owner
        let inheritors = engine.cache.descendants(of: owner, via: .inherit)
        var candidates: [(actorMode: AccessMode, reacher: Reacher)] = []
        for role in inheritors.order where !graph.roles[role].attributes.superuser && engine.canReplace(role, function) {
            let toOwner = inheritors.chain(to: role, in: graph).dropFirst().map { PathStep.role(graph.roles[$0].name) }
            for actor in actors(of: role) {
                var extended = actor
                extended.path += toOwner + [.ownership(object: graph.objects[function].name), .capability(step)]
                extended.mode = max(extended.mode, .capability)
                candidates.append((actor.mode, extended))
            }
        }
        // Per principal, the road that acts as itself before one through SET ROLE or a
        // capability, then the shortest.
        let ordered = candidates.enumerated().sorted { a, b in
            (a.element.actorMode, a.element.reacher.path.count, a.offset) < (b.element.actorMode, b.element.reacher.path.count, b.offset)
        }
        return Self.bestRoutes(ordered.map(\.element.reacher))
    }

    private func watching(_ reacher: Reacher, through step: CapabilityStep) -> Reacher {
        var extended = reacher
        extended.path.append(.capability(step))
        extended.mode = max(extended.mode, .capability)
        return extended
    }

    private var globalWatchCache: [AccessCause]?

    /// Replication, monitoring, server-file, catalog-grant and ALTER SYSTEM causes: the same for every relation that holds rows.
    private func globalWatchCauses() -> [AccessCause] {
        if let cached = globalWatchCache { return cached }
        var result: [AccessCause] = []
        for role in graph.roles.indices where graph.roles[role].attributes.replication && !graph.roles[role].attributes.superuser {
            let step = CapabilityStep.replication(role: graph.roles[role].name)
            result.append(AccessCause(kind: .capability(step, inner: nil), reachers: actors(of: role).map { watching($0, through: step) }))
        }
        for name in [PredefinedRoles.readAllStats] + PredefinedRoles.serverFileRoles {
            guard let role = graph.roleIndex[name] else { continue }
            let step: CapabilityStep = name == PredefinedRoles.readAllStats ? .monitoring(role: name) : .serverFiles(role: name)
            result.append(AccessCause(kind: .capability(step, inner: nil), reachers: Self.bestRoutes(routes(to: .role(role))).map { watching($0, through: step) }))
        }
        for grant in engine.watchGrants {
            result.append(AccessCause(
                kind: .capability(grant.step, inner: nil), reachers: Self.bestRoutes(routes(to: grant.grantee)).map { watching($0, through: grant.step) }))
        }
        globalWatchCache = result
        return result
    }

    /// Principals that can act as `role` itself (its attributes in force): the role, those that
    /// may SET ROLE to it, and those that become it through a capability.
    func actors(of role: RoleIndex) -> [Reacher] {
        var result: [Reacher] = []
        if !isPredefined(role) { result.append(Reacher(principal: role, path: [.role(graph.roles[role].name)], mode: .direct)) }
        let setters = engine.cache.descendants(of: role, via: .set)
        for setter in setters.order.dropFirst() where !graph.roles[setter].attributes.superuser && !isPredefined(setter) {
            let chain = setters.chain(to: setter, in: graph)
            result.append(Reacher(principal: setter, path: [.role(graph.roles[setter].name)] + chain.dropFirst().map { .setRole(graph.roles[$0].name) }, mode: .setRole))
        }
        result += engine.capabilities.becomers(of: role)
        return Self.bestRoutes(result)
    }

    /// pg_read_all_data / pg_write_all_data membership, for the privileges they imply.
    private func implicitCauses(_ privilege: Privilege, object: ObjectIndex) -> [AccessCause] {
        graph.implicitPrivilegeRoles.compactMap { holder in
            let name = graph.roles[holder].name
            guard PredefinedRoles.implicitPrivileges(of: name, on: graph.objects[object].kind).contains(privilege) else { return nil }
            let step = PathStep.implicitGrant(privilege: privilege, object: graph.objects[object].name, role: name)
            let reachers = Self.bestRoutes(routes(to: .role(holder)).map { reacher in
                var extended = reacher
                extended.path.append(step)
                applyUsage(&extended, object: object)
                return extended
            })
            return AccessCause(kind: .predefinedRole(holder, object: object), reachers: reachers)
        }
    }

    private func grantCauses(_ privilege: Privilege, object: ObjectIndex, column: Int?, summarizing: Bool = false) -> [AccessCause] {
        // The table-level causes are asked for once per column of a table in a row: kept for the next.
        if column == nil, let last = lastTableGrants, last.object == object, last.privilege == privilege, last.summarized == summarizing {
            return last.causes
        }
        let acl = column.map { graph.objects[object].columns[$0].acl } ?? graph.objects[object].acl
        var result: [AccessCause] = []
        for bundle in acl where bundle.privileges.contains(privilege) {
            let step = grantStep(object: object, column: column, privilege: privilege, bundle: bundle)
            if summarizing, bundle.grantee == .publicRole, let summary = publicGrantSummary(object: object, column: column, step: step) {
                result.append(summary)
                continue
            }
            let routes = routes(to: bundle.grantee)
            let usable = usability(of: bundle.grantee, routes: routes, object: object)
            // Only the chosen routes are extended: every table's grant to a group is asked for.
            let reachers = chosenRoutes(of: bundle.grantee, routes: routes, usable: usable, object: object).map { index in
                var extended = routes[index]
                extended.path.append(step)
                if !usable[index] { applyUsage(&extended, object: object) }
                return extended
            }
            result.append(AccessCause(kind: .grant(object: object, column: column, grantee: bundle.grantee), reachers: reachers))
        }
        if column == nil { lastTableGrants = (object, privilege, summarizing, result) }
        return result
    }

    /// A grant to PUBLIC, summarised: the most direct login route (the first usable one, in the
    /// order `routes(to:)` gives, else the first) and the number of login roles; nil when no
    /// login role is there to stand for the others (the grant is then walked in full).
    private func publicGrantSummary(object: ObjectIndex, column: Int?, step: PathStep) -> AccessCause? {
        let routes = routes(to: .publicRole)
        let schema = graph.objects[object].schema
        let key = UsabilityKey(grantee: .publicRole, schema: schema ?? -1)
        let (logins, best): (Int, Int?)
        if let known = publicSummaries[key] {
            (logins, best) = known
        } else {
            let loginRoutes = routes.indices.filter { graph.roles[routes[$0].principal].attributes.login }
            // The first route usable by name: not latent, and its role has USAGE on the schema.
            let direct = loginRoutes.first { index in
                routes[index].mode != .latent && schema.map { hasUsage(actingRole(of: routes[index]), schema: $0) } ?? true
            }
            (logins, best) = (loginRoutes.count, direct ?? loginRoutes.first)
            publicSummaries[key] = (logins, best)
        }
        guard let best else { return nil }
        var reacher = routes[best]
        reacher.path.append(step)
        applyUsage(&reacher, object: object)
        return AccessCause(kind: .grant(object: object, column: column, grantee: .publicRole), reachers: [reacher], summarizedLogins: logins)
    }

    /// Per route to `grantee`: whether it keeps its mode on an object of `object`'s schema (it is
    /// latent already, or its acting role has USAGE). Computed once per grantee and schema.
    private func usability(of grantee: Grantee, routes: [Reacher], object: ObjectIndex) -> [Bool] {
        guard let schema = graph.objects[object].schema else { return Array(repeating: true, count: routes.count) }
        let key = UsabilityKey(grantee: grantee, schema: schema)
        if let known = usabilityCache[key] { return known }
        let usable = routes.map { route in route.mode == .latent || hasUsage(actingRole(of: route), schema: schema) }
        usabilityCache[key] = usable
        return usable
    }

    /// The positions of the routes `bestRoutes` keeps of `routes(to: grantee)` once each is
    /// extended by a grant on `object` (a route is latent then if it was, or if its acting role
    /// lacks USAGE on the object's schema: `usable`), worked out once per grantee and schema.
    private func chosenRoutes(of grantee: Grantee, routes: [Reacher], usable: [Bool], object: ObjectIndex) -> [Int] {
        // One route per principal (PUBLIC's, a group's without SET ROLE routes) needs no choosing.
        if hasOneRoutePerPrincipal(grantee) { return Array(routes.indices) }
        let key = UsabilityKey(grantee: grantee, schema: graph.objects[object].schema ?? -1)
        if let known = chosenRouteCache[key] { return known }
        let chosen = Self.bestRoutePositions(
            count: routes.count, principal: { routes[$0].principal }, latent: { routes[$0].mode == .latent || !usable[$0] })
        chosenRouteCache[key] = chosen
        return chosen
    }

    private func hasOneRoutePerPrincipal(_ grantee: Grantee) -> Bool {
        if let known = oneRoutePerPrincipal[grantee] { return known }
        let routes = routes(to: grantee)
        let value = Set(routes.map(\.principal)).count == routes.count
        oneRoutePerPrincipal[grantee] = value
        return value
    }

    private struct UsabilityKey: Hashable {
        var grantee: Grantee
        var schema: ObjectIndex
    }

    private func hasUsage(_ role: RoleIndex, schema: ObjectIndex) -> Bool {
        let key = Int64(role) << 32 | Int64(schema)
        if let known = usageCache[key] { return known }
        let value = engine.hasPrivilege(role, .usage, on: schema)
        usageCache[key] = value
        return value
    }

    /// One cause per superuser role: the role itself, the roles that may SET ROLE to it, and
    /// those that can make themselves members of it (a capability). The same for every object:
    /// worked out once.
    package func superuserCauses() -> [AccessCause] {
        if let cached = superuserCausesCache { return cached }
        let causes = superusers.map { role in
            var reachers = [Reacher(principal: role, path: [.superuser(graph.roles[role].name)], mode: .direct)]
            for setter in engine.cache.descendants(of: role, via: .set).order.dropFirst() where !graph.roles[setter].attributes.superuser {
                let chain = engine.cache.descendants(of: role, via: .set).chain(to: setter, in: graph)
                var path: [PathStep] = [.role(graph.roles[setter].name)]
                path += chain.dropFirst().map { .setRole(graph.roles[$0].name) }
                path.append(.superuser(graph.roles[role].name))
                reachers.append(Reacher(principal: setter, path: path, mode: .setRole))
            }
            var known = Set(reachers.map(\.principal))
            for becomer in engine.capabilities.becomers(of: role) where known.insert(becomer.principal).inserted {
                reachers.append(Reacher(principal: becomer.principal, path: becomer.path.dropLast() + [.superuser(graph.roles[role].name)], mode: .capability))
            }
            return AccessCause(kind: .superuser(role), reachers: reachers)
        }
        superuserCausesCache = causes
        return causes
    }

    private func columnCauses(_ privilege: Privilege, column: ColumnRef, depth: Int, visited: inout Set<ObjectIndex>) -> [AccessCause] {
        let summarizing = depth == 0 && summarizesPublicGrants.contains(privilege)
        var result = grantCauses(privilege, object: column.object, column: nil, summarizing: summarizing)
        result += grantCauses(privilege, object: column.object, column: column.column, summarizing: summarizing)
        result += implicitCauses(privilege, object: column.object)
        result += superuserCauses()
        if depth == 0 {
            result += ownershipCauses(privilege, object: column.object)
            result += writeThroughCauses(privilege, object: column.object, column: column.column)
            result += definerWriteCauses(privilege, object: column.object, column: column.column)
        }
        guard privilege == .select, depth < 16 else { return result }
        // Rules that read this column (a view's column too: a definer view passes it on).
        result += ruleCauses(column)
        result += definerCauses(column, depth: depth, visited: &visited)
        return result
    }

    /// The causes of SELECT on `column` through the definer views and SECURITY DEFINER
    /// functions that read it (a grant on the view or function, or on a definer chain calling it).
    private func definerCauses(_ column: ColumnRef, depth: Int, visited: inout Set<ObjectIndex>) -> [AccessCause] {
        var result: [AccessCause] = []
        let definers = graph.readers(of: column) + openDefiners(reading: column)
        // A trigger function is never called: EXECUTE on it reads nothing.
        for definer in definers where !visited.contains(definer) && !graph.objects[definer].triggerOnly {
            let object = graph.objects[definer]
            guard let ownerPath = engine.readableColumns(of: object.owner)[column] else { continue }
            let tail = Array(ownerPath.steps.dropFirst())
            visited.insert(definer)
            defer { visited.remove(definer) }
            if object.kind == .function {
                let hop = PathStep.definerFunction(function: object.name, owner: graph.roles[object.owner].name)
                // The function itself, then the definers whose bodies call it (their callers
                // reach what it returns), out to the first caller.
                var calls: [(function: ObjectIndex, hops: [PathStep])] = [(definer, [hop])]
                var called: Set<ObjectIndex> = [definer]
                while let (function, hops) = calls.popLast() {
                    let caller = graph.objects[function]
                    // EXECUTE granted to PUBLIC comes back summarised when asked (`summarizesPublicGrants`),
                    // on the target's own definers only: a cause wrapped by an outer view keeps every route.
                    for cause in grantCauses(.execute, object: function, column: nil, summarizing: depth == 0 && summarizesPublicGrants.contains(.execute)) {
                        result.append(AccessCause(
                            kind: .function(function, inner: AccessCause.Box(cause.kind)),
                            reachers: throughDefiner(cause.reachers, owner: caller.owner).map { extend($0, hop: hops[0], tail: Array(hops.dropFirst()) + tail) },
                            summarizedLogins: cause.summarizedLogins))
                    }
                    for outer in graph.definerChainCallers[function] ?? [] where called.insert(outer).inserted {
                        let outerHop = PathStep.definerFunction(function: graph.objects[outer].name, owner: graph.roles[graph.objects[outer].owner].name)
                        calls.append((outer, [outerHop] + hops))
                    }
                }
                continue
            }
            let hop = PathStep.definerView(view: object.name, owner: graph.roles[object.owner].name)
            var seen = Set<String>()
            for (index, viewColumn) in object.columns.enumerated() where (viewColumn.reads ?? object.reads ?? []).contains(column) {
                for cause in columnCauses(.select, column: ColumnRef(object: definer, column: index), depth: depth + 1, visited: &visited) {
                    switch cause.kind {
                    case .superuser, .predefinedRole, .ownership: continue
                    default: break
                    }
                    guard seen.insert(Self.key(cause.kind)).inserted else { continue }
                    result.append(AccessCause(
                        kind: .view(definer, inner: AccessCause.Box(cause.kind)),
                        reachers: throughDefiner(cause.reachers, owner: object.owner).map { extend($0, hop: hop, tail: tail) }))
                }
            }
        }
        return result
    }

    /// An identity for a cause, to merge the same cause reached through several columns.
    package static func key(_ kind: AccessCause.Kind) -> String {
        switch kind {
        case .grant(let object, let column, let grantee):
            let who = switch grantee {
            case .publicRole: "PUBLIC"
            case .role(let r): String(r)
            }
            return "g\(object):\(column ?? -1):\(who)"
        case .superuser(let role): return "s\(role)"
        case .predefinedRole(let role, let object): return "p\(role):\(object)"
        case .view(let view, let inner): return "v\(view)(\(key(inner.cause)))"
        case .function(let function, let inner): return "f\(function)(\(key(inner.cause)))"
        case .trigger(let function, let event, let inner): return "t\(function):\(event.rawValue)(\(key(inner.cause)))"
        case .ownership(let object): return "o\(object)"
        case .capability(let step, let inner): return "c\(step.text)(\(inner.map { key($0.cause) } ?? ""))"
        }
    }

    /// Reachers of a definer view's or function's grant, less those that already act as its
    /// owner through a capability: the definer hop gives them nothing the owner's own grants
    /// do not, and the path would loop through the owner.
    private func throughDefiner(_ reachers: [Reacher], owner: RoleIndex) -> [Reacher] {
        reachers.filter { $0.mode != .capability || actingRole(of: $0) != owner }
    }

    private func extend(_ reacher: Reacher, hop: PathStep, tail: [PathStep]) -> Reacher {
        var extended = reacher
        extended.path += [hop] + tail
        return extended
    }

    private func grantStep(object: ObjectIndex, column: Int?, privilege: Privilege, bundle: GrantBundle) -> PathStep {
        let target = graph.objects[object]
        return .grant(
            privilege: privilege, object: target.name, column: column.map { target.columns[$0].name }, grantee: graph.name(of: bundle.grantee),
            grantors: bundle.grantors, grantable: bundle.grantable.contains(privilege))
    }

    /// A reacher without USAGE on the object's schema holds the grant only latently. The acting
    /// role is the principal, or the SET ROLE target for set_role reachers.
    /// Another role's route through a grant to PUBLIC summarised by `representative` (a role's
    /// route to PUBLIC differs only by its first step): the same road, with the mode and note of
    /// that role's own USAGE on the schema of `object`, the object the grant is on.
    package func publicRoute(from representative: Reacher, role: RoleIndex, grantOn object: ObjectIndex) -> Reacher {
        var reacher = representative
        reacher.principal = role
        if !reacher.path.isEmpty { reacher.path[0] = .role(graph.roles[role].name) }
        reacher.mode = .direct
        reacher.note = nil
        applyUsage(&reacher, object: object)
        return reacher
    }

    private func applyUsage(_ reacher: inout Reacher, object: ObjectIndex) {
        guard reacher.mode != .latent, let schema = graph.objects[object].schema else { return }
        let acting = actingRole(of: reacher)
        if !hasUsage(acting, schema: schema) {
            reacher.mode = .latent
            reacher.note = "\(graph.roles[acting].name) lacks USAGE on schema \(graph.objects[schema].name) (not usable by name; objects bound to it still read it)"
        }
    }

    /// The role whose rights are in force at the end of the membership part of the path: the
    /// last SET ROLE target or role a capability became.
    private func actingRole(of reacher: Reacher) -> RoleIndex {
        var acting = reacher.principal
        for step in reacher.path {
            switch step {
            case .setRole(let name): if let role = graph.roleIndex[name] { acting = role }
            case .capability(let capability):
                guard let name = capability.becomes else { return acting }
                if let role = graph.roleIndex[name] { acting = role }
            case .role, .publicRole, .superuser: continue
            default: return acting
            }
        }
        return acting
    }
}
