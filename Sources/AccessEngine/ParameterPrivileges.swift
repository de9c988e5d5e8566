import SnapshotModel

/// A privilege on a configuration parameter a role holds (PostgreSQL 15+): `SET` (in its own
/// sessions, for a superuser-only parameter) or `ALTER SYSTEM` (for the whole server).
package struct ParameterPrivilege: Sendable, Hashable {
    /// The parameter's name, lower case.
    package var parameter: String
    /// `.set` or `.alterSystem`.
    package var privilege: Privilege
    /// Whether the role may grant it on.
    package var grantable: Bool
    /// `grant`, `public_grant` or `superuser`.
    package var route: AccessRoute
    /// Why: the principal, its memberships, then the grant (or the SUPERUSER attribute).
    package var path: AccessPath
}

extension EffectiveAccessEngine {
    /// `has_parameter_privilege(role, parameter, privilege)`: the parameter's ACL alone, read
    /// through inherited memberships and PUBLIC; a superuser holds every privilege on every
    /// parameter (also one no ACL names). A parameter without ACL answers false for anyone else,
    /// even one every role may SET (PostgreSQL answers by the ACL, not by the parameter's context).
    package func hasParameterPrivilege(_ role: RoleIndex, _ privilege: Privilege, on parameter: String, withGrantOption: Bool = false) -> Bool {
        guard SnapshotParameterPrivilege.applicablePrivileges.contains(privilege) else { return false }
        if graph.roles[role].attributes.superuser { return true }
        guard let acl = graph.parameterGrants.first(where: { $0.name == parameter.lowercased() })?.acl else { return false }
        return holds(role, privilege, in: acl, withGrantOption: withGrantOption)
    }

    /// Every parameter privilege `role` holds, with the shortest membership chain to each grant;
    /// for a superuser, every privilege on the parameters the snapshot names.
    package func parameterPrivileges(of role: RoleIndex) -> [ParameterPrivilege] {
        let name = graph.roles[role].name
        if graph.roles[role].attributes.superuser {
            return graph.parameterGrants.flatMap { parameter in
                SnapshotParameterPrivilege.applicablePrivileges.map { privilege in
                    ParameterPrivilege(parameter: parameter.name, privilege: privilege, grantable: true, route: .superuser,
                        path: AccessPath([.superuser(name)]))
                }
            }
        }
        let inherited = cache.ancestors(of: role, via: .inherit)
        var result: [ParameterPrivilege] = []
        for parameter in graph.parameterGrants {
            var best: [Privilege: ParameterPrivilege] = [:]
            for bundle in parameter.acl {
                let prefix: [PathStep]
                switch bundle.grantee {
                case .publicRole: prefix = [.role(name), .publicRole]
                case .role(let holder):
                    guard inherited.contains(holder) else { continue }
                    prefix = inherited.chain(to: holder, in: graph).map { .role(graph.roles[$0].name) }
                }
                let route: AccessRoute = bundle.grantee == .publicRole ? .publicGrant : .grant
                for privilege in bundle.privileges {
                    let grantable = bundle.grantable.contains(privilege)
                    let path = AccessPath(prefix + [.grant(
                        privilege: privilege, object: "PARAMETER \(parameter.name)", column: nil, grantee: graph.name(of: bundle.grantee),
                        grantors: bundle.grantors, grantable: grantable)])
                    let candidate = ParameterPrivilege(
                        parameter: parameter.name, privilege: privilege, grantable: grantable, route: route, path: path)
                    if let known = best[privilege] {
                        // Keep a grantable route over one that is not, then the shorter one.
                        if known.grantable && !grantable { continue }
                        if known.grantable == grantable && known.path.steps.count <= path.steps.count { continue }
                    }
                    best[privilege] = candidate
                }
            }
            result += best.values.sorted { $0.privilege < $1.privilege }
        }
        return result
    }
}
