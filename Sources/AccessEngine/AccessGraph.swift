import AuditSupport
import SnapshotModel

/// An index into `AccessGraph.roles`.
package typealias RoleIndex = Int
/// An index into `AccessGraph.objects`.
package typealias ObjectIndex = Int

/// A column, as its relation's object index and its position in that relation's columns.
package struct ColumnRef: Hashable, Sendable {
    package var object: ObjectIndex
    package var column: Int

    package init(object: ObjectIndex, column: Int) {
        self.object = object
        self.column = column
    }
}

/// Who a grant is to: one role, or PUBLIC (every role).
package enum Grantee: Hashable, Sendable {
    case role(RoleIndex)
    case publicRole
}

/// The privileges one grantee holds on one object (or column), merged over grantors.
package struct GrantBundle: Sendable {
    package var grantee: Grantee
    package var privileges: PrivilegeSet
    package var grantable: PrivilegeSet
    /// Grantor role names, for paths.
    package var grantors: [String]
}

/// A role, its attributes and its membership edges.
package struct RoleNode: Sendable {
    package var name: String
    package var attributes: SnapshotRole
    /// Edges to the roles this role is a member of.
    package var memberOf: [Int] = []
    /// Edges from the roles that are members of this role.
    package var members: [Int] = []
}

/// A membership edge: `member` belongs to `role`, with PostgreSQL 16's options.
package struct MembershipEdge: Sendable {
    package var role: RoleIndex
    package var member: RoleIndex
    package var admin: Bool
    package var inherit: Bool
    package var set: Bool
    /// Implied by PostgreSQL (the database owner in pg_database_owner), not in pg_auth_members.
    package var implicit = false
}

/// A securable object (database, schema, relation, sequence or function) with its ACL.
package struct SecurableObject: Sendable {
    package var kind: ObjectKind
    /// Qualified name: `db`, `schema`, `schema.table`, `schema.seq`, `schema.fn(args)`.
    package var name: String
    package var schema: ObjectIndex?
    package var owner: RoleIndex
    package var acl: [GrantBundle]
    package var columns: [ColumnNode] = []
    package var relationKind: RelationKind?
    package var rowSecurity = false
    package var forceRowSecurity = false
    package var securityInvoker = false
    package var securityDefiner = false
    /// Views and functions: base columns read (nil for a function means "whatever its owner can read").
    package var reads: [ColumnRef]?
    /// Functions: bare `schema.name`, for selectors without arguments.
    package var baseName: String
    /// Functions: what decides whether a caller can redirect the names in its body.
    package var body: FunctionBody?
    /// Aggregates: their support functions (run without an EXECUTE check on the caller).
    package var supportFunctions: [ObjectIndex] = []
    /// Views: the writes PostgreSQL passes through to the base relation (auto-updatable).
    package var updatable = PrivilegeSet.empty
    /// SECURITY DEFINER functions with SQL-standard bodies: the definer functions their body
    /// calls (directly or through invoker functions), which run as their own owners and return
    /// what they reach to this one's callers.
    package var definerCallees: [ObjectIndex] = []
    /// A trigger function (returns `trigger`, or a trigger runs it): it runs only when a trigger
    /// fires; EXECUTE on it calls nothing.
    package var triggerOnly = false

    /// A view without `security_invoker`, or a materialized view (its rows were computed with
    /// its owner's rights at refresh; selecting them checks nothing on the base tables).
    package var isDefinerView: Bool { (relationKind == .view && !securityInvoker) || relationKind == .materializedView }
}

/// A column and its column-level ACL.
package struct ColumnNode: Sendable {
    package var name: String
    package var acl: [GrantBundle]
    package var reads: [ColumnRef]?
    /// A system column (`tableoid`, `ctid`, …): only its own grants matter; it holds no data of its own.
    package var system = false
}

/// A trigger, resolved: the function it runs (nil for a built-in pg_catalog function) and the
/// write privileges whose events fire it.
package struct TriggerNode: Sendable {
    package var name: String
    package var function: ObjectIndex?
    package var events: PrivilegeSet
    /// An INSTEAD OF trigger (on a view): it replaces the write.
    package var insteadOf = false
}

/// A rewrite rule (not a view's `_RETURN`), resolved: the privilege that fires it and the columns it reads.
package struct RuleNode: Sendable {
    package var name: String
    package var event: Privilege
    package var reads: [ColumnRef]
}

/// An expression of a relation's own (default, generated column, CHECK, index), resolved: the
/// functions it calls and the columns it passes them on every write.
package struct ExpressionNode: Sendable {
    /// How it reads in a path ("CHECK constraint valid_email").
    package var text: String
    package var functions: [ObjectIndex]
    package var reads: [ColumnRef]
}

/// A grant on a pg_catalog object (outside the snapshot's schemas), resolved to grantees.
package struct CatalogGrantNode: Sendable {
    package var kind: ObjectKind
    package var object: String
    package var acl: [GrantBundle]
}

/// A row-level security policy, resolved to role indexes.
package struct RowPolicy: Sendable {
    package var name: String
    package var command: SnapshotRowSecurityPolicy.Command
    package var permissive: Bool
    /// nil entry means PUBLIC.
    package var roles: [RoleIndex?]
    package var using: String?
    package var withCheck: String?
    package var settings: [SnapshotPolicySetting] = []
}

/// A foreign server: who may use it, and whom its user mappings connect as.
package struct ForeignServerNode: Sendable {
    package var name: String
    package var owner: RoleIndex
    package var wrapper: String
    package var acl: [GrantBundle]
    /// It points back at the audited database (a local host and the same database name).
    package var loopback: Bool
    /// Where it connects, for messages.
    package var target: String
    /// Local role (nil: PUBLIC) → remote user (nil: not readable).
    package var mappings: [(role: RoleIndex?, user: String?)]
}

/// The snapshot as an indexed graph: integer ids, grants indexed by grantee, membership
/// adjacency in both directions. Built once; every query of the engine reads it.
package struct AccessGraph: Sendable {
    package private(set) var roles: [RoleNode] = []
    package private(set) var edges: [MembershipEdge] = []
    package private(set) var objects: [SecurableObject] = []
    package private(set) var roleIndex: [String: RoleIndex] = [:]
    /// Objects by kind and qualified name (functions by signature).
    private var objectIndex: [ObjectKey: ObjectIndex] = [:]
    /// Row-level security policies per relation.
    package private(set) var rowPolicies: [ObjectIndex: [RowPolicy]] = [:]
    /// For each grantee (nil = PUBLIC): the objects and columns it holds grants on.
    private(set) var grantsByRole: [[GrantLocation]] = []
    private(set) var publicGrants: [GrantLocation] = []
    /// Views and definer functions that read a column.
    private(set) var readersOfColumn: [ColumnRef: [ObjectIndex]] = [:]
    /// Definer functions that declare no `reads` (reach everything their owner reads).
    private(set) var openDefinerFunctions: [ObjectIndex] = []
    /// For each SECURITY DEFINER function, the definer functions whose SQL-standard bodies call
    /// it (directly or through invoker functions): their callers reach what it reaches.
    package private(set) var definerChainCallers: [ObjectIndex: [ObjectIndex]] = [:]
    package let database: String
    /// The snapshot's own database (`databases` entry named `database`), when exported.
    package private(set) var currentDatabase: (object: ObjectIndex, allowConnections: Bool, connectionLimit: Int)?
    /// Object names per kind, for selectors.
    package private(set) var names = ObjectNameIndex(objects: [])
    /// Predefined roles that hold privileges implicitly (pg_read_all_data, pg_write_all_data,
    /// pg_maintain) present in the snapshot.
    package private(set) var implicitPrivilegeRoles: [RoleIndex] = []
    /// The server's major version (semantics changed at 16 and 17); nil when the snapshot does not say.
    package let serverMajorVersion: Int?
    /// Enabled triggers per relation.
    package private(set) var triggers: [ObjectIndex: [TriggerNode]] = [:]
    /// For each function, the relations whose triggers run it.
    package private(set) var triggerTables: [ObjectIndex: [ObjectIndex]] = [:]
    /// For each function, the relations whose row-security policies call it (with the rows they check).
    package private(set) var policyTables: [ObjectIndex: [ObjectIndex]] = [:]
    /// For each relation, the functions its row-security policies call (the reverse of `policyTables`).
    package private(set) var policyFunctions: [ObjectIndex: [ObjectIndex]] = [:]
    /// For each function, the SECURITY DEFINER functions whose SQL-standard bodies call it.
    package private(set) var definerCallers: [ObjectIndex: [ObjectIndex]] = [:]
    /// Grants on pg_catalog objects that differ from initdb's.
    package private(set) var catalogGrants: [CatalogGrantNode] = []
    /// Configuration parameters with privileges of their own (PostgreSQL 15+), by name, in name order.
    package private(set) var parameterGrants: [(name: String, acl: [GrantBundle])] = []
    /// What SECURITY DEFINER functions write with their owner's rights (read from SQL-standard
    /// bodies' trees and text bodies' sources), and the other way round: the definer functions
    /// that write a relation.
    package private(set) var functionWrites: [ObjectIndex: [(object: ObjectIndex, column: Int?, privilege: Privilege)]] = [:]
    package private(set) var definerWriters: [ObjectIndex: [ObjectIndex]] = [:]
    /// SECURITY DEFINER functions whose writes cannot be read (SQL built at run time, or a call to
    /// an invoker function with a text body): they may write anything their owner can.
    package private(set) var opaqueWriters: [ObjectIndex] = []
    /// `opaqueWriters` as a set, for membership.
    package private(set) var opaqueWriterSet = Set<ObjectIndex>()
    /// Definer functions that text-bodied definer functions call, by caller (merged into `definerCallees`).
    private var textBodyDefinerCallees: [ObjectIndex: [ObjectIndex]] = [:]
    /// Foreign servers with their ACLs and user mappings, in the snapshot's order.
    package private(set) var foreignServers: [ForeignServerNode] = []
    /// Columns some unique index covers (alone or with others): writing a value into one
    /// answers whether it is already there.
    package private(set) var uniqueColumns = Set<ColumnRef>()
    /// For each relation, the relations it inherits from (partitions' parents, INHERITS).
    package private(set) var parents: [ObjectIndex: [ObjectIndex]] = [:]
    /// For each relation, the relations that inherit from it (the reverse of `parents`).
    package private(set) var children: [ObjectIndex: [ObjectIndex]] = [:]
    /// Expressions that call functions with the values written, per relation.
    package private(set) var expressions: [ObjectIndex: [ExpressionNode]] = [:]
    /// For each function, the relations (and expression positions) whose expressions call it.
    package private(set) var expressionTables: [ObjectIndex: [(table: ObjectIndex, expression: Int)]] = [:]
    /// For each column, the relations (and expression positions) whose function-calling expressions pass it.
    private(set) var expressionsReadingColumn: [ColumnRef: [(table: ObjectIndex, expression: Int)]] = [:]
    /// Enabled rewrite rules per relation (views' `_RETURN` excluded).
    package private(set) var rules: [ObjectIndex: [RuleNode]] = [:]
    /// For each column, the relations (and rule positions) whose rules read it.
    private(set) var rulesReadingColumn: [ColumnRef: [(table: ObjectIndex, rule: Int)]] = [:]

    /// An object's kind and name, hashed together without building a `kind:name` string.
    struct ObjectKey: Hashable {
        var kind: ObjectKind
        var name: String
    }

    /// Where one grant bundle lives.
    package struct GrantLocation: Hashable {
        package var object: ObjectIndex
        package var column: Int?
        /// The bundle's position in the object's (or column's) ACL.
        package var bundle: Int

        package init(object: ObjectIndex, column: Int?, bundle: Int) {
            self.object = object
            self.column = column
            self.bundle = bundle
        }
    }

    package init(snapshot: Snapshot) {
        database = snapshot.database
        serverMajorVersion = snapshot.serverMajorVersion
        for role in snapshot.roles {
            roleIndex[role.name] = roles.count
            roles.append(RoleNode(name: role.name, attributes: role))
        }
        let inheritOf = Dictionary(snapshot.roles.map { ($0.name, $0.inherit) }, uniquingKeysWith: { a, _ in a })
        for m in snapshot.memberships {
            guard let role = roleIndex[m.role], let member = roleIndex[m.member] else { continue }
            let edge = MembershipEdge(
                role: role, member: member, admin: m.admin,
                inherit: m.inherit ?? inheritOf[m.member] ?? true, set: m.set ?? true)
            roles[member].memberOf.append(edges.count)
            roles[role].members.append(edges.count)
            edges.append(edge)
        }
        // The current database's owner is implicitly a member of pg_database_owner (PostgreSQL 15+).
        if let dbOwner = snapshot.databases.first(where: { $0.name == snapshot.database }).flatMap({ roleIndex[$0.owner] }),
            let databaseOwnerRole = roleIndex[PredefinedRoles.databaseOwner]
        {
            let edge = MembershipEdge(role: databaseOwnerRole, member: dbOwner, admin: false, inherit: true, set: true, implicit: true)
            roles[dbOwner].memberOf.append(edges.count)
            roles[databaseOwnerRole].members.append(edges.count)
            edges.append(edge)
        }
        for db in snapshot.databases {
            if db.name == snapshot.database {
                currentDatabase = (objects.count, db.allowConnections ?? true, db.connectionLimit ?? -1)
            }
            add(SecurableObject(kind: .database, name: db.name, schema: nil, owner: owner(db.owner), acl: bundles(db.acl), baseName: db.name))
        }
        for schema in snapshot.schemas {
            add(SecurableObject(kind: .schema, name: schema.name, schema: nil, owner: owner(schema.owner), acl: bundles(schema.acl), baseName: schema.name))
        }
        objectIndex.reserveCapacity(snapshot.databases.count + snapshot.schemas.count + snapshot.tables.count + snapshot.sequences.count + snapshot.functions.count)
        objects.reserveCapacity(objectIndex.capacity)
        var schemaObjects: [String: ObjectIndex] = [:]
        for schema in snapshot.schemas { schemaObjects[schema.name] = object(.schema, schema.name) }
        for table in Self.relationObjects(snapshot.tables, roleIndex: roleIndex, schemas: schemaObjects) { add(table) }
        for sequence in snapshot.sequences {
            add(SecurableObject(
                kind: .sequence, name: sequence.qualifiedName, schema: object(.schema, sequence.schema),
                owner: owner(sequence.owner), acl: bundles(sequence.acl), baseName: sequence.qualifiedName))
        }
        for function in snapshot.functions {
            var object = SecurableObject(
                kind: .function, name: function.signature, schema: object(.schema, function.schema),
                owner: owner(function.owner), acl: bundles(function.acl), baseName: function.qualifiedName)
            object.securityDefiner = function.securityDefiner
            object.triggerOnly = function.returnsTrigger ?? false
            object.body = FunctionBody(function)
            add(object)
        }
        addLargeObjects(snapshot)
        let definerWrites = DefinerWrites(snapshot: snapshot, objects: objects) { kind, name in objectIndex[ObjectKey(kind: kind, name: name)] }
        functionWrites = definerWrites.writes
        definerWriters = definerWrites.writers
        opaqueWriters = definerWrites.opaque
        opaqueWriterSet = Set(definerWrites.opaque)
        textBodyDefinerCallees = definerWrites.definerCallees
        for function in snapshot.functions where !(function.supportFunctions ?? []).isEmpty {
            guard let index = object(.function, function.signature) else { continue }
            objects[index].supportFunctions = (function.supportFunctions ?? []).compactMap { object(.function, $0) }
        }
        // Triggers and rules by index: most relations have neither, and copying each table out of
        // the array costs a retain per field at scale.
        for i in snapshot.tables.indices where !(snapshot.tables[i].triggers?.isEmpty ?? true) {
            guard let relation = object(.table, snapshot.tables[i].qualifiedName) else { continue }
            for trigger in snapshot.tables[i].triggers ?? [] where trigger.enabled {
                let function = object(.function, trigger.function)
                let events = PrivilegeSet(trigger.events.map(\.privilege))
                let insteadOf = trigger.timing == .insteadOf
                triggers[relation, default: []].append(TriggerNode(name: trigger.name, function: function, events: events, insteadOf: insteadOf))
                // An INSTEAD OF trigger takes the event: the view no longer writes its base relation for it.
                if insteadOf { objects[relation].updatable = objects[relation].updatable.subtracting(events) }
                if let function, triggerTables[function]?.contains(relation) != true { triggerTables[function, default: []].append(relation) }
                if let function { objects[function].triggerOnly = true }
            }
        }
        // Second pass: what views and functions read, now that every column has an index.
        for table in snapshot.tables where table.kind == .view || table.kind == .materializedView {
            guard let view = object(.table, table.qualifiedName) else { continue }
            objects[view].reads = (table.reads ?? []).compactMap(columnRef)
            // Each column's own sources: as exported, else read from the view's stored query.
            let fromQuery = table.query.map(ViewColumnSources.columnReads) ?? [:]
            for (i, column) in table.columns.enumerated() {
                objects[view].columns[i].reads = (column.reads ?? fromQuery[column.name])?.compactMap(columnRef)
            }
            if objects[view].isDefinerView {
                for ref in objects[view].reads ?? [] { readersOfColumn[ref, default: []].append(view) }
            }
        }
        // Only definers whose bodies call something need the functions by signature.
        let callingDefiners = snapshot.functions.contains { $0.securityDefiner && !($0.calls ?? []).isEmpty }
        let functionsBySignature = callingDefiners
            ? Dictionary(snapshot.functions.map { ($0.signature, $0) }, uniquingKeysWith: { first, _ in first }) : [:]
        for function in snapshot.functions where function.securityDefiner {
            guard let index = object(.function, function.signature) else { continue }
            var reads = function.reads
            if reads != nil, !(function.calls ?? []).isEmpty {
                // What the body reaches through the functions it calls, which run as this owner.
                let chain = CallChain(of: function, functions: functionsBySignature)
                reads = chain.reads
                objects[index].definerCallees = chain.definers.compactMap { object(.function, $0) }
                for callee in objects[index].definerCallees { definerChainCallers[callee, default: []].append(index) }
            }
            if let reads {
                let refs = reads.compactMap(columnRef)
                objects[index].reads = refs
                for ref in refs { readersOfColumn[ref, default: []].append(index) }
            } else if !objects[index].triggerOnly {
                openDefinerFunctions.append(index)
            }
        }
        for (caller, callees) in textBodyDefinerCallees.sorted(by: { $0.key < $1.key }) {
            for callee in callees where !objects[caller].definerCallees.contains(callee) {
                objects[caller].definerCallees.append(callee)
                definerChainCallers[callee, default: []].append(caller)
            }
        }
        for i in snapshot.tables.indices where !(snapshot.tables[i].rules?.isEmpty ?? true) {
            guard let relation = object(.table, snapshot.tables[i].qualifiedName) else { continue }
            for rule in snapshot.tables[i].rules ?? [] where rule.enabled {
                let node = RuleNode(name: rule.name, event: rule.event.privilege, reads: rule.reads.compactMap(columnRef))
                for column in node.reads { rulesReadingColumn[column, default: []].append((relation, rules[relation, default: []].count)) }
                rules[relation, default: []].append(node)
            }
        }
        for i in snapshot.tables.indices where !(snapshot.tables[i].uniqueKeys?.isEmpty ?? true) {
            guard let relation = object(.table, snapshot.tables[i].qualifiedName) else { continue }
            for column in (snapshot.tables[i].uniqueKeys ?? []).joined() {
                if let position = objects[relation].columns.firstIndex(where: { $0.name == column }) {
                    uniqueColumns.insert(ColumnRef(object: relation, column: position))
                }
            }
        }
        for i in snapshot.tables.indices where !(snapshot.tables[i].inherits?.isEmpty ?? true) {
            guard let child = object(.table, snapshot.tables[i].qualifiedName) else { continue }
            for parent in (snapshot.tables[i].inherits ?? []).compactMap({ object(.table, $0) }) {
                parents[child, default: []].append(parent)
                children[parent, default: []].append(child)
            }
        }
        for i in snapshot.tables.indices where !(snapshot.tables[i].expressions?.isEmpty ?? true) {
            guard let relation = object(.table, snapshot.tables[i].qualifiedName) else { continue }
            for expression in snapshot.tables[i].expressions ?? [] {
                let node = ExpressionNode(
                    text: expression.text, functions: expression.calls.compactMap { object(.function, $0) },
                    reads: expression.reads.compactMap { column in
                        objects[relation].columns.firstIndex { $0.name == column }.map { ColumnRef(object: relation, column: $0) }
                    })
                // A plain default passes no column: its functions receive nothing from the row.
                guard !node.functions.isEmpty, !node.reads.isEmpty else { continue }
                let position = expressions[relation, default: []].count
                expressions[relation, default: []].append(node)
                for function in node.functions { expressionTables[function, default: []].append((relation, position)) }
                for column in node.reads { expressionsReadingColumn[column, default: []].append((relation, position)) }
            }
        }
        for function in snapshot.functions where function.securityDefiner && !(function.calls ?? []).isEmpty {
            guard let caller = object(.function, function.signature) else { continue }
            for callee in (function.calls ?? []).compactMap({ object(.function, $0) }) where definerCallers[callee]?.contains(caller) != true {
                definerCallers[callee, default: []].append(caller)
            }
        }
        for policy in snapshot.rowSecurityPolicies {
            guard let table = object(.table, "\(policy.schema).\(policy.table)") else { continue }
            for function in (policy.functions ?? []).compactMap({ object(.function, $0) }) where policyTables[function]?.contains(table) != true {
                policyTables[function, default: []].append(table)
                policyFunctions[table, default: []].append(function)
            }
            let roles = policy.roles.map { $0 == AclEntry.publicGrantee ? nil : roleIndex[$0] }
            rowPolicies[table, default: []].append(
                RowPolicy(name: policy.name, command: policy.command, permissive: policy.permissive, roles: roles,
                          using: policy.using, withCheck: policy.withCheck, settings: policy.settings ?? []))
        }
        indexGrants()
        implicitPrivilegeRoles = PredefinedRoles.withImplicitPrivileges.compactMap { roleIndex[$0] }
        catalogGrants = (snapshot.catalogGrants ?? []).map { CatalogGrantNode(kind: $0.kind, object: $0.object, acl: bundles($0.acl)) }
        parameterGrants = (snapshot.parameterPrivileges ?? []).sorted { $0.name < $1.name }.map { ($0.name, bundles($0.acl)) }
        foreignServers = (snapshot.foreignServers ?? []).map { server in
            ForeignServerNode(
                name: server.name, owner: owner(server.owner), wrapper: server.wrapper, acl: bundles(server.acl),
                loopback: server.isLoopback(to: snapshot.database),
                target: "database \(server.dbname ?? "(the remote user's name)") on \(server.host.map { $0.isEmpty ? "the local socket" : $0 } ?? "the local socket")",
                mappings: server.mappings.map { ($0.role == AclEntry.publicGrantee ? nil : roleIndex[$0.role], $0.user) })
        }
        names = ObjectNameIndex(objects: objects)
    }

    /// The privileges PostgreSQL defines on `kind` on this snapshot's server: MAINTAIN exists
    /// from PostgreSQL 17 only (a snapshot that does not say its version is read as the newest).
    package func applicablePrivileges(_ kind: ObjectKind) -> PrivilegeSet {
        var privileges = kind.applicablePrivileges
        if let major = serverMajorVersion, major < 17 { privileges = privileges.subtracting(PrivilegeSet([.maintain])) }
        return privileges
    }

    /// Looks up an object by kind and qualified name.
    package func object(_ kind: ObjectKind, _ name: String) -> ObjectIndex? { objectIndex[ObjectKey(kind: kind, name: name)] }

    /// The `schema.table.column` name of a column.
    /// A grantee's name as ACLs spell it: the role's, or `PUBLIC`.
    package func name(of grantee: Grantee) -> String {
        switch grantee {
        case .publicRole: AclEntry.publicGrantee
        case .role(let role): roles[role].name
        }
    }

    package func name(of column: ColumnRef) -> String {
        "\(objects[column.object].name).\(objects[column.object].columns[column.column].name)"
    }

    /// Resolves `schema.table.column` (split as the snapshot validator splits it).
    package func columnRef(_ qualified: String) -> ColumnRef? {
        QualifiedColumnName.firstResolved(qualified) { relation, column in
            object(.table, relation).flatMap { table in
                objects[table].columns.firstIndex { $0.name == column }.map { ColumnRef(object: table, column: $0) }
            }
        }
    }

    package func grants(of grantee: Grantee) -> [GrantLocation] {
        switch grantee {
        case .publicRole: publicGrants
        case .role(let role): grantsByRole[role]
        }
    }

    package func bundle(at location: GrantLocation) -> GrantBundle {
        if let column = location.column { return objects[location.object].columns[column].acl[location.bundle] }
        return objects[location.object].acl[location.bundle]
    }

    func readers(of column: ColumnRef) -> [ObjectIndex] { readersOfColumn[column] ?? [] }
    var definerFunctionsWithoutReads: [ObjectIndex] { openDefinerFunctions }

    /// Each group of large objects as one object with one column (`data`: what a data class of
    /// large objects classifies), named by its owner. `lo_compat_privileges` skips their ACL
    /// checks: on, every role reads and writes them (a PUBLIC entry here); a role granted SET on
    /// it can turn it on for its own session (an entry for that grantee).
    private mutating func addLargeObjects(_ snapshot: Snapshot) {
        guard let groups = snapshot.largeObjects, !groups.isEmpty else { return }
        var compat: [GrantBundle] = []
        let both = PrivilegeSet([.select, .update])
        if snapshot.largeObjectCompatPrivileges == true {
            compat.append(GrantBundle(grantee: .publicRole, privileges: both, grantable: .empty, grantors: ["lo_compat_privileges = on"]))
        }
        for parameter in snapshot.parameterPrivileges ?? [] where parameter.name == "lo_compat_privileges" {
            for entry in parameter.acl where entry.privilege == .set {
                let grantee: Grantee? = entry.grantee == AclEntry.publicGrantee ? .publicRole : roleIndex[entry.grantee].map(Grantee.role)
                guard let grantee else { continue }
                compat.append(GrantBundle(grantee: grantee, privileges: both, grantable: .empty, grantors: ["SET lo_compat_privileges"]))
            }
        }
        var seen: [String: Int] = [:]
        for group in groups {
            let n = seen[group.owner, default: 0] + 1
            seen[group.owner] = n
            var object = SecurableObject(
                kind: .largeObject, name: n == 1 ? group.owner : "\(group.owner)#\(n)", schema: nil, owner: owner(group.owner),
                acl: bundles(group.acl) + compat, baseName: group.owner)
            object.columns = [ColumnNode(name: "data", acl: [])]
            add(object)
        }
    }

    private mutating func add(_ object: SecurableObject) {
        objectIndex[ObjectKey(kind: object.kind, name: object.name)] = objects.count
        objects.append(object)
    }

    private func owner(_ name: String) -> RoleIndex { roleIndex[name] ?? 0 }

    /// The relations' objects: each depends only on its table and the role and schema indexes,
    /// so a large snapshot's are built in two halves on two threads (order kept).
    private static func relationObjects(_ tables: [SnapshotTable], roleIndex: [String: RoleIndex], schemas: [String: ObjectIndex]) -> [SecurableObject] {
        @Sendable func relation(_ table: SnapshotTable) -> SecurableObject {
            let qualifiedName = table.qualifiedName
            var object = SecurableObject(
                kind: .table, name: qualifiedName, schema: schemas[table.schema],
                owner: roleIndex[table.owner] ?? 0, acl: bundles(table.acl, roleIndex: roleIndex), baseName: qualifiedName)
            object.relationKind = table.kind
            object.rowSecurity = table.rowSecurity
            object.forceRowSecurity = table.forceRowSecurity
            object.securityInvoker = table.securityInvoker
            object.updatable = PrivilegeSet(table.updatable ?? [])
            object.columns = table.columns.map {
                ColumnNode(name: $0.name, acl: bundles($0.acl, roleIndex: roleIndex), reads: nil, system: $0.system ?? false)
            }
            return object
        }
        guard tables.count > 2_000, Concurrently.hasSeveralCores else { return tables.map(relation) }
        let middle = tables.count / 2
        return Concurrently.map(count: 2) { half in (half == 0 ? tables[..<middle] : tables[middle...]).map(relation) }.flatMap { $0 }
    }

    /// Merges an ACL's entries per grantee. ACLs list a grantee's privileges together and hold
    /// few grantees, so the last name is remembered and bundles are searched linearly.
    private func bundles(_ acl: [AclEntry]) -> [GrantBundle] { Self.bundles(acl, roleIndex: roleIndex) }

    private static func bundles(_ acl: [AclEntry], roleIndex: [String: RoleIndex]) -> [GrantBundle] {
        if acl.isEmpty { return [] }
        var result: [GrantBundle] = []
        var lastName: String?
        var lastGrantee: Grantee?
        var position: [Grantee: Int] = [:]
        for entry in acl {
            let grantee: Grantee
            if let lastGrantee, entry.grantee == lastName {
                grantee = lastGrantee
            } else if entry.grantee == AclEntry.publicGrantee {
                grantee = .publicRole
            } else if let role = roleIndex[entry.grantee] {
                grantee = .role(role)
            } else {
                continue
            }
            lastName = entry.grantee
            lastGrantee = grantee
            let i: Int
            if let last = result.indices.last, result[last].grantee == grantee {
                i = last
            } else if let found = position.isEmpty ? result.firstIndex(where: { $0.grantee == grantee }) : position[grantee] {
                i = found
            } else {
                result.append(GrantBundle(grantee: grantee, privileges: .empty, grantable: .empty, grantors: []))
                i = result.count - 1
                // Wide ACLs (a table granted to thousands of roles) switch to a dictionary.
                if !position.isEmpty {
                    position[grantee] = i
                } else if result.count > 16 {
                    position = Dictionary(uniqueKeysWithValues: result.enumerated().map { ($1.grantee, $0) })
                }
            }
            result[i].privileges.insert(entry.privilege)
            if entry.grantable { result[i].grantable.insert(entry.privilege) }
            if !result[i].grantors.contains(entry.grantor) { result[i].grantors.append(entry.grantor) }
        }
        return result
    }

    private mutating func indexGrants() {
        grantsByRole = Array(repeating: [], count: roles.count)
        for (o, object) in objects.enumerated() {
            for (b, bundle) in object.acl.enumerated() { record(bundle.grantee, GrantLocation(object: o, column: nil, bundle: b)) }
            for (c, column) in object.columns.enumerated() {
                for (b, bundle) in column.acl.enumerated() { record(bundle.grantee, GrantLocation(object: o, column: c, bundle: b)) }
            }
        }
    }

    private mutating func record(_ grantee: Grantee, _ location: GrantLocation) {
        switch grantee {
        case .publicRole: publicGrants.append(location)
        case .role(let role): grantsByRole[role].append(location)
        }
    }
}
