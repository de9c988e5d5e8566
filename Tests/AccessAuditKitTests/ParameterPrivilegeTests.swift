@testable import SnapshotModel
@testable import AccessEngine
import Foundation
import Testing

/// Privileges on configuration parameters (PostgreSQL 15+, `pg_parameter_acl`): what
/// has_parameter_privilege answers (the oracle compares them on real servers), what `effective`
/// lists, and the one that is a road to the data: ALTER SYSTEM on a parameter whose value the
/// server runs (attacked on real servers by `CapabilityRoadTests`).
@Suite("Parameter privileges")
struct ParameterPrivilegeTests {
    static func base() -> SnapshotBuilder {
        CapabilityTests.base("15.4").role("ops").role("helpdesk").role("root", superuser: true)
            .member("mallory", of: "ops").member("helpdesk", of: "ops", inherit: false)
    }

    @Test func hasParameterPrivilegeReadsTheACLThroughInheritedMembershipsAndPublic() throws {
        let engine = EffectiveAccessEngine(snapshot: Self.base()
            .parameterGrant(.alterSystem, on: "archive_command", to: "ops")
            .parameterGrant(.set, on: "log_statement", to: "ops", grantable: true)
            .parameterGrant(.set, on: "session_replication_role", to: "PUBLIC").build())
        let mallory = try engine.role("mallory"), helpdesk = try engine.role("helpdesk"), root = try engine.role("root")
        #expect(engine.hasParameterPrivilege(mallory, .alterSystem, on: "archive_command"))
        #expect(engine.hasParameterPrivilege(mallory, .alterSystem, on: "ARCHIVE_COMMAND"))
        #expect(!engine.hasParameterPrivilege(mallory, .set, on: "archive_command"))
        #expect(!engine.hasParameterPrivilege(mallory, .alterSystem, on: "archive_command", withGrantOption: true))
        #expect(engine.hasParameterPrivilege(mallory, .set, on: "log_statement", withGrantOption: true))
        // NOINHERIT membership: the group's parameter privileges are not the member's.
        #expect(!engine.hasParameterPrivilege(helpdesk, .alterSystem, on: "archive_command"))
        #expect(engine.hasParameterPrivilege(helpdesk, .set, on: "session_replication_role"))
        // No ACL: false for anyone but a superuser, even for a parameter every role may SET.
        #expect(!engine.hasParameterPrivilege(mallory, .set, on: "work_mem"))
        #expect(engine.hasParameterPrivilege(root, .alterSystem, on: "shared_preload_libraries", withGrantOption: true))
        #expect(!engine.hasParameterPrivilege(root, .select, on: "work_mem"))
    }

    @Test func effectiveListsEachParameterPrivilegeWithItsPath() throws {
        let engine = EffectiveAccessEngine(snapshot: Self.base()
            .parameterGrant(.alterSystem, on: "archive_command", to: "ops")
            .parameterGrant(.alterSystem, on: "archive_command", to: "mallory", grantable: true).build())
        let held = engine.parameterPrivileges(of: try engine.role("mallory"))
        #expect(held.count == 1)
        // The grantable route is kept over the one through a group.
        #expect(held.first?.grantable == true)
        #expect(held.first?.path.description == "mallory → ALTER SYSTEM PARAMETER archive_command WITH GRANT OPTION")
        let viaGroup = EffectiveAccessEngine(snapshot: Self.base().parameterGrant(.alterSystem, on: "archive_command", to: "ops").build())
        #expect(viaGroup.parameterPrivileges(of: try viaGroup.role("mallory")).map(\.path.description) == ["mallory → ops → ALTER SYSTEM PARAMETER archive_command"])
        let root = viaGroup.parameterPrivileges(of: try viaGroup.role("root"))
        #expect(root.map(\.privilege) == [.set, .alterSystem] && root.allSatisfy { $0.route == .superuser })
    }

    @Test func alterSystemOnAParameterTheServerRunsWatchesEveryTable() throws {
        let road = try CapabilityTests.reach(Self.base().parameterGrant(.alterSystem, on: "archive_command", to: "ops").build())
        let mallory = try #require(road.first { $0.principal == "mallory" })
        #expect(CapabilityTests.capabilityKinds(mallory.path) == ["alter_system"])
        #expect(mallory.mode == .capability)
        #expect(mallory.path.description.contains("mallory → ops → ALTER SYSTEM on archive_command granted to ops"))
        // The forward engine says the same.
        let engine = EffectiveAccessEngine(snapshot: Self.base().parameterGrant(.alterSystem, on: "shared_preload_libraries", to: "PUBLIC").build())
        let entry = try #require(try engine.entries("mallory", .select, on: "public.customers", column: "email").first)
        #expect(entry.route == .watch && entry.mode == .capability)
        // SET on a parameter the server runs, or ALTER SYSTEM on one it does not: no road.
        for harmless in [
            Self.base().parameterGrant(.set, on: "archive_command", to: "mallory"),
            Self.base().parameterGrant(.alterSystem, on: "log_statement", to: "mallory"),
        ] {
            #expect(try !CapabilityTests.reach(harmless.build()).contains { $0.principal == "mallory" })
        }
    }

    @Test func aSnapshotWithParameterPrivilegesIsCheckedLikeAnyACL() throws {
        func problems(_ snapshot: Snapshot) throws -> [String] {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let data = try encoder.encode(snapshot)
            do {
                _ = try SnapshotLoader().decode(data, file: "snap.json")
                return []
            } catch {
                return error.diagnostics.map(\.message)
            }
        }
        #expect(try problems(Self.base().parameterGrant(.set, on: "log_statement", to: "ghost").build()) == ["role 'ghost' is not in the snapshot's roles"])
        #expect(try problems(Self.base().parameterGrant(.select, on: "log_statement", to: "ops").build()) == ["SELECT does not apply to a parameter"])
        #expect(try problems(Self.base().grant([.set], on: "public.customers", to: "ops").build()) == ["SET does not apply to a table"])
        var older = Self.base().parameterGrant(.set, on: "log_statement", to: "ops").build()
        older.serverVersion = "14.9"
        #expect(try problems(older) == ["parameter privileges on 'log_statement', but PostgreSQL 14 has none (they exist from 15)"])
        var twice = Self.base().parameterGrant(.set, on: "log_statement", to: "ops").build()
        twice.parameterPrivileges?.append(SnapshotParameterPrivilege(name: "log_statement", acl: []))
        #expect(try problems(twice) == ["duplicate parameter 'log_statement'"])
    }
}
