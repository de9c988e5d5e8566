import AuditCommands
import AuditSupport
import AccessEngine
import PolicyAudit
import ArgumentParser
import Foundation

/// `access-audit effective`: every effective privilege with its path, parameter privileges
/// (object kind `parameter`) after each principal's privileges on objects.
struct Effective: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List every effective privilege with its path (CSV is streamed principal by principal).")

    enum Format: String, ExpressibleByArgument, CaseIterable { case json, csv }

    @OptionGroup var snapshot: SnapshotOptions

    @Option(help: "Output format: json or csv.")
    var format: Format = .json

    @Option(parsing: .upToNextOption, help: "Only these principals (names or globs).")
    var principal: [String] = []

    @Option(parsing: .upToNextOption, help: "Only these objects (qualified names or globs, e.g. public.customers or 'public.*').")
    package var object: [String] = []

    @Option(help: "Write to this file instead of standard output.")
    var output: String?

    @Flag(name: .customLong("include-latent"), help: "Also list latent access (no schema USAGE, or only through ownership).")
    var includeLatent = false

    func run() throws {
        let principalPatterns = principal.map(NamePattern.init)
        let objectPatterns = object.map(NamePattern.init)
        let renderer = EffectiveAccessRenderer()
        let sink = try OutputSink(path: output)
        if format == .csv { sink.write(CSV.row(EffectiveAccessRenderer.csvHeader)) }
        var rows: [JSONValue] = []
        for snapshot in try snapshot.load() {
            let engine = EffectiveAccessEngine(snapshot: snapshot)
            let roles = engine.graph.roles.indices.filter { role in
                principalPatterns.isEmpty || principalPatterns.contains { $0.matches(engine.graph.roles[role].name) }
            }
            if !principalPatterns.isEmpty, roles.isEmpty {
                throw InputError(SourceLocation.commandLine, "no role matches --principal \(principal.joined(separator: " "))")
            }
            for role in roles {
                for privilege in engine.privileges(of: role) {
                    if !includeLatent, privilege.mode == .latent { continue }
                    if !objectPatterns.isEmpty, !objectPatterns.contains(where: { $0.matches(privilege.object) }) { continue }
                    switch format {
                    case .csv: sink.write(renderer.csvRow(privilege))
                    case .json: rows.append(renderer.json(privilege))
                    }
                }
                let name = engine.graph.roles[role].name
                for privilege in engine.parameterPrivileges(of: role) {
                    if !objectPatterns.isEmpty, !objectPatterns.contains(where: { $0.matches(privilege.parameter) }) { continue }
                    switch format {
                    case .csv: sink.write(renderer.csvRow(privilege, principal: name))
                    case .json: rows.append(renderer.json(privilege, principal: name))
                    }
                }
            }
        }
        if format == .json { sink.write(JSONValue.object([("privileges", .array(rows))]).rendered() + "\n") }
        sink.close()
    }
}

/// Standard output or a file, written incrementally.
final class OutputSink {
    private let handle: FileHandle
    private let ownsHandle: Bool

    init(path: String?) throws(InputError) {
        guard let path, path != "-" else {
            handle = .standardOutput
            ownsHandle = false
            return
        }
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw InputError(SourceLocation(file: path, line: 1, column: 1), "cannot write output file")
        }
        self.handle = handle
        ownsHandle = true
    }

    func write(_ text: String) { handle.write(Data(text.utf8)) }

    func close() { if ownsHandle { try? handle.close() } }
}
