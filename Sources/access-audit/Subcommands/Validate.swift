
import AuditCommands
import ArgumentParser

/// `access-audit validate`: check the policy files alone.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check policy files alone: syntax, keys, privileges, references. Each error names file:line:column and, where it can, the fix.")

    @OptionGroup var policy: PolicyOptions

    func run() throws {
        let loaded = try policy.load()
        print("OK: \(loaded.files.count) file(s), \(loaded.roles.count) role(s), \(loaded.dataClasses.count) data class(es), \(loaded.rules.count) rule(s), \(loaded.exceptions.count) exception(s)")
    }
}
