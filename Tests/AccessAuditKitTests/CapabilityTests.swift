@testable import AuditSupport
@testable import SnapshotModel
@testable import AccessEngine
@testable import PolicyAudit
import Foundation
import Testing

/// What a role can turn its privileges into, on snapshots built by hand (the same roads are
/// attacked on real servers by `CapabilityRoadTests`): each test names the road and the version
/// semantics it pins.
@Suite("Capabilities: becoming roles, running definer code, watching rows")
struct CapabilityTests {
    /// `public.customers (id, email)` owned by `support_owner`, a login `mallory`, a group `pii_readers` that reads it.
    static func base(_ version: String) -> SnapshotBuilder {
        SnapshotBuilder(serverVersion: version)
            .role("support_owner").role("mallory", login: true).role("pii_readers")
            .table("public.customers", owner: "support_owner", columns: ["id", "email"])
            .grant([.select], on: "public.customers", to: "pii_readers")
    }

    /// Every principal `deny` would count on `public.customers.email`, with the cause it is listed under.
    static func reach(_ snapshot: Snapshot) throws -> [(principal: String, mode: AccessMode, path: AccessPath, cause: AccessCause.Kind)] {
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        let reach = ReachQuery(engine: engine)
        let column = try engine.column("public.customers.email")
        return reach.causes(.select, column: column).flatMap { cause in
            cause.reachers.map { (engine.graph.roles[$0.principal].name, $0.mode, AccessPath($0.path), cause.kind) }
        }
    }

    static func capabilityKinds(_ path: AccessPath) -> [String] {
        path.steps.compactMap { if case .capability(let step) = $0 { step.kind } else { nil } }
    }

    // MARK: Becoming a role

    @Test func adminOptionAloneLetsTheHolderGrantItselfTheRoleFrom16() throws {
        let snapshot = Self.base("16.2").member("mallory", of: "pii_readers", admin: true, inherit: false, set: false).build()
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        #expect(!engine.hasColumnPrivilege(try engine.role("mallory"), .select, on: try engine.column("public.customers.email")))
        let entry = try #require(try engine.entries("mallory", .select, on: "public.customers").first)
        #expect(entry.mode == .capability)
        #expect(entry.path.description.contains("ADMIN OPTION on pii_readers held by mallory (can grant itself pii_readers) → pii_readers → SELECT public.customers"))
        let reached = try Self.reach(snapshot).filter { $0.principal == "mallory" }
        #expect(reached.contains { hit in
            if case .capability(.adminOption(role: "pii_readers", holder: "mallory"), _) = hit.cause { return hit.mode == .capability }
            return false
        })
    }

    @Test func adminOptionHeldByAnInheritedGroupCountsFrom16ButNotThroughANoinheritEdge() throws {
        let inherited = Self.base("16.2").role("helpdesk")
            .member("helpdesk", of: "pii_readers", admin: true, inherit: false, set: false).member("mallory", of: "helpdesk").build()
        #expect(try Self.reach(inherited).contains { $0.principal == "mallory" && Self.capabilityKinds($0.path) == ["admin_option"] })
        // From 16 ADMIN counts only through inherited privileges; without inherit or set, nothing.
        let cut = Self.base("16.2").role("helpdesk")
            .member("helpdesk", of: "pii_readers", admin: true, inherit: false, set: false)
            .member("mallory", of: "helpdesk", inherit: false, set: false).build()
        #expect(try !Self.reach(cut).contains { $0.principal == "mallory" })
        // Before 16 any membership chain carries ADMIN (and a set-less chain does not exist there).
        let before16 = Self.base("15.4").role("helpdesk")
            .member("helpdesk", of: "pii_readers", admin: true, inherit: false, set: false)
            .member("mallory", of: "helpdesk", inherit: false, set: false).build()
        #expect(try Self.reach(before16).contains { $0.principal == "mallory" && Self.capabilityKinds($0.path) == ["admin_option"] })
    }

    @Test func adminOptionOnASuperuserRoleGrantsNothing() throws {
        // "Only roles with the SUPERUSER attribute may grant roles with the SUPERUSER attribute"
        // (PostgreSQL 16; 15 says "must be superuser to alter superusers").
        let snapshot = Self.base("16.2").role("root_group", superuser: true)
            .member("mallory", of: "root_group", admin: true, inherit: false, set: false).build()
        #expect(try !Self.reach(snapshot).contains { $0.principal == "mallory" })
    }

    @Test func createroleGrantsAnyNonSuperuserRoleBefore16Only() throws {
        func snapshot(_ version: String) -> Snapshot {
            Self.base(version).role("mallory_admin").role("pg_read_all_data")
                .member("mallory", of: "mallory_admin", inherit: false, set: true).build()
        }
        var old = snapshot("15.4")
        old.roles[old.roles.firstIndex { $0.name == "mallory_admin" }!].createrole = true
        let oldReach = try Self.reach(old).filter { $0.principal == "mallory" }
        #expect(oldReach.contains { Self.capabilityKinds($0.path) == ["createrole"] && $0.path.description.contains("SET ROLE mallory_admin") })
        var new = snapshot("16.2")
        new.roles[new.roles.firstIndex { $0.name == "mallory_admin" }!].createrole = true
        #expect(try !Self.reach(new).contains { $0.principal == "mallory" })
    }

    @Test func anOwnerThatRevokedItsOwnPrivilegeIsACauseOfItsOwn() throws {
        var snapshot = Self.base("15.4").member("mallory", of: "support_owner").build()
        snapshot.tables[0].acl.removeAll { $0.grantee == "support_owner" }
        let hits = try Self.reach(snapshot).filter { $0.principal == "mallory" }
        #expect(hits.contains { hit in
            if case .ownership = hit.cause { return hit.mode == .capability && hit.path.description == "mallory → support_owner → owns public.customers" }
            return false
        })
    }

    @Test func aCapabilityIsNoMembershipForExcept() throws {
        let snapshot = Self.base("16.2").member("mallory", of: "pii_readers", admin: true, inherit: false, set: false).build()
        let policy = try policy("""
            version: 1
            data_classes:
              pii: {severity: critical, columns: [public.customers.email]}
            roles:
              pii_readers: {kind: group}
            rules:
              - {id: pii, severity: critical, deny: {privileges: [SELECT], data_class: pii}, except: {roles: [pii_readers]}}
            """)
        let findings = Auditor(policy: policy, today: try #require(DayDate("2026-11-22"))).audit(snapshot).filter { $0.rule == "pii" }
        let listed = findings.flatMap(\.affected).filter { $0.name == "mallory" }
        #expect(!listed.isEmpty, "ADMIN OPTION on pii_readers is not membership of it: except must not waive mallory")
        #expect(listed.allSatisfy { $0.mode == .capability })
        #expect(findings.contains { $0.cause.description.hasPrefix("ADMIN OPTION on pii_readers held by mallory") })
    }

    // MARK: Running code as another role

    static func definer(_ version: String = "15.4", config: [String]? = nil, sqlStandardBody: Bool? = false) -> SnapshotBuilder {
        Self.base(version).role("onboarding").member("onboarding", of: "pii_readers", admin: true)
            .function("public.queue_length", owner: "onboarding", securityDefiner: true)
            .body(of: "public.queue_length()", language: "plpgsql", config: config, sqlStandardBody: sqlStandardBody)
    }

    @Test func anUnpinnedDefinerRunsTheCallersCodeAsItsOwner() throws {
        let hits = try Self.reach(Self.definer().build()).filter { $0.principal == "mallory" }
        #expect(hits.contains { hit in
            guard case .capability(.definerCode(function: "public.queue_length()", owner: "onboarding", table: nil), _) = hit.cause else { return false }
            return hit.mode == .capability && Self.capabilityKinds(hit.path) == ["definer_code"]
        })
    }

    @Test func aPinnedPathEndingInPgTempOrABoundBodyIsNoRoad() throws {
        for bound in [Self.definer(config: ["search_path=public, pg_temp"]), Self.definer(sqlStandardBody: true), Self.definer(config: ["search_path=\"\""])] {
            let hits = try Self.reach(bound.build())
            #expect(!hits.contains { Self.capabilityKinds($0.path).contains("definer_code") })
        }
        // Pinned without pg_temp last: temporary relations are still searched first.
        #expect(try Self.reach(Self.definer(config: ["search_path=public"]).build()).contains {
            $0.principal == "mallory" && Self.capabilityKinds($0.path).contains("definer_code")
        })
    }

    @Test func redirectingADefinerNeedsTempOrCreateSomewhere() throws {
        var noTemp = Self.definer().build()
        noTemp.databases[0].acl.removeAll { $0.grantee == AclEntry.publicGrantee && $0.privilege == .temporary }
        #expect(try !Self.reach(noTemp).contains { $0.principal == "mallory" && Self.capabilityKinds($0.path).contains("definer_code") })
        let withSchema = SnapshotBuilder(snapshot: noTemp).schema("scratch").grant([.usage, .create], on: "scratch", kind: .schema, to: "mallory").build()
        #expect(try Self.reach(withSchema).contains { $0.principal == "mallory" && Self.capabilityKinds($0.path).contains("definer_code") })
        // Pinned with pg_temp last: only CREATE on a schema of the pinned path will do.
        let pinned = SnapshotBuilder(snapshot: Self.definer(config: ["search_path=scratch, public, pg_temp"]).build())
            .schema("scratch").grant([.usage, .create], on: "scratch", kind: .schema, to: "mallory").build()
        #expect(try Self.reach(pinned).contains { $0.principal == "mallory" && Self.capabilityKinds($0.path).contains("definer_code") })
    }

    @Test func anyRoleThePrincipalActsAsMayPlantForTheCall() throws {
        // mallory has no TEMP, but may SET ROLE helper, which has: helper creates the temporary
        // view, mallory (RESET ROLE) calls the definer, whose owner then reads helper's view.
        var snapshot = SnapshotBuilder(snapshot: Self.definer().build()).role("helper")
            .member("mallory", of: "helper", inherit: false, set: true).build()
        snapshot.databases[0].acl.removeAll { $0.grantee == AclEntry.publicGrantee && $0.privilege == .temporary }
        snapshot.databases[0].acl.append(AclEntry(grantee: "helper", grantor: "postgres", privilege: .temporary))
        #expect(try Self.reach(snapshot).contains { $0.principal == "mallory" && Self.capabilityKinds($0.path).contains("definer_code") })
    }

    @Test func aDefinerTriggerRunsForEveryWriterWithoutExecute() throws {
        let snapshot = Self.base("15.4").role("events_owner").member("events_owner", of: "pii_readers", admin: true)
            .table("public.events", columns: ["id"]).grant([.insert], on: "public.events", to: "mallory")
            .function("public.on_event", owner: "events_owner", securityDefiner: true, publicExecute: false)
            .body(of: "public.on_event()", language: "plpgsql")
            .trigger("on_event", on: "public.events", function: "public.on_event()", events: [.insert]).build()
        #expect(try Self.reach(snapshot).contains { hit in
            guard case .capability(.definerCode(_, "events_owner", "public.events"), _) = hit.cause else { return false }
            return hit.principal == "mallory"
        })
    }

    @Test func anAggregateRunsItsDefinerSupportFunctionForTheCaller() throws {
        let snapshot = Self.base("15.4").role("stats_owner").member("stats_owner", of: "pii_readers", admin: true)
            .function("public.acc", arguments: "bigint, integer", owner: "stats_owner", securityDefiner: true, publicExecute: false)
            .body(of: "public.acc(bigint, integer)", language: "plpgsql")
            .function("public.total", arguments: "integer")
            .body(of: "public.total(integer)", language: "internal", kind: .aggregate, supportFunctions: ["public.acc(bigint, integer)"]).build()
        #expect(try Self.reach(snapshot).contains { $0.principal == "mallory" && $0.path.description.contains("EXECUTE public.acc(bigint, integer) (SECURITY DEFINER") })
    }

    // MARK: Watching rows flow past

    @Test func triggerOnATableWatchesEveryRowWrittenToIt() throws {
        let snapshot = Self.base("15.4").grant([.trigger], on: "public.customers", to: "mallory").build()
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        let entry = try #require(try engine.entries("mallory", .select, on: "public.customers", column: "email").first)
        #expect(entry.mode == .capability && entry.route == .watch)
        #expect(entry.path.description == "mallory → TRIGGER public.customers → TRIGGER on public.customers (a trigger receives every row written)")
        #expect(try Self.reach(snapshot).contains { hit in
            if case .capability(.trigger(table: "public.customers"), _) = hit.cause { return hit.principal == "mallory" }
            return false
        })
    }

    @Test func owningATriggerFunctionOfTheTableWatchesItsRows() throws {
        let owned = Self.base("15.4").role("auditor").member("mallory", of: "auditor")
            .function("public.audit", owner: "auditor").body(of: "public.audit()", language: "plpgsql")
            .trigger("audit", on: "public.customers", function: "public.audit()", events: [.update])
        let snapshot = owned.grant([.create], on: "public", kind: .schema, to: "auditor").build()
        let hit = try #require(try Self.reach(snapshot).first { $0.principal == "mallory" })
        #expect(hit.path.description == "mallory → auditor → owns public.audit() → owns trigger function public.audit() of public.customers (replacing it receives every row written)")
        // CREATE OR REPLACE needs CREATE on the function's schema too: an owner without it cannot
        // change the body (verified on 15-18), forward or reverse.
        #expect(try !Self.reach(owned.build()).contains { $0.principal == "mallory" })
        let engine = EffectiveAccessEngine(snapshot: owned.build())
        #expect(try !engine.entries("mallory", .select, on: "public.customers", column: "email").contains { $0.route == .watch })
        // CREATE held by the principal itself (not by the owner) is enough: the current user needs both.
        let split = owned.grant([.create], on: "public", kind: .schema, to: "mallory").build()
        #expect(try Self.reach(split).contains { $0.principal == "mallory" })
    }

    @Test func owningAFunctionATablesOwnExpressionCallsWatchesTheColumnsItPasses() throws {
        func builder(_ kind: SnapshotExpression.Kind, reads: [String]) -> SnapshotBuilder {
            Self.base("15.4").role("auditor").member("mallory", of: "auditor")
                .table("public.notes", owner: "support_owner", columns: ["id", "body"])
                .function("public.inspect", arguments: "text", owner: "auditor").body(of: "public.inspect(text)", language: "plpgsql")
                .expression(kind, "valid_email", on: "public.customers", calls: ["public.inspect(text)"], reads: reads)
                .grant([.create], on: "public", kind: .schema, to: "auditor")
        }
        for kind in [SnapshotExpression.Kind.check, .generated, .index] {
            let snapshot = builder(kind, reads: ["email"]).build()
            let hit = try #require(try Self.reach(snapshot).first { $0.principal == "mallory" }, "\(kind)")
            #expect(Self.capabilityKinds(hit.path) == ["expression_function"])
            #expect(hit.path.description.hasPrefix("mallory → auditor → owns public.inspect(text) → owns public.inspect(text), called by the"))
            // Forward: the email column, not the id the expression does not pass.
            let engine = EffectiveAccessEngine(snapshot: snapshot)
            #expect(try engine.entries("mallory", .select, on: "public.customers", column: "email").contains { $0.route == .watch })
            #expect(try !engine.entries("mallory", .select, on: "public.customers", column: "id").contains { $0.route == .watch })
        }
        // A plain default cannot read the row: its function receives nothing.
        let plainDefault = builder(.default, reads: []).build()
        #expect(try !Self.reach(plainDefault).contains { $0.principal == "mallory" })
    }

    @Test func owningAFunctionARowSecurityPolicyCallsWatchesTheRowsItChecks() throws {
        let snapshot = Self.base("15.4").role("auditor").member("mallory", of: "auditor")
            .function("public.region_ok", arguments: "text", owner: "auditor").body(of: "public.region_ok(text)", language: "sql")
            .rowPolicy("by_region", on: "public.customers", functions: ["public.region_ok(text)"])
            .grant([.create], on: "public", kind: .schema, to: "auditor").build()
        let hit = try #require(try Self.reach(snapshot).first { $0.principal == "mallory" })
        #expect(hit.path.description.hasSuffix("owns public.region_ok(text) → owns public.region_ok(text), called by a row-security policy of public.customers (replacing it receives every row checked)"))
        #expect(Self.capabilityKinds(hit.path) == ["policy_function"])
    }

    @Test func owningAFunctionADefinersBodyCallsRunsCodeAsTheDefinersOwner() throws {
        let snapshot = Self.base("15.4").role("onboarding").member("onboarding", of: "pii_readers", admin: true)
            .function("public.helper", owner: "mallory").body(of: "public.helper()", language: "plpgsql")
            .function("public.count_tickets", owner: "onboarding", securityDefiner: true, reads: [])
            .body(of: "public.count_tickets()", language: "sql", sqlStandardBody: true, calls: ["public.helper()"])
            .grant([.create], on: "public", kind: .schema, to: "mallory").build()
        let hits = try Self.reach(snapshot).filter { $0.principal == "mallory" }
        #expect(hits.contains { hit in
            guard case .capability(.replacedCallee(function: "public.helper()", definer: "public.count_tickets()", owner: "onboarding"), _) = hit.cause else { return false }
            return hit.mode == .capability
        })
        // Without EXECUTE on the definer there is no call to ride.
        var revoked = snapshot
        revoked.functions[revoked.functions.firstIndex { $0.name == "count_tickets" }!].acl.removeAll { $0.grantee == AclEntry.publicGrantee }
        #expect(try !Self.reach(revoked).contains { $0.principal == "mallory" })
    }

    @Test func replicationIsAnAttributeOfTheRoleInForceNotInherited() throws {
        func snapshot(set: Bool) -> Snapshot {
            Self.base("17.2").role("replicator", replication: true).member("mallory", of: "replicator", inherit: true, set: set).build()
        }
        #expect(try Self.reach(snapshot(set: true)).contains { $0.principal == "mallory" && Self.capabilityKinds($0.path) == ["replication"] })
        #expect(try !Self.reach(snapshot(set: false)).contains { $0.principal == "mallory" })
    }

    @Test func monitoringServerFilesAndCatalogGrantsWatchEveryTable() throws {
        let roads: [(SnapshotBuilder, String)] = [
            (Self.base("15.4").role("pg_monitor").role("pg_read_all_stats").member("pg_monitor", of: "pg_read_all_stats").member("mallory", of: "pg_monitor"), "monitoring"),
            (Self.base("15.4").role("pg_execute_server_program").member("mallory", of: "pg_execute_server_program"), "server_files"),
            (Self.base("15.4").catalogGrant(.select, on: "pg_catalog.pg_statistic", to: "mallory"), "catalog_grant"),
            (Self.base("15.4").catalogGrant(.execute, on: "pg_catalog.pg_read_binary_file(text)", kind: .function, to: "mallory"), "catalog_grant"),
        ]
        for (builder, kind) in roads {
            #expect(try Self.reach(builder.build()).contains { $0.principal == "mallory" && Self.capabilityKinds($0.path) == [kind] }, "\(kind)")
        }
        let harmless = Self.base("15.4").catalogGrant(.select, on: "pg_catalog.pg_class", to: "mallory").build()
        #expect(try !Self.reach(harmless).contains { $0.principal == "mallory" })
    }

    @Test func aRewriteRuleReturnsWhatItsOwnerReadsToWhoeverFiresIt() throws {
        let snapshot = Self.base("15.4").role("inbox_owner").member("inbox_owner", of: "pii_readers")
            .table("public.inbox", owner: "inbox_owner", columns: ["id"])
            .rule("leak", on: "public.inbox", event: .insert, reads: ["public.customers.email"])
            .grant([.insert], on: "public.inbox", columns: ["id"], to: "mallory").build()
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        let entry = try #require(try engine.entries("mallory", .select, on: "public.customers", column: "email").first)
        #expect(entry.mode == .capability)
        #expect(entry.path.description == "mallory → INSERT public.inbox.id → INSERT fires rule leak on public.inbox (its actions run as inbox_owner and return what they read) → inbox_owner → pii_readers → SELECT public.customers")
        #expect(try Self.reach(snapshot).contains { hit in
            guard case .capability(.rewriteRule(rule: "leak", table: "public.inbox", event: .insert, owner: "inbox_owner"), _) = hit.cause else { return false }
            return hit.principal == "mallory"
        })
        // A rule fired by a statement mallory may not run gives it nothing.
        let other = SnapshotBuilder(snapshot: snapshot).rule("leak2", on: "public.inbox", event: .delete, reads: ["public.customers.phone"]).build()
        #expect(try !Self.reach(other).contains { $0.principal == "mallory" && $0.path.description.contains("leak2") })
    }

    // MARK: Versions and the shape of causes

    @Test func maintainExistsFrom17AndPgMaintainHoldsItImplicitly() throws {
        let v15 = EffectiveAccessEngine(snapshot: Self.base("15.4").build())
        #expect(!v15.hasPrivilege(try v15.role("postgres"), .maintain, on: try v15.table("public.customers")))
        #expect(try v15.privileges(of: v15.role("postgres")).allSatisfy { $0.privilege != .maintain })
        let v17 = EffectiveAccessEngine(snapshot: Self.base("17.2").role("pg_maintain").member("mallory", of: "pg_maintain").build())
        #expect(v17.hasPrivilege(try v17.role("postgres"), .maintain, on: try v17.table("public.customers")))
        #expect(v17.hasPrivilege(try v17.role("mallory"), .maintain, on: try v17.table("public.customers")))
    }

    @Test func reachersThroughACapabilityAreSplitIntoACauseNamedByIt() throws {
        let snapshot = Self.base("16.2").role("alice", login: true).member("alice", of: "pii_readers")
            .member("mallory", of: "pii_readers", admin: true, inherit: false, set: false).build()
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        let causes = ReachQuery(engine: engine).causes(.select, column: try engine.column("public.customers.email"))
        let plain = causes.filter { if case .grant(_, _, .role) = $0.kind { true } else { false } }
        let split = causes.filter { if case .capability(.adminOption, _) = $0.kind { true } else { false } }
        #expect(plain.flatMap(\.reachers).map { engine.graph.roles[$0.principal].name }.contains("alice"))
        #expect(!plain.flatMap(\.reachers).map { engine.graph.roles[$0.principal].name }.contains("mallory"))
        #expect(split.flatMap(\.reachers).map { engine.graph.roles[$0.principal].name } == ["mallory"])
    }

    @Test func searchPathPinsAreReadAsPostgreSQLWritesThem() {
        typealias R = FunctionBody.Redirection
        let cases: [([String]?, R)] = [
            (nil, .unpinned),
            (["search_path=public"], .pinnedTempFirst(schemas: ["public"])),
            (["search_path=public, pg_temp"], .pinned(schemas: ["public"])),
            (["search_path=\"my schema\", pg_catalog, pg_temp"], .pinned(schemas: ["my schema"])),
            (["search_path=\"\""], .none),
            (["work_mem=64MB"], .unpinned),
        ]
        for (config, expected) in cases {
            #expect(FunctionBody.redirection(language: "plpgsql", sqlStandardBody: false, config: config) == expected, "\(config ?? [])")
        }
        #expect(FunctionBody.redirection(language: "sql", sqlStandardBody: true, config: nil) == .none)
        #expect(FunctionBody.redirection(language: "c", sqlStandardBody: false, config: nil) == .none)
        #expect(FunctionBody.redirection(language: nil, sqlStandardBody: nil, config: nil) == .unpinned)
    }
}

/// Two defects of the definer-view helpers, found on the way (the capabilities issue's laws ran them harder).
@Suite("Definer views built on definer views")
struct DefinerViewChainTests {
    @Test func exposedClassifiedColumnsFollowADefinerViewBuiltOnAnother() throws {
        let snapshot = SnapshotBuilder().role("o1").role("o2").role("reader", login: true)
            .table("public.customers", owner: "o1", columns: ["id", "email"])
            .view("public.v1", owner: "o1", columns: ["email"], reads: ["public.customers.email"])
            .view("public.v2", owner: "o2", columns: ["email"], reads: ["public.v1.email"])
            .grant([.select], on: "public.v1", to: "o2").grant([.select], on: "public.v2", to: "reader").build()
        let context = AuditContext(snapshot: snapshot, policy: try policy("""
            version: 1
            data_classes:
              pii: {severity: critical, columns: [public.customers.email]}
            """), today: try #require(DayDate("2026-11-22")))
        let v2 = try #require(context.graph.object(.table, "public.v2"))
        #expect(context.exposedClassifiedColumns(object: v2, column: nil).map(context.graph.name) == ["public.customers.email"])
    }

    @Test func aResultCutByACycleOfViewOwnersIsNotCached() throws {
        // o1 reads o2's view and o2 reads o1's: asking o2 first computes o1 inside the cycle.
        let snapshot = SnapshotBuilder().role("o1").role("o2")
            .table("public.a", owner: "o1", columns: ["c"]).table("public.b", owner: "o2", columns: ["c"])
            .view("public.vb", owner: "o2", columns: ["c"], reads: ["public.b.c"])
            .view("public.va", owner: "o1", columns: ["c", "d"], reads: ["public.a.c", "public.vb.c"])
            .grant([.select], on: "public.vb", to: "o1").grant([.select], on: "public.va", to: "o2").build()
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        _ = engine.readableColumns(of: try engine.role("o2"))
        #expect(engine.readableColumns(of: try engine.role("o1"))[try engine.column("public.b.c")] != nil)
    }
}

/// Grants on system columns (`GRANT SELECT (tableoid)`): exported, answered by
/// `has_column_privilege`, ignored by `has_any_column_privilege`, never classified.
@Suite("System columns")
struct SystemColumnTests {
    @Test func aSystemColumnGrantCountsForItsColumnOnly() throws {
        var snapshot = SnapshotBuilder().role("sc").table("public.t", columns: ["email"]).build()
        snapshot.tables[0].columns.append(SnapshotColumn(
            name: "tableoid", acl: [AclEntry(grantee: "sc", grantor: "postgres", privilege: .select)], system: true))
        let text = String(decoding: try JSONEncoder().encode(snapshot), as: UTF8.self)
        #expect(text.contains("\"system\":true"))
        let engine = EffectiveAccessEngine(snapshot: try SnapshotLoader().decode(Data(text.utf8), file: "system.json"))
        let sc = try engine.role("sc")
        #expect(engine.hasColumnPrivilege(sc, .select, on: try engine.column("public.t.tableoid")))
        #expect(!engine.hasAnyColumnPrivilege(sc, .select, on: try engine.table("public.t")))
        #expect(!engine.hasColumnPrivilege(sc, .select, on: try engine.column("public.t.email")))
        let context = AuditContext(snapshot: snapshot, policy: try policy("""
            version: 1
            data_classes:
              pii: {severity: critical, tables: [public.t]}
            """), today: try #require(DayDate("2026-11-22")))
        #expect(context.classification.columns(of: "pii").map(context.graph.name) == ["public.t.email"])
    }
}
