import AuditSupport
import SnapshotModel
import AccessEngine
import ServerUsage
import PolicyAudit

/// What the logs say of one review item's use (`report --usage`).
package enum ItemUse: Sendable, Hashable {
    /// Last used at `lastSeen` (as the log writes time), `daysAgo` days before the review.
    case used(lastSeen: String, daysAgo: Int?)
    /// Not used in the whole window, where every use would have been logged.
    case unused(windowDays: Int)
    /// Whether it was used cannot be told from the logs, and why.
    case unknown(String)

    /// For the `last_used` column and the worksheets.
    package var lastUsedText: String {
        switch self {
        case .used(let lastSeen, let days): days.map { "\(lastSeen) (\($0) day(s) ago)" } ?? lastSeen
        case .unused(let days): "not used in the \(days)-day window"
        case .unknown(let reason): "unknown: \(reason)"
        }
    }

    /// For the `unused_days` column: days since the last use, at least the window when never
    /// used, empty when unknown.
    package var unusedDays: String {
        switch self {
        case .used(_, let days): days.map(String.init) ?? ""
        case .unused(let days): "≥\(days)"
        case .unknown: ""
        }
    }
}

/// Gives each review item its last use from a usage summary: a grant (to a group, a login or
/// PUBLIC, or on a definer view or function) by the uses of its privilege on its object by the
/// login roles holding it; a membership by its member's uses of the objects the role's grants
/// cover. Never used counts as *unused* only where each holder's use would have been logged
/// with the object named (`UsageVisibility`); otherwise *unknown*. Attributes, ownership and
/// capabilities are not judged from pgaudit's records.
struct ReviewUsage {
    let context: AuditContext
    let usage: UsageEvidence
    let today: DayDate

    func annotate(_ items: inout [ReviewItem]) {
        guard let windowDays = usage.windowDays else {
            for index in items.indices { items[index].lastUse = .unknown("the logs carry no timestamps") }
            return
        }
        // Latest use per role, object and privilege, and per role and object.
        var byPrivilege: [String: String] = [:]
        var byObject: [String: String] = [:]
        for use in usage.summary.uses where use.database == nil || use.database == context.snapshot.database {
            guard let privilege = use.privilege, let last = use.lastSeen else { continue }
            let key = "\(use.role)\u{0}\(use.object)"
            if byObject[key].map({ last > $0 }) ?? true { byObject[key] = last }
            let full = "\(key)\u{0}\(privilege.rawValue)"
            if byPrivilege[full].map({ last > $0 }) ?? true { byPrivilege[full] = last }
        }
        let visibility = UsageVisibility(context: context, collectedUnder: usage.summary.collectedUnder)
        let graph = context.graph
        let objectIndex = Dictionary(graph.objects.indices.map { (graph.objects[$0].name, $0) }, uniquingKeysWith: { first, _ in first })
        func named(_ object: ObjectIndex) -> String { graph.objects[object].kind == .function ? graph.objects[object].baseName : graph.objects[object].name }
        var covered: [RoleIndex: Set<ObjectIndex>] = [:]
        func used(_ last: String) -> ItemUse {
            .used(lastSeen: last, daysAgo: UsageSummary.day(of: last).map { $0.days(until: today) })
        }

        for index in items.indices {
            let item = items[index]
            let isMembership = item.kind == .membership || item.privilege == "MEMBER"
            if !isMembership, [.grant, .direct, .definer].contains(item.kind) {
                guard let privilege = Privilege(rawValue: item.privilege), let object = objectIndex[item.subject] else {
                    items[index].lastUse = .unknown("not a grant the logs name")
                    continue
                }
                let logins: [String]
                if item.principal == AclEntry.publicGrantee {
                    logins = graph.roles.filter(\.attributes.login).map(\.name)
                } else if let grantee = graph.roleIndex[item.principal] {
                    logins = context.reach.reachers(of: .role(grantee))
                        .filter { graph.roles[$0.principal].attributes.login && ($0.mode == .direct || $0.mode == .setRole) }
                        .map { graph.roles[$0.principal].name }
                } else {
                    logins = []
                }
                if let last = logins.compactMap({ byPrivilege["\($0)\u{0}\(named(object))\u{0}\(privilege.rawValue)"] }).max() {
                    items[index].lastUse = used(last)
                } else if logins.allSatisfy({ visibility.seen(login: $0, privilege: privilege, object: object) }) {
                    items[index].lastUse = .unused(windowDays: windowDays)
                } else {
                    items[index].lastUse = .unknown("some of its login roles' use would not be logged with the object named")
                }
            } else if isMembership {
                guard let role = graph.roleIndex[item.subject] else {
                    items[index].lastUse = .unknown("not a role the logs can follow")
                    continue
                }
                // The objects the role's grants (and those it inherits) cover: once per role.
                let objects = covered[role] ?? Set(context.engine.cache.ancestors(of: role, via: .inherit).order.flatMap { holder in
                    graph.grants(of: .role(holder)).map(\.object)
                })
                covered[role] = objects
                if let last = objects.compactMap({ byObject["\(item.principal)\u{0}\(named($0))"] }).max() {
                    items[index].lastUse = used(last)
                } else if objects.allSatisfy({ object in
                    [Privilege.select, .insert, .update, .delete].allSatisfy { visibility.seen(login: item.principal, privilege: $0, object: object) }
                }) {
                    items[index].lastUse = .unused(windowDays: windowDays)
                } else {
                    items[index].lastUse = .unknown("the member's use would not be logged with every object named")
                }
            } else {
                items[index].lastUse = .unknown("\(item.kind.rawValue) is not judged from pgaudit's records")
            }
        }
    }
}
