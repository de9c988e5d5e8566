import AuditSupport
import PolicyAudit
import ArgumentParser
import Foundation

/// The `access-audit` command: policy-as-code least-privilege auditing for PostgreSQL.
struct AccessAudit: AsyncParsableCommand {
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

/// Runs the command and maps every outcome to the contract's exit codes: 0, 1, or 2.
@main
enum Main {
    static func main() async {
        do {
            var command = try AccessAudit.parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            exit(0)
        } catch let error as InputError {
            Terminal.error(error.description)
            exit(2)
        } catch let failed as GateFailed {
            exit(failed.code)
        } catch {
            let code = AccessAudit.exitCode(for: error)
            if code == .success {
                print(AccessAudit.fullMessage(for: error))
                exit(0)
            }
            Terminal.error(AccessAudit.fullMessage(for: error))
            exit(2)
        }
    }
}
