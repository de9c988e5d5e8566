import Foundation
import TestSupport
import Testing

/// `access-audit report`: the six files, their golden text on the example, a two-quarter
/// review with decisions, bad decisions, and the HTML as headless Chromium draws it.
@Suite("Quarterly access review report")
struct ReportCommandTests {
    static let golden = CLI.fixtures.appendingPathComponent("report-golden")
    static let files = ["report.html", "report.md", "access.csv", "findings.csv", "review-decisions.csv", "manifest.json"]

    func folder(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("access-audit-report-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func text(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    /// The example's review, from the package root with relative paths (as a user runs it).
    func exampleReport(into output: URL) throws -> ProcessRunner.Result {
        try CLI.run([
            "report", "--policies", "policies/support-db", "--snapshot", "examples/support-db/snapshot.json",
            "--output-dir", output.path, "--as-of", "2026-11-22", "--policy-revision", "golden-revision",
        ])
    }

    /// CSV rows as dictionaries (the files are the tool's own; fields hold no line breaks here).
    func rows(_ url: URL) throws -> [[String: String]] {
        let lines = try text(url).split(separator: "\r\n").map(String.init)
        guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init) else { return [] }
        return lines.dropFirst().map { line in
            var fields: [String] = []
            var current = "", quoted = false, previous: Character = " "
            for character in line {
                if character == "\"" { quoted.toggle(); if previous == "\"" && quoted { current.append("\"") } }
                else if character == "," && !quoted { fields.append(current); current = "" }
                else { current.append(character) }
                previous = character
            }
            fields.append(current)
            return Dictionary(zip(header, fields), uniquingKeysWith: { a, _ in a })
        }
    }

    @Test func exampleReviewWritesAllSixFilesWithEverySectionAndSelfContainedHTML() throws {
        let output = try folder("example")
        let result = try exampleReport(into: output)
        #expect(result.status == 1, "the example has findings at or above its threshold: \(result.stderr)")
        for file in Self.files { #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(file).path), "\(file) missing") }
        let html = try text(output.appendingPathComponent("report.html"))
        for section in ["Attestation", "Executive summary", "Critical and high findings", "Privileged, bulk-export and break-glass access",
                        "Classified data exposure", "Segregation of duties", "Expired roles, unowned logins and service accounts",
                        "Peer outliers", "Changes since the previous review", "Exceptions register", "Worksheets", "Method"] {
            #expect(html.contains("<h2>\(section)</h2>"), "section \(section) missing")
        }
        #expect(html.contains("Reviewer: name, signature, date") && html.contains("Approver: name, signature, date"))
        #expect(html.components(separatedBy: "<svg ").count - 1 <= 3, "at most three charts")
        #expect(html.components(separatedBy: "<svg ").count - 1 >= 3)
        #expect(!html.contains("<script") && !html.contains("<link") && !html.contains("src=\"http"), "self-contained, no network")
        #expect(html.contains("<details"), "collapsible sections")
        // Long words carry line-break opportunities (<wbr>); the text is the same.
        #expect(html.replacingOccurrences(of: "<wbr>", with: "").contains("legacy_report → pg_read_all_data"), "privileged access with its path")
    }

    @Test func manifestDigestsMatchSha256sumOfEveryInputAndOutput() throws {
        let output = try folder("manifest")
        _ = try exampleReport(into: output)
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: output.appendingPathComponent("manifest.json"))) as? [String: Any])
        let inputs = try #require(manifest["inputs"] as? [[String: Any]])
        let outputs = try #require(manifest["outputs"] as? [[String: Any]])
        #expect(inputs.contains { $0["role"] as? String == "snapshot" } && inputs.filter { $0["role"] as? String == "policy" }.count == 5)
        #expect(outputs.count == 5)
        for entry in inputs + outputs {
            let path = try #require(entry["path"] as? String)
            let file = entry["role"] as? String == "output" ? output.appendingPathComponent(path) : CLI.packageRoot.appendingPathComponent(path)
            let sum = try ProcessRunner.run(tool: "sha256sum", [file.path])
            #expect(sum.stdout.hasPrefix(try #require(entry["sha256"] as? String)), "\(path)")
        }
        #expect((manifest["counts"] as? [String: Int])?["items"] ?? 0 > 0)
        #expect((manifest["history"] as? [[String: Any]])?.count == 1)
    }

    @Test func markdownAndCSVOutputsOfTheExampleMatchTheGoldenFiles() throws {
        let output = try folder("golden")
        _ = try exampleReport(into: output)
        let update = ProcessInfo.processInfo.environment["UPDATE_REPORT_GOLDEN"] == "1"
        for file in ["report.md", "access.csv", "findings.csv", "review-decisions.csv"] {
            let produced = try text(output.appendingPathComponent(file))
            let golden = Self.golden.appendingPathComponent(file)
            if update {
                try FileManager.default.createDirectory(at: Self.golden, withIntermediateDirectories: true)
                try produced.write(to: golden, atomically: true, encoding: .utf8)
            }
            let expected = try text(golden)
            #expect(produced == expected, "\(file) differs from \(golden.path); rerun with UPDATE_REPORT_GOLDEN=1 after checking the change")
        }
    }

    /// Quarter one on the example; the reviewers keep one item and revoke two; quarter two's
    /// snapshot lost one revoked membership, kept the other access, and gained a grant.
    @Test func secondQuarterCarriesKeepsVerifiesRevokesAndMarksNewItems() throws {
        let work = try folder("quarters")
        var snapshot = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: CLI.exampleSnapshot))) as? [String: Any])
        snapshot["exported_at"] = "2026-08-19T09:00:00Z"
        let first = work.appendingPathComponent("q1.json")
        try JSONSerialization.data(withJSONObject: snapshot).write(to: first)
        let q1 = work.appendingPathComponent("q1")
        let firstRun = try CLI.run(["report", "--policies", CLI.examplePolicies, "--snapshot", first.path, "--output-dir", q1.path, "--as-of", "2026-08-20", "--policy-revision", "q1"])
        #expect(firstRun.status == 1, "\(firstRun.stderr)")

        let access = try rows(q1.appendingPathComponent("access.csv"))
        func id(_ principal: String, _ subject: String, _ privilege: String) throws -> String {
            try #require(access.first { $0["principal"] == principal && $0["subject"] == subject && $0["privilege"] == privilege }?["item_id"], "\(principal) \(privilege) \(subject)")
        }
        let kept = try id("support_app", "public.customers", "SELECT")
        let revokedDone = try id("legacy_report", "pg_read_all_data", "MEMBER")
        let revokedNotDone = try id("dave", "analytics_export", "MEMBER")
        let decisions = work.appendingPathComponent("decisions.csv")
        try """
            item_id,owner,decision,justification,ticket,reviewer,date
            \(kept),support-platform@example.com,KEEP,the application serves customers,,jane.doe,2026-08-25
            \(revokedDone),,REVOKE,,SEC-2001,jane.doe,2026-08-25
            \(revokedNotDone),,REVOKE,,SEC-2002,jane.doe,2026-08-25

            """.write(to: decisions, atomically: true, encoding: .utf8)

        snapshot["exported_at"] = "2026-11-21T09:00:00Z"
        let memberships = try #require(snapshot["memberships"] as? [[String: Any]])
        snapshot["memberships"] = memberships.filter { !($0["member"] as? String == "legacy_report" && $0["role"] as? String == "pg_read_all_data") }
        var tables = try #require(snapshot["tables"] as? [[String: Any]])
        let customers = try #require(tables.firstIndex { $0["name"] as? String == "customers" })
        var acl = try #require(tables[customers]["acl"] as? [[String: Any]])
        acl.append(["grantee": "carol", "grantor": "support_owner", "privilege": "UPDATE", "grantable": false])
        tables[customers]["acl"] = acl
        snapshot["tables"] = tables
        let second = work.appendingPathComponent("q2.json")
        try JSONSerialization.data(withJSONObject: snapshot).write(to: second)
        let q2 = work.appendingPathComponent("q2")
        let secondRun = try CLI.run([
            "report", "--policies", CLI.examplePolicies, "--snapshot", second.path, "--output-dir", q2.path, "--as-of", "2026-11-22",
            "--previous", q1.path, "--decisions", decisions.path, "--policy-revision", "q2",
        ])
        #expect(secondRun.status == 1, "\(secondRun.stderr)")

        let findings = try rows(q2.appendingPathComponent("findings.csv"))
        let notDone = findings.filter { $0["rule"] == "review-revoke-not-done" }
        #expect(notDone.count == 1)
        #expect(notDone.first?["principal"] == "dave" && notDone.first?["severity"] == "high")
        #expect(notDone.first?["location"]?.hasSuffix("decisions.csv:4:1") == true, "anchored to the decision's row")
        #expect(!findings.contains { $0["rule"] == "review-revoke-not-done" && $0["principal"] == "legacy_report" })

        let markdown = try text(q2.appendingPathComponent("report.md"))
        #expect(markdown.contains("| \(revokedDone) | legacy_report: member of pg_read_all_data | jane.doe on 2026-08-25 | SEC-2001 | verified: gone from this snapshot |"))
        #expect(markdown.contains("| \(revokedNotDone) |") && markdown.contains("NOT DONE: still present (high finding)"))
        #expect(markdown.contains("Review period**: 2026-08-19 to 2026-11-21"))
        let fixedSection = try #require(markdown.components(separatedBy: "Findings fixed since the last review (").dropFirst().first)
        #expect(fixedSection.prefix(while: { $0 != "#" }).contains("| critical | bulk-export-role |"), "legacy_report's bulk export, gone with its membership, is listed as fixed")

        let template = try rows(q2.appendingPathComponent("review-decisions.csv"))
        let keptRow = try #require(template.first { $0["item_id"] == kept })
        #expect(keptRow["decision"] == "KEEP" && keptRow["previous_decision"] == "KEEP by jane.doe on 2026-08-25", "carried forward and marked")
        #expect(keptRow["justification"] == "the application serves customers")

        let access2 = try rows(q2.appendingPathComponent("access.csv"))
        let carolUpdate = access2.filter { $0["principal"] == "carol" && $0["privilege"] == "UPDATE" && $0["subject"] == "public.customers" }
        #expect(!carolUpdate.isEmpty && carolUpdate.allSatisfy { $0["status"] == "new" && $0["first_seen"] == "2026-11-22" })
        let support = access2.filter { $0["item_id"] == kept }
        #expect(!support.isEmpty && support.allSatisfy { $0["status"] == "standing" && $0["first_seen"] == "2026-08-20" })

        let html = try text(q2.appendingPathComponent("report.html"))
        #expect(html.contains("previously kept (jane.doe, 2026-08-25)"))
        #expect(html.contains("Access removed (1)"), "the revoked membership, the entitlement itself")
        #expect(markdown.contains("| carol | UPDATE on public.customers") && html.contains("Access added ("))
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: q2.appendingPathComponent("manifest.json"))) as? [String: Any])
        #expect((manifest["history"] as? [[String: Any]])?.map { $0["review_date"] as? String } == ["2026-08-20", "2026-11-22"])
        #expect((manifest["counts"] as? [String: Int])?["revokes_not_done"] == 1 && (manifest["counts"] as? [String: Int])?["revokes_verified"] == 1)
    }

    @Test func accessByLoginTracesEveryLoginsAccessToTheItemsAndIsInTheManifest() throws {
        let output = try folder("bylogin")
        let result = try CLI.run([
            "report", "--policies", CLI.examplePolicies, "--snapshot", CLI.exampleSnapshot, "--output-dir", output.path, "--as-of", "2026-11-22",
            "--access-by-login",
        ])
        #expect(result.status == 1, "\(result.stderr)")
        let byLogin = try rows(output.appendingPathComponent("access-by-login.csv"))
        let items = Dictionary(try rows(output.appendingPathComponent("access.csv")).map { ($0["item_id"] ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        let bob = byLogin.filter { $0["login"] == "bob" && $0["relation"] == "public.tickets" && $0["privilege"] == "SELECT" }
        #expect(!bob.isEmpty)
        for row in bob {
            #expect(items[row["membership_item"] ?? ""]?["subject"] == "tier1_agent", "bob's road starts with his membership")
            #expect(items[row["item"] ?? ""]?["principal"] == "tier1_agent", "and ends in the group's grant")
        }
        #expect(byLogin.allSatisfy { items[$0["item"] ?? ""] != nil }, "every row names a listed item")
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: output.appendingPathComponent("manifest.json"))) as? [String: Any])
        let outputs = try #require(manifest["outputs"] as? [[String: Any]])
        let entry = try #require(outputs.first { $0["path"] as? String == "access-by-login.csv" })
        // Inputs given as absolute paths are attested relative to the repository, as SARIF names them.
        let inputs = try #require(manifest["inputs"] as? [[String: Any]]).compactMap { $0["path"] as? String }
        #expect(inputs.contains("examples/support-db/snapshot.json") && inputs.contains("policies/support-db/00-classes.yaml"), "\(inputs)")
        let file = output.appendingPathComponent("access-by-login.csv")
        let sum = try ProcessRunner.run(tool: "sha256sum", [file.path])
        #expect(entry["bytes"] as? Int == (try Data(contentsOf: file)).count)
        #expect(sum.stdout.hasPrefix(try #require(entry["sha256"] as? String)))
    }

    @Test func badDecisionRowsExitTwoWithTheirLineNumbers() throws {
        let work = try folder("bad")
        let q1 = work.appendingPathComponent("q1")
        _ = try exampleReport(into: q1)
        let ids = try rows(q1.appendingPathComponent("access.csv")).compactMap { $0["item_id"] }
        let (first, second) = (try #require(ids.first), try #require(ids.last))
        let decisions = work.appendingPathComponent("decisions.csv")
        try "item_id,owner,decision,justification,ticket,reviewer,date\n\(first),ops,KEEP,,,,\n\(second),ops,DROP,x,,jane,2026-08-25\nR-000000000000,ops,KEEP,x,,jane,2026-08-25\n"
            .write(to: decisions, atomically: true, encoding: .utf8)
        let result = try CLI.run([
            "report", "--policies", CLI.examplePolicies, "--snapshot", CLI.exampleSnapshot, "--output-dir", work.appendingPathComponent("out").path,
            "--previous", q1.path, "--decisions", decisions.path,
        ])
        #expect(result.status == 2)
        #expect(result.stderr.contains("decisions.csv:2:25: error: a KEEP decision needs a justification"), "\(result.stderr)")
        #expect(result.stderr.contains("decisions.csv:2:27: error: a KEEP decision needs a reviewer"))
        #expect(result.stderr.contains("decisions.csv:3:20: error: decision 'DROP'"))
        #expect(result.stderr.contains("decisions.csv:4:1: error: no item R-000000000000 in the previous review"))
        #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("out/report.html").path), "nothing written from input it could not trust")
    }

    @Test func decisionsWithoutThePreviousReviewExitTwo() throws {
        let work = try folder("noprevious")
        let decisions = work.appendingPathComponent("decisions.csv")
        try "item_id,owner,decision,justification,ticket,reviewer,date\nR-1,ops,REVOKE,,,jane,2026-08-25\n".write(to: decisions, atomically: true, encoding: .utf8)
        let result = try CLI.run([
            "report", "--policies", CLI.examplePolicies, "--snapshot", CLI.exampleSnapshot, "--output-dir", work.appendingPathComponent("out").path,
            "--decisions", decisions.path,
        ])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--decisions needs --previous"))
    }

    @Test func previousFolderThatIsNotAReviewExitsTwo() throws {
        let work = try folder("notprevious")
        let result = try CLI.run([
            "report", "--policies", CLI.examplePolicies, "--snapshot", CLI.exampleSnapshot, "--output-dir", work.appendingPathComponent("out").path,
            "--previous", work.path,
        ])
        #expect(result.status == 2)
        #expect(result.stderr.contains("manifest.json"))
    }

    /// Renders report.html in headless Chromium (Debian's `chromium`; `.ci/run` installs it)
    /// to PNG and PDF, and checks that something was drawn and the pages are there.
    @Test func htmlRendersInHeadlessChromium() throws {
        let browser = try #require(["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                   "headless Chromium is needed: apt-get install chromium (.ci/run does)")
        let output = try folder("chromium")
        _ = try exampleReport(into: output)
        let page = output.appendingPathComponent("report.html").absoluteString
        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=\(output.appendingPathComponent("profile").path)"]
        let png = output.appendingPathComponent("report.png")
        let shot = try ProcessRunner.run(URL(fileURLWithPath: browser), flags + ["--window-size=1280,2400", "--screenshot=\(png.path)", page], in: output)
        #expect(shot.status == 0, "\(shot.stderr)")
        let ink = try ProcessRunner.run(tool: "python3", [CLI.packageRoot.appendingPathComponent("scripts/png-ink.py").path, png.path])
        let figures = ink.stdout.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(figures.count == 3 && figures[0] == 1280 && figures[1] == 2400, "\(ink.stdout) \(ink.stderr)")
        #expect((figures.last ?? 0) > 0.02, "the page looks blank: \(ink.stdout)")

        let pdf = output.appendingPathComponent("report.pdf")
        let printed = try ProcessRunner.run(URL(fileURLWithPath: browser), flags + ["--no-pdf-header-footer", "--print-to-pdf=\(pdf.path)", page], in: output)
        #expect(printed.status == 0, "\(printed.stderr)")
        let bytes = try String(decoding: Data(contentsOf: pdf), as: UTF8.self)
        let pages = bytes.components(separatedBy: "/Type /Page").count - 1 - (bytes.components(separatedBy: "/Type /Pages").count - 1)
        #expect((4...40).contains(pages), "printed \(pages) A4 page(s)")

        // Wide tables wrap within a page about as wide as A4's printable width: a copy of the
        // page measures itself (the report has no script) and Chromium prints the result.
        let measured = output.appendingPathComponent("measure.html")
        let script = """
            <script>document.body.setAttribute("data-overflow", Array.from(document.querySelectorAll("table"))
              .filter(t => t.scrollWidth > t.parentElement.clientWidth + 1).map(t => t.closest("section").id + " " + t.scrollWidth).join(", ") || "none");</script>
            """
        try text(output.appendingPathComponent("report.html")).replacingOccurrences(of: "</body>", with: script + "</body>")
            .write(to: measured, atomically: true, encoding: .utf8)
        let dom = try ProcessRunner.run(URL(fileURLWithPath: browser), flags + ["--window-size=760,2000", "--dump-dom", measured.absoluteString], in: output)
        #expect(dom.stdout.contains("data-overflow=\"none\""), "tables wider than the page: \(dom.stdout.components(separatedBy: "data-overflow=").dropFirst().first?.prefix(200) ?? "not measured")")
    }
}
