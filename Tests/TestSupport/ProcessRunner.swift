import Foundation

/// Runs a program and captures what it prints, for tests that drive real binaries
/// (access-audit, psql, initdb, git, swift package, python3).
public enum ProcessRunner {
    /// The outcome of one run.
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var seconds: Double
    }

    /// Runs `executable` with `arguments`; pipes are read before waiting, so large outputs never block.
    public static func run(
        _ executable: URL, _ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let start = Date()
        try process.run()
        let errors = ErrorReader(err.fileHandleForReading)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errors.finish(), as: UTF8.self), seconds: Date().timeIntervalSince(start))
    }

    /// Runs a program found on the PATH (`git`, `python3`, `swift`).
    public static func run(tool: String, _ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil) throws -> Result {
        try run(URL(fileURLWithPath: "/usr/bin/env"), [tool] + arguments, in: directory, environment: environment)
    }
}

/// Drains a pipe on its own thread, so a child filling standard error cannot block on it.
final class ErrorReader: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func finish() -> Data {
        done.wait()
        return data
    }
}
