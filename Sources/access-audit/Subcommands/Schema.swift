import AuditCommands
import FormatSchemas
import ArgumentParser

/// `access-audit schema`: print a JSON Schema (policy files, for editors; or snapshots).
struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the JSON Schema of policy files or snapshots.")

    enum Kind: String, ExpressibleByArgument, CaseIterable { case policy, snapshot }

    @Argument(help: "policy or snapshot")
    var kind: Kind

    func run() throws {
        switch kind {
        case .policy: print(JSONSchemas.policy, terminator: "")
        case .snapshot: print(JSONSchemas.snapshot, terminator: "")
        }
    }
}
