import Foundation
import TestSupport
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Outputs for CI: SARIF (validated against the SARIF 2.1.0 schema), JUnit, GitHub annotations,
/// Markdown; baselines; and the diff gate.
@Suite("CI outputs, baselines and diff")
struct CIOutputTests {
    let asOf = ["--as-of", "2026-11-22"]
    var exampleCheck: [String] { ["check", "--policies", CLI.examplePolicies, "--snapshot", CLI.exampleSnapshot] + asOf }

    /// Validates a document with Python's jsonschema (scripts/validate-json-schema.py).
    func validate(_ document: URL, against schema: URL) throws -> (Bool, String) {
        let script = CLI.packageRoot.appendingPathComponent("scripts/validate-json-schema.py").path
        let result = try ProcessRunner.run(tool: "python3", [script, schema.path, document.path])
        #expect(result.status != 2, "validator unusable: \(result.stderr)")
        return (result.status == 0, result.stderr)
    }

    @Test func sarifValidatesAgainstTheSarif210SchemaAndAnchorsEveryResult() throws {
        let schema = CLI.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/schemas/sarif-schema-2.1.0.json")
        try #require(FileManager.default.fileExists(atPath: schema.path), "the SARIF schema is expected at \(schema.path)")
        let result = try CLI.run(exampleCheck + ["--format", "sarif"])
        #expect(result.status == 1)
        let file = try CLI.temporaryFile("out.sarif", result.stdout)
        let (valid, errors) = try validate(file, against: schema)
        #expect(valid, "SARIF does not validate: \(errors)")
        let sarif = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let run = try #require((sarif["runs"] as? [[String: Any]])?.first)
        let rules = try #require(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        #expect(rules.allSatisfy { ($0["help"] as? [String: Any])?["text"] != nil && ($0["properties"] as? [String: Any])?["security-severity"] != nil })
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(!results.isEmpty)
        for item in results {
            let location = try #require(((item["locations"] as? [[String: Any]])?.first?["physicalLocation"]) as? [String: Any])
            let uri = try #require((location["artifactLocation"] as? [String: Any])?["uri"] as? String)
            #expect(uri.hasPrefix("policies/support-db/"), "not repository-relative: \(uri)")
            #expect(((location["region"] as? [String: Any])?["startLine"] as? Int ?? 0) >= 1)
            #expect((item["partialFingerprints"] as? [String: Any])?["accessAudit/v1"] != nil)
        }
    }

    @Test func findingsListABoundedSampleOfPrincipalsAndKeepTheirCount() throws {
        func findings(_ extra: [String]) throws -> [[String: Any]] {
            let result = try CLI.run(exampleCheck + ["--format", "json"] + extra)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            return try #require(json["findings"] as? [[String: Any]])
        }
        let all = try findings(["--principals", "all"])
        let one = try findings(["--principals", "1"])
        #expect(all.count == one.count)
        var cut = 0
        for (whole, sampled) in zip(all, one) {
            let count = try #require(whole["principal_count"] as? Int)
            #expect(sampled["principal_count"] as? Int == count)
            #expect((whole["principals"] as? [Any])?.count == count)
            #expect(((sampled["principals"] as? [Any])?.count ?? 0) == min(count, 1))
            if count > 1 { cut += 1 }
        }
        #expect(cut > 0, "the example has findings with several principals")
        // The default lists 20 at most; a bad limit is refused.
        #expect(try findings([]).allSatisfy { ($0["principals"] as? [Any])?.count ?? 0 <= 20 })
        #expect(try CLI.run(exampleCheck + ["--principals", "0"]).status == 2)
    }

    @Test func sarifSaysWhatItLeftOut() throws {
        let result = try CLI.run(exampleCheck + ["--format", "sarif"])
        let sarif = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let run = try #require((sarif["runs"] as? [[String: Any]])?.first)
        let properties = try #require(run["properties"] as? [String: Any])
        #expect(properties["omittedResults"] as? Int == 0)
        #expect(properties["findings"] as? Int == (run["results"] as? [Any])?.count)
    }

    @Test func shippedSchemasAcceptTheShippedExamples() throws {
        for file in try FileManager.default.contentsOfDirectory(atPath: CLI.examplePolicies) where file.hasSuffix(".yaml") {
            let (valid, errors) = try validate(URL(fileURLWithPath: CLI.examplePolicies).appendingPathComponent(file), against: CLI.packageRoot.appendingPathComponent("schemas/policy.schema.json"))
            #expect(valid, "\(file): \(errors)")
        }
        let (valid, errors) = try validate(URL(fileURLWithPath: CLI.exampleSnapshot), against: CLI.packageRoot.appendingPathComponent("schemas/snapshot.schema.json"))
        #expect(valid, "snapshot: \(errors)")
    }

    @Test func junitParsesWithOneTestcasePerFindingAndSuppressedAsSkipped() throws {
        let policy = CLI.fixtures.appendingPathComponent("allow-all.yaml").path
        let suppressed = try CLI.run(["check", "--format", "junit", "--policies", policy, "--snapshot", CLI.exampleSnapshot] + asOf)
        let failing = try CLI.run(exampleCheck + ["--format", "junit"])
        for (output, expectSkipped) in [(suppressed.stdout, true), (failing.stdout, false)] {
            let counter = JUnitCounter()
            let parser = XMLParser(data: Data(output.utf8))
            parser.delegate = counter
            #expect(parser.parse(), "JUnit is not well-formed XML")
            #expect(counter.testcases > 0)
            // allow-all leaves log-not-attributable at info (read logging not required; no data classes): one passing testcase.
            if expectSkipped { #expect(counter.skipped == counter.testcases - 1 && counter.failures == 0) } else { #expect(counter.failures > 0) }
        }
    }

    @Test func githubAnnotationsPointAtPolicyLines() throws {
        let result = try CLI.run(exampleCheck + ["--format", "github"])
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("::error file=policies/support-db/30-rules.yaml,line=") })
        #expect(lines.filter { $0.hasPrefix("::") }.allSatisfy { !$0.dropFirst(2).contains("\n") })
    }

    @Test func markdownSummaryIsRiskFirstWithPaths() throws {
        let result = try CLI.run(exampleCheck + ["--format", "markdown"])
        #expect(result.stdout.hasPrefix("## access-audit: ❌ failed"))
        let firstHigh = try #require(result.stdout.range(of: "<b>HIGH</b>"))
        let lastCritical = try #require(result.stdout.range(of: "<b>CRITICAL</b>", options: .backwards))
        #expect(lastCritical.lowerBound < firstHigh.lowerBound)
        #expect(result.stdout.contains("`alice → support_lead → analytics_export → SELECT public.customers`"))
    }

    @Test func baselineSuppressesKnownFindingsAndFailsOnlyOnNewOnes() throws {
        let baseline = FileManager.default.temporaryDirectory.appendingPathComponent("baseline-\(UUID().uuidString).json")
        let written = try CLI.run(exampleCheck + ["--write-baseline", baseline.path])
        #expect(written.status == 0)
        let again = try CLI.run(exampleCheck + ["--baseline", baseline.path])
        #expect(again.status == 0, "\(again.stdout)")
        #expect(again.stdout.contains("suppressed by baseline"))
        // A new grant to a new principal: a new finding that the baseline does not hide.
        var snapshot = try String(contentsOfFile: CLI.exampleSnapshot, encoding: .utf8)
        snapshot = snapshot.replacingOccurrences(of: "\"grantee\": \"privacy_officer\",", with: "\"grantee\": \"carol\",")
        let changed = try CLI.temporaryFile("changed.json", snapshot)
        let gated = try CLI.run(["check", "--policies", CLI.examplePolicies, "--snapshot", changed.path, "--baseline", baseline.path] + asOf)
        #expect(gated.status == 1)
        #expect(gated.stdout.contains("carol holds SELECT on public.customers"))
    }

    @Test func aNewPrincipalReachingThroughABaselinedCauseIsNotHidden() throws {
        let baseline = FileManager.default.temporaryDirectory.appendingPathComponent("baseline-\(UUID().uuidString).json")
        _ = try CLI.run(exampleCheck + ["--write-baseline", baseline.path])
        // Same cause (GRANT SELECT ON customers TO analytics_export), one more member: carol.
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: CLI.exampleSnapshot))) as? [String: Any])
        var memberships = try #require(object["memberships"] as? [[String: Any]])
        memberships.append(["role": "analytics_export", "member": "carol", "grantor": "postgres", "admin": false, "inherit": true, "set": true])
        object["memberships"] = memberships
        let changed = try CLI.temporaryFile("member.json", String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
        let gated = try CLI.run(["check", "--format", "json", "--policies", CLI.examplePolicies, "--snapshot", changed.path, "--baseline", baseline.path] + asOf)
        #expect(gated.status == 1)
        let findings = try #require((try JSONSerialization.jsonObject(with: Data(gated.stdout.utf8)) as? [String: Any])?["findings"] as? [[String: Any]])
        let piiGrant = try #require(findings.first { ($0["rule"] as? String) == "pii-readers" && ($0["cause"] as? [String: Any])?["description"] as? String == "GRANT SELECT ON public.customers TO analytics_export" })
        #expect(piiGrant["suppressed"] as? Bool == false)
        #expect((piiGrant["message"] as? String)?.contains("new since the baseline: carol") == true)
    }

    @Test func baselineSurvivesReorderingThePolicyFiles() throws {
        let baseline = FileManager.default.temporaryDirectory.appendingPathComponent("baseline-\(UUID().uuidString).json")
        _ = try CLI.run(exampleCheck + ["--write-baseline", baseline.path])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reordered-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in try FileManager.default.contentsOfDirectory(atPath: CLI.examplePolicies) where file.hasSuffix(".yaml") {
            var text = try String(contentsOfFile: "\(CLI.examplePolicies)/\(file)", encoding: .utf8)
            text = "# moved and commented\n\n" + text
            try text.write(to: folder.appendingPathComponent("z-" + file), atomically: true, encoding: .utf8)
        }
        let result = try CLI.run(["check", "--policies", folder.path, "--snapshot", CLI.exampleSnapshot, "--baseline", baseline.path] + asOf)
        #expect(result.status == 0, "\(result.stdout)")
    }

    @Test func brokenBaselineExitsTwo() throws {
        let file = try CLI.temporaryFile("bad.json", "{\"baseline_version\": 7, \"created_at\": \"x\", \"findings\": []}")
        let result = try CLI.run(exampleCheck + ["--baseline", file.path])
        #expect(result.status == 2)
    }

    @Test func diffReportsAddedAndRemovedAccessAndFailsOnNewClassifiedAccess() throws {
        var text = try String(contentsOfFile: CLI.exampleSnapshot, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"grantee\": \"privacy_officer\",", with: "\"grantee\": \"carol\",")
        let head = try CLI.temporaryFile("head.json", text)
        let result = try CLI.run(["diff", "--format", "json", "--base-snapshot", CLI.exampleSnapshot, "--head-snapshot", head.path, "--head-policies", CLI.examplePolicies] + asOf)
        #expect(result.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let added = try #require(object["added"] as? [[String: Any]])
        let removed = try #require(object["removed"] as? [[String: Any]])
        #expect(added.contains { ($0["principal"] as? String) == "carol" && ($0["path"] as? String) == "carol → SELECT public.customers" && ($0["allowed"] as? Bool) == false })
        #expect(removed.contains { ($0["principal"] as? String) == "privacy_officer" })
        let violations = try #require(object["violations"] as? [[String: Any]])
        #expect(violations.contains { ($0["rule"] as? String) == "new-over-broad-access" && ($0["principal"] as? String) == "carol" })
    }

    /// The example snapshot with `GRANT SELECT ON public.customers TO <grantee>` added, written to a temporary file.
    static func exampleSnapshot(grantingSelectOnCustomersTo grantee: String) throws -> URL {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: CLI.exampleSnapshot))) as? [String: Any])
        var tables = try #require(object["tables"] as? [[String: Any]])
        let index = try #require(tables.firstIndex { ($0["name"] as? String) == "customers" })
        var acl = try #require(tables[index]["acl"] as? [[String: Any]])
        acl.append(["grantee": grantee, "grantor": "support_owner", "privilege": "SELECT", "grantable": false])
        tables[index]["acl"] = acl
        object["tables"] = tables
        return try CLI.temporaryFile("head.json", String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
    }

    @Test func diffOfAnAllowedChangePassesUnlessNewAccessToTheClassIsForbidden() throws {
        // The head policy allows carol to read customers; the change grants exactly that.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("allowed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let allowAll = try String(contentsOf: CLI.fixtures.appendingPathComponent("allow-all.yaml"), encoding: .utf8)
        try allowAll.replacingOccurrences(of: "  carol:\n    kind: human\n    login: true\n", with: "  carol:\n    kind: human\n    login: true\n    grants:\n      - {table: public.customers, privileges: [SELECT]}\n")
            .write(to: folder.appendingPathComponent("policy.yaml"), atomically: true, encoding: .utf8)
        let head = try Self.exampleSnapshot(grantingSelectOnCustomersTo: "carol")
        let classes = folder.appendingPathComponent("classes.yaml")
        try "version: 1\ndata_classes:\n  pii: {severity: critical, columns: [public.customers.email]}\n".write(to: classes, atomically: true, encoding: .utf8)
        let allowed = try CLI.run(["diff", "--base-snapshot", CLI.exampleSnapshot, "--head-snapshot", head.path, "--head-policies", folder.path] + asOf)
        #expect(allowed.status == 0, "\(allowed.stdout)")
        #expect(allowed.stdout.contains("+ SELECT public.customers"))
        let strict = try CLI.run(["diff", "--base-snapshot", CLI.exampleSnapshot, "--head-snapshot", head.path, "--head-policies", folder.path, "--fail-on-new-access", "pii"] + asOf)
        #expect(strict.status == 1)
        #expect(strict.stdout.contains("new-access-to-class"))
    }

    @Test func diffComparesAccessNotPaths() throws {
        // bob reads the customers' contact columns through a definer view; a direct grant on the
        // table changes only his best path: nothing of his is removed.
        let head = try Self.exampleSnapshot(grantingSelectOnCustomersTo: "bob")
        let base = try CLI.run(["effective", "--snapshot", CLI.exampleSnapshot, "--principal", "bob", "--object", "public.customers", "--format", "csv"])
        #expect(base.stdout.contains("bob,table,public.customers,email,SELECT"), "the example's bob must read email before the change")
        let result = try CLI.run(["diff", "--format", "json", "--base-snapshot", CLI.exampleSnapshot, "--head-snapshot", head.path, "--head-policies", CLI.examplePolicies] + asOf)
        let diff = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stderr)")
        let removed = try #require(diff["removed"] as? [[String: Any]])
        #expect(!removed.contains { ($0["principal"] as? String) == "bob" }, "\(removed)")
        let added = try #require(diff["added"] as? [[String: Any]])
        #expect(added.contains { ($0["principal"] as? String) == "bob" && ($0["object"] as? String) == "public.customers" && $0["column"] is NSNull })
    }

    @Test func diffReadsTheBasePolicyFromAGitRevision() throws {
        let repo = FileManager.default.temporaryDirectory.appendingPathComponent("repo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: repo.appendingPathComponent("policies"), withIntermediateDirectories: true)
        let allowAll = try String(contentsOf: CLI.fixtures.appendingPathComponent("allow-all.yaml"), encoding: .utf8)
        try allowAll.write(to: repo.appendingPathComponent("policies/policy.yaml"), atomically: true, encoding: .utf8)
        func git(_ arguments: [String]) throws {
            let result = try ProcessRunner.run(tool: "git", ["-c", "user.email=t@example.com", "-c", "user.name=t"] + arguments, in: repo)
            #expect(result.status == 0, "git \(arguments): \(result.stderr)")
        }
        // A policy test beside the policies, as the documented layout has it: not a policy.
        try FileManager.default.createDirectory(at: repo.appendingPathComponent("policies/tests"), withIntermediateDirectories: true)
        try "version: 1\npolicy: ../policy.yaml\ncases: []\n".write(to: repo.appendingPathComponent("policies/tests/agents.test.yaml"), atomically: true, encoding: .utf8)
        try git(["init", "-q"])
        try git(["add", "."])
        try git(["commit", "-q", "-m", "base"])
        // Head policy drops the declared grant of analytics_export on customers: a new finding.
        try allowAll.replacingOccurrences(of: "      - {table: 'public.customers', privileges: [SELECT]}\n", with: "")
            .write(to: repo.appendingPathComponent("policies/policy.yaml"), atomically: true, encoding: .utf8)
        let result = try CLI.run(["diff", "--format", "json", "--base-ref", "HEAD", "--head-policies", "policies", "--head-snapshot", CLI.exampleSnapshot] + asOf, in: repo)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stderr)")
        let newFindings = try #require(object["new_findings"] as? [[String: Any]])
        #expect(newFindings.contains { ($0["rule"] as? String) == "over-broad-grant" })
        #expect(result.status == 1)
        let bad = try CLI.run(["diff", "--base-ref", "no-such-ref", "--head-policies", "policies", "--head-snapshot", CLI.exampleSnapshot], in: repo)
        #expect(bad.status == 2)
    }
}

/// Counts JUnit elements.
final class JUnitCounter: NSObject, XMLParserDelegate {
    var testcases = 0
    var failures = 0
    var skipped = 0

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch elementName {
        case "testcase": testcases += 1
        case "failure": failures += 1
        case "skipped": skipped += 1
        default: break
        }
    }
}
