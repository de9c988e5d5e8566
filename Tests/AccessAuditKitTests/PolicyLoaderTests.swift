@testable import AuditSupport
@testable import AccessPolicy
import Foundation
import Testing

/// Every class of bad policy input is an error with file:line:column, never ignored.
@Suite("Policy loading is strict and locates every error")
struct PolicyLoaderTests {
    @Test func unknownKeyIsAnErrorWithLocationAndDidYouMean() throws {
        let error = try #require(policyError("version: 1\nroles:\n  alice:\n    kind: human\n    grnats: []\n"))
        #expect(error.location == SourceLocation(file: "policy.yaml", line: 5, column: 5))
        #expect(error.message == "unknown key 'grnats' in role 'alice'")
        #expect(error.fix == "did you mean 'grants'?")
    }

    @Test func misspeltPrivilegeIsAnErrorWithSuggestion() throws {
        let error = try #require(policyError("version: 1\nroles:\n  a:\n    kind: group\n    grants:\n      - {table: public.t, privileges: [SELCT]}\n"))
        #expect(error.location.line == 6)
        #expect(error.message == "unknown privilege 'SELCT'")
        #expect(error.fix == "did you mean 'SELECT'?")
    }

    @Test func privilegeThatDoesNotApplyToTheObjectKindIsAnError() throws {
        let error = try #require(policyError("version: 1\nroles:\n  a:\n    kind: group\n    grants:\n      - {schema: public, privileges: [SELECT]}\n"))
        #expect(error.message == "SELECT does not apply to a schema")
    }

    @Test func duplicateKeyIsAnError() throws {
        let error = try #require(policyError("version: 1\nroles:\n  a: {kind: group}\n  a: {kind: human}\n"))
        #expect(error.message.contains("duplicate key 'a'"))
        #expect(error.location.line == 3 || error.location.line == 4)
    }

    /// Mappings of many keys are looked up through an index built past the first few: a
    /// duplicate is found on either side of that point, and every key is still found.
    @Test(arguments: [2, 8, 9, 30])
    func duplicateKeyInALongMappingIsAnError(count: Int) throws {
        let roles = (0..<count).map { "  r\($0): {kind: group}\n" }.joined()
        let error = try #require(policyError("version: 1\nroles:\n" + roles + "  r\(count - 1): {kind: human}\n"))
        #expect(error.message.contains("duplicate key 'r\(count - 1)'"))
        #expect([count + 2, count + 3].contains(error.location.line))
        let policy = try PolicyLoader().parse("version: 1\nroles:\n" + roles, file: "p.yaml")
        #expect(policy.roles.map(\.name) == (0..<count).map { "r\($0)" })
    }

    @Test(arguments: ["yes", "no", "on", "off", "Yes", "OFF", "y", "n"])
    func yaml11BooleanIsRefused(word: String) throws {
        let error = try #require(policyError("version: 1\nroles:\n  a:\n    kind: human\n    login: \(word)\n"))
        #expect(error.location == SourceLocation(file: "policy.yaml", line: 5, column: 12))
        #expect(error.message.contains("YAML 1.1 boolean"))
    }

    @Test func referenceToAnUndeclaredRoleIsAnError() throws {
        let error = try #require(policyError("version: 1\nroles:\n  alice:\n    kind: human\n    member_of: [support_agnet]\n  support_agent: {kind: group}\n"))
        #expect(error.location.line == 5)
        #expect(error.message == "role 'alice' refers to undeclared role 'support_agnet'")
        #expect(error.fix == "did you mean 'support_agent'?")
    }

    @Test func referenceToAnUndeclaredDataClassIsAnError() throws {
        let error = try #require(policyError("""
            version: 1
            data_classes:
              pii: {severity: high, columns: [public.c.email]}
            rules:
              - id: r
                severity: high
                deny: {privileges: [SELECT], data_class: pi}
            """))
        #expect(error.message == "rule 'r' refers to undeclared data class 'pi'")
        #expect(error.fix == "did you mean 'pii'?")
        #expect(error.location.line == 7)
    }

    @Test func exceptionForAnUnknownRuleIsAnError() throws {
        let error = try #require(policyError("""
            version: 1
            exceptions:
              - {rule: pii-raeders, role: x, reason: r, ticket: T-1, approved_by: c, expires: 2027-01-01}
            roles:
              x: {kind: human}
            """))
        #expect(error.message == "exception refers to unknown rule 'pii-raeders'")
        #expect(error.location.line == 3)
    }

    @Test func conflictingDefinitionsAcrossFilesAreErrorsNamingBothPlaces() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("policies-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "version: 1\nroles:\n  alice: {kind: human}\n".write(to: folder.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        try "version: 1\nroles:\n  alice: {kind: service}\n".write(to: folder.appendingPathComponent("b.yml"), atomically: true, encoding: .utf8)
        do {
            _ = try PolicyLoader().load(paths: [folder.path])
            Issue.record("conflict was not reported")
        } catch {
            let diagnostic = try #require(error.diagnostics.first)
            #expect(diagnostic.location.file.hasSuffix("b.yml"))
            #expect(diagnostic.location.line == 3)
            #expect(diagnostic.message.contains("role 'alice' is already declared at"))
            #expect(diagnostic.message.contains("a.yaml:3:3"))
        }
    }

    @Test func severalFilesAndFoldersMerge() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("policies-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("teams"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "version: 1\nroles:\n  g: {kind: group}\n".write(to: folder.appendingPathComponent("groups.yaml"), atomically: true, encoding: .utf8)
        try "version: 1\nroles:\n  alice: {kind: human, member_of: [g]}\n".write(to: folder.appendingPathComponent("teams/people.yml"), atomically: true, encoding: .utf8)
        try "not policy".write(to: folder.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        let loaded = try PolicyLoader().load(paths: [folder.path])
        #expect(Set(loaded.roles.map(\.name)) == ["g", "alice"])
        #expect(loaded.files.count == 2)
    }

    @Test func aliasExpansionIsBoundedByTheNodeBudget() throws {
        // One anchored list of 5,000 privileges, then 100 grants that reuse it: 500,000 nodes to
        // walk from a few kilobytes of text. The loader stops at its node budget.
        var text = "version: 1\nroles:\n  a:\n    kind: group\n    grants:\n"
        text += "      - {table: public.t, privileges: &p [" + Array(repeating: "SELECT", count: 5_000).joined(separator: ", ") + "]}\n"
        for _ in 0..<100 { text += "      - {table: public.t, privileges: *p}\n" }
        let error = try #require(policyError(text))
        #expect(error.message == "document expands to too many nodes (alias expansion?)")
    }

    @Test func aliasCountIsBounded() throws {
        var text = "version: 1\nroles:\n  a:\n    kind: group\n    attributes: &x [createdb]\n"
        for i in 0..<300 { text += "  r\(i): {kind: group, attributes: *x}\n" }
        let error = try #require(policyError(text))
        #expect(error.message == "more than 256 aliases")
    }

    @Test func deepFlowNestingIsRefusedBeforeParsing() throws {
        let text = "version: 1\nroles: " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "\n"
        let error = try #require(policyError(text))
        #expect(error.message == "nesting deeper than 64 levels")
        #expect(error.location.line == 2)
    }

    @Test func aliasUsedAsAKeyIsRefused() throws {
        let error = try #require(policyError("version: 1\nroles:\n  a: &x {kind: group}\n  *x : {kind: group}\n"))
        #expect(error.message.contains("cannot be used as a mapping key"))
        #expect(error.location.line == 4)
    }

    @Test func mergeKeysAreRefused() throws {
        let error = try #require(policyError("version: 1\nroles:\n  a: &base {kind: group}\n  b:\n    <<: *base\n"))
        #expect(error.message.contains("merge keys"))
        #expect(error.location.line == 5)
    }

    @Test func unquotedGlobStartingWithStarGetsAnExplanation() throws {
        let error = try #require(policyError("version: 1\ndata_classes:\n  pii: {severity: high, tables: [*.customers]}\n"))
        #expect(error.message.contains("must be quoted"))
        #expect(error.location.line == 3)
    }

    @Test func oversizedFileIsRefused() throws {
        var loader = PolicyLoader()
        loader.maximumFileSize = 64
        do {
            _ = try loader.parse("version: 1\n# " + String(repeating: "x", count: 100) + "\n", file: "big.yaml")
            Issue.record("oversized file accepted")
        } catch {
            #expect(error.diagnostics.first?.message.contains("over the limit") == true)
        }
    }

    @Test func yamlSyntaxErrorCarriesLibyamlsPosition() throws {
        let error = try #require(policyError("version: 1\nroles:\n  a: {kind: group\n  b: 1\n"))
        #expect(error.message.hasPrefix("invalid YAML"))
        #expect(error.location.line >= 3)
    }

    @Test func prescanColumnsCountCharactersNotBytes() throws {
        // 'é' and '💥' are one column each, however many UTF-8 bytes they take.
        let error = try #require(policyError("version: 1\nroles:\n  a: {kind: group, grants: [{table: [é, \"💥\", *.customers], privileges: [SELECT]}]}\n"))
        #expect(error.message == "a name pattern that starts with '*' must be quoted, e.g. '*.customers'")
        #expect(error.location == SourceLocation(file: "policy.yaml", line: 3, column: 46))
    }

    @Test func filesParsedTogetherReportErrorsInFileOrderAndMergeAsOne() throws {
        // Files are parsed on several threads; what comes out must not depend on which ends first.
        let big = "version: 1\nroles:\n" + (0..<3_000).map { "  r\($0): {kind: group}\n" }.joined()
        let sources = [
            (file: "a.yaml", text: big), (file: "b.yaml", text: "version: 1\nroles:\n  x: {kind: nobody}\n"),
            (file: "c.yaml", text: "version: 1\nroles:\n  y: {kind: group, colour: red}\n"),
            (file: "d.yaml", text: "version: 1\nroles:\n  z: {kind: group}\n"),
        ]
        for _ in 0..<5 {
            do {
                _ = try PolicyLoader().load(sources: sources)
                Issue.record("bad files were accepted")
            } catch {
                #expect(error.diagnostics.map(\.location.file) == ["b.yaml", "c.yaml"])
            }
            let good = try PolicyLoader().load(sources: [sources[0], sources[3]])
            #expect(good.roles.map(\.name) == (0..<3_000).map { "r\($0)" } + ["z"])
        }
    }

    @Test func unsupportedVersionIsRefused() throws {
        let error = try #require(policyError("version: 2\n"))
        #expect(error.message.contains("version 2 is not supported"))
        #expect(error.location == SourceLocation(file: "policy.yaml", line: 1, column: 10))
    }

    @Test func missingRequiredFieldsAreNamed() throws {
        #expect(policyError("roles: {}\n")?.message == "a policy file needs 'version'")
        #expect(policyError("version: 1\nroles:\n  a: {login: true}\n")?.message == "role 'a' needs 'kind'")
        #expect(policyError("version: 1\nrules:\n  - {id: r, deny: {privileges: [SELECT], table: t}}\n")?.message == "rule 'r' needs 'severity'")
    }

    @Test func ruleNeedsExactlyOneKind() throws {
        let error = try #require(policyError("version: 1\nrules:\n  - {id: r, severity: low, deny: {privileges: [SELECT], table: t}, require: {row_security: true, table: t}}\n"))
        #expect(error.message == "rule 'r' needs exactly one of deny, require, limit, separate")
    }

    @Test func badDatesAndSeveritiesAreErrors() throws {
        #expect(policyError("version: 1\nroles:\n  a: {kind: human, expires: 2027-02-30}\n")?.message.contains("YYYY-MM-DD") == true)
        #expect(policyError("version: 1\nsettings: {fail_on: hihg}\n")?.fix == "did you mean 'high'?")
    }

    @Test func theShippedExamplePolicyLoads() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let loaded = try PolicyLoader().load(paths: [root.appendingPathComponent("policies/support-db").path])
        #expect(loaded.roles.count >= 10)
        #expect(loaded.rules.contains { $0.id == "pii-readers" })
    }
}
