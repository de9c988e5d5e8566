import SnapshotModel

/// One step of the chain that gives a principal a privilege.
package enum PathStep: Hashable, Sendable {
    /// The principal itself, or a role whose privileges it inherits (membership with inherit).
    case role(String)
    /// A role reached with `SET ROLE` (membership without inherit, or NOINHERIT on the way).
    case setRole(String)
    /// The PUBLIC pseudo-role, of which every role is a member.
    case publicRole
    /// The SUPERUSER attribute of the named role: every check passes.
    case superuser(String)
    /// An ACL entry: `privilege` on `object` (or on one of its columns) granted to `grantee`.
    case grant(privilege: Privilege, object: String, column: String?, grantee: String, grantors: [String], grantable: Bool)
    /// Ownership of `object` by the role before it.
    case ownership(object: String)
    /// A privilege a predefined role holds on every object of its kind (`pg_read_all_data`: SELECT everywhere).
    case implicitGrant(privilege: Privilege, object: String, role: String)
    /// A view without `security_invoker`: its query runs with `owner`'s rights.
    case definerView(view: String, owner: String)
    /// A SECURITY DEFINER function: it runs with `owner`'s rights.
    case definerFunction(function: String, owner: String)
    /// A trigger on `relation` whose function is SECURITY DEFINER: writing the relation fires it,
    /// and it runs with `owner`'s rights (no EXECUTE is needed to fire a trigger).
    case definerTrigger(trigger: String, relation: String, function: String, owner: String)
    /// A capability: what the role before it turns its privileges into (becoming a role,
    /// running code as one, or watching data flow past).
    case capability(CapabilityStep)

    /// How the step reads in a path.
    package var text: String {
        switch self {
        case .role(let name): name
        case .setRole(let name): "SET ROLE \(name)"
        case .publicRole: "PUBLIC"
        case .superuser(let name): "\(name) is SUPERUSER"
        case .grant(let privilege, let object, let column, _, _, let grantable):
            "\(privilege.rawValue) \(object)\(column.map { ".\($0)" } ?? "")\(grantable ? " WITH GRANT OPTION" : "")"
        case .ownership(let object): "owns \(object)"
        case .implicitGrant(let privilege, let object, let role): "\(privilege.rawValue) \(object) (implicit for \(role))"
        case .definerView(let view, let owner): "view \(view) (runs as its owner) → \(owner)"
        case .definerFunction(let function, let owner): "SECURITY DEFINER \(function) (runs as its owner) → \(owner)"
        case .definerTrigger(let trigger, let relation, let function, let owner):
            "trigger \(trigger) on \(relation) runs SECURITY DEFINER \(function) (as its owner) → \(owner)"
        case .capability(let step): step.text
        }
    }
}

/// The full chain from a principal to a privilege: memberships, then the grant, ownership,
/// attribute, view or function that gives it. This is the *why* of every finding.
package struct AccessPath: Hashable, Sendable, CustomStringConvertible {
    package var steps: [PathStep]

    package init(_ steps: [PathStep]) { self.steps = steps }

    /// E.g. `alice → support_lead → analytics_export → SELECT public.customers.email`.
    package var description: String {
        var parts: [String] = []
        for step in steps {
            // A definer hop names the owner itself; skip the owner's own leading role step.
            if case .role(let name) = step, let last = parts.last, last.hasSuffix("→ \(name)") { continue }
            parts.append(step.text)
        }
        return parts.joined(separator: " → ")
    }

    /// The roles the principal acts through: itself, inherited and SET ROLE hops, up to the
    /// first grant, definer hop or capability (a role reached by a capability is not one the
    /// principal belongs to, so an `except` naming it does not waive the principal).
    package var roles: [String] {
        var result: [String] = []
        for step in steps {
            switch step {
            case .role(let name), .setRole(let name), .superuser(let name): result.append(name)
            case .publicRole: continue
            default: return result
            }
        }
        return result
    }

    /// The first capability on the path, if any.
    package var firstCapability: CapabilityStep? { Self.firstCapability(in: steps) }

    /// The first capability among `steps` (read in place: asked of every reacher of every cause).
    package static func firstCapability(in steps: [PathStep]) -> CapabilityStep? {
        for index in steps.indices { if case .capability(let capability) = steps[index] { return capability } }
        return nil
    }

    package static func + (lhs: AccessPath, rhs: AccessPath) -> AccessPath { AccessPath(lhs.steps + rhs.steps) }
}
