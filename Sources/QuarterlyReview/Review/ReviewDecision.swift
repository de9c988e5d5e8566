import AuditSupport

/// A reviewer's decision on one item, as `review-decisions.csv` records it.
package struct ReviewDecision: Sendable, Hashable {
    package enum Verdict: String, Sendable, CaseIterable {
        /// The access stays; carried into the next review, marked as previously kept.
        case keep = "KEEP"
        /// The access must go; the next review verifies it is gone.
        case revoke = "REVOKE"
        /// The access stays for a time under a policy exception (the ticket names it).
        case exception = "EXCEPTION"
    }

    package var itemID: String
    package var owner: String
    package var verdict: Verdict
    package var justification: String
    package var ticket: String
    package var reviewer: String
    package var date: DayDate
    /// Where the row is, for messages.
    package var location: SourceLocation
}

/// The decisions of a filled `review-decisions.csv`. Rows left undecided are counted, not kept.
package struct ReviewDecisions: Sendable {
    /// The columns a decisions file must have, in the order the template writes them.
    package static let requiredColumns = ["item_id", "owner", "decision", "justification", "ticket", "reviewer", "date"]
    /// Columns the template adds for the reader; accepted and not interpreted.
    package static let informationalColumns = ["kind", "principal", "access", "severity", "people", "status", "previous_decision", "last_used", "unused_days"]
    /// The largest decisions file read (bytes).
    package static let maximumBytes = 64 << 20

    package var decisions: [ReviewDecision] {
        didSet { byID = Dictionary(decisions.map { ($0.itemID, $0) }, uniquingKeysWith: { first, _ in first }) }
    }
    package var undecided: Int
    package var file: String
    private var byID: [String: ReviewDecision] = [:]

    package init(decisions: [ReviewDecision] = [], undecided: Int = 0, file: String = "") {
        self.decisions = decisions
        self.undecided = undecided
        self.file = file
        byID = Dictionary(decisions.map { ($0.itemID, $0) }, uniquingKeysWith: { first, _ in first })
    }

    package func decision(for id: String) -> ReviewDecision? { byID[id] }

    /// Reads and checks a decisions file. Every bad row is reported (with its line and
    /// column), not only the first; `knownIDs`, when given, are the ids a row may name.
    package static func parse(_ text: String, file: String, knownIDs: Set<String>? = nil) throws(InputError) -> ReviewDecisions {
        guard text.utf8.count <= maximumBytes else {
            throw InputError(SourceLocation(file: file, line: 1, column: 1), "the decisions file is larger than \(maximumBytes >> 20) MiB")
        }
        let records = try CSVReader.records(in: text, file: file)
        guard let header = records.first else {
            throw InputError(SourceLocation(file: file, line: 1, column: 1), "the decisions file is empty; it needs the header \(requiredColumns.joined(separator: ","))")
        }
        var diagnostics: [Diagnostic] = []
        var columnIndex: [String: Int] = [:]
        for (position, field) in header.fields.enumerated() {
            let name = field.text.trimmingCharacters(in: .whitespaces).lowercased()
            guard requiredColumns.contains(name) || informationalColumns.contains(name) else {
                let known = requiredColumns + informationalColumns
                diagnostics.append(Diagnostic(field.location, "unknown column '\(field.text)'", fix: Suggestion.closest(to: name, among: known).map { "did you mean '\($0)'?" } ?? "the columns are \(known.joined(separator: ", "))"))
                continue
            }
            if columnIndex[name] != nil { diagnostics.append(Diagnostic(field.location, "column '\(name)' appears twice")) }
            columnIndex[name] = position
        }
        for name in requiredColumns where columnIndex[name] == nil {
            diagnostics.append(Diagnostic(SourceLocation(file: file, line: header.line, column: 1), "the header has no '\(name)' column"))
        }
        if !diagnostics.isEmpty { throw InputError(diagnostics) }

        var result = ReviewDecisions(file: file)
        var seen: [String: Int] = [:]
        for record in records.dropFirst() {
            let rowStart = SourceLocation(file: file, line: record.line, column: 1)
            guard record.fields.count == header.fields.count else {
                diagnostics.append(Diagnostic(rowStart, "this row has \(record.fields.count) field(s); the header has \(header.fields.count)"))
                continue
            }
            func field(_ name: String) -> CSVField {
                record.fields[columnIndex[name] ?? 0]
            }
            func value(_ name: String) -> String { field(name).text.trimmingCharacters(in: .whitespaces) }
            let id = value("item_id")
            guard !id.isEmpty else {
                diagnostics.append(Diagnostic(field("item_id").location, "item_id is empty"))
                continue
            }
            if let line = seen[id] {
                diagnostics.append(Diagnostic(field("item_id").location, "item \(id) is decided twice (first on line \(line))"))
                continue
            }
            seen[id] = record.line
            if let knownIDs, !knownIDs.contains(id) {
                // A suggestion is an edit-distance scan of every id: offered while that stays cheap.
                let suggestion = knownIDs.count <= 20_000 && diagnostics.count < 20 ? Suggestion.closest(to: id, among: knownIDs.sorted()) : nil
                diagnostics.append(Diagnostic(field("item_id").location, "no item \(id) in the previous review", fix: suggestion.map { "did you mean '\($0)'?" }))
                continue
            }
            let decisionText = value("decision")
            guard !decisionText.isEmpty else {
                result.undecided += 1
                continue
            }
            guard let verdict = ReviewDecision.Verdict(rawValue: decisionText.uppercased()) else {
                diagnostics.append(Diagnostic(field("decision").location, "decision '\(decisionText)' is not KEEP, REVOKE or EXCEPTION (or empty for undecided)"))
                continue
            }
            var rowProblems: [Diagnostic] = []
            for name in ["reviewer", "date"] where value(name).isEmpty {
                rowProblems.append(Diagnostic(field(name).location, "a \(verdict.rawValue) decision needs a \(name)"))
            }
            if verdict != .revoke, value("justification").isEmpty {
                rowProblems.append(Diagnostic(field("justification").location, "a \(verdict.rawValue) decision needs a justification"))
            }
            if verdict == .exception, value("ticket").isEmpty {
                rowProblems.append(Diagnostic(field("ticket").location, "an EXCEPTION decision needs the ticket of its policy exception"))
            }
            let date = DayDate(value("date"))
            if !value("date").isEmpty, date == nil {
                rowProblems.append(Diagnostic(field("date").location, "date '\(value("date"))' is not a day written YYYY-MM-DD"))
            }
            guard rowProblems.isEmpty, let date else {
                diagnostics += rowProblems
                continue
            }
            result.decisions.append(ReviewDecision(
                itemID: id, owner: value("owner"), verdict: verdict, justification: value("justification"), ticket: value("ticket"),
                reviewer: value("reviewer"), date: date, location: rowStart))
        }
        if !diagnostics.isEmpty { throw InputError(diagnostics) }
        return result
    }
}
