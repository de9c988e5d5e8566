import Foundation

/// Reads snapshot files: size-limited, strictly decoded, version-checked and cross-checked
/// (every role, table and column a snapshot mentions must exist in it).
public struct SnapshotLoader: Sendable {
    /// The largest snapshot file accepted, in bytes.
    public var maximumFileSize: Int

    public init(maximumFileSize: Int = 4 << 30) {
        self.maximumFileSize = maximumFileSize
    }

    /// Loads and validates the snapshot at `path`.
    public func load(path: String) throws(InputError) -> Snapshot {
        let start = SourceLocation(file: path, line: 1, column: 1)
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard let attributes else { throw InputError(start, "cannot read snapshot file") }
        if let size = attributes[.size] as? Int, size > maximumFileSize {
            throw InputError(start, "snapshot file is \(size) bytes, over the limit of \(maximumFileSize)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(start, "cannot read snapshot file")
        }
        return try decode(data, file: path)
    }

    /// Decodes and validates snapshot JSON; `file` names it in errors.
    public func decode(_ data: Data, file: String) throws(InputError) -> Snapshot {
        let snapshot: Snapshot
        do {
            snapshot = try JSONDecoder().decode(Snapshot.self, from: data)
        } catch let error as DecodingError {
            throw InputError([diagnostic(for: error, data: data, file: file)])
        } catch {
            throw InputError(SourceLocation(file: file, line: 1, column: 1), "snapshot is not valid JSON: \(error)")
        }
        let problems = SnapshotValidator(snapshot: snapshot).problems()
        if !problems.isEmpty {
            let bytes = [UInt8](data)
            throw InputError(problems.map { problem in
                let (line, column) = JSONLocator.position(of: problem.path, in: bytes)
                return Diagnostic(SourceLocation(file: file, line: line, column: column), problem.message)
            })
        }
        return snapshot
    }

    private func diagnostic(for error: DecodingError, data: Data, file: String) -> Diagnostic {
        let context: DecodingError.Context
        let message: String
        switch error {
        case .keyNotFound(let key, let c):
            context = c
            message = c.debugDescription.contains("must") ? c.debugDescription : "missing key '\(key.stringValue)'"
        case .typeMismatch(let type, let c):
            context = c
            message = "expected \(Self.jsonTypeName(type)) (\(c.debugDescription))"
        case .valueNotFound(let type, let c):
            context = c
            message = "expected \(Self.jsonTypeName(type)), found null"
        case .dataCorrupted(let c):
            context = c
            if c.codingPath.isEmpty {
                let (line, column, detail) = Self.syntaxError(in: data)
                return Diagnostic(SourceLocation(file: file, line: line, column: column), "snapshot is not valid JSON: \(detail)")
            }
            message = c.debugDescription
        @unknown default:
            return Diagnostic(SourceLocation(file: file, line: 1, column: 1), "invalid snapshot: \(error)")
        }
        let (line, column) = JSONLocator.position(of: context.codingPath, in: [UInt8](data))
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return Diagnostic(SourceLocation(file: file, line: line, column: column), "invalid snapshot at \(path.isEmpty ? "top level" : path): \(message)")
    }

    private static func jsonTypeName(_ type: Any.Type) -> String {
        switch type {
        case is Bool.Type: "a boolean"
        case is Int.Type: "an integer"
        case is String.Type: "a string"
        default: "\(type)"
        }
    }

    /// Where JSON syntax breaks: JSONDecoder does not say, JSONSerialization does ("around
    /// character N"), so ask it and turn the offset into a line and column.
    static func syntaxError(in data: Data) -> (Int, Int, String) {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return (1, 1, "the data is not valid JSON")
        } catch {
            let detail = ((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String) ?? "\(error)"
            if let match = detail.firstMatch(of: /character (\d+)/), let offset = Int(match.1) {
                let (line, column) = JSONLocator.lineAndColumn(at: offset, in: [UInt8](data))
                return (line, column, detail)
            }
            if let match = detail.firstMatch(of: /line (\d+), column (\d+)/), let line = Int(match.1), let column = Int(match.2) {
                return (line, column, detail)
            }
            return (1, 1, detail)
        }
    }
}
