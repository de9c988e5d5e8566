import AuditCommands
import AuditSupport
import ArgumentParser

/// The plugin's tool: `access-audit check` and nothing else, so `swift package audit-access`
/// compiles only what the gate needs (no review, authoring, schemas or usage command).
struct AccessAuditCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access-audit",
        abstract: "The audit gate of access-audit (the check command alone, for swift package audit-access).",
        discussion: """
            Exit codes: 0 clean, 1 the gate failed, 2 the input could not be trusted or used (bad \
            arguments, unreadable or invalid policy or snapshot).
            """,
        version: ToolInfo.version,
        subcommands: [Check.self])
}

@main
enum Main {
    static func main() {
        CommandRunner.run(AccessAuditCheck.self)
    }
}
