import PolicyAudit
import AuditCommands
import AuditSupport
import AccessEngine
import ArgumentParser

/// `access-audit explain`: why a principal can (or cannot) do what on an object, every route.
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain why a principal can (or cannot) act on an object: every grant, membership, view, function, ownership and attribute route.")

    @OptionGroup var snapshot: SnapshotOptions

    @Option(help: "The role to explain.")
    var principal: String

    @Option(help: "The object: schema.table, schema.sequence, schema.function, schema or database.")
    package var object: String

    @Option(help: "A column of the table.")
    var column: String?

    func run() throws {
        let arguments = SourceLocation.commandLine
        for snapshot in try snapshot.load() {
            let engine = EffectiveAccessEngine(snapshot: snapshot)
            let graph = engine.graph
            guard let role = graph.roleIndex[principal] else {
                throw InputError(arguments, "no role '\(principal)' in snapshot of \(snapshot.database)",
                    fix: Suggestion.closest(to: principal, among: graph.roles.map(\.name)).map { "did you mean '\($0)'?" })
            }
            let resolver = ObjectResolver(graph: graph)
            let matches = resolver.resolve(object)
            guard let target = matches.first else {
                throw InputError(arguments, "no object '\(object)' in snapshot of \(snapshot.database)",
                    fix: Suggestion.closest(to: object, among: resolver.names).map { "did you mean '\($0)'?" })
            }
            var columnIndex: Int?
            if let column {
                guard let found = graph.objects[target].columns.firstIndex(where: { $0.name == column }) else {
                    throw InputError(arguments, "\(graph.objects[target].name) has no column '\(column)'",
                        fix: Suggestion.closest(to: column, among: graph.objects[target].columns.map(\.name)).map { "did you mean '\($0)'?" })
                }
                columnIndex = found
            }
            print(ExplainRenderer(engine: engine, database: snapshot.database).render(role: role, object: target, column: columnIndex), terminator: "")
        }
    }
}
