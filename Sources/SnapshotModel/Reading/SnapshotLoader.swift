import Foundation
import AuditSupport

/// Reads snapshot files: size-limited, strictly decoded, version-checked and cross-checked
/// (every role, table and column a snapshot mentions must exist in it).
package struct SnapshotLoader: Sendable {
    /// The largest snapshot file accepted, in bytes.
    package var maximumFileSize: Int

    package init(maximumFileSize: Int = 4 << 30) {
        self.maximumFileSize = maximumFileSize
    }

    /// Loads and validates the snapshot at `path`.
    package func load(path: String) throws(InputError) -> Snapshot {
        try decode(try read(path: path), file: path)
    }

    /// The bytes of the snapshot file at `path` (size-limited): what `load(path:)` decodes, for
    /// callers that must also attest exactly what they read.
    package func read(path: String) throws(InputError) -> Data {
        let start = SourceLocation(file: path, line: 1, column: 1)
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard let attributes else { throw InputError(start, "cannot read snapshot file") }
        if let size = attributes[.size] as? Int, size > maximumFileSize {
            throw InputError(start, "snapshot file is \(size) bytes, over the limit of \(maximumFileSize)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(start, "cannot read snapshot file")
        }
        return data
    }

    /// Decodes and validates snapshot JSON; `file` names it in errors.
    package func decode(_ data: Data, file: String) throws(InputError) -> Snapshot {
        let parsed: Result<Snapshot, JSONScanner.Failure> = data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            do throws(JSONScanner.Failure) { return .success(try SnapshotParser.parse(bytes)) } catch { return .failure(error) }
        }
        let snapshot: Snapshot
        switch parsed {
        case .success(let value): snapshot = value
        case .failure(let failure):
            let (line, column) = JSONLocator.lineAndColumn(at: failure.offset, in: [UInt8](data))
            let at = failure.path.isEmpty ? "" : " at \(failure.pathText)"
            throw InputError(SourceLocation(file: file, line: line, column: column), "invalid snapshot\(at): \(failure.message)")
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
}
