import AccessAuditKit
import ArgumentParser
import Foundation

extension Severity: ExpressibleByArgument {}

/// Loads snapshots named on the command line.
struct SnapshotOptions: ParsableArguments {
    @Option(name: .customLong("snapshot"), parsing: .upToNextOption, help: "Snapshot JSON file(s) written by the exporter.")
    var snapshots: [String] = []

    init() {}
    init(snapshots: [String]) { self.snapshots = snapshots }

    func load() throws(InputError) -> [Snapshot] {
        guard !snapshots.isEmpty else {
            throw InputError(SourceLocation(file: "<arguments>", line: 1, column: 1), "give at least one --snapshot")
        }
        let loader = SnapshotLoader()
        var loaded: [Snapshot] = []
        var diagnostics: [Diagnostic] = []
        for path in snapshots {
            do { loaded.append(try loader.load(path: path)) } catch { diagnostics += error.diagnostics }
        }
        if !diagnostics.isEmpty { throw InputError(diagnostics) }
        return loaded
    }
}

/// Loads policy files and folders named on the command line.
struct PolicyOptions: ParsableArguments {
    @Option(name: .customLong("policies"), parsing: .upToNextOption, help: "Policy files or folders (every *.yaml / *.yml below a folder).")
    var policies: [String] = []

    init() {}
    init(policies: [String]) { self.policies = policies }

    func load() throws(InputError) -> Policy {
        guard !policies.isEmpty else {
            throw InputError(SourceLocation(file: "<arguments>", line: 1, column: 1), "give at least one --policies path")
        }
        return try PolicyLoader().load(paths: policies)
    }
}

/// Parses `--as-of YYYY-MM-DD` (default: today, UTC).
func auditDate(_ text: String?) throws(InputError) -> DayDate {
    guard let text else { return DayDate(Date()) }
    guard let day = DayDate(text) else {
        throw InputError(SourceLocation(file: "<arguments>", line: 1, column: 1), "--as-of must be a date written YYYY-MM-DD, not '\(text)'")
    }
    return day
}
