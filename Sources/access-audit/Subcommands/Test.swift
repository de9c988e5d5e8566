import AuditCommands
import AuditSupport
import AccessPolicy
import PolicyAuthoring
import ArgumentParser
import Foundation

/// `access-audit test`: policy unit tests, like `opa test`.
struct Test: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run policy tests (*.test.yaml): fixtures and the findings they must (and must not) produce.",
        discussion: "Exit 0 all passed, 1 a test failed, 2 a test file could not be read (with file:line:column).")

    @Argument(help: "Test files or folders (default: the current folder); folders are searched for *.test.yaml / *.test.yml.")
    var paths: [String] = []

    @Option(name: .customLong("run"), help: "Run only tests whose name matches this glob (e.g. 'pii*') or contains it.")
    var pattern: String?

    func run() throws {
        let files = try Self.testFiles(paths.isEmpty ? ["."] : paths)
        guard !files.isEmpty else {
            throw InputError(SourceLocation(file: paths.first ?? ".", line: 1, column: 1), "no *.test.yaml files found")
        }
        var loaded: [PolicyTestFile] = []
        var diagnostics: [Diagnostic] = []
        for file in files {
            do { loaded.append(try PolicyTestFile.load(path: file)) } catch { diagnostics += error.diagnostics }
        }
        if !diagnostics.isEmpty { throw InputError(diagnostics) }
        let filter = pattern.map { NamePattern($0.contains("*") || $0.contains("?") ? $0 : "*\($0)*") }
        var passed = 0
        var failed = 0
        for file in loaded {
            for outcome in PolicyTestRunner().run(file, filter: filter) {
                if outcome.passed {
                    passed += 1
                    print("PASS \(outcome.file): \(outcome.name)")
                    continue
                }
                failed += 1
                print("FAIL \(outcome.file): \(outcome.name)")
                for expected in outcome.missing { print("  - expected, not found: \(expected) (\(expected.location))") }
                for finding in outcome.unexpected {
                    let target = [finding.principal, finding.object.map { $0 + (finding.column.map { ".\($0)" } ?? "") }, finding.privilege?.rawValue].compactMap { $0 }.joined(separator: " ")
                    print("  + found, not expected: {rule: \(finding.rule)\(target.isEmpty ? "" : ", \(target)")} \(finding.severity.rawValue): \(finding.message)")
                }
            }
        }
        print("\(passed) passed, \(failed) failed")
        if failed > 0 { throw GateFailed() }
    }

    static func testFiles(_ paths: [String]) throws(InputError) -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw InputError(SourceLocation(file: path, line: 1, column: 1), "no such test file or folder")
            }
            guard isDirectory.boolValue else { files.append(path); continue }
            files += PolicyFiles.files(in: path, kind: .test)
        }
        return files.sorted()
    }
}
