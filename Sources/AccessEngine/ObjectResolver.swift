import SnapshotModel

/// Resolves a user-typed object name (`public.customers`, `public.lookup`, `public`, `app`) to
/// an object of the graph, and a column name within it.
package struct ObjectResolver: Sendable {
    let graph: AccessGraph

    package init(graph: AccessGraph) { self.graph = graph }

    /// Tables (and views…), sequences, functions (by signature or bare name), schemas, then databases.
    package func resolve(_ name: String) -> [ObjectIndex] {
        for kind in [ObjectKind.table, .sequence, .function, .schema, .database] {
            if let index = graph.object(kind, name) { return [index] }
        }
        return graph.objects.indices.filter { graph.objects[$0].kind == .function && graph.objects[$0].baseName == name }
    }

    /// Every object name, for did-you-mean.
    package var names: [String] { graph.objects.map(\.name) }
}
