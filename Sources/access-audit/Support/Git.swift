import AuditCommands
import AuditSupport
import Foundation

/// Runs git for the commands that read policy history (`diff --base-ref`, `report`'s revision).
enum Git {
    /// Standard output of `git ARGUMENTS` (in `folder`); a failure is an input error.
    static func run(_ arguments: [String], in folder: String? = nil) throws(InputError) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + (folder.map { ["-C", $0] } ?? []) + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let location = SourceLocation(file: "git", line: 1, column: 1)
        do { try process.run() } catch { throw InputError(location, "cannot run git: \(error)") }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw InputError(location, "git \(arguments.joined(separator: " ")) failed: \(String(decoding: errors, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The commit the policy files are at, marked when they have uncommitted changes, or a
    /// note that they are not in a git work tree.
    static func revision(of paths: [String]) -> String {
        guard let first = paths.first else { return "unknown" }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: first, isDirectory: &isFolder) else { return "unknown (\(first) not found)" }
        let folder = isFolder.boolValue ? first : ((first as NSString).deletingLastPathComponent.isEmpty ? "." : (first as NSString).deletingLastPathComponent)
        guard let commit = try? run(["rev-parse", "HEAD"], in: folder).trimmingCharacters(in: .whitespacesAndNewlines) else {
            return "not in a git work tree"
        }
        let absolute = paths.map { ($0 as NSString).isAbsolutePath ? $0 : FileManager.default.currentDirectoryPath + "/" + $0 }
        let status = (try? run(["status", "--porcelain", "--"] + absolute, in: folder)) ?? ""
        return status.isEmpty ? commit : "\(commit) with uncommitted changes"
    }
}
