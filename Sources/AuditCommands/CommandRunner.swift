import ArgumentParser
import AuditSupport
import Foundation

/// Runs a root command and maps every outcome to the contract's exit codes: 0 clean, 1 the
/// gate failed, 2 the input could not be trusted or used (with its location on standard error).
/// Shared by `access-audit` and the plugin's check-only tool, so both exit alike.
package enum CommandRunner {
    package static func run(_ root: any ParsableCommand.Type) -> Never {
        do {
            var command = try root.parseAsRoot()
            try command.run()
            exit(0)
        } catch let error as InputError {
            Terminal.error(error.description)
            exit(2)
        } catch let failed as GateFailed {
            exit(failed.code)
        } catch {
            let code = root.exitCode(for: error)
            if code == .success {
                print(root.fullMessage(for: error))
                exit(0)
            }
            Terminal.error(root.fullMessage(for: error))
            exit(2)
        }
    }
}
