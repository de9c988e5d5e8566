@testable import SnapshotModel
@testable import AccessEngine
import Testing

/// One test per PostgreSQL rule the engine implements; each states the rule it checks.
@Suite("Effective access follows PostgreSQL's semantics")
struct EngineSemanticsTests {
    let base = SnapshotBuilder().table("public.customers", owner: "postgres", columns: ["id", "email"])

    @Test func directGrantGivesThePrivilegeWithAOneStepPath() throws {
        let engine = EffectiveAccessEngine(snapshot: base.role("alice", login: true).grant([.select], on: "public.customers", to: "alice").build())
        let entry = try #require(try engine.entries("alice", .select, on: "public.customers").first)
        #expect(entry.mode == .direct)
        #expect(entry.path.description == "alice → SELECT public.customers")
        #expect(engine.hasPrivilege(try engine.role("alice"), .select, on: try engine.table("public.customers")))
        #expect(!engine.hasPrivilege(try engine.role("alice"), .update, on: try engine.table("public.customers")))
    }

    @Test func anACLsEntriesMergePerGranteeWhereverTheyStand() throws {
        // aclexplode lists one row per privilege; a grantee's rows need not be adjacent, and a
        // table may be granted to many roles (the graph then indexes bundles by grantee).
        var builder = base
        let names = (0..<40).map { "r\($0)" }
        for name in names { builder = builder.role(name) }
        for name in names { builder = builder.grant([.select], on: "public.customers", to: name) }
        for name in names.reversed() { builder = builder.grant([.insert], on: "public.customers", to: name, grantor: name == "r3" ? "r0" : "postgres") }
        let graph = AccessGraph(snapshot: builder.build())
        let table = try #require(graph.object(.table, "public.customers"))
        let bundles = graph.objects[table].acl.filter { if case .role(let r) = $0.grantee { names.contains(graph.roles[r].name) } else { false } }
        #expect(bundles.count == names.count)
        #expect(bundles.allSatisfy { $0.privileges == PrivilegeSet([.select, .insert]) })
        let r3 = try #require(bundles.first { $0.grantee == .role(graph.roleIndex["r3"] ?? -1) })
        #expect(r3.grantors == ["postgres", "r0"])
    }

    @Test func grantToPublicReachesEveryRole() throws {
        let engine = EffectiveAccessEngine(snapshot: base.role("bob", login: true).grant([.select], on: "public.customers", to: "PUBLIC").build())
        let entry = try #require(try engine.entries("bob", .select, on: "public.customers").first)
        #expect(entry.route == .publicGrant)
        #expect(entry.path.description == "bob → PUBLIC → SELECT public.customers")
    }

    @Test func inheritedMembershipIsTransitiveAndCarriesTheChain() throws {
        let snapshot = base.role("alice", login: true).role("lead").role("export")
            .member("alice", of: "lead").member("lead", of: "export")
            .grant([.select], on: "public.customers", to: "export").build()
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        let entry = try #require(try engine.entries("alice", .select, on: "public.customers").first)
        #expect(entry.mode == .direct)
        #expect(entry.path.description == "alice → lead → export → SELECT public.customers")
        #expect(engine.hasColumnPrivilege(try engine.role("alice"), .select, on: try engine.column("public.customers.email")))
    }

    @Test func noInheritRoleGetsItsGroupsPrivilegesOnlyThroughSetRole() throws {
        // PostgreSQL ≤ 15: a NOINHERIT member does not use its groups' privileges without SET ROLE.
        let snapshot = base.role("dba", login: true, inherit: false).role("owners").member("dba", of: "owners")
            .grant([.select], on: "public.customers", to: "owners").build()
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        let dba = try engine.role("dba")
        #expect(!engine.hasPrivilege(dba, .select, on: try engine.table("public.customers")))
        let entry = try #require(try engine.entries("dba", .select, on: "public.customers").first)
        #expect(entry.mode == .setRole)
        #expect(entry.path.description == "dba → SET ROLE owners → SELECT public.customers")
        #expect(!engine.hasRole(dba, try engine.role("owners"), .usage))
        #expect(engine.hasRole(dba, try engine.role("owners"), .member))
    }

    @Test func noInheritInTheMiddleOfAChainStopsInheritanceThere() throws {
        // alice (INHERIT) ∈ middle (NOINHERIT) ∈ top: alice has middle's privileges, not top's.
        let snapshot = base.role("alice", login: true).role("middle", inherit: false).role("top")
            .member("alice", of: "middle").member("middle", of: "top")
            .grant([.select], on: "public.customers", to: "top").grant([.insert], on: "public.customers", to: "middle").build()
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        let alice = try engine.role("alice")
        let customers = try engine.table("public.customers")
        #expect(engine.hasPrivilege(alice, .insert, on: customers))
        #expect(!engine.hasPrivilege(alice, .select, on: customers))
        #expect(try engine.entries("alice", .select, on: "public.customers").first?.mode == .setRole)
    }

    @Test func setOnlyMembershipIsReportedAsSetRoleAndNeverHidden() throws {
        // PostgreSQL 16: GRANT g TO r WITH INHERIT FALSE, SET TRUE.
        let snapshot = base.role("ops", login: true).role("writers").member("ops", of: "writers", inherit: false, set: true)
            .grant([.update], on: "public.customers", to: "writers").build()
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        let entry = try #require(try engine.entries("ops", .update, on: "public.customers").first)
        #expect(entry.mode == .setRole)
        #expect(engine.hasRole(try engine.role("ops"), try engine.role("writers"), .set))
    }

    @Test func membershipWithNeitherInheritNorSetGivesNothingButIsStillMembership() throws {
        let snapshot = base.role("ops", login: true).role("writers").member("ops", of: "writers", inherit: false, set: false)
            .grant([.update], on: "public.customers", to: "writers").build()
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        #expect(try engine.entries("ops", .update, on: "public.customers").isEmpty)
        let ops = try engine.role("ops")
        let writers = try engine.role("writers")
        #expect(engine.hasRole(ops, writers, .member))
        #expect(!engine.hasRole(ops, writers, .usage))
        #expect(!engine.hasRole(ops, writers, .set))
    }

    @Test func ownerHoldsPrivilegesThroughItsOwnACLEntry() throws {
        let engine = EffectiveAccessEngine(snapshot: SnapshotBuilder().role("app").table("public.t", owner: "app", columns: ["c"]).build())
        let entry = try #require(try engine.entries("app", .delete, on: "public.t").first)
        #expect(entry.mode == .direct)
        #expect(entry.path.description == "app → DELETE public.t")
    }

    @Test func ownerWhoRevokedItsOwnPrivilegeHoldsItAsACapability() throws {
        var snapshot = SnapshotBuilder().role("app").table("public.t", owner: "app", columns: ["c"]).build()
        snapshot.tables[0].acl.removeAll { $0.privilege == .select }
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        #expect(!engine.hasPrivilege(try engine.role("app"), .select, on: try engine.table("public.t")))
        let entry = try #require(try engine.entries("app", .select, on: "public.t").first)
        #expect(entry.mode == .capability)
        #expect(entry.route == .ownership)
        #expect(entry.path.description == "app → owns public.t")
    }

    @Test func memberOfTheOwnerRoleHasTheOwnersPrivilegesAndBypassesUnforcedRowSecurity() throws {
        let snapshot = SnapshotBuilder().role("owners").role("migrator", login: true).member("migrator", of: "owners")
            .table("public.customers", owner: "owners", columns: ["email"], rowSecurity: true).build()
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        let entry = try #require(try engine.entries("migrator", .select, on: "public.customers").first)
        #expect(entry.path.description == "migrator → owners → SELECT public.customers")
        #expect(entry.rowScope == .bypassed(reason: "owner owners, row security not forced"))
    }

    @Test func superuserPassesEveryCheck() throws {
        let engine = EffectiveAccessEngine(snapshot: base.role("root", login: true, superuser: true).build())
        let root = try engine.role("root")
        #expect(engine.hasPrivilege(root, .truncate, on: try engine.table("public.customers")))
        let entry = try #require(try engine.entries("root", .truncate, on: "public.customers").first)
        #expect(entry.route == .superuser)
        #expect(entry.path.description == "root is SUPERUSER")
    }

    @Test func memberOfASuperuserRoleIsNotASuperuserWithoutSetRole() throws {
        let snapshot = base.role("admin", superuser: true).role("bob", login: true).member("bob", of: "admin").build()
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        #expect(!engine.hasPrivilege(try engine.role("bob"), .select, on: try engine.table("public.customers")))
        #expect(try engine.entries("bob", .select, on: "public.customers").first?.mode == .setRole)
    }

    @Test func columnGrantCoversOnlyItsColumnWhileTableGrantCoversEveryColumn() throws {
        let snapshot = base.role("agent").role("analyst")
            .grant([.select], on: "public.customers", columns: ["id"], to: "agent")
            .grant([.select], on: "public.customers", to: "analyst").build()
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        let agent = try engine.role("agent")
        let analyst = try engine.role("analyst")
        let customers = try engine.table("public.customers")
        #expect(!engine.hasPrivilege(agent, .select, on: customers))
        #expect(engine.hasColumnPrivilege(agent, .select, on: try engine.column("public.customers.id")))
        #expect(!engine.hasColumnPrivilege(agent, .select, on: try engine.column("public.customers.email")))
        #expect(engine.hasAnyColumnPrivilege(agent, .select, on: customers))
        #expect(engine.hasColumnPrivilege(analyst, .select, on: try engine.column("public.customers.email")))
        #expect(try engine.entries("agent", .select, on: "public.customers", column: "id").count == 1)
    }

    @Test func missingSchemaUsageMakesATableGrantLatent() throws {
        let snapshot = SnapshotBuilder().schema("private").role("alice", login: true)
            .table("private.notes", columns: ["body"]).grant([.select], on: "private.notes", to: "alice").build()
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        // has_table_privilege ignores the schema; the engine reports the access as latent.
        #expect(engine.hasPrivilege(try engine.role("alice"), .select, on: try engine.table("private.notes")))
        let entry = try #require(try engine.entries("alice", .select, on: "private.notes").first)
        #expect(entry.mode == .latent)
        #expect(entry.note == "not usable by name: alice lacks USAGE on schema private (views, SQL-standard functions and triggers bound to it still read it)")
    }

    @Test func definerViewReadsBaseColumnsWithItsOwnersRights() throws {
        let snapshot = SnapshotBuilder().role("owner").role("agent", login: true)
            .table("public.customers", owner: "owner", columns: ["id", "email"])
            .view("public.contacts", owner: "owner", columns: ["email"], reads: ["public.customers.email"])
            .grant([.select], on: "public.contacts", to: "agent").build()
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        let entry = try #require(try engine.entries("agent", .select, on: "public.customers", column: "email").first)
        #expect(entry.route == .view)
        #expect(entry.path.description == "agent → SELECT public.contacts → view public.contacts (runs as its owner) → owner → SELECT public.customers")
        #expect(try engine.entries("agent", .select, on: "public.customers", column: "id").isEmpty)
    }

    @Test func securityInvokerViewGivesNothingBeyondTheCallersOwnRights() throws {
        let snapshot = SnapshotBuilder().role("owner").role("agent", login: true)
            .table("public.customers", owner: "owner", columns: ["email"])
            .view("public.contacts", owner: "owner", columns: ["email"], reads: ["public.customers.email"], securityInvoker: true)
            .grant([.select], on: "public.contacts", to: "agent").build()
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        #expect(try engine.entries("agent", .select, on: "public.customers", column: "email").isEmpty)
    }

    @Test func materializedViewExposesWhatItsOwnerReadAtRefresh() throws {
        let snapshot = SnapshotBuilder().role("owner").role("agent", login: true)
            .table("public.customers", owner: "owner", columns: ["email"])
            .view("public.emails", owner: "owner", columns: ["email"], reads: ["public.customers.email"], materialized: true)
            .grant([.select], on: "public.emails", to: "agent").build()
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        #expect(try engine.entries("agent", .select, on: "public.customers", column: "email").first?.route == .view)
    }

    @Test func definerViewGivesNothingWhenItsOwnerCannotReadTheBase() throws {
        let snapshot = SnapshotBuilder().role("owner").role("agent", login: true)
            .table("public.customers", owner: "postgres", columns: ["email"])
            .view("public.contacts", owner: "owner", columns: ["email"], reads: ["public.customers.email"])
            .grant([.select], on: "public.contacts", to: "agent").build()
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        #expect(try engine.entries("agent", .select, on: "public.customers", column: "email").isEmpty)
    }

    @Test func securityDefinerFunctionRunsWithItsOwnersRights() throws {
        let snapshot = SnapshotBuilder().role("owner").role("agent", login: true)
            .table("public.customers", owner: "owner", columns: ["id", "email"])
            .function("public.lookup", arguments: "text", owner: "owner", securityDefiner: true, reads: ["public.customers.email"]).build()
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        let entry = try #require(try engine.entries("agent", .select, on: "public.customers", column: "email").first)
        #expect(entry.route == .function)
        #expect(entry.path.description.hasPrefix("agent → PUBLIC → EXECUTE public.lookup(text) → SECURITY DEFINER public.lookup(text)"))
    }

    @Test func securityDefinerFunctionWithoutReadsIsAssumedToReachAllItsOwnerReads() throws {
        let snapshot = SnapshotBuilder().role("owner").role("agent", login: true)
            .table("public.customers", owner: "owner", columns: ["id", "email"])
            .function("public.lookup", owner: "owner", securityDefiner: true).build()
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        #expect(try engine.entries("agent", .select, on: "public.customers", column: "id").first?.route == .function)
        #expect(try engine.entries("agent", .select, on: "public.customers", column: "email").first?.route == .function)
    }

    @Test func invokerFunctionGivesNothing() throws {
        let snapshot = SnapshotBuilder().role("owner").role("agent", login: true)
            .table("public.customers", owner: "owner", columns: ["email"])
            .function("public.lookup", owner: "owner", securityDefiner: false).build()
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        #expect(try engine.entries("agent", .select, on: "public.customers", column: "email").isEmpty)
    }

    @Test func forcedRowSecurityFiltersTheOwnerWhileUnforcedLetsItBypass() throws {
        let unforced = EffectiveAccessEngine(snapshot: SnapshotBuilder().role("app")
            .table("public.t", owner: "app", columns: ["c"], rowSecurity: true).rowPolicy("own_rows", on: "public.t", roles: ["app"]).build())
        #expect(try unforced.entries("app", .select, on: "public.t").first?.rowScope == .bypassed(reason: "owner app, row security not forced"))
        let forced = EffectiveAccessEngine(snapshot: SnapshotBuilder().role("app")
            .table("public.t", owner: "app", columns: ["c"], rowSecurity: true, forceRowSecurity: true)
            .rowPolicy("own_rows", on: "public.t", roles: ["app"]).build())
        #expect(try forced.entries("app", .select, on: "public.t").first?.rowScope == .filtered(policies: ["own_rows"]))
    }

    @Test func rowSecurityWithoutAnApplicablePolicyShowsNoRowsAndBypassRLSShowsAll() throws {
        let snapshot = SnapshotBuilder().role("agent").role("etl", bypassrls: true)
            .table("public.t", columns: ["c"], rowSecurity: true)
            .rowPolicy("etl_only", on: "public.t", command: .select, roles: ["etl"])
            .grant([.select], on: "public.t", to: "agent").grant([.select], on: "public.t", to: "etl").build()
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        #expect(try engine.entries("agent", .select, on: "public.t").first?.rowScope == .noRows)
        #expect(try engine.entries("etl", .select, on: "public.t").first?.rowScope == .bypassed(reason: "etl has BYPASSRLS"))
        let off = EffectiveAccessEngine(snapshot: base.role("x").grant([.select], on: "public.customers", to: "x").build())
        #expect(try off.entries("x", .select, on: "public.customers").first?.rowScope == .allRows)
    }

    @Test func loginRolesThatCannotConnectHoldEverythingLatentlyForwardAndReverse() throws {
        var snapshot = SnapshotBuilder().role("connectors").role("plain", login: true).role("grouped", login: true)
            .role("outsider", login: true).role("capped", login: true).role("group_only")
            .member("grouped", of: "connectors")
            .table("public.customers", columns: ["email"])
            .grant([.connect], on: "app", kind: .database, to: "plain").grant([.connect], on: "app", kind: .database, to: "connectors")
            .grant([.connect], on: "app", kind: .database, to: "capped")
            .grant([.select], on: "public.customers", to: "plain").grant([.select], on: "public.customers", to: "grouped")
            .grant([.select], on: "public.customers", to: "outsider").grant([.select], on: "public.customers", to: "capped")
            .grant([.select], on: "public.customers", to: "group_only").build()
        snapshot.databases[0].acl.removeAll { $0.grantee == AclEntry.publicGrantee && $0.privilege == .connect }
        if let capped = snapshot.roles.firstIndex(where: { $0.name == "capped" }) { snapshot.roles[capped].connectionLimit = 0 }

        func modes(_ snapshot: Snapshot) throws -> (forward: [String: AccessMode], reverse: [String: AccessMode]) {
            let engine = EffectiveAccessEngine(snapshot: snapshot)
            var forward: [String: AccessMode] = [:]
            for name in ["plain", "grouped", "outsider", "capped", "group_only"] {
                forward[name] = try engine.entries(name, .select, on: "public.customers").first?.mode
            }
            var reverse: [String: AccessMode] = [:]
            for cause in ReachQuery(engine: engine).causes(.select, column: try engine.column("public.customers.email")) {
                for reacher in cause.reachers { reverse[engine.graph.roles[reacher.principal].name] = reacher.mode }
            }
            reverse.removeValue(forKey: "postgres")
            return (forward, reverse)
        }
        let expected: [String: AccessMode] = ["plain": .direct, "grouped": .direct, "outsider": .latent, "capped": .latent, "group_only": .direct]
        let (forward, reverse) = try modes(snapshot)
        #expect(forward == expected)
        #expect(reverse == expected)
        let outsider = try EffectiveAccessEngine(snapshot: snapshot).entries("outsider", .select, on: "public.customers").first?.note
        #expect(outsider?.contains("outsider lacks CONNECT on database app") == true)

        // A database that admits superusers only, or none at all.
        snapshot.databases[0].connectionLimit = 0
        #expect(try modes(snapshot).forward.filter { $0.key != "group_only" }.values.allSatisfy { $0 == .latent })
        snapshot.databases[0].connectionLimit = -1
        snapshot.databases[0].allowConnections = false
        #expect(try modes(snapshot).reverse["plain"] == .latent)
    }

    @Test func policiesThatAdmitEveryRowOrReadASessionSettingAreNoBoundary() throws {
        let snapshot = SnapshotBuilder().role("agent").role("lead").role("tuner").role("ops")
            .table("public.t", columns: ["c"], rowSecurity: true)
            .rowPolicy("own", on: "public.t", command: .select, roles: ["agent", "lead", "tuner", "ops"])
            .rowPolicy("regional", on: "public.t", command: .select, roles: ["lead"],
                       using: "(region = current_setting('app.region'::text))", settings: [SnapshotPolicySetting(name: "app.region")])
            .rowPolicy("debugging", on: "public.t", command: .select, roles: ["tuner", "ops"],
                       using: "(current_setting('log_min_messages'::text) = 'debug5'::text)",
                       settings: [SnapshotPolicySetting(name: "log_min_messages", context: "superuser")])
            .rowPolicy("inserts", on: "public.t", command: .insert, roles: ["agent"], using: " ( (TRUE) ) ")
            .grant([.select, .insert], on: "public.t", to: "agent").grant([.select], on: "public.t", to: "lead")
            .grant([.select], on: "public.t", to: "tuner").grant([.select], on: "public.t", to: "ops")
            .parameterGrant(.set, on: "log_min_messages", to: "tuner").build()
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        // A per-user predicate bounds; an app.* setting any session may SET does not.
        #expect(try engine.entries("agent", .select, on: "public.t").first?.rowScope == .filtered(policies: ["own"]))
        guard case .unbounded(let reasons) = try engine.entries("lead", .select, on: "public.t").first?.rowScope else {
            Issue.record("a policy on app.region is reported as a boundary"); return
        }
        #expect(reasons == ["policy regional reads app.region, which the session can SET itself"])
        #expect(try engine.entries("agent", .insert, on: "public.t").first?.rowScope
            == .unbounded(reasons: ["policy inserts admits every row (WITH CHECK true)"]))
        // A superuser-context setting is the session's only with a SET grant.
        guard case .unbounded = try engine.entries("tuner", .select, on: "public.t").first?.rowScope else {
            Issue.record("SET on log_min_messages is not seen"); return
        }
        #expect(try engine.entries("ops", .select, on: "public.t").first?.rowScope == .filtered(policies: ["debugging", "own"]))
    }

    @Test func readAllDataMembershipImpliesSelectOnEveryTableAndUsageOnEverySchema() throws {
        let snapshot = SnapshotBuilder().schema("private").role("pg_read_all_data").role("legacy", login: true)
            .member("legacy", of: "pg_read_all_data").table("private.notes", columns: ["body"]).build()
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        let legacy = try engine.role("legacy")
        #expect(engine.hasPrivilege(legacy, .select, on: try engine.table("private.notes")))
        #expect(!engine.hasPrivilege(legacy, .insert, on: try engine.table("private.notes")))
        #expect(engine.hasPrivilege(legacy, .usage, on: try #require(engine.graph.object(.schema, "private"))))
        let entry = try #require(try engine.entries("legacy", .select, on: "private.notes").first)
        #expect(entry.mode == .direct)
        #expect(entry.route == .predefinedRole)
    }

    @Test func databaseOwnerIsImplicitlyAMemberOfDatabaseOwnerRole() throws {
        var snapshot = SnapshotBuilder().role("pg_database_owner").role("dbowner", login: true).build()
        snapshot.databases[0].owner = "dbowner"
        snapshot.schemas[0].owner = "pg_database_owner"
        snapshot.schemas[0].acl.append(AclEntry(grantee: "pg_database_owner", grantor: "pg_database_owner", privilege: .create))
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        let dbowner = try engine.role("dbowner")
        #expect(engine.hasRole(dbowner, try engine.role("pg_database_owner"), .usage))
        #expect(engine.hasPrivilege(dbowner, .create, on: try #require(engine.graph.object(.schema, "public"))))
    }

    @Test func explainListsEveryRouteToAPrivilege() throws {
        let snapshot = base.role("alice", login: true).role("a").role("b")
            .member("alice", of: "a").member("alice", of: "b")
            .grant([.select], on: "public.customers", to: "a").grant([.select], on: "public.customers", to: "b")
            .grant([.select], on: "public.customers", to: "PUBLIC").build()
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        let routes = engine.explain(try engine.role("alice"), object: try engine.table("public.customers"))
            .filter { $0.privilege == .select }.map(\.path.description)
        #expect(Set(routes) == ["alice → a → SELECT public.customers", "alice → b → SELECT public.customers", "alice → PUBLIC → SELECT public.customers"])
    }
}

/// Found by the PostgreSQL oracle: pg_write_all_data implies UPDATE on sequences as well.
@Suite("Predefined roles on sequences")
struct PredefinedRoleSequenceTests {
    @Test func writeAllDataImpliesUpdateOnSequencesAndReadAllDataSelect() throws {
        let snapshot = SnapshotBuilder().role("pg_write_all_data").role("pg_read_all_data").role("w").role("r")
            .member("w", of: "pg_write_all_data").member("r", of: "pg_read_all_data").sequence("public.s").build()
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        let sequence = try #require(engine.graph.object(.sequence, "public.s"))
        #expect(engine.hasPrivilege(try engine.role("w"), .update, on: sequence))
        #expect(!engine.hasPrivilege(try engine.role("w"), .usage, on: sequence))
        #expect(engine.hasPrivilege(try engine.role("r"), .select, on: sequence))
        #expect(!engine.hasPrivilege(try engine.role("r"), .update, on: sequence))
    }
}
