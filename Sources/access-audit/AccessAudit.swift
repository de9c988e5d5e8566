import AuditCommands
import AuditSupport
import ArgumentParser
import Foundation

/// The `access-audit` command: policy-as-code least-privilege auditing for PostgreSQL.
struct AccessAudit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access-audit",
        abstract: "Least-privilege auditing for PostgreSQL: compare a permissions snapshot with a YAML policy.",
        discussion: """
            Exit codes (every command): 0 clean, 1 the gate failed, 2 the input could not be trusted \
            or used (bad arguments, unreadable or invalid policy or snapshot).
            """,
        version: ToolInfo.version,
        subcommands: [Check.self, Diff.self, Effective.self, Explain.self, Report.self, Init.self, Usage.self, Validate.self, Test.self, Schema.self])
}

/// Runs the command; every outcome is one of the contract's exit codes: 0, 1, or 2.
@main
enum Main {
    static func main() {
        CommandRunner.run(AccessAudit.self)
    }
}
