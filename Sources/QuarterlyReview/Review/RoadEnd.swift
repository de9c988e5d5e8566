import AccessEngine

/// What a road ends in: the entitlement that gives the access at its end, and the route it
/// is reached by, read from the cause and the road's steps.
extension EntitlementBuilder {
    /// The grant, attribute, predefined-role membership, ownership or capability a road ends in.
    func entitlement(of reacher: Reacher, cause: AccessCause.Kind) -> Entitlement? {
        switch cause {
        case .superuser(let role):
            let name = graph.roles[role].name
            return Entitlement(key: "attribute|\(name)|SUPERUSER", kind: .attribute, principal: name, subject: "SUPERUSER",
                               privilege: "SUPERUSER", severity: .critical, ownerRole: role)
        case .predefinedRole(let role, _):
            return predefinedMembership(role, on: reacher)
        case .ownership(let object):
            let owner = graph.objects[object].owner
            let name = graph.roles[owner].name
            return Entitlement(key: "ownership|\(name)|\(graph.objects[object].name)", kind: .ownership, principal: name,
                               subject: graph.objects[object].name, privilege: "OWNER", severity: .info, ownerRole: owner)
        default:
            break
        }
        // A grant at the root (on the relation, or on the definer view or function, or the write
        // that fires a definer trigger): the first grant step of the road.
        for (position, step) in reacher.path.enumerated() {
            guard case .grant(let privilege, let object, _, let grantee, _, _) = step else { continue }
            let definer = reacher.path[(position + 1)...].contains { step in
                switch step {
                case .definerView, .definerFunction, .definerTrigger: true
                default: false
                }
            }
            let granteeRole = graph.roleIndex[grantee]
            let objectIndex = privilege == .execute ? graph.object(.function, object) : graph.object(.table, object)
            // The owner's own ACL entries are its ownership: revoked, it grants them back.
            if !definer, let granteeRole, let objectIndex, graph.objects[objectIndex].owner == granteeRole {
                return Entitlement(key: "ownership|\(grantee)|\(object)", kind: .ownership, principal: grantee, subject: object,
                                   privilege: "OWNER", severity: .info, ownerRole: granteeRole)
            }
            let toLoginOrPublic = granteeRole.map { graph.roles[$0].attributes.login } ?? true
            let kind: ReviewItem.Kind = definer ? .definer : (toLoginOrPublic ? .direct : .grant)
            // A grant to PUBLIC is decided by whoever answers for the object's owner.
            let ownerRole = granteeRole ?? objectIndex.map { graph.objects[$0].owner }
            return Entitlement(key: "grant|\(grantee)|\(object)|\(privilege.rawValue)", kind: kind, principal: grantee, subject: object,
                               privilege: privilege.rawValue, severity: .info, ownerRole: ownerRole)
        }
        // A capability that watches rows (a trigger, replication…): the last capability step.
        return lastCapability(of: reacher)
    }

    /// The membership of a privileged predefined role a road ends in: the role just before it
    /// on the road (a role a capability became counts) is its member. A road that becomes the
    /// predefined role itself by a capability (ADMIN OPTION, CREATEROLE) ends in that capability.
    func predefinedMembership(_ role: RoleIndex, on reacher: Reacher) -> Entitlement? {
        let name = graph.roles[role].name
        let roles = reacher.path.compactMap { step -> (name: String, byCapability: Bool)? in
            switch step {
            case .role(let role), .setRole(let role): (role, false)
            case .capability(let capability): capability.becomes.map { ($0, true) }
            default: nil
            }
        }
        guard let at = roles.firstIndex(where: { $0.name == name }), at > 0, !roles[at].byCapability,
              let memberRole = graph.roleIndex[roles[at - 1].name]
        else { return lastCapability(of: reacher) }
        let member = roles[at - 1].name
        return Entitlement(
            key: "membership|\(member)|\(name)", kind: graph.roles[memberRole].attributes.login ? .membership : .grant,
            principal: member, subject: name, privilege: "MEMBER",
            severity: ReviewItemCollector.privilegedRoles[name] ?? .high, ownerRole: memberRole)
    }

    /// The road's last capability step, as the entitlement of the role that takes it.
    func lastCapability(of reacher: Reacher) -> Entitlement? {
        for step in reacher.path.reversed() {
            guard case .capability(let capability) = step else { continue }
            let holder = capabilityHolder(in: reacher)
            return Entitlement(key: "capability|\(holder.name)|\(capability.text)", kind: .capability, principal: holder.name,
                               subject: capability.text, privilege: capability.kind, severity: .info, ownerRole: holder.role)
        }
        return nil
    }

    /// The role acting when a road's last capability is used.
    func capabilityHolder(in reacher: Reacher) -> (name: String, role: RoleIndex?) {
        var holder = graph.roles[reacher.principal].name
        var last = holder
        for step in reacher.path {
            switch step {
            case .role(let name), .setRole(let name): holder = name
            case .capability(let capability):
                last = holder
                if let becomes = capability.becomes { holder = becomes }
            default: continue
            }
        }
        return (last, graph.roleIndex[last])
    }

    /// The route a cause stands for, before the reacher's own chain is considered.
    static func route(of kind: AccessCause.Kind) -> ExposureRoute? {
        switch kind {
        case .grant(_, _, .publicRole): .publicGrant
        case .grant: nil
        case .superuser, .predefinedRole: .privileged
        case .view: .view
        case .function, .trigger: .function
        case .ownership, .capability: .capability
        }
    }

    /// The route a reacher takes to a cause: its own grant, an inherited one, or SET ROLE.
    static func route(_ reacher: Reacher, causeRoute: ExposureRoute?) -> ExposureRoute {
        if reacher.mode == .capability { return .capability }
        if let causeRoute { return causeRoute }
        if reacher.mode == .setRole { return .setRole }
        let roles = reacher.path.filter { if case .role = $0 { true } else { false } }
        return roles.count > 1 ? .inherited : .direct
    }
}
