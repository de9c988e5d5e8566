import AuditSupport
import SnapshotModel
import AccessEngine
import AccessPolicy
import ServerUsage

/// Everything a check needs, computed once per audit: the snapshot's graph and engine, reverse
/// reach queries, the policy's declared access, the data classification, and today's date.
package final class AuditContext {
    package let snapshot: Snapshot
    package let policy: Policy
    package let graph: AccessGraph
    package let engine: EffectiveAccessEngine
    package let reach: ReachQuery
    package let declared: DeclaredAccess
    package let classification: DataClassification
    package let today: DayDate
    /// When set, findings materialise at most this many principals (with paths) and count the
    /// rest; nil lists them all. Left nil where exceptions waive principals of a rule.
    package var principalSample: Int?
    /// What roles used, from pgaudit's records (`check --usage`); nil when not given.
    package var usage: UsageEvidence?
    private var cachedGrantSites: [GrantSite]?
    /// Per owner, the classified columns it can read (what an opaque definer function exposes).
    private var classifiedReadableCache: [RoleIndex: [ColumnRef]] = [:]

    package init(snapshot: Snapshot, policy: Policy, today: DayDate) {
        self.snapshot = snapshot
        self.policy = policy
        self.today = today
        graph = AccessGraph(snapshot: snapshot)
        engine = EffectiveAccessEngine(graph: graph)
        reach = ReachQuery(engine: engine)
        declared = DeclaredAccess(policy: policy)
        classification = DataClassification(policy: policy, graph: graph)
    }

    /// What a context holds that never changes once built: another thread builds its own
    /// context (own engine, own caches) over the same graph and policy.
    package struct SharedParts: Sendable {
        var snapshot: Snapshot
        var policy: Policy
        var graph: AccessGraph
        var declared: DeclaredAccess
        var classification: DataClassification
        var today: DayDate
        var grantSites: [GrantSite]
        var principalSample: Int?
        var usage: UsageEvidence?
    }

    package var sharedParts: SharedParts {
        SharedParts(
            snapshot: snapshot, policy: policy, graph: graph, declared: declared, classification: classification, today: today,
            grantSites: grantSites, principalSample: principalSample, usage: usage)
    }

    package init(sharing parts: SharedParts) {
        snapshot = parts.snapshot
        policy = parts.policy
        today = parts.today
        graph = parts.graph
        engine = EffectiveAccessEngine(graph: graph)
        reach = ReachQuery(engine: engine)
        declared = parts.declared
        classification = parts.classification
        cachedGrantSites = parts.grantSites
        principalSample = parts.principalSample
        usage = parts.usage
    }

    /// Where findings about access nothing declares are anchored: the first policy file's first line.
    package var fallbackLocation: SourceLocation {
        SourceLocation(file: policy.files.first ?? "policy", line: 1, column: 1)
    }

    /// The declaration of a role, or the fallback location.
    package func location(ofRole name: String) -> SourceLocation {
        declared.declaration(of: name)?.location ?? fallbackLocation
    }

    package func roleName(_ role: RoleIndex) -> String { graph.roles[role].name }

    package func granteeName(_ grantee: Grantee) -> String { graph.name(of: grantee) }

    /// Whether a role matches a principal selector: names/globs, declared kind, its real LOGIN
    /// attribute, and real (transitive) membership.
    package func matches(_ selector: PrincipalSelector, role: RoleIndex) -> Bool {
        let name = graph.roles[role].name
        if !selector.roles.isEmpty, !selector.roles.contains(where: { $0.matches(name) }) { return false }
        if !selector.kinds.isEmpty {
            guard let kind = declared.declaration(of: name)?.kind, selector.kinds.contains(kind) else { return false }
        }
        if let login = selector.login, graph.roles[role].attributes.login != login { return false }
        if !selector.memberOf.isEmpty {
            let isMember = selector.memberOf.contains { groupName in
                guard let group = graph.roleIndex[groupName] else { return false }
                return group != role && engine.hasRole(role, group, .member)
            }
            if !isMember { return false }
        }
        return true
    }

    /// Whether a rule's `except` waives a reacher: any selector matches the principal or a role on its path.
    package func isExcepted(_ selectors: [PrincipalSelector], reacher: Reacher) -> Bool {
        guard !selectors.isEmpty else { return false }
        let roles = [reacher.principal] + AccessPath(reacher.path).roles.compactMap { graph.roleIndex[$0] }
        return selectors.contains { selector in roles.contains { matches(selector, role: $0) } }
    }

    package func affected(_ reacher: Reacher) -> AffectedPrincipal {
        AffectedPrincipal(
            name: graph.roles[reacher.principal].name, path: AccessPath(reacher.path), mode: reacher.mode, note: reacher.note,
            login: graph.roles[reacher.principal].attributes.login)
    }

    /// A readable statement of a cause.
    package func describe(_ cause: AccessCause.Kind, privilege: Privilege) -> Cause {
        switch cause {
        case .grant(let object, let column, let grantee):
            let target = graph.objects[object]
            let on = column.map { "(\(target.columns[$0].name)) ON \(target.name)" } ?? "ON \(target.kind == .table ? "" : target.kind.rawValue.uppercased() + " ")\(target.name)"
            return Cause(.grant, "GRANT \(privilege.rawValue) \(on) TO \(granteeName(grantee))")
        case .superuser(let role):
            return Cause(.attribute, "\(graph.roles[role].name) has SUPERUSER")
        case .predefinedRole(let role, _):
            return Cause(.membership, "membership in \(graph.roles[role].name) (\(privilege.rawValue) on every \(graph.roles[role].name == PredefinedRoles.readAllData ? "table" : "relation") is implicit)")
        case .view(let view, let inner):
            // The same privilege on the view: SELECT for reads, the write for a write passed through.
            let innerCause = describe(inner.cause, privilege: privilege)
            return Cause(.view, "\(innerCause.description) (definer view \(graph.objects[view].name), owner \(graph.roles[graph.objects[view].owner].name))")
        case .function(let function, let inner):
            let innerCause = describe(inner.cause, privilege: .execute)
            return Cause(.function, "\(innerCause.description) (SECURITY DEFINER, owner \(graph.roles[graph.objects[function].owner].name))")
        case .trigger(let function, let event, let inner):
            let innerCause = describe(inner.cause, privilege: event)
            let target = graph.objects[function]
            return Cause(.function, "\(innerCause.description), whose trigger runs SECURITY DEFINER \(target.name) (owner \(graph.roles[target.owner].name))")
        case .ownership(let object):
            let target = graph.objects[object]
            return Cause(.ownership, "\(graph.roles[target.owner].name) owns \(target.name) (can grant itself \(privilege.rawValue) at any time)")
        case .capability(let step, let inner):
            guard let inner else { return Cause(.capability, step.text) }
            let innerPrivilege: Privilege = if case .trigger = step { .trigger } else { privilege }
            return Cause(.capability, "\(step.text), then \(describe(inner.cause, privilege: innerPrivilege).description)")
        }
    }

    /// The role a cause sits on (grantee, attribute holder).
    package func causeHolder(_ cause: AccessCause.Kind) -> String? {
        switch cause {
        case .grant(_, _, let grantee): granteeName(grantee)
        case .superuser(let role), .predefinedRole(let role, _): graph.roles[role].name
        case .view(_, let inner), .function(_, let inner), .trigger(_, _, let inner): causeHolder(inner.cause)
        case .ownership(let object): graph.roles[graph.objects[object].owner].name
        case .capability(let step, let inner):
            switch step {
            case .adminOption(_, let holder), .createRole(_, let holder): holder
            case .definerCode(_, let owner, _), .replacedCallee(_, _, let owner): owner
            case .replication(let role), .monitoring(let role), .serverFiles(let role): role
            case .catalog(_, _, let grantee), .alterSystem(_, let grantee): grantee
            case .foreignServer(_, _, let becomes): becomes
            case .trigger, .triggerFunction, .policyFunction, .expressionFunction, .rewriteRule: inner.flatMap { causeHolder($0.cause) }
            }
        }
    }

    /// Raises `severity` to the most severe class of the columns reached.
    package func raised(_ severity: Severity, columns: [ColumnRef]) -> Severity {
        columns.compactMap { classification.topClass(of: $0)?.severity }.reduce(severity, max)
    }
}

extension AuditContext {
    /// One ACL bundle where it sits: trivially copyable (no grantor names), since several
    /// checks walk every site of the snapshot; the grantors are read from the graph for paths.
    package struct GrantSite: Sendable {
        package var object: ObjectIndex
        package var column: Int?
        /// The bundle's position in the object's (or column's) ACL.
        package var position: Int
        package var grantee: Grantee
        package var privileges: PrivilegeSet
        package var grantable: PrivilegeSet

        init(object: ObjectIndex, column: Int?, position: Int, bundle: GrantBundle) {
            self.object = object
            self.column = column
            self.position = position
            grantee = bundle.grantee
            privileges = bundle.privileges
            grantable = bundle.grantable
        }
    }

    /// Every ACL bundle of the snapshot, objects in order, table-level before column-level.
    /// Built once per audit; several checks walk it.
    package var grantSites: [GrantSite] {
        if let cached = cachedGrantSites { return cached }
        var sites: [GrantSite] = []
        for (index, object) in graph.objects.enumerated() {
            for (position, bundle) in object.acl.enumerated() {
                sites.append(GrantSite(object: index, column: nil, position: position, bundle: bundle))
            }
            for (columnPosition, column) in object.columns.enumerated() {
                for (position, bundle) in column.acl.enumerated() {
                    sites.append(GrantSite(object: index, column: columnPosition, position: position, bundle: bundle))
                }
            }
        }
        cachedGrantSites = sites
        return sites
    }

    /// The classified columns a grant on the object (or column) gives access to: the relation's
    /// own, or what a definer view or SECURITY DEFINER function reads with its owner's rights.
    package func exposedClassifiedColumns(object: ObjectIndex, column: Int?) -> [ColumnRef] {
        let target = graph.objects[object]
        if target.isDefinerView || (target.kind == .function && target.securityDefiner) {
            let readable = engine.readableColumns(of: target.owner)
            guard let reads = column.flatMap({ target.columns[$0].reads }) ?? target.reads else {
                // Opaque (a definer function whose reads are unknown): every classified column its
                // owner can read, which already includes what its definer views lead to.
                return classifiedReadable(by: target.owner, readable: readable)
            }
            // Through definer views it reads, to their base columns (a view built on a view).
            var result: [ColumnRef] = []
            var seen = Set(reads)
            var frontier = Array(reads.reversed())
            while let read = frontier.popLast() {
                guard readable[read] != nil else { continue }
                if classification.topClass(of: read) != nil { result.append(read) }
                let view = graph.objects[read.object]
                guard view.isDefinerView else { continue }
                for base in (view.columns[read.column].reads ?? view.reads ?? []).reversed() where seen.insert(base).inserted { frontier.append(base) }
            }
            return result
        }
        guard target.kind == .table, target.relationKind != .view else { return [] }
        if let column {
            let ref = ColumnRef(object: object, column: column)
            return classification.topClass(of: ref) == nil ? [] : [ref]
        }
        return classification.columnsOfTable[object] ?? []
    }

    private func classifiedReadable(by owner: RoleIndex, readable: [ColumnRef: AccessPath]) -> [ColumnRef] {
        if let cached = classifiedReadableCache[owner] { return cached }
        let result = classification.columnsOfTable.values.joined().filter { readable[$0] != nil }
            .sorted { ($0.object, $0.column) < ($1.object, $1.column) }
        classifiedReadableCache[owner] = result
        return result
    }

    /// The principals a finding of `rule` lists, and how many there are: all of them, or (with
    /// `principalSample` set and no exception for the rule) the riskiest few — login roles,
    /// shortest paths, then by name — chosen before any path is copied. `extend` adds a finding's
    /// own steps to each listed path.
    package func affectedSample(_ reachers: [Reacher], rule: String, extend: ((inout AffectedPrincipal) -> Void)? = nil) -> (principals: [AffectedPrincipal], count: Int) {
        affectedSample(
            count: reachers.count, principal: { reachers[$0].principal }, pathLength: { reachers[$0].path.count },
            reacher: { reachers[$0] }, rule: rule, extend: extend)
    }

    /// As `affectedSample(_:rule:extend:)`, for `count` reachers built on demand: the choice
    /// needs only each one's principal and path length, so only the listed ones are built (a
    /// grant to PUBLIC on a definer reaches every role by one road, thousands of them).
    package func affectedSample(
        count: Int, principal: (Int) -> RoleIndex, pathLength: (Int) -> Int, reacher: (Int) -> Reacher, rule: String,
        extend: ((inout AffectedPrincipal) -> Void)? = nil
    ) -> (principals: [AffectedPrincipal], count: Int) {
        var chosen = Array(0..<count)
        if let limit = principalSample, count > limit, samples(rule: rule) {
            func key(_ position: Int) -> (Int, Int) { (graph.roles[principal(position)].attributes.login ? 0 : 1, pathLength(position)) }
            func before(_ a: Int, _ b: Int) -> Bool {
                let (ka, kb) = (key(a), key(b))
                return ka != kb ? ka < kb : graph.roles[principal(a)].name < graph.roles[principal(b)].name
            }
            var best: [Int] = []
            best.reserveCapacity(limit + 1)
            for position in 0..<count {
                if best.count == limit, let last = best.last, !before(position, last) { continue }
                let at = best.firstIndex { before(position, $0) } ?? best.count
                best.insert(position, at: at)
                if best.count > limit { best.removeLast() }
            }
            chosen = best
        }
        let principals = chosen.map { position in
            var principal = affected(reacher(position))
            extend?(&principal)
            return principal
        }
        return (principals, count)
    }

    /// Whether a rule's findings list a sample of their principals: a bound is set, and no
    /// exception names the rule (an exception waives principals one by one).
    func samples(rule: String) -> Bool {
        principalSample != nil && !policy.exceptions.contains { $0.rule == rule }
    }

    /// The principals a grant site reaches, as `affectedSample` lists them, each path ending in
    /// the grant. A grant to PUBLIC is listed once, as PUBLIC, with every role counted: naming
    /// thousands of roles says nothing the grant does not.
    package func affectedSample(by site: GrantSite, privilege: Privilege, rule: String) -> (principals: [AffectedPrincipal], count: Int) {
        let target = graph.objects[site.object]
        let step = PathStep.grant(
            privilege: privilege, object: target.name, column: site.column.map { target.columns[$0].name },
            grantee: granteeName(site.grantee),
            grantors: graph.bundle(at: AccessGraph.GrantLocation(object: site.object, column: site.column, bundle: site.position)).grantors,
            grantable: site.grantable.contains(privilege))
        let reachers = reach.reachers(of: site.grantee)
        if case .publicRole = site.grantee, let limit = principalSample, reachers.count > limit, samples(rule: rule) {
            let everyone = AffectedPrincipal(
                name: AclEntry.publicGrantee, path: AccessPath([.publicRole, step]), mode: .direct,
                note: "granted to PUBLIC: every role (\(reachers.count)) holds it")
            return ([everyone], reachers.count)
        }
        return affectedSample(reachers, rule: rule) { $0.path.steps.append(step) }
    }

    /// Whether a bundle is the owner's own entry on its object (explained by ownership).
    package func isOwnerEntry(_ site: GrantSite) -> Bool {
        if case .role(let role) = site.grantee { return role == graph.objects[site.object].owner }
        return false
    }

    /// The object's (and column's) name for messages: `public.customers.email`.
    package func targetName(_ object: ObjectIndex, _ column: Int?) -> String {
        let target = graph.objects[object]
        return column.map { "\(target.name).\(target.columns[$0].name)" } ?? target.name
    }
}
