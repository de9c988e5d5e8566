import AccessAuditKit
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

    @Option(help: "A usage summary written by `access-audit usage`: grants none of their holders used are written commented out (revoke them, or declare them back).")
    var usage: String?

    @Option(name: .customLong("unused-after"), help: "The window the logs must cover before a grant counts as unused, in days: 90d (the default) or 90. Needs --usage.")
    var unusedAfter: String?

    func validate() throws {
        if let unusedAfter {
            guard usage != nil else { throw ValidationError("--unused-after needs --usage") }
            guard Check.days(unusedAfter) != nil else { throw ValidationError("--unused-after takes days: 90d or 90, not '\(unusedAfter)'") }
        }
    }

    func run() throws {
        let loaded = try SnapshotLoader().load(path: snapshot)
        var generator = PolicyGenerator()
        if let usage {
            generator.usage = UsageEvidence(summary: try UsageSummary.load(path: usage), unusedAfterDays: unusedAfter.flatMap(Check.days) ?? 90)
            if let days = generator.usage?.windowDays, days < generator.usage?.unusedAfterDays ?? 0 {
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
