import Foundation
import PackagePlugin

/// `swift package audit-access`: runs `access-audit check` on the package's policies and
/// snapshots (from `.access-audit.yml` at the package root, overridden by arguments) and fails
/// when the gate fails. Declares no permission, so it never stops at a prompt in CI.
@main
struct AuditAccessPlugin: CommandPlugin {
    static let configurationName = ".access-audit.yml"

    static let help = """
        OVERVIEW: Audit this package's PostgreSQL permission snapshots against its least-privilege policy.

        USAGE: swift package audit-access [--config FILE] [--report-file NAME] [check options...]

        Reads \(configurationName) at the package root when present:
          policies: [policies]            # policy files or folders
          snapshots: [snapshots/*.json]   # snapshot files; a trailing * glob is expanded
          fail_on: high                   # info | low | medium | high | critical
          baseline: .access-audit-baseline.json
          format: text                    # text | json | sarif | junit | markdown | github
          output: access-audit.sarif      # a path in the package: needs --allow-writing-to-package-directory

        OPTIONS:
          --config FILE        Another configuration file (relative to the package root).
          --report-file NAME   Also write the report to NAME in the plugin's work directory (no permission needed).
          -h, --help           Show this help.
          Any other argument is passed to `access-audit check` and overrides the configuration:
          --policies P... --snapshot S... --fail-on SEVERITY --baseline FILE --format FORMAT --output FILE --as-of DAY

        EXIT: 0 clean; non-zero when the gate fails (findings at or above the threshold) or the
        input could not be used (invalid policy or snapshot), with access-audit's message.
        """

    func performCommand(context: PluginContext, arguments: [String]) async throws {
        if arguments.contains("--help") || arguments.contains("-h") {
            print(Self.help)
            return
        }
        var extractor = ArgumentExtractor(arguments)
        let root = context.package.directoryURL
        let configuration = extractor.extractOption(named: "config").last.map { root.appendingPathComponent($0) }
            ?? root.appendingPathComponent(Self.configurationName)
        let reportFile = extractor.extractOption(named: "report-file").last
        var toolArguments = ["check", "--source-root", root.path]
        if FileManager.default.fileExists(atPath: configuration.path) {
            toolArguments += ["--config", configuration.path]
        } else if !arguments.contains("--policies") {
            throw PluginFailure("no \(Self.configurationName) at \(root.path) and no --policies given; see swift package audit-access --help")
        }
        if let reportFile {
            let report = context.pluginWorkDirectoryURL.appendingPathComponent(reportFile)
            toolArguments += ["--output", report.path]
            print("access-audit report: \(report.path)")
        }
        // Relative paths in arguments resolve against the package root: the tool runs there.
        toolArguments += extractor.remainingArguments

        let tool = try context.tool(named: "access-audit-check")
        let process = Process()
        process.executableURL = tool.url
        process.arguments = toolArguments
        process.currentDirectoryURL = root
        // Standard output and error are the plugin's own: the report reaches the terminal as written.
        try process.run()
        process.waitUntilExit()
        switch process.terminationStatus {
        case 0:
            return
        case 1:
            throw PluginFailure("access-audit: the gate failed (findings at or above the threshold)")
        default:
            throw PluginFailure("access-audit: the input could not be used (exit \(process.terminationStatus)); see the errors above")
        }
    }
}

/// The plugin's failure: SwiftPM prints it and exits non-zero.
struct PluginFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
