import AuditSupport
import Foundation

/// Where the command writes: diagnostics to standard error, results to standard output or a file.
package enum Terminal {
    package static func error(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// Writes `text` to `path`, or to standard output when `path` is nil or `-`.
    package static func emit(_ text: String, to path: String?) throws(InputError) {
        guard let path, path != "-" else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw InputError(SourceLocation(file: path, line: 1, column: 1), "cannot write output: \(error.localizedDescription)")
        }
    }
}

/// The gate failed (exit 1), after the report was written.
package struct GateFailed: Error {
    package var code: Int32 = 1

    package init(code: Int32 = 1) { self.code = code }
}
