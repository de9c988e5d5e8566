import Foundation
import AuditSupport

/// Streams `access-by-login.csv` to disk while the review is collected: the per-login detail
/// is the product of people and objects, so it is never held in memory. Keeps the file's
/// SHA-256 for the manifest.
package final class LoginAccessWriter {
    package let path: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var hasher = SHA256()
    private var bytes = 0
    private var failure: String?
    package private(set) var rows = 0

    static let flushBytes = 1 << 20

    /// Creates (or truncates) the file and writes the header.
    package init(path: String) throws(InputError) {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw InputError(SourceLocation(file: path, line: 1, column: 1), "cannot write \(path)")
        }
        self.path = path
        self.handle = handle
        append(CSV.row(ReviewCSVRenderer.loginAccessHeader))
    }

    package func write(_ row: LoginAccess) {
        rows += 1
        append(ReviewCSVRenderer.loginAccessRow(row))
    }

    private func append(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.flushBytes { flush() }
    }

    private func flush() {
        guard !buffer.isEmpty else { return }
        hasher.update(buffer)
        bytes += buffer.count
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            failure = failure ?? error.localizedDescription
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes the file; its digest for the manifest.
    package func finish() throws(InputError) -> ReviewManifest.FileDigest {
        flush()
        try? handle.close()
        if let failure { throw InputError(SourceLocation(file: path, line: 1, column: 1), "cannot write \(path): \(failure)") }
        return ReviewManifest.FileDigest(role: "output", path: (path as NSString).lastPathComponent, bytes: bytes, sha256: hasher.finalizeHex())
    }
}
