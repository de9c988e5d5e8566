@testable import AuditSupport
@testable import SnapshotModel
@testable import AccessEngine
@testable import AccessPolicy
@testable import PolicyAudit
import Foundation
import Testing

/// Findings: grouping by cause, severity raising, exceptions, fingerprints, and the rule kinds.
@Suite("Evaluation turns effective access into explained findings")
struct EvaluatorTests {
    let nested = SnapshotBuilder().role("alice", login: true).role("support_lead").role("analytics_export")
        .member("alice", of: "support_lead").member("support_lead", of: "analytics_export")
        .table("public.customers", owner: "postgres", columns: ["id", "email"])
        .grant([.select], on: "public.customers", to: "analytics_export").build()

    /// A policy with the pii class, `postgres` as break-glass, the given role lines, and a deny rule.
    func denyPolicy(_ roles: String = "", extra: String = "") -> String {
        """
        version: 1
        data_classes:
          pii: {severity: critical, columns: [public.customers.email]}
        roles:
          postgres: {kind: breakglass, login: true}
        \(roles)rules:
          - id: pii-readers
            severity: high
            deny: {privileges: [SELECT], data_class: pii}
            except: {kind: breakglass}
        \(extra)
        """
    }

    func line(of needle: String, in text: String) -> Int? {
        text.components(separatedBy: "\n").firstIndex { $0.contains(needle) }.map { $0 + 1 }
    }

    @Test func denyFindingNamesTheCauseAndTheFullPath() throws {
        let text = denyPolicy("  alice: {kind: human, login: true}\n  support_lead: {kind: group}\n  analytics_export: {kind: group}\n")
        let findings = try audit(text, nested).filter { $0.rule == "pii-readers" }
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.severity == .critical)  // raised from high to the pii class
        #expect(finding.principal == "analytics_export")
        #expect(finding.column == "email")
        #expect(finding.cause.description == "GRANT SELECT ON public.customers TO analytics_export")
        #expect(finding.affected.map(\.name).sorted() == ["alice", "analytics_export", "support_lead"])
        #expect(finding.affected.contains { $0.path.description == "alice → support_lead → analytics_export → SELECT public.customers" })
        #expect(finding.location == SourceLocation(file: "policy.yaml", line: try #require(line(of: "id: pii-readers", in: text)), column: 9))
    }

    @Test func findingsGrowWithCausesNotWithPrincipals() throws {
        var builder = SnapshotBuilder().role("agents").table("public.customers", columns: ["email"]).grant([.select], on: "public.customers", to: "agents")
        for i in 0..<200 { builder = builder.role("agent\(i)", login: true).member("agent\(i)", of: "agents") }
        let findings = try audit(denyPolicy(), builder.build()).filter { $0.rule == "pii-readers" }
        #expect(findings.count == 1)
        #expect(findings.first?.affected.count == 201)
    }

    @Test func setRoleReachIsAViolationAndIsMarkedAsSuch() throws {
        let snapshot = SnapshotBuilder().role("dba", login: true, inherit: false).role("owners").member("dba", of: "owners")
            .table("public.customers", columns: ["email"]).grant([.select], on: "public.customers", to: "owners").build()
        let finding = try #require(try audit(denyPolicy(), snapshot).first { $0.rule == "pii-readers" })
        let dba = try #require(finding.affected.first { $0.name == "dba" })
        #expect(dba.mode == .setRole)
        #expect(dba.path.description == "dba → SET ROLE owners → SELECT public.customers")
    }

    @Test func exceptWaivesPrincipalsWhosePathPassesThroughAnExceptedRole() throws {
        let policyText = minimalPolicy + """
            rules:
              - id: pii-readers
                severity: high
                deny: {privileges: [SELECT], data_class: pii}
                except: [{roles: [postgres]}, {roles: [privacy_team]}]
            """
        let snapshot = SnapshotBuilder().role("privacy_team").role("pat", login: true).member("pat", of: "privacy_team")
            .table("public.customers", columns: ["email"]).grant([.select], on: "public.customers", to: "privacy_team").build()
        #expect(try audit(policyText.replacingOccurrences(of: "roles: {}", with: "roles:\n  privacy_team: {kind: group}\n  postgres: {kind: breakglass}"), snapshot)
            .filter { $0.rule == "pii-readers" }.isEmpty)
    }

    @Test func principalsSelectorNarrowsWhoARuleIsAbout() throws {
        let policyText = minimalPolicy.replacingOccurrences(of: "roles: {}", with: "roles:\n  alice: {kind: human, login: true}\n  analytics_export: {kind: group}") + """
            rules:
              - id: humans-no-pii
                severity: high
                deny: {privileges: [SELECT], data_class: pii, principals: {kind: human}}
            """
        let finding = try #require(try audit(policyText, nested).first { $0.rule == "humans-no-pii" })
        #expect(finding.affected.map(\.name) == ["alice"])
    }

    @Test func exceptionSuppressesOnlyTheWaivedPrincipals() throws {
        let text = denyPolicy("  alice: {kind: human}\n", extra: """
            exceptions:
              - {rule: pii-readers, role: alice, reason: incident, ticket: SEC-1, approved_by: ciso, expires: 2026-12-31}
            """)
        let finding = try #require(try audit(text, nested).first { $0.rule == "pii-readers" })
        #expect(!finding.suppressed)
        #expect(finding.affected.first { $0.name == "alice" }?.suppression?.reference == "SEC-1")
        #expect(finding.affected.first { $0.name == "support_lead" }?.suppression == nil)
    }

    @Test func exceptionForTheGranteeSuppressesTheWholeFinding() throws {
        let text = denyPolicy("  analytics_export: {kind: group}\n", extra: """
            exceptions:
              - {rule: pii-readers, role: analytics_export, reason: export job, ticket: SEC-2, approved_by: ciso, expires: 2026-12-31}
            """)
        let findings = try audit(text, nested)
        let finding = try #require(findings.first { $0.rule == "pii-readers" })
        #expect(finding.suppressed)
        #expect(finding.suppression == Suppression(kind: .exception, reference: "SEC-2"))
        let result = AuditResult(findings: findings.filter { $0.rule == "pii-readers" }, failOn: .low, databases: ["app"])
        #expect(!result.failed)
        #expect(result.suppressedCount == 1)
    }

    @Test func expiredExceptionSuppressesNothingAndIsItselfAFinding() throws {
        let text = denyPolicy("  analytics_export: {kind: group}\n", extra: """
            exceptions:
              - {rule: pii-readers, role: analytics_export, reason: export job, ticket: SEC-3, approved_by: ciso, expires: 2026-05-31}
            """)
        let findings = try audit(text, nested, today: "2026-06-01")
        #expect(findings.first { $0.rule == "pii-readers" }?.suppressed == false)
        let expired = try #require(findings.first { $0.rule == "expired-exception" })
        #expect(expired.location.line == line(of: "SEC-3", in: text))
        #expect(expired.message.contains("SEC-3"))
    }

    @Test func overBroadGrantIsRaisedToTheDataClassItReaches() throws {
        let snapshot = SnapshotBuilder().role("app", login: true).table("public.customers", columns: ["email"]).table("public.tickets", columns: ["id"])
            .grant([.select], on: "public.customers", to: "app").grant([.select], on: "public.tickets", to: "app").build()
        let findings = try audit(minimalPolicy.replacingOccurrences(of: "roles: {}", with: "roles:\n  app: {kind: service, login: true}"), snapshot)
            .filter { $0.rule == "over-broad-grant" && $0.principal == "app" }
        #expect(findings.first { $0.object == "public.customers" }?.severity == .critical)
        #expect(findings.first { $0.object == "public.tickets" }?.severity == .medium)
    }

    @Test func undeclaredMembershipInheritOptionMismatchIsAFinding() throws {
        let snapshot = SnapshotBuilder().role("dba", login: true).role("owners").member("dba", of: "owners").build()
        let text = minimalPolicy.replacingOccurrences(of: "roles: {}", with: "roles:\n  dba: {kind: breakglass, login: true, member_of: [{role: owners, inherit: false}]}\n  owners: {kind: group}")
        let finding = try #require(try audit(text, snapshot).first { $0.rule == "undeclared-membership" })
        #expect(finding.message.contains("inherit: false"))
    }

    @Test func fingerprintsSurviveReorderingAndUnrelatedEdits() throws {
        let a = """
            version: 1
            data_classes:
              pii: {severity: critical, columns: [public.customers.email]}
            roles:
              alice: {kind: human, login: true}
              analytics_export: {kind: group}
            """
        let b = """
            # moved things around and added comments
            version: 1

            roles:
              analytics_export:
                kind: group
                description: reporting
              alice: {kind: human, login: true, owner: ops@example.com}
            data_classes:
              pii:
                severity: critical
                columns: [public.customers.email]
            """
        let first = Set(try audit(a, nested).map(\.fingerprint))
        let second = Set(try audit(b, nested).map(\.fingerprint))
        #expect(!first.isEmpty)
        #expect(first == second)
    }

    @Test func fingerprintsDifferForAnotherPrincipalOrObject() throws {
        let snapshot = SnapshotBuilder().role("a", login: true).role("b", login: true)
            .table("public.t1", columns: ["x"]).table("public.t2", columns: ["x"])
            .grant([.select], on: "public.t1", to: "a").grant([.select], on: "public.t1", to: "b").grant([.select], on: "public.t2", to: "a").build()
        let findings = try audit(minimalPolicy.replacingOccurrences(of: "roles: {}", with: "roles:\n  a: {kind: human}\n  b: {kind: human}"), snapshot)
            .filter { $0.rule == "over-broad-grant" && ($0.principal == "a" || $0.principal == "b") }
        #expect(findings.count == 3)
        #expect(Set(findings.map(\.fingerprint)).count == 3)
    }

    @Test func requireRuleChecksRowSecurityPublicGrantsOwnerAndItsOwnReach() throws {
        let text = minimalPolicy.replacingOccurrences(of: "roles: {}", with: "roles:\n  app: {kind: service}") + """
            rules:
              - {id: forced, severity: high, require: {force_row_security: true, tables: [public.customers]}}
              - {id: no-public, severity: high, require: {no_public_grant: true, function: public.lookup}}
              - {id: owned, severity: medium, require: {owner: app, table: public.customers}}
              - {id: renamed, severity: high, require: {row_security: true, tables: [public.clients]}}
            """
        let snapshot = SnapshotBuilder().role("app").table("public.customers", owner: "postgres", columns: ["email"], rowSecurity: true)
            .function("public.lookup").build()
        let rules = Set(try audit(text, snapshot).map(\.rule))
        #expect(rules.isSuperset(of: ["forced", "no-public", "owned", "renamed"]))
    }

    @Test func limitRuleCountsAccessLatentForLackOfUsageAndCountsDistinctPrincipals() throws {
        let text = minimalPolicy.replacingOccurrences(of: "roles: {}", with: "roles:\n  postgres: {kind: breakglass}")
            .replacingOccurrences(of: "[public.customers.email]", with: "[public.customers.email, crm.customers.email]") + """
            rules:
              - {id: few, severity: high, limit: {max_principals: 1, privileges: [SELECT], data_class: pii, principals: {login: true}}, except: {kind: breakglass}}
            """
        let snapshot = SnapshotBuilder().schema("crm").role("a", login: true).role("b", login: true)
            .table("crm.customers", columns: ["email"]).table("public.customers", columns: ["email"])
            .grant([.select], on: "crm.customers", to: "b").grant([.select], on: "public.customers", to: "a").build()
        // b lacks USAGE on crm, yet an invoker view or SQL-standard function another role made reads
        // crm.customers with b's rights (verified on PostgreSQL 15): two principals, one allowed.
        let finding = try #require(try audit(text, snapshot).first { $0.rule == "few" })
        #expect(finding.affected.map(\.name) == ["a", "b"])
        #expect(finding.affected.first { $0.name == "b" }?.mode == .latent)
    }

    @Test func separateRuleGivesThePathOfEachSide() throws {
        let text = minimalPolicy + """
            rules:
              - id: sod
                severity: high
                separate:
                  - {privileges: [INSERT], table: public.refunds}
                  - {privileges: [DELETE], table: public.audit_log}
                except: {roles: [postgres]}
            """
        let snapshot = SnapshotBuilder().role("bob", login: true).role("finance").member("bob", of: "finance")
            .table("public.refunds", columns: ["id"]).table("public.audit_log", columns: ["id"])
            .grant([.insert], on: "public.refunds", to: "finance").grant([.delete], on: "public.audit_log", to: "bob").build()
        let findings = try audit(text.replacingOccurrences(of: "roles: {}", with: "roles:\n  postgres: {kind: breakglass}"), snapshot).filter { $0.rule == "sod" }
        let finding = try #require(findings.first { $0.principal == "bob" })
        #expect(finding.affected.map(\.path.description) == ["bob → finance → INSERT public.refunds", "bob → DELETE public.audit_log"])
    }

    @Test func failOnThresholdDecidesTheGate() throws {
        let findings = try audit(denyPolicy(), nested)
        #expect(AuditResult(findings: findings, failOn: .low, databases: []).failed)
        let onlyInfo = findings.filter { $0.severity == .info }
        #expect(!AuditResult(findings: onlyInfo, failOn: .low, databases: []).failed)
    }

    @Test func theShippedExampleReportsTheIncidentPaths() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let policy = try PolicyLoader().load(paths: [root.appendingPathComponent("policies/support-db").path])
        let snapshot = try SnapshotLoader().load(path: root.appendingPathComponent("examples/support-db/snapshot.json").path)
        let findings = Auditor(policy: policy, today: try #require(DayDate("2026-11-22"))).audit(snapshot)
        let paths = findings.filter { $0.rule == "pii-readers" }.flatMap(\.affected).map(\.path.description)
        #expect(paths.contains("alice → support_lead → analytics_export → SELECT public.customers"))
        #expect(paths.contains { $0.hasPrefix("bob → tier1_agent → SELECT public.customer_contacts → view public.customer_contacts") })
        #expect(paths.contains { $0.hasPrefix("carol → PUBLIC → EXECUTE public.find_customer_by_email(text) → SECURITY DEFINER") })
        #expect(paths.contains("legacy_report → pg_read_all_data → SELECT public.customers (implicit for pg_read_all_data)"))
        #expect(findings.contains { $0.rule == "bulk-export-role" && $0.principal == "legacy_report" })
        #expect(findings.contains { $0.rule == "expired-role" && $0.principal == "erin" })
    }
}

/// Several databases are audited in parallel; the result is the same as one after the other.
@Suite("Declared reads asked of many principals")
struct DeclaredColumnReadersTests {
    static let policyText = """
        version: 1
        roles:
          boss: {kind: human, login: true, attributes: [SUPERUSER]}
          agents: {kind: group, grants: [{table: public.customers, columns: [email], privileges: [SELECT]}]}
          owners: {kind: group, owns: [{table: public.customers}]}
          ann: {kind: human, login: true, member_of: [agents]}
          bob: {kind: human, login: true, member_of: [owners]}
          cy: {kind: human, login: true}
          dee: {kind: human, login: true, member_of: [{role: agents, inherit: false}]}
          PUBLIC: {kind: group, grants: [{table: public.customers, columns: [id], privileges: [SELECT]}]}
        """

    /// One `DeclaredColumnReaders` answering for principals in any order says what a fresh
    /// `mayRead` says for each: remembering a role's answer changes no answer.
    @Test(arguments: ["email", "id", "phone"])
    func rememberedAnswersAreThoseOfAFreshQuestion(column: String) throws {
        let declared = DeclaredAccess(policy: try policy(Self.policyText))
        let principals = ["ann", "bob", "boss", "cy", "dee", "agents", "nobody"]
        for order in [principals, principals.reversed(), principals.shuffled()] {
            var readers = DeclaredColumnReaders(declared: declared, table: "public.customers", column: column)
            for principal in order {
                let remembered = readers.mayRead(principal: principal, declaredRoles: declared.declaredRoles(of: principal))
                #expect(remembered == declared.mayRead(principal: principal, table: "public.customers", column: column), "\(principal) on \(column)")
            }
        }
        #expect(declared.mayRead(principal: "ann", table: "public.customers", column: "email"))
        #expect(!declared.mayRead(principal: "dee", table: "public.customers", column: "email"), "a NOINHERIT membership declares no read")
        #expect(declared.mayRead(principal: "bob", table: "public.customers", column: "phone"), "declared ownership reads every column")
        #expect(declared.mayRead(principal: "cy", table: "public.customers", column: "id"), "PUBLIC's grant")
        #expect(!declared.mayRead(principal: "cy", table: "public.customers", column: "phone"))
    }
}

@Suite("Parallel audits")
struct ParallelAuditTests {
    @Test func parallelAuditKeepsTheSnapshotsOrderAndNamesTheDatabases() async throws {
        let policy = try PolicyLoader().parse(minimalPolicy, file: "policy.yaml")
        let auditor = Auditor(policy: policy, today: try #require(DayDate("2026-06-01")))
        let snapshots = (0..<6).map { i in
            SnapshotBuilder(database: "db\(i)").role("r\(i)", login: true).table("public.customers", columns: ["email"])
                .grant([.select], on: "public.customers", to: "r\(i)").build()
        }
        let parallel = auditor.audit(snapshots)
        let sequential = snapshots.flatMap { snapshot in auditor.audit(snapshot).map { finding in
            var named = finding
            named.database = snapshot.database
            return named
        } }
        #expect(parallel.map(\.fingerprint) == sequential.map(\.fingerprint))
        #expect(Set(parallel.compactMap(\.database)) == Set((0..<6).map { "db\($0)" }))
    }
}

@Suite("A finding's principals are sampled riskiest first")
struct FindingSampleTests {
    @Test func loginRolesUnsuppressedAndShortPathsComeFirstAndTheCountStays() {
        func principal(_ name: String, steps: Int, login: Bool, waived: Bool = false) -> AffectedPrincipal {
            AffectedPrincipal(
                name: name, path: AccessPath(Array(repeating: PathStep.role(name), count: steps)), mode: .direct, note: nil,
                suppression: waived ? Suppression(kind: .exception, reference: "T-1") : nil, login: login)
        }
        let finding = Finding(
            rule: "r", severity: .high, principal: nil, cause: Cause(.grant, "GRANT"), message: "m",
            affected: [
                principal("group", steps: 1, login: false), principal("far", steps: 4, login: true),
                principal("near", steps: 2, login: true), principal("waived", steps: 1, login: true, waived: true),
            ],
            location: SourceLocation(file: "p.yaml", line: 1, column: 1))
        let sampled = finding.sampled(to: 2)
        #expect(sampled.affected.map(\.name) == ["near", "far"])
        #expect(sampled.principalCount == 4)
        #expect(sampled.fingerprint == finding.fingerprint)
        #expect(finding.sampled(to: 10).affected.count == 4)
    }
}

@Suite("Findings computed with a principal limit")
struct PrincipalLimitTests {
    static func snapshot() -> SnapshotBuilder {
        var builder = SnapshotBuilder().table("public.customers", columns: ["id", "email"]).grant([.select], on: "public.customers", to: "PUBLIC")
        for i in 0..<30 { builder = builder.role("user\(i)", login: i % 3 != 0) }
        return builder
    }

    static let policyText = """
        version: 1
        data_classes:
          pii:
            severity: critical
            columns: [public.customers.email]
        """

    @Test func theSameFindingsAndCountsWithOnlyTheRiskiestPrincipalsBuilt() throws {
        let today = try #require(DayDate("2026-11-29"))
        let policy = try policy(Self.policyText)
        let full = Auditor(policy: policy, today: today).audit(Self.snapshot().build())
        let limited = Auditor(policy: policy, today: today, principalLimit: 5).audit(Self.snapshot().build())
        let (fullRoles, fullRest) = (full.filter { $0.rule == "undeclared-role" }, full.filter { $0.rule != "undeclared-role" })
        let (limitedRoles, limitedRest) = (limited.filter { $0.rule == "undeclared-role" }, limited.filter { $0.rule != "undeclared-role" })
        #expect(fullRest.map(\.fingerprint) == limitedRest.map(\.fingerprint))
        #expect(fullRest.map(\.principalCount) == limitedRest.map(\.principalCount))
        // A grant to PUBLIC lists PUBLIC, with every role counted.
        let publicGrant = try #require(limited.first { $0.rule == "public-grant-on-classified" })
        #expect(publicGrant.principalCount >= 30 && publicGrant.affected.map(\.name) == ["PUBLIC"])
        #expect(publicGrant.message.contains("every role (\(publicGrant.principalCount))"))
        // More undeclared roles than a finding lists: one finding per severity (one fix: declare
        // them), counting every role, listing login roles first.
        #expect(fullRoles.count == 31 && limitedRoles.count == 1)
        let grouped = try #require(limitedRoles.first)
        #expect(grouped.principalCount == fullRoles.count && grouped.affected.count == 5)
        #expect(grouped.affected.allSatisfy { $0.login })
        #expect(grouped.message.contains("access-audit init"))
    }

    @Test func alikeDeclarationFindingsOneChangeFixesBecomeOneAndClassifiedExposuresStayOnePerObject() throws {
        var builder = SnapshotBuilder().role("agent", login: true)
        for t in 0..<25 { builder = builder.table("tenant.t\(t)", columns: ["id", "email"]).grant([.insert], on: "tenant.t\(t)", to: "PUBLIC") }
        let policy = try policy("version: 1\ndata_classes:\n  pii: {severity: critical, columns: ['tenant.*.email']}\n")
        let today = try #require(DayDate("2026-11-29"))
        let limited = Auditor(policy: policy, today: today, principalLimit: 5).audit(builder.build())
        let overBroad = limited.filter { $0.rule == "over-broad-grant" && $0.privilege == .insert }
        let grouped = try #require(overBroad.first)
        #expect(overBroad.count == 1 && grouped.object == "tenant.*")
        #expect(grouped.groupedObjects == (0..<25).map { "tenant.t\($0)" })
        #expect(grouped.message.contains("25 over-broad-grant findings share one fix"))
        #expect(limited.filter { $0.rule == "public-grant-on-classified" }.count == 25)
        let full = Auditor(policy: policy, today: today).audit(builder.build())
        #expect(full.filter { $0.rule == "over-broad-grant" && $0.privilege == .insert }.count == 25)
        #expect(full.allSatisfy { $0.groupedObjects == nil })
    }

    @Test func theFullListIsKeptWithoutABound() throws {
        let today = try #require(DayDate("2026-11-29"))
        let full = Auditor(policy: try policy(Self.policyText), today: today).audit(Self.snapshot().build())
        let publicGrant = try #require(full.first { $0.rule == "public-grant-on-classified" })
        #expect(publicGrant.affected.count == publicGrant.principalCount && publicGrant.principalCount >= 30)
        #expect(full.filter { $0.rule == "undeclared-role" }.allSatisfy { $0.principalCount == 1 })
    }

    @Test func aRuleWithExceptionsKeepsEveryPrincipalSoWaiversStayExact() throws {
        let today = try #require(DayDate("2026-11-29"))
        let policy = try policy(Self.policyText + """

            roles:
              user1: {kind: human, login: true}
            exceptions:
              - rule: public-grant-on-classified
                roles: [user1]
                reason: migration
                ticket: SEC-1
                approved_by: ciso
                expires: 2027-01-01
            """)
        let limited = Auditor(policy: policy, today: today, principalLimit: 5).audit(Self.snapshot().build())
        let publicGrant = try #require(limited.first { $0.rule == "public-grant-on-classified" })
        #expect(publicGrant.affected.count == publicGrant.principalCount)
        #expect(publicGrant.affected.contains { $0.name == "user1" && $0.suppression != nil })
    }
}
