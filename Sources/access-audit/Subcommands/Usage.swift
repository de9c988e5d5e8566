import AuditCommands
import AuditSupport
import SnapshotModel
import ServerUsage
import ArgumentParser
import Foundation

/// `access-audit usage`: what roles used, from pgaudit's records in the server's logs.
struct Usage: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Summarise what each role used from pgaudit's records in PostgreSQL server logs (stderr with its log_line_prefix, csvlog, jsonlog).",
        discussion: """
            Streams the logs in bounded memory and writes, per role, database, object and command, the count and when it was \
            first and last seen, with the window the logs cover. Lines it cannot read are counted and the first few located; \
            a file that is not a PostgreSQL log is an error (exit 2). Give the server's log_line_prefix with --log-line-prefix \
            or take it from --snapshot (csvlog and jsonlog need neither).
            """)

    @Option(name: .customLong("log"), help: "A server log file (repeat for several, in any order).")
    var logs: [String] = []

    @Option(help: "The server's log_line_prefix, for stderr logs.")
    var logLinePrefix: String?

    @Option(help: "A snapshot of the server taken while the logs were written: its log_line_prefix (unless --log-line-prefix is given) and its logging settings, recorded in the summary to judge later whether a use would have been logged.")
    var snapshot: String?

    @Option(help: "Where to write the summary (JSON); standard output when omitted.")
    var output: String?

    func validate() throws {
        guard !logs.isEmpty else { throw ValidationError("give at least one --log") }
    }

    /// Streams the summary to --output (through a temporary file: no half-written summary is
    /// left on failure) or to standard output.
    private func write(_ summary: UsageSummary) throws(InputError) {
        guard let output else {
            summary.writeJSON { FileHandle.standardOutput.write(Data($0.utf8)) }
            return
        }
        let target = URL(fileURLWithPath: output)
        let partial = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).partial")
        guard FileManager.default.createFile(atPath: partial.path, contents: nil), let handle = try? FileHandle(forWritingTo: partial) else {
            throw InputError(SourceLocation(file: output, line: 1, column: 1), "cannot write the usage summary")
        }
        var buffer = ""
        summary.writeJSON { piece in
            buffer += piece
            if buffer.utf8.count > 1 << 20 {
                handle.write(Data(buffer.utf8))
                buffer = ""
            }
        }
        handle.write(Data(buffer.utf8))
        try? handle.close()
        do {
            if FileManager.default.fileExists(atPath: output) { try FileManager.default.removeItem(at: target) }
            try FileManager.default.moveItem(at: partial, to: target)
        } catch {
            throw InputError(SourceLocation(file: output, line: 1, column: 1), "cannot write the usage summary: \(error.localizedDescription)")
        }
    }

    func run() throws {
        var prefixText = logLinePrefix
        var collectedUnder: UsageSummary.CollectedUnder?
        if let snapshot {
            let loaded = try SnapshotLoader().load(path: snapshot)
            if prefixText == nil { prefixText = loaded.logging?.settings.first { $0.name == "log_line_prefix" }?.value }
            // The settings the logs were written under, for judging later whether a use would have been recorded.
            collectedUnder = loaded.logging.map { UsageSummary.CollectedUnder(database: loaded.database, exportedAt: loaded.exportedAt, logging: $0) }
        }
        let reader = ServerLogReader(prefix: prefixText.map(LogLinePrefix.init))
        var collector = UsageCollector()
        let interactive = isatty(STDERR_FILENO) != 0
        for path in logs {
            let statistics = try reader.read(path: path, progress: interactive ? { bytes in
                FileHandle.standardError.write(Data("\r\(path): \(bytes >> 20) MiB".utf8))
            } : nil) { entry in collector.add(entry) }
            if interactive { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
            collector.finish(statistics)
            if statistics.skipped > 0 {
                Terminal.error("\(path): \(statistics.skipped) line(s) could not be read (first: \(statistics.firstSkipped.joined(separator: ", ")))")
            }
        }
        let summary = collector.summary(logLinePrefix: prefixText, collectedUnder: collectedUnder)
        try write(summary)
        if output != nil {
            let records = summary.sources.reduce(0) { $0 + $1.auditRecords }
            print("read \(summary.sources.count) log file(s): \(records) pgaudit record(s), \(summary.uses.count) distinct use(s), window \(summary.windowStart ?? "?") – \(summary.windowEnd ?? "?")")
        }
    }
}
