import SnapshotModel
import AccessEngine
import PolicyAudit

/// Peer outliers: a login role whose classified read access exceeds the median of the other
/// login roles in the same group.
///
/// Peers are the direct login members of a group role (a role with members that cannot log
/// in); a group needs at least two login members for a comparison. The count is the number of
/// classified columns the principal can read now (directly, inherited, through views and
/// functions, by SET ROLE or a capability), latent access (no schema USAGE) included: invoker
/// views, SQL-standard bodies and triggers bind by OID and read it with the principal's rights.
package struct PeerComparison {
    let context: AuditContext
    let exposure: ExposureMatrix

    package init(context: AuditContext, exposure: ExposureMatrix) {
        self.context = context
        self.exposure = exposure
    }

    /// The median of a list of counts (the mean of the middle two for an even count).
    package static func median(_ values: [Int]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? Double(sorted[middle]) : Double(sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The median of sorted `counts` with one occurrence of `value` left out (the peers of the
    /// principal whose count it is): linear in nothing, so a group of thousands stays cheap.
    static func median(_ counts: [Int], without value: Int) -> Double {
        var low = 0, high = counts.count
        while low < high {
            let middle = (low + high) / 2
            if counts[middle] < value { low = middle + 1 } else { high = middle }
        }
        let n = counts.count - 1
        guard n > 0 else { return 0 }
        func element(_ k: Int) -> Int { k < low ? counts[k] : counts[k + 1] }
        return n % 2 == 1 ? Double(element(n / 2)) : Double(element(n / 2 - 1) + element(n / 2)) / 2
    }

    /// Every (principal, group) where the principal reads more classified columns than the
    /// median of the group's other login members; largest excess first.
    package func outliers() -> [AccessReview.PeerOutlier] {
        let graph = context.graph
        var result: [AccessReview.PeerOutlier] = []
        for group in graph.roles where !group.attributes.login && !PredefinedRoles.isPredefined(group.name) {
            let memberRoles = group.members.map { graph.edges[$0] }.filter { !$0.implicit }.map(\.member)
            let members = Set(memberRoles.filter { graph.roles[$0].attributes.login }.map { graph.roles[$0].name }).sorted()
            guard members.count >= 2 else { continue }
            // How many members read each column, counted once per group.
            var readers: [String: Int] = [:]
            for member in members { for column in exposure.columns(of: member) { readers[column, default: 0] += 1 } }
            let counts = members.map { exposure.count($0) }.sorted()
            for principal in members {
                let count = exposure.count(principal)
                let median = Self.median(counts, without: count)
                guard Double(count) > median else { continue }
                // Read by fewer than half of the others (the principal itself is one reader).
                let others = members.count - 1
                let unusual = exposure.columns(of: principal).filter { ((readers[$0] ?? 1) - 1) * 2 < others }.sorted()
                result.append(AccessReview.PeerOutlier(principal: principal, group: group.name, peers: others, count: count, peerMedian: median, unusual: unusual))
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
