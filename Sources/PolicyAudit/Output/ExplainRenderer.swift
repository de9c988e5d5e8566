import AccessEngine

/// `explain`'s report: every privilege that applies to an object, whether a role holds it (and
/// how: directly, after SET ROLE, after acting on a capability, or only latent), and every path
/// that gives it, with its notes and row scope.
package struct ExplainRenderer {
    package let engine: EffectiveAccessEngine
    package let database: String

    package init(engine: EffectiveAccessEngine, database: String) {
        self.engine = engine
        self.database = database
    }

    package func render(role: RoleIndex, object target: ObjectIndex, column columnIndex: Int?) -> String {
        let graph = engine.graph
        let principal = graph.roles[role].name
        let column = columnIndex.map { graph.objects[target].columns[$0].name }
        let name = graph.objects[target].name + (column.map { ".\($0)" } ?? "")
        let routes = engine.explain(role, object: target, column: columnIndex)
        var out = "\(principal) on \(graph.objects[target].kind.rawValue) \(name) (database \(database)):\n"
        if graph.roles[role].attributes.superuser { out += "  \(principal) is SUPERUSER: every privilege check passes\n" }
        for privilege in graph.applicablePrivileges(graph.objects[target].kind) {
            let held = routes.filter { $0.privilege == privilege }
            guard !held.isEmpty else {
                out += "  \(privilege.rawValue): no — no grant, membership, view, function, ownership or attribute gives it\n"
                continue
            }
            let best = held.map(\.mode).min() ?? .latent
            let verdict = switch best {
            case .direct: "yes"
            case .setRole: "after SET ROLE"
            case .capability: "after acting on a capability (see the path)"
            case .latent: "not usable now (latent)"
            }
            out += "  \(privilege.rawValue): \(verdict)\n"
            for route in held {
                out += "    [\(route.mode.rawValue), \(route.route.rawValue)] \(route.path)"
                if let column = route.column, columnIndex == nil { out += " (column \(column))" }
                out += "\n"
                if let note = route.note { out += "      note: \(note)\n" }
                if let rows = route.rowScope { out += "      rows: \(rows.text)\n" }
            }
        }
        return out
    }
}
