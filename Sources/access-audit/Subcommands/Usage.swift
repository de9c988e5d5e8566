import AccessAuditKit
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

    @Option(help: "A snapshot of the server: its log_line_prefix is used when --log-line-prefix is not given.")
    var snapshot: String?

    @Option(help: "Where to write the summary (JSON); standard output when omitted.")
    var output: String?

    func validate() throws {
        guard !logs.isEmpty else { throw ValidationError("give at least one --log") }
    }

    func run() throws {
        var prefixText = logLinePrefix
        if prefixText == nil, let snapshot {
            let loaded = try SnapshotLoader().load(path: snapshot)
            prefixText = loaded.logging?.settings.first { $0.name == "log_line_prefix" }?.value
        }
        let reader = ServerLogReader(prefix: prefixText.map(LogLinePrefix.init))
        var collector = UsageCollector()
        let interactive = isatty(STDERR_FILENO) != 0
        for path in logs {
            let statistics = try reader.read(path: path, progress: interactive ? { bytes in
                FileHandle.standardError.write(Data("\r\(path): \(bytes >> 20) MiB".utf8))
            } : nil) { entry in collector.add(entry) }
            if interactive { FileHandle.standardError.write(Data("\r".utf8)) }
            collector.finish(statistics)
            if statistics.skipped > 0 {
                Terminal.error("\(path): \(statistics.skipped) line(s) could not be read (first: \(statistics.firstSkipped.joined(separator: ", ")))")
            }
        }
        let summary = collector.summary(logLinePrefix: prefixText)
        try Terminal.emit(summary.json().rendered() + "\n", to: output)
        if output != nil {
            let records = summary.sources.reduce(0) { $0 + $1.auditRecords }
            print("read \(summary.sources.count) log file(s): \(records) pgaudit record(s), \(summary.uses.count) distinct use(s), window \(summary.windowStart ?? "?") – \(summary.windowEnd ?? "?")")
        }
    }
}
