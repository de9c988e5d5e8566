import Foundation
import TestSupport
import Testing

/// `examples/capabilities` end to end: every grant there is declared as intended, and `check`
/// still fails on what roles can turn those grants into — each capability its own finding,
/// with mode `capability`, its step on the path and the step named as the cause — and
/// `explain` shows the steps. On a PostgreSQL 15 export (no MAINTAIN there).
@Suite("The capabilities example")
struct CapabilitiesExampleTests {
    static let snapshot = CLI.packageRoot.appendingPathComponent("examples/capabilities/snapshot.json").path
    static let policies = CLI.packageRoot.appendingPathComponent("policies/capabilities").path

    struct Listed {
        var cause: String
        var principals: [String: (mode: String, capabilities: [String])]
    }

    static func findings() throws -> [Listed] {
        let result = try CLI.run(["check", "--policies", policies, "--snapshot", snapshot, "--as-of", "2026-11-28", "--format", "json"])
        #expect(result.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let findings = try #require(json["findings"] as? [[String: Any]])
        return findings.filter { $0["rule"] as? String == "pii-readers" }.map { finding in
            var principals: [String: (mode: String, capabilities: [String])] = [:]
            for principal in finding["principals"] as? [[String: Any]] ?? [] {
                let steps = principal["steps"] as? [[String: Any]] ?? []
                principals[principal["name"] as? String ?? ""] = (principal["mode"] as? String ?? "", steps.compactMap { $0["capability"] as? String })
            }
            return Listed(cause: (finding["cause"] as? [String: Any])?["description"] as? String ?? "", principals: principals)
        }
    }

    @Test func eachCapabilityIsAFindingNamedByItsStep() throws {
        let findings = try Self.findings()
        let definer = try #require(findings.first { $0.cause.hasPrefix("EXECUTE public.open_ticket_count() (SECURITY DEFINER, search_path not pinned: runs caller code as onboarding)") })
        #expect(Set(definer.principals.keys) == ["lead", "migrator", "ops"])
        #expect(definer.principals.values.allSatisfy { $0.mode == "capability" && $0.capabilities.first == "definer_code" })
        let trigger = try #require(findings.first { $0.cause.hasPrefix("TRIGGER on public.customers") })
        #expect(trigger.principals.keys.sorted() == ["ops"] && trigger.principals["ops"]?.capabilities == ["trigger"])
        let owner = try #require(findings.first { $0.cause.hasPrefix("migrator owns public.customer_history") })
        #expect(owner.principals["migrator"]?.mode == "capability")
        // The privacy team's own members are waived through their membership; a capability is no membership.
        #expect(!findings.contains { $0.principals["privacy_officer"]?.mode == "capability" })
    }

    @Test func explainShowsTheCapabilityStepsAndNoMaintainBefore17() throws {
        let result = try CLI.run(["explain", "--snapshot", Self.snapshot, "--principal", "ops", "--object", "public.customers", "--column", "email"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("[capability, watch] ops → TRIGGER public.customers → TRIGGER on public.customers (a trigger receives every row written)"))
        #expect(result.stdout.contains("[capability, grant] ops → EXECUTE public.open_ticket_count() (SECURITY DEFINER, search_path not pinned: runs caller code as onboarding) → onboarding → pii_readers → SELECT public.customers"))
        #expect(!result.stdout.contains("MAINTAIN"))
        let owner = try CLI.run(["explain", "--snapshot", Self.snapshot, "--principal", "migrator", "--object", "public.customer_history", "--column", "email"])
        #expect(owner.stdout.contains("SELECT: after acting on a capability (see the path)"))
        #expect(owner.stdout.contains("[capability, ownership] migrator → owns public.customer_history"))
    }
}
