import AuditSupport
import SnapshotModel

/// A deterministic synthetic support organisation at scale, for benchmarks and scale tests:
/// tenant schemas with a wide PII table each, nested group roles 3–5 levels deep, NOINHERIT
/// login roles, PUBLIC and column grants, definer views and functions — and a matching policy
/// under which the audit finds exactly `injectedViolations` over-broad grants.
package struct SyntheticDatabase: Sendable {
    /// The benchmark sizes, by privilege rows (ACL entries, table and column level).
    package enum Size: String, Sendable, CaseIterable {
        case s = "S", m = "M", l = "L", xl = "XL"

        /// Tables per size; about 13 privilege rows per table, so S, M, L and XL hold about
        /// 10k, 100k, 1M and 5M privilege rows.
        var tables: Int {
            switch self {
            case .s: 760
            case .m: 7_600
            case .l: 76_000
            case .xl: 380_000
            }
        }

        /// Login roles per size.
        var people: Int {
            switch self {
            case .s: 200
            case .m: 2_000
            case .l: 20_000
            case .xl: 50_000
            }
        }
    }

    /// The size it was generated at.
    package let size: Size
    package let snapshot: Snapshot
    /// The whole policy as one text (for small sizes and tests).
    package let policy: String
    /// The same policy split into files under the loader's 1 MiB limit, as a real one would be.
    package let policyFiles: [(file: String, text: String)]
    /// Grants the policy does not declare: one `over-broad-grant` finding each.
    package let injectedViolations: Int

    /// `capabilityRoads` adds what makes the capability closure work at scale, as a PostgreSQL 16
    /// organisation has it: a provisioning role that created every group and kept ADMIN alone on
    /// each (what CREATEROLE leaves behind), helpdesk logins that inherit it, every tenant's lookup
    /// function in plpgsql with no pinned search_path, and TEMP for PUBLIC (the default). All of
    /// it declared, so the findings stay the injected ones plus the capability roads.
    package init(size: Size, seed: UInt64 = 1, capabilityRoads: Bool = false) {
        self.size = size
        var rng = SplitMix64(seed: seed)
        let tenants = max(5, size.tables / 100)
        let tablesPerTenant = size.tables / tenants
        var snapshot = Snapshot(serverVersion: "16.4", database: "support", exportedAt: "2026-11-01T00:00:00Z")
        func role(_ name: String, login: Bool = false, inherit: Bool = true) {
            snapshot.roles.append(SnapshotRole(name: name, inherit: inherit, login: login))
        }
        func owned(_ owner: String, _ privileges: [Privilege]) -> [AclEntry] {
            privileges.map { AclEntry(grantee: owner, grantor: owner, privilege: $0) }
        }
        role("postgres")
        snapshot.roles[0].superuser = true
        snapshot.roles[0].login = true
        snapshot.databases = [SnapshotDatabase(name: "support", owner: "postgres", acl: owned("postgres", [.create, .connect, .temporary])
            + [AclEntry(grantee: "PUBLIC", grantor: "postgres", privilege: .connect)])]
        var policy = """
            version: 1
            settings: {fail_on: high}
            data_classes:
              pii: {severity: critical, columns: ['*.customers.email', '*.customers.phone', '*.customers.full_name']}
            rules:
              - id: pii-readers
                severity: critical
                deny: {privileges: [SELECT], data_class: pii}
                except: [{roles: ['*_owner', '*_app', 'privacy']}, {kind: breakglass}]
            roles:
              postgres: {kind: breakglass, login: true, attributes: [superuser], owns: [{database: support}]}
              PUBLIC: {kind: group, grants: [{database: support, privileges: [CONNECT]}, {table: 'tenant*.t*', privileges: [REFERENCES]}]}
              privacy: {kind: group}

            """
        role("privacy")
        // Organisation: 3–5 levels of nested groups above the tenants' teams.
        let levels = 3 + Int(rng.next() % 3)
        var parents = ["org_all"]
        role("org_all")
        policy += "  org_all: {kind: group}\n"
        for level in 1..<levels {
            var next: [String] = []
            for (i, parent) in parents.enumerated() {
                for j in 0..<3 {
                    let name = "org_l\(level)_\(i)_\(j)"
                    role(name)
                    snapshot.memberships.append(SnapshotMembership(role: parent, member: name, admin: false))
                    policy += "  \(name): {kind: group, member_of: [\(parent)]}\n"
                    next.append(name)
                }
            }
            parents = next
        }
        var injected = 0
        var readers: [String] = []
        for t in 0..<tenants {
            let schema = "tenant\(t)"
            let owner = "\(schema)_owner"
            let app = "\(schema)_app"
            let readersGroup = "\(schema)_readers"
            let agents = "\(schema)_agents"
            role(owner)
            role(app, login: true)
            role(readersGroup)
            role(agents)
            readers.append(readersGroup)
            let org = parents[t % parents.count]
            snapshot.memberships.append(SnapshotMembership(role: org, member: agents, admin: false))
            snapshot.schemas.append(SnapshotSchema(name: schema, owner: owner, acl: owned(owner, [.usage, .create])
                + [AclEntry(grantee: agents, grantor: owner, privilege: .usage), AclEntry(grantee: readersGroup, grantor: owner, privilege: .usage),
                   AclEntry(grantee: app, grantor: owner, privilege: .usage)]))
            policy += """
                  \(owner): {kind: group, owns: [{schema: \(schema)}, {table: '\(schema).*'}, {function: '\(schema).*'}]}
                  \(app):
                    kind: service
                    login: true
                    owner: platform@example.com
                    grants:
                      - {schema: \(schema), privileges: [USAGE]}
                      - {table: '\(schema).*', privileges: [SELECT, INSERT, UPDATE, DELETE]}
                      - {function: '\(schema).*', privileges: [EXECUTE]}
                  \(readersGroup):
                    kind: group
                    grants:
                      - {schema: \(schema), privileges: [USAGE]}
                      - {table: '\(schema).t*', privileges: [SELECT]}
                  \(agents):
                    kind: group
                    member_of: [\(org)]
                    grants:
                      - {schema: \(schema), privileges: [USAGE]}
                      - {table: '\(schema).customers', columns: [id, display_name], privileges: [SELECT]}
                      - {table: '\(schema).customer_contacts', privileges: [SELECT]}
                      - {table: '\(schema).t*', columns: [status], privileges: [UPDATE]}

                """
            // The wide PII table, a definer view over it, and a definer lookup.
            let piiColumns = ["id", "display_name", "full_name", "email", "phone", "region"] + (0..<14).map { "attr\($0)" }
            snapshot.tables.append(SnapshotTable(
                schema: schema, name: "customers", kind: .table, owner: owner,
                acl: owned(owner, [.select, .insert, .update, .delete, .truncate, .references, .trigger])
                    + [.select, .insert, .update, .delete].map { AclEntry(grantee: app, grantor: owner, privilege: $0) },
                columns: piiColumns.map { name in
                    SnapshotColumn(name: name, acl: ["id", "display_name"].contains(name) ? [AclEntry(grantee: agents, grantor: owner, privilege: .select)] : [])
                }, rowSecurity: true))
            snapshot.tables.append(SnapshotTable(
                schema: schema, name: "customer_contacts", kind: .view, owner: owner,
                acl: owned(owner, [.select]) + [AclEntry(grantee: agents, grantor: owner, privilege: .select)],
                columns: ["id", "display_name"].map { SnapshotColumn(name: $0) }, reads: ["\(schema).customers.id", "\(schema).customers.display_name"]))
            snapshot.functions.append(SnapshotFunction(
                schema: schema, name: "lookup", arguments: "text", owner: owner, securityDefiner: true,
                acl: owned(owner, [.execute]) + [AclEntry(grantee: app, grantor: owner, privilege: .execute)],
                reads: ["\(schema).customers.display_name"]))
            for k in 0..<max(0, tablesPerTenant - 1) {
                let name = "t\(k)"
                var acl = owned(owner, [.select, .insert, .update, .delete, .truncate, .references, .trigger])
                acl += [.select, .insert, .update, .delete].map { AclEntry(grantee: app, grantor: owner, privilege: $0) }
                acl.append(AclEntry(grantee: readersGroup, grantor: owner, privilege: .select))
                if k % 10 == 0 { acl.append(AclEntry(grantee: "PUBLIC", grantor: owner, privilege: .references)) }
                if (t * tablesPerTenant + k) % 997 == 0 {
                    acl.append(AclEntry(grantee: agents, grantor: owner, privilege: .truncate))
                    injected += 1
                }
                snapshot.tables.append(SnapshotTable(
                    schema: schema, name: name, kind: .table, owner: owner, acl: acl,
                    columns: ["id", "ticket", "body", "status"].map { column in
                        SnapshotColumn(name: column, acl: column == "status" ? [AclEntry(grantee: agents, grantor: owner, privilege: .update)] : [])
                    }))
            }
        }
        // People: login roles in teams, some NOINHERIT, some readers.
        for p in 0..<size.people {
            let name = "person\(p)"
            let tenant = Int(rng.next() % UInt64(tenants))
            role(name, login: true, inherit: p % 17 != 0)
            let team = p % 5 == 0 ? "tenant\(tenant)_readers" : "tenant\(tenant)_agents"
            snapshot.memberships.append(SnapshotMembership(role: team, member: name, admin: false))
            // Accountable owners: one support lead per ten tenants (the review's worksheets).
            policy += "  \(name): {kind: human, login: true, owner: lead\(tenant / 10)@example.com, member_of: [\(team)]}\n"
        }
        if capabilityRoads {
            let groups = Set(snapshot.memberships.map(\.role)).sorted()
            role("provisioning")
            for group in groups {
                snapshot.memberships.append(SnapshotMembership(role: group, member: "provisioning", admin: true, inherit: false, set: false))
            }
            let declared = groups.map { "{role: \($0), admin: true, inherit: false, set: false}" }.joined(separator: ", ")
            policy += "  provisioning: {kind: group, owner: it@example.com, member_of: [\(declared)]}\n"
            for h in 0..<12 {
                role("helpdesk\(h)", login: true)
                snapshot.memberships.append(SnapshotMembership(role: "provisioning", member: "helpdesk\(h)", admin: false))
                policy += "  helpdesk\(h): {kind: human, login: true, owner: it@example.com, member_of: [provisioning]}\n"
            }
            for index in snapshot.functions.indices {
                snapshot.functions[index].reads = nil
                snapshot.functions[index].language = "plpgsql"
                snapshot.functions[index].sqlStandardBody = false
            }
            snapshot.databases[0].acl.append(AclEntry(grantee: "PUBLIC", grantor: "postgres", privilege: .temporary))
            policy = policy.replacingOccurrences(
                of: "{database: support, privileges: [CONNECT]}", with: "{database: support, privileges: [CONNECT, TEMPORARY]}")
        }
        self.snapshot = snapshot
        self.policy = policy
        // Split at role boundaries: every file repeats `version: 1` and `roles:`.
        var files: [(file: String, text: String)] = []
        var current = ""
        let marker = "roles:\n"
        if let split = policy.range(of: marker) {
            let head = String(policy[..<split.upperBound])
            let body = String(policy[split.upperBound...])
            current = head
            for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("  "), !line.hasPrefix("   "), current.utf8.count > 900_000 {
                    files.append((file: "synthetic-\(files.count).yaml", text: current))
                    current = "version: 1\nroles:\n"
                }
                current += line + "\n"
            }
        }
        files.append((file: "synthetic-\(files.count).yaml", text: current))
        policyFiles = files
        injectedViolations = injected
    }

    /// Privilege rows: table- and column-level ACL entries.
    package var privilegeRows: Int {
        snapshot.tables.reduce(0) { $0 + $1.acl.count + $1.columns.reduce(0) { $0 + $1.acl.count } }
            + snapshot.functions.reduce(0) { $0 + $1.acl.count } + snapshot.schemas.reduce(0) { $0 + $1.acl.count }
    }
}
