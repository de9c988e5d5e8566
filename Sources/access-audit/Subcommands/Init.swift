import AuditCommands
import AuditSupport
import SnapshotModel
import PolicyAuthoring
import ArgumentParser
import Foundation

/// `access-audit init`: a starting policy from today's database.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a starting policy that declares a snapshot's state faithfully, with what to review first.",
        discussion: "Checking the same snapshot against the result gives nothing above info. Running it twice gives the same files.")

    @Option(help: "The snapshot to start from.")
    var snapshot: String

    @Option(help: "The folder to write the policy files to (created if needed).")
    var output: String

    @Flag(help: "Overwrite policy files that already exist in the folder.")
    var force = false

    /// With a usage summary, grants none of their holders used are written commented out.
    @OptionGroup var usage: UsageOptions

    func run() throws {
        let loaded = try SnapshotLoader().load(path: snapshot)
        var generator = PolicyGenerator()
        if let evidence = try usage.load()?.evidence {
            generator.usage = evidence
            if let days = evidence.windowDays, days < evidence.unusedAfterDays {
                Terminal.error("the logs cover \(days) day(s), fewer than --unused-after: every grant is declared")
            }
        }
        let files = generator.generate(loaded)
        let folder = URL(fileURLWithPath: output)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw InputError(SourceLocation(file: output, line: 1, column: 1), "cannot create the output folder: \(error.localizedDescription)")
        }
        for file in files {
            let url = folder.appendingPathComponent(file.name)
            if FileManager.default.fileExists(atPath: url.path), !force {
                throw InputError(SourceLocation(file: url.path, line: 1, column: 1), "already exists; pass --force to overwrite")
            }
            try Terminal.emit(file.text, to: url.path)
        }
        print("wrote \(files.count) policy file(s) to \(output): review the comments marked 'review first', then add rules and data classes")
    }
}
