/// One field of a CSV record and where it starts.
package struct CSVField: Sendable, Hashable {
    package var text: String
    package var location: SourceLocation
}

/// One CSV record (a row), with the line it starts on.
package struct CSVRecord: Sendable {
    package var line: Int
    package var fields: [CSVField]
}

/// A strict RFC 4180 reader that knows where every field starts.
///
/// Written here rather than taken from a CSV package: the mirrored readers (yaslab/CSV.swift,
/// swiftcsv/SwiftCSV) accept a stray quote or an unterminated quoted field silently and report
/// no positions, and a reviewer's decisions file must fail loudly at `file:line:column`.
/// Quoted fields may hold commas, doubled quotes and line breaks; LF and CRLF both end a record;
/// blank lines carry no data and are skipped; a leading byte-order mark is ignored.
package enum CSVReader {
    package static func records(in text: String, file: String) throws(InputError) -> [CSVRecord] {
        var records: [CSVRecord] = []
        var fields: [CSVField] = []
        var field = String.UnicodeScalarView()
        var line = 1
        var column = 1
        var fieldStart = SourceLocation(file: file, line: 1, column: 1)
        var recordLine = 1
        var quoted = false
        var inQuotes = false
        var afterClosingQuote = false
        var scalars = text.unicodeScalars.makeIterator()
        var lookahead: Unicode.Scalar? = nil
        var first = true

        func endField() {
            fields.append(CSVField(text: String(field), location: fieldStart))
            field = String.UnicodeScalarView()
            quoted = false
            afterClosingQuote = false
        }
        func endRecord() {
            let blank = fields.isEmpty && field.isEmpty && !quoted
            endField()
            if !blank { records.append(CSVRecord(line: recordLine, fields: fields)) }
            fields = []
        }

        while let scalar = lookahead ?? scalars.next() {
            lookahead = nil
            if first {
                first = false
                if scalar == "\u{FEFF}" { continue }
            }
            let here = SourceLocation(file: file, line: line, column: column)
            if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
            if inQuotes {
                if scalar == "\"" {
                    let next = scalars.next()
                    if next == "\"" {
                        field.append("\"")
                        column += 1
                    } else {
                        inQuotes = false
                        afterClosingQuote = true
                        lookahead = next
                    }
                } else {
                    field.append(scalar)
                }
                continue
            }
            switch scalar {
            case ",":
                endField()
                fieldStart = SourceLocation(file: file, line: line, column: column)
            case "\r":
                let next = scalars.next()
                guard next == "\n" else {
                    throw InputError(here, "a carriage return must be followed by a line feed (CRLF) or be inside a quoted field")
                }
                line += 1
                column = 1
                endRecord()
                fieldStart = SourceLocation(file: file, line: line, column: column)
                recordLine = line
            case "\n":
                endRecord()
                fieldStart = SourceLocation(file: file, line: line, column: column)
                recordLine = line
            case "\"":
                guard field.isEmpty, !quoted else {
                    throw InputError(here, "a quote inside an unquoted field", fix: "quote the whole field and double the quote: \"a \"\"quoted\"\" word\"")
                }
                quoted = true
                inQuotes = true
            default:
                if afterClosingQuote {
                    throw InputError(here, "text after a quoted field's closing quote", fix: "put the whole field inside the quotes")
                }
                field.append(scalar)
            }
        }
        if inQuotes { throw InputError(fieldStart, "a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty || quoted {
            endRecord()
        }
        return records
    }
}
