import AuditSupport
import SnapshotModel
import AccessPolicy
import PolicyAudit
import ArgumentParser
import Foundation

extension Severity: ExpressibleByArgument {}

/// Loads snapshots named on the command line.
package struct SnapshotOptions: ParsableArguments {
    @Option(name: .customLong("snapshot"), parsing: .upToNextOption, help: "Snapshot JSON file(s) written by the exporter.")
    package var snapshots: [String] = []

    package init() {}
    package init(snapshots: [String]) { self.snapshots = snapshots }

    package func load() throws(InputError) -> [Snapshot] {
        guard !snapshots.isEmpty else {
            throw InputError(SourceLocation.commandLine, "give at least one --snapshot")
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
package struct PolicyOptions: ParsableArguments {
    @Option(name: .customLong("policies"), parsing: .upToNextOption, help: "Policy files or folders (every *.yaml / *.yml below a folder).")
    package var policies: [String] = []

    package init() {}
    package init(policies: [String]) { self.policies = policies }

    package func load() throws(InputError) -> Policy {
        guard !policies.isEmpty else {
            throw InputError(SourceLocation.commandLine, "give at least one --policies path")
        }
        return try PolicyLoader().load(paths: policies)
    }
}

/// The day an audit is evaluated on and where its locations are written relative to: shared
/// by `check`, `diff` and `report`.
package struct EvaluationOptions: ParsableArguments {
    package init() {}

    @Option(name: .customLong("as-of"), help: "Evaluate as of this day: expiry dates, and the review date (YYYY-MM-DD; default today, UTC).")
    package var asOf: String?

    @Option(name: .customLong("source-root"), help: "Write policy locations and paths relative to this folder (default: the current folder).")
    package var sourceRoot: String?

    package func validate() throws {
        if let asOf, DayDate(asOf) == nil { throw ValidationError("--as-of must be a date written YYYY-MM-DD, not '\(asOf)'") }
    }

    /// `--as-of`, or today (UTC).
    package func today() throws(InputError) -> DayDate {
        guard let asOf else { return DayDate(Date()) }
        guard let day = DayDate(asOf) else {
            throw InputError(SourceLocation.commandLine, "--as-of must be a date written YYYY-MM-DD, not '\(asOf)'")
        }
        return day
    }

    package func reportContext(policy: Policy) -> ReportContext {
        ReportContext(policy: policy, sourceRoot: sourceRoot ?? FileManager.default.currentDirectoryPath)
    }
}
