import Foundation
import AuditSupport

/// One entry of a PostgreSQL server log: who and when (as far as the format says) and the first
/// line of its message.
package struct ServerLogEntry: Sendable {
    package var line: Int
    package var user: String?
    package var database: String?
    package var timestamp: String?
    package var message: ArraySlice<UInt8>
}

/// Streams a PostgreSQL server log in bounded memory: `stderr` (lines that start with
/// `log_line_prefix`; a message's further lines start with a tab), `csvlog` (quoted fields may
/// span lines) or `jsonlog` (one object per line), detected from the first entry. Lines it cannot
/// read are counted and the first few located; a file in which none of the first lines is a log
/// entry is not a PostgreSQL log, and is an error.
package struct ServerLogReader: Sendable {
    package enum Format: String, Sendable { case stderr, csvlog, jsonlog }

    /// What one file held.
    package struct Statistics: Sendable {
        package var file: String
        package var format: Format = .stderr
        package var lines = 0
        package var entries = 0
        package var skipped = 0
        /// The first skipped lines, `file:line`.
        package var firstSkipped: [String] = []
        package var bytes = 0
        /// The earliest and latest time of any entry (as the log writes it).
        package var windowStart: String?
        package var windowEnd: String?
    }

    /// A line that is neither an entry nor a continuation may appear this many times among the
    /// first lines before the file is judged not to be a PostgreSQL log.
    static let detectionLines = 1_000
    static let chunkSize = 1 << 20

    package let prefix: LogLinePrefix?

    package init(prefix: LogLinePrefix?) {
        self.prefix = prefix
    }

    /// Reads `path`, calling `body` for every pgaudit entry (`AUDIT: …`) and counting the
    /// others; `progress` gets the bytes read so far.
    package func read(
        path: String, progress: ((Int) -> Void)? = nil, _ body: (ServerLogEntry) -> Void
    ) throws(InputError) -> Statistics {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw InputError(SourceLocation(file: path, line: 1, column: 1), "is a folder, not a log file", fix: "give the log files themselves: --log folder/*.log")
        }
        guard let file = fopen(path, "rb") else {
            throw InputError(SourceLocation(file: path, line: 1, column: 1), "cannot open the log: \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var statistics = Statistics(file: path)
        var format: Format?
        var pending: [UInt8] = []
        var pendingLine = 0
        var pendingQuotes = 0
        var buffer = [UInt8](repeating: 0, count: Self.chunkSize)
        var carry: [UInt8] = []
        var lineNumber = 0
        var nextProgress = 64 << 20
        // The window, kept as bytes: most lines only move its end.
        var earliest: [UInt8] = []
        var latest: [UInt8] = []
        func widen(_ time: ArraySlice<UInt8>) {
            if earliest.isEmpty || time.lexicographicallyPrecedes(earliest) { earliest.replaceSubrange(earliest.indices, with: time) }
            if latest.isEmpty || latest.lexicographicallyPrecedes(time) { latest.replaceSubrange(latest.indices, with: time) }
        }
        let audit = Array("AUDIT: ".utf8)
        func deliver(_ entry: ServerLogEntry) {
            statistics.entries += 1
            if let time = entry.timestamp { widen(ArraySlice(time.utf8)) }
            if entry.message.starts(with: audit) { body(entry) }
        }

        func skip(_ line: Int) {
            statistics.skipped += 1
            if statistics.firstSkipped.count < 5 { statistics.firstSkipped.append("\(path):\(line)") }
        }

        func handle(_ line: ArraySlice<UInt8>) throws(InputError) {
            lineNumber += 1
            statistics.lines += 1
            var line = line
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            if format == nil {
                if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { return }
                format = detect(line)
                statistics.format = format ?? .stderr
            }
            switch format ?? .stderr {
            case .stderr:
                // A message's further lines start with a tab (PostgreSQL indents them so).
                if line.first == UInt8(ascii: "\t") || line.isEmpty { break }
                guard let match = prefix?.match(line) else {
                    skip(lineNumber)
                    break
                }
                statistics.entries += 1
                if let range = match.timestampRange { widen(line[range]) }
                let message = line[match.messageStart...]
                if message.starts(with: audit) {
                    body(ServerLogEntry(line: lineNumber, user: match.user, database: match.database, timestamp: match.timestamp, message: message))
                }
            case .jsonlog:
                if let entry = Self.jsonEntry(line, number: lineNumber) {
                    deliver(entry)
                } else if !line.isEmpty {
                    skip(lineNumber)
                }
            case .csvlog:
                if pending.isEmpty { pendingLine = lineNumber } else { pending.append(UInt8(ascii: "\n")) }
                pending.append(contentsOf: line)
                // A record ends where its quotes balance (counted line by line: a record may hold
                // a statement thousands of lines long).
                pendingQuotes += line.reduce(0) { $0 + ($1 == UInt8(ascii: "\"") ? 1 : 0) }
                guard pendingQuotes % 2 == 0 else { return }
                pendingQuotes = 0
                if let entry = Self.csvEntry(pending[...], number: pendingLine) {
                    deliver(entry)
                } else {
                    skip(pendingLine)
                }
                pending = []
            }
            if statistics.entries == 0, statistics.lines >= Self.detectionLines { throw notALog(path) }
        }

        while true {
            let count = fread(&buffer, 1, Self.chunkSize, file)
            if count == 0 { break }
            statistics.bytes += count
            var start = 0
            for index in 0..<count where buffer[index] == UInt8(ascii: "\n") {
                if carry.isEmpty {
                    try handle(buffer[start..<index])
                } else {
                    carry.append(contentsOf: buffer[start..<index])
                    try handle(carry[...])
                    carry = []
                }
                start = index + 1
            }
            carry.append(contentsOf: buffer[start..<count])
            if let progress, statistics.bytes >= nextProgress {
                progress(statistics.bytes)
                nextProgress += 64 << 20
            }
        }
        if !carry.isEmpty { try handle(carry[...]) }
        if !pending.isEmpty { skip(pendingLine) }  // a truncated csvlog record
        // An empty file (a log just rotated) holds nothing, and is no error; lines none of which
        // is an entry are not a PostgreSQL log.
        if statistics.entries == 0, format != nil { throw notALog(path) }
        if !earliest.isEmpty {
            statistics.windowStart = String(decoding: earliest, as: UTF8.self).trimmingCharacters(in: .whitespaces)
            statistics.windowEnd = String(decoding: latest, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        }
        return statistics
    }

    private func notALog(_ path: String) -> InputError {
        let expected = prefix.map { "no line starts with log_line_prefix '\($0.text)' followed by a severity (LOG:  …)" } ?? "no line is a csvlog or jsonlog entry, and no log_line_prefix was given"
        return InputError(
            SourceLocation(file: path, line: 1, column: 1), "not a PostgreSQL server log: \(expected)",
            fix: "give the server's log_line_prefix with --log-line-prefix, or --snapshot of the server (its logging section has it)")
    }

    /// csvlog lines start with a timestamp and a comma; jsonlog lines with `{`.
    private func detect(_ line: ArraySlice<UInt8>) -> Format {
        if line.first == UInt8(ascii: "{") { return .jsonlog }
        if let end = LogLinePrefix.shaped(UInt8(ascii: "m"), line, at: line.startIndex), end < line.endIndex, line[end] == UInt8(ascii: ",") {
            return .csvlog
        }
        return .stderr
    }

    /// A csvlog record: log_time, user_name, database_name, …, message (the 14th field).
    static func csvEntry(_ record: ArraySlice<UInt8>, number: Int) -> ServerLogEntry? {
        let fields = AuditRecord.leadingFields(record, count: 14)
        guard fields.count == 14, LogLinePrefix.shaped(UInt8(ascii: "m"), ArraySlice(fields[0].utf8), at: 0) != nil else { return nil }
        func optional(_ text: String) -> String? { text.isEmpty ? nil : text }
        return ServerLogEntry(
            line: number, user: optional(fields[1]), database: optional(fields[2]), timestamp: fields[0],
            message: ArraySlice(fields[13].utf8.prefix { $0 != UInt8(ascii: "\n") }))
    }

    /// A jsonlog line: `timestamp`, `user`, `dbname`, `message`. Only a line holding a pgaudit
    /// record is decoded in full; of the others the timestamp is enough.
    static func jsonEntry(_ line: ArraySlice<UInt8>, number: Int) -> ServerLogEntry? {
        guard line.first == UInt8(ascii: "{"), line.last == UInt8(ascii: "}") else { return nil }
        let audit = Array("AUDIT: ".utf8)
        guard line.firstRange(of: audit) != nil else {
            // Every jsonlog entry has a timestamp and a severity.
            guard let timestamp = stringValue(of: "timestamp", in: line), line.firstRange(of: Array("\"error_severity\":".utf8)) != nil else { return nil }
            return ServerLogEntry(line: number, user: nil, database: nil, timestamp: timestamp, message: [])
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
            let message = object["message"] as? String
        else { return nil }
        return ServerLogEntry(
            line: number, user: object["user"] as? String, database: object["dbname"] as? String, timestamp: object["timestamp"] as? String,
            message: ArraySlice(message.utf8.prefix { $0 != UInt8(ascii: "\n") }))
    }

    /// The string value of a top-level `"key":"…"` without escapes (timestamps have none).
    static func stringValue(of key: String, in line: ArraySlice<UInt8>) -> String? {
        let pattern = Array("\"\(key)\":\"".utf8)
        guard let range = line.firstRange(of: pattern) else { return nil }
        let start = range.upperBound
        guard let end = line[start...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
        return String(decoding: line[start..<end], as: UTF8.self)
    }
}
