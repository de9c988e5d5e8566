import AuditCommands
import AuditSupport
import SnapshotModel
import AccessPolicy
import PolicyAudit
import ArgumentParser
import Foundation

/// `access-audit diff`: the gate on permission changes.
struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare base and head snapshots and/or policies: access added and removed, findings new and fixed.",
        discussion: """
            Fails (exit 1) when the change adds access to classified data that the head policy does not allow, adds \
            findings at or above the threshold, or adds any access to a class named by --fail-on-new-access. \
            Without --base-snapshot the head snapshot is used for both sides (a policy-only change); without \
            --base-policies or --base-ref the head policies are used for both (a permission-only change).
            """)

    @Option(name: .customLong("base-snapshot"), help: "The snapshot before the change.")
    var baseSnapshot: String?

    @Option(name: .customLong("head-snapshot"), help: "The snapshot after the change.")
    var headSnapshot: String

    @Option(name: .customLong("base-policies"), parsing: .upToNextOption, help: "Policy files or folders before the change.")
    var basePolicies: [String] = []

    @Option(name: .customLong("base-ref"), help: "Read the base policies from this git revision (the head policy paths, as of REF), e.g. origin/main.")
    var baseRef: String?

    @Option(name: .customLong("head-policies"), parsing: .upToNextOption, help: "Policy files or folders after the change.")
    var headPolicies: [String] = []

    @Option(help: "Output format: text, json, sarif, junit, markdown or github.")
    var format: OutputFormat = .text

    @Option(help: "Write the report to this file instead of standard output.")
    var output: String?

    @Option(name: .customLong("fail-on"), help: "Fail on new findings at or above this severity (default: the head policy's fail_on).")
    var failOn: Severity?

    @Option(name: .customLong("fail-on-new-access"), parsing: .upToNextOption, help: "Fail on any new effective access to these data classes, allowed or not.")
    var failOnNewAccess: [String] = []

    @OptionGroup var evaluation: EvaluationOptions



    func validate() throws {
        guard !headPolicies.isEmpty else { throw ValidationError("give --head-policies") }
        if baseRef != nil, !basePolicies.isEmpty { throw ValidationError("give --base-policies or --base-ref, not both") }
    }

    func run() throws {
        let arguments = SourceLocation.commandLine
        let headPolicy = try PolicyLoader().load(paths: headPolicies)
        let basePolicy: Policy
        if let baseRef {
            basePolicy = try PolicyLoader().load(sources: try GitRevision(ref: baseRef).policySources(paths: headPolicies))
        } else if !basePolicies.isEmpty {
            basePolicy = try PolicyLoader().load(paths: basePolicies)
        } else {
            basePolicy = headPolicy
        }
        let loader = SnapshotLoader()
        let head = try loader.load(path: headSnapshot)
        let base = try baseSnapshot.map { path throws(InputError) in try loader.load(path: path) } ?? head
        for name in failOnNewAccess where headPolicy.dataClass(named: name) == nil {
            throw InputError(arguments, "--fail-on-new-access names no data class of the head policy: \(name)",
                fix: Suggestion.closest(to: name, among: headPolicy.dataClasses.map(\.name)).map { "did you mean '\($0)'?" })
        }
        let differ = AccessDiffer(today: try evaluation.today(), failOn: failOn ?? headPolicy.settings.failOn, newAccessClasses: failOnNewAccess)
        let diff = differ.diff(base: base, head: head, basePolicy: basePolicy, headPolicy: headPolicy)
        let context = evaluation.reportContext(policy: headPolicy)
        let text = switch format {
        case .text: DiffRenderer().text(diff, context: context)
        case .json: DiffRenderer().json(diff)
        case .markdown: DiffRenderer().markdown(diff, context: context)
        case .sarif, .junit, .github: format.render(diff.result, context: context)
        }
        try Terminal.emit(text, to: output)
        if diff.failed { throw GateFailed() }
    }
}

/// Policy files as they are in a git revision, read with `git ls-tree` and `git show`.
struct GitRevision {
    var ref: String

    func policySources(paths: [String]) throws(InputError) -> [(file: String, text: String)] {
        var sources: [(file: String, text: String)] = []
        for path in paths {
            let listing = try Git.run(["ls-tree", "-r", "--name-only", ref, "--", path])
            // The same files as on disk: policy tests beside the policies are not policies.
            let folder = path.hasSuffix("/") ? String(path.dropLast()) : path
            let files = listing.split(separator: "\n").map(String.init).filter { file in
                PolicyFiles.isInput(file.hasPrefix(folder + "/") ? String(file.dropFirst(folder.count + 1)) : file, kind: .policy)
            }.sorted()
            if files.isEmpty { throw InputError(SourceLocation(file: path, line: 1, column: 1), "no policy file at \(ref):\(path)") }
            for file in files { sources.append((file: "\(ref):\(file)", text: try Git.run(["show", "\(ref):./\(file)"]))) }
        }
        return sources
    }
}
