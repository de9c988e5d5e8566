import Foundation
import Testing

/// The command line end to end: exit codes 0 / 1 / 2 exactly as the contract says, for every command.
@Suite("access-audit on the command line")
struct CommandLineTests {
    let asOf = ["--as-of", "2026-11-22"]

    @Test func exampleCheckFailsTheGateAndShowsPaths() throws {
        let result = try CLI.run(["check", "--policies", CLI.examplePolicies, "--snapshot", CLI.exampleSnapshot] + asOf)
        #expect(result.status == 1)
        #expect(result.stdout.contains("CRITICAL [pii-readers]"))
        #expect(result.stdout.contains("alice → support_lead → analytics_export → SELECT public.customers"))
        #expect(result.stdout.contains("policies/support-db/30-rules.yaml:"))
        #expect(result.stdout.contains("FAILED:"))
    }

    @Test func policyThatAllowsEverythingInTheExamplePasses() throws {
        let policy = CLI.fixtures.appendingPathComponent("allow-all.yaml").path
        let result = try CLI.run(["check", "--policies", policy, "--snapshot", CLI.exampleSnapshot] + asOf)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("PASSED"))
    }

    @Test func policyWithATypoExitsTwoNamingFileLineAndColumn() throws {
        let file = try CLI.temporaryFile("typo.yaml", "version: 1\nroles:\n  alice:\n    kind: human\n    grants:\n      - {table: public.customers, privileges: [SELETC]}\n")
        let result = try CLI.run(["check", "--policies", file.path, "--snapshot", CLI.exampleSnapshot])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(file.path):6:"))
        #expect(result.stderr.contains("unknown privilege 'SELETC' (did you mean 'SELECT'?)"))
        #expect(result.stdout.isEmpty)
    }

    @Test func jsonOutputHasSummaryAndEveryRequiredFindingField() throws {
        let result = try CLI.run(["check", "--format", "json", "--policies", CLI.examplePolicies, "--snapshot", CLI.exampleSnapshot] + asOf)
        #expect(result.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["failed"] as? Bool == true)
        #expect((summary["critical"] as? Int ?? 0) > 0)
        #expect(summary["suppressed"] is Int)
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(!findings.isEmpty)
        for finding in findings {
            for key in ["rule", "severity", "principal", "privilege", "object", "column", "path", "message", "location", "fingerprint", "suppressed"] {
                #expect(finding.keys.contains(key), "finding lacks \(key)")
            }
            let location = try #require(finding["location"] as? [String: Any])
            #expect((location["line"] as? Int ?? 0) >= 1)
        }
    }

    @Test func outputFileReceivesTheReportAndTheExitCodeStillFails() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString).json")
        let result = try CLI.run(["check", "--format", "json", "--output", output.path, "--policies", CLI.examplePolicies, "--snapshot", CLI.exampleSnapshot] + asOf)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(FileManager.default.fileExists(atPath: output.path))
    }

    @Test func failOnCriticalStillFailsButFailOnThresholdIsHonoured() throws {
        let policy = CLI.fixtures.appendingPathComponent("allow-all.yaml").path
        // Only suppressed findings, and log-not-attributable at info (the example's server logs
        // neither user nor database, and allow-all does not require read logging).
        let strict = try CLI.run(["check", "--fail-on", "low", "--policies", policy, "--snapshot", CLI.exampleSnapshot] + asOf)
        #expect(strict.status == 0)
        let atInfo = try CLI.run(["check", "--fail-on", "info", "--policies", policy, "--snapshot", CLI.exampleSnapshot] + asOf)
        #expect(atInfo.status == 1 && atInfo.stdout.contains("INFO [log-not-attributable]"))
        let bogus = try CLI.run(["check", "--fail-on", "severe", "--policies", policy, "--snapshot", CLI.exampleSnapshot])
        #expect(bogus.status == 2)
    }

    @Test func unreadableOrInvalidSnapshotExitsTwo() throws {
        let missing = try CLI.run(["check", "--policies", CLI.examplePolicies, "--snapshot", "/nonexistent.json"])
        #expect(missing.status == 2)
        let newer = try CLI.temporaryFile("snap.json", try String(contentsOfFile: CLI.exampleSnapshot, encoding: .utf8)
            .replacingOccurrences(of: "\"format_version\": 1", with: "\"format_version\": 9"))
        let result = try CLI.run(["check", "--policies", CLI.examplePolicies, "--snapshot", newer.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("format_version 9 is not supported"))
        #expect(result.stderr.contains("\(newer.path):2:"))
    }

    @Test(arguments: [
        ["check"],
        ["check", "--snapshot", "x.json"],
        ["check", "--bogus"],
        ["effective"],
        ["explain", "--snapshot", "x.json"],
        ["validate"],
        ["schema", "nothing"],
        ["no-such-command"],
    ])
    func badArgumentsExitTwo(arguments: [String]) throws {
        let result = try CLI.run(arguments)
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(!result.stderr.isEmpty)
    }

    @Test func helpAndVersionExitZero() throws {
        #expect(try CLI.run(["--help"]).status == 0)
        #expect(try CLI.run(["check", "--help"]).status == 0)
        #expect(try CLI.run(["--version"]).stdout.contains("0.1.0"))
    }

    @Test func validateAcceptsTheExampleAndRejectsABrokenFile() throws {
        let good = try CLI.run(["validate", "--policies", CLI.examplePolicies])
        #expect(good.status == 0)
        #expect(good.stdout.hasPrefix("OK: 5 file(s)"))
        let broken = try CLI.temporaryFile("broken.yaml", "version: 1\nroles:\n  a:\n    kind: human\n    login: yes\n")
        let bad = try CLI.run(["validate", "--policies", broken.path])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("\(broken.path):5:12: error: 'yes' is a YAML 1.1 boolean"))
    }

    @Test func effectiveListsPrivilegesWithPathsAsCSVAndJSON() throws {
        let csv = try CLI.run(["effective", "--snapshot", CLI.exampleSnapshot, "--format", "csv", "--principal", "alice", "--object", "public.customers"])
        #expect(csv.status == 0)
        let lines = csv.stdout.split(separator: "\r\n").map(String.init)
        #expect(lines.first == "principal,object_kind,object,column,privilege,grantable,mode,route,rows,path,note")
        #expect(lines.contains { $0.contains("alice,table,public.customers,,SELECT,false,direct,grant,") && $0.contains("alice → support_lead → analytics_export → SELECT public.customers") })
        let json = try CLI.run(["effective", "--snapshot", CLI.exampleSnapshot, "--principal", "bob"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let rows = try #require(object["privileges"] as? [[String: Any]])
        #expect(rows.contains { ($0["route"] as? String) == "view" && ($0["object"] as? String) == "public.customers" })
        #expect(rows.allSatisfy { ($0["principal"] as? String) == "bob" })
    }

    @Test func outputsAreIdenticalFromOneProcessToTheNext() throws {
        // Each process hashes with its own seed: nothing may depend on dictionary order.
        for arguments in [["effective", "--snapshot", CLI.exampleSnapshot, "--format", "csv", "--include-latent"],
                          ["check", "--format", "json", "--policies", CLI.examplePolicies, "--snapshot", CLI.exampleSnapshot, "--as-of", "2026-11-22"]] {
            let first = try CLI.run(arguments)
            for _ in 0..<3 { #expect(try CLI.run(arguments).stdout == first.stdout, "\(arguments[0]) output differs between runs") }
        }
    }

    @Test func effectiveForAnUnknownPrincipalExitsTwo() throws {
        #expect(try CLI.run(["effective", "--snapshot", CLI.exampleSnapshot, "--principal", "nobody"]).status == 2)
    }

    @Test func explainShowsEveryRouteAndSaysNoWhereThereIsNone() throws {
        let result = try CLI.run(["explain", "--snapshot", CLI.exampleSnapshot, "--principal", "alice", "--object", "public.customers", "--column", "email"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("SELECT: yes"))
        #expect(result.stdout.contains("[direct, grant] alice → support_lead → analytics_export → SELECT public.customers"))
        #expect(result.stdout.contains("[direct, view] alice → support_lead → tier1_agent → SELECT public.customer_contacts"))
        #expect(result.stdout.contains("[direct, function] alice → PUBLIC → EXECUTE public.find_customer_by_email(text)"))
        #expect(result.stdout.contains("DELETE: no"))
        #expect(result.stdout.contains("rows: all rows (bypasses row security") || result.stdout.contains("rows:"))
    }

    @Test func explainForAnUnknownObjectSuggestsTheRightOne() throws {
        let result = try CLI.run(["explain", "--snapshot", CLI.exampleSnapshot, "--principal", "alice", "--object", "public.custmers"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("did you mean 'public.customers'?"))
        // An argument is not a file: the error names no invented file:line:column.
        #expect(result.stderr.hasPrefix("error: no object 'public.custmers'"))
        #expect(!result.stderr.contains("<arguments>"))
    }

    @Test func crossOptionMistakesAreCaughtBeforeAnythingIsReadAndExitTwo() throws {
        let diff = try CLI.run(["diff", "--base-policies", "a", "--base-ref", "HEAD", "--head-snapshot", "x.json", "--head-policies", "b"])
        #expect(diff.status == 2)
        #expect(diff.stderr.contains("give --base-policies or --base-ref, not both"))
        let asOf = try CLI.run(["check", "--policies", CLI.examplePolicies, "--snapshot", CLI.exampleSnapshot, "--as-of", "2026-13-01"])
        #expect(asOf.status == 2)
        #expect(asOf.stderr.contains("--as-of must be a date written YYYY-MM-DD, not '2026-13-01'"))
    }

    @Test func schemaCommandPrintsTheCommittedSchemas() throws {
        for kind in ["policy", "snapshot"] {
            let result = try CLI.run(["schema", kind])
            #expect(result.status == 0)
            let committed = try String(contentsOf: CLI.packageRoot.appendingPathComponent("schemas/\(kind).schema.json"), encoding: .utf8)
            #expect(result.stdout == committed, "schemas/\(kind).schema.json is stale: regenerate with access-audit schema \(kind)")
            #expect((try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) != nil)
        }
    }

    @Test func severalSnapshotsAreAuditedTogetherAndFindingsNameTheirDatabase() throws {
        var text = try String(contentsOfFile: CLI.exampleSnapshot, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"database\": \"support\"", with: "\"database\": \"support_eu\"")
        let second = try CLI.temporaryFile("eu.json", text)
        let result = try CLI.run(["check", "--format", "json", "--policies", CLI.examplePolicies, "--snapshot", CLI.exampleSnapshot, second.path] + asOf)
        #expect(result.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(Set(findings.compactMap { $0["database"] as? String }) == ["support", "support_eu"])
    }
}
