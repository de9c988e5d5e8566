/// Which membership edges a traversal may follow, after PostgreSQL's `roles_is_member_of()`.
package enum MembershipTraversal: Sendable {
    /// Edges with the inherit option: whose privileges a role has without SET ROLE (`has_privs_of_role`).
    case inherit
    /// Edges with the set option: which roles a role may `SET ROLE` to (`member_can_set_role`).
    case set
    /// Every edge: membership in the SQL sense (`is_member_of_role`, `pg_has_role(…, 'MEMBER')`).
    case any

    func follows(_ edge: MembershipEdge) -> Bool {
        switch self {
        case .inherit: edge.inherit
        case .set: edge.set
        case .any: true
        }
    }
}

/// A breadth-first tree over membership edges, so that each reached role has one shortest chain.
package struct RoleTree: Sendable {
    package let root: RoleIndex
    /// Reached roles in breadth-first order, the root first.
    package private(set) var order: [RoleIndex]
    /// For each reached role but the root: the edge that reached it.
    private var parentEdge: [RoleIndex: Int]
    private let forward: Bool

    package func contains(_ role: RoleIndex) -> Bool { role == root || parentEdge[role] != nil }

    /// Walks from `root` along `traversal` edges: upwards to the roles `root` belongs to when
    /// `forward`, downwards to the members of `root` otherwise.
    init(graph: AccessGraph, root: RoleIndex, traversal: MembershipTraversal, forward: Bool) {
        self.root = root
        self.forward = forward
        order = [root]
        parentEdge = [:]
        var seen: Set<RoleIndex> = [root]
        var head = 0
        while head < order.count {
            let current = order[head]
            head += 1
            let adjacent = forward ? graph.roles[current].memberOf : graph.roles[current].members
            for e in adjacent {
                let edge = graph.edges[e]
                guard traversal.follows(edge) else { continue }
                let next = forward ? edge.role : edge.member
                if seen.insert(next).inserted {
                    parentEdge[next] = e
                    order.append(next)
                }
            }
        }
    }

    /// The chain of roles between the root and `role`, oriented from member to group
    /// (for a forward tree: root … role; for a reverse tree: role … root).
    package func chain(to role: RoleIndex, in graph: AccessGraph) -> [RoleIndex] {
        var chain = [role]
        var current = role
        while current != root, let e = parentEdge[current] {
            current = forward ? graph.edges[e].member : graph.edges[e].role
            chain.append(current)
        }
        return forward ? chain.reversed() : chain
    }
}

/// Memoised membership trees, so each role's closure is computed once per audit.
package final class MembershipCache {
    let graph: AccessGraph
    private var up: [MembershipTraversalKey: RoleTree] = [:]
    private var down: [MembershipTraversalKey: RoleTree] = [:]

    struct MembershipTraversalKey: Hashable {
        var role: RoleIndex
        var traversal: Int
    }

    init(graph: AccessGraph) { self.graph = graph }

    private func key(_ role: RoleIndex, _ traversal: MembershipTraversal) -> MembershipTraversalKey {
        let code = switch traversal {
        case .inherit: 0
        case .set: 1
        case .any: 2
        }
        return MembershipTraversalKey(role: role, traversal: code)
    }

    /// The roles `role` belongs to through `traversal` edges (itself included).
    package func ancestors(of role: RoleIndex, via traversal: MembershipTraversal) -> RoleTree {
        let k = key(role, traversal)
        if let tree = up[k] { return tree }
        let tree = RoleTree(graph: graph, root: role, traversal: traversal, forward: true)
        up[k] = tree
        return tree
    }

    /// The roles that belong to `role` through `traversal` edges (itself included).
    package func descendants(of role: RoleIndex, via traversal: MembershipTraversal) -> RoleTree {
        let k = key(role, traversal)
        if let tree = down[k] { return tree }
        let tree = RoleTree(graph: graph, root: role, traversal: traversal, forward: false)
        down[k] = tree
        return tree
    }
}
