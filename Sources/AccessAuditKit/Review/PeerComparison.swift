/// Peer outliers: a login role whose classified read access exceeds the median of the other
/// login roles in the same group.
///
/// Peers are the direct login members of a group role (a role with members that cannot log
/// in); a group needs at least two login members for a comparison. The count is the number of
/// classified columns the principal can read now (directly, inherited, through views and
/// functions, by SET ROLE or a capability), latent access (no schema USAGE) included: invoker
/// views, SQL-standard bodies and triggers bind by OID and read it with the principal's rights.
public struct PeerComparison {
    let context: AuditContext
    let exposure: ExposureMatrix

    public init(context: AuditContext, exposure: ExposureMatrix) {
        self.context = context
        self.exposure = exposure
    }

    /// The median of a list of counts (the mean of the middle two for an even count).
    public static func median(_ values: [Int]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? Double(sorted[middle]) : Double(sorted[middle - 1] + sorted[middle]) / 2
    }

    /// Every (principal, group) where the principal reads more classified columns than the
    /// median of the group's other login members; largest excess first.
    public func outliers() -> [AccessReview.PeerOutlier] {
        let graph = context.graph
        var result: [AccessReview.PeerOutlier] = []
        for group in graph.roles where !group.attributes.login && !PredefinedRoles.isPredefined(group.name) {
            let memberRoles = group.members.map { graph.edges[$0] }.filter { !$0.implicit }.map(\.member)
            let members = Set(memberRoles.filter { graph.roles[$0].attributes.login }.map { graph.roles[$0].name }).sorted()
            guard members.count >= 2 else { continue }
            for principal in members {
                let others = members.filter { $0 != principal }
                let median = Self.median(others.map { exposure.count($0) })
                let count = exposure.count(principal)
                guard Double(count) > median else { continue }
                let own = exposure.cells[principal].map { Array($0.keys) } ?? []
                let unusual = own.filter { column in
                    let readers = others.filter { exposure.cells[$0]?[column] != nil }.count
                    return readers * 2 < others.count
                }.sorted()
                result.append(AccessReview.PeerOutlier(principal: principal, group: group.name, peers: others.count, count: count, peerMedian: median, unusual: unusual))
            }
        }
        return result.sorted { a, b in
            let excessA = Double(a.count) - a.peerMedian
            let excessB = Double(b.count) - b.peerMedian
            if excessA != excessB { return excessA > excessB }
            return (a.principal, a.group) < (b.principal, b.group)
        }
    }
}
