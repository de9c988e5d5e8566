import AuditSupport
import SnapshotModel
import AccessPolicy
import PolicyAudit

/// The quarterly access review, assembled: every section the report renders, computed once,
/// so the HTML, Markdown, CSV and manifest outputs say the same thing.
package struct AccessReview: Sendable {
    /// The cover: what was reviewed, when, from which inputs, by which tool.
    package struct Attestation: Sendable {
        package var reviewDate: DayDate
        package var periodStart: String?
        package var periodEnd: String
        package var database: String
        package var serverVersion: String
        package var snapshotExportedAt: String
        package var exportedBy: String?
        package var policyRevision: String
        package var toolVersion: String
        package var inputs: [ReviewManifest.FileDigest]
    }

    /// A REVOKE decided last review, checked against this snapshot.
    package struct RevokeCheck: Sendable {
        package var decision: ReviewDecision
        /// What the previous review listed under the item's id (nil when unknown).
        package var summary: String
        /// The access is gone from this snapshot.
        package var verified: Bool
    }

    /// A KEEP or EXCEPTION decided on an item of a format-1 review (one login role's access),
    /// with the entitlements that carry that access now: they need decisions of their own.
    package struct RekeyedDecision: Sendable {
        package var decision: ReviewDecision
        package var summary: String
        /// Ids of this review's items that carry the access (empty: it is gone).
        package var carriers: [String]
    }

    /// An item the previous review listed that this snapshot no longer has.
    package struct RemovedItem: Sendable {
        package var id: String
        package var principal: String
        package var summary: String
        package var decision: ReviewDecision?
    }

    /// A principal whose classified read access exceeds the median of its peers.
    package struct PeerOutlier: Sendable {
        package var principal: String
        /// The group role whose other login members are the peers.
        package var group: String
        package var peers: Int
        package var count: Int
        package var peerMedian: Double
        /// Classified columns the principal reads that fewer than half of its peers read.
        package var unusual: [String]
    }

    /// A role past its policy `expires` or its `VALID UNTIL`.
    package struct ExpiredRole: Sendable {
        package var name: String
        package var reason: String
        package var login: Bool
    }

    /// A SECURITY DEFINER function: who may run it and what classified data it reads as its owner.
    package struct DefinerFunction: Sendable {
        package var name: String
        package var owner: String
        package var ownerIsSuperuser: Bool
        package var executableByPublic: Bool
        package var executors: [String]
        package var classifiedColumns: [String]
    }

    /// A row-security policy on a table holding classified data, and whether it bounds rows.
    package struct RowSecurityPolicyEntry: Sendable {
        package var table: String
        package var policy: String
        package var command: String
        package var roles: [String]
        /// Why it does not bound the rows a session sees; nil when it does.
        package var noBoundary: String?
    }

    /// A declared service account.
    package struct ServiceAccount: Sendable {
        package var name: String
        package var owner: String?
        package var login: Bool
        package var items: Int
        package var topSeverity: Severity?
    }

    /// A policy exception and where it stands today.
    package struct ExceptionEntry: Sendable {
        package enum Status: String, Sendable { case active, expiring, expired }
        package var exception: PolicyException
        package var status: Status
        package var daysLeft: Int
        package var suppressedFindings: Int
    }

    /// Something past due: a REVOKE not carried out, an expired role or exception still in force.
    package struct OverdueItem: Sendable {
        package var what: String
        package var since: String
    }

    package var attestation: Attestation
    /// Findings riskiest first, the review's own (REVOKE not carried out) among them.
    package var findings: [Finding]
    package var failOn: Severity
    package var newFindingFingerprints: Set<String>
    package var fixedFindings: [PreviousReview.FindingRecord]
    package var hasPrevious: Bool
    package var items: [ReviewItem]
    /// Whether the items carry their last use (`report --usage`).
    package var hasUsage: Bool { items.contains { $0.lastUse != nil } }
    package var exposure: ExposureMatrix
    package var definerFunctions: [DefinerFunction]
    package var rowSecurity: [RowSecurityPolicyEntry]
    package var breakGlass: [(role: String, reachers: [String])]
    package var separationConflicts: [Finding]
    package var expiredRoles: [ExpiredRole]
    package var unownedLogins: [String]
    package var serviceAccounts: [ServiceAccount]
    package var outliers: [PeerOutlier]
    package var removedItems: [RemovedItem]
    package var revokeChecks: [RevokeCheck]
    package var rekeyed: [RekeyedDecision]
    /// The format of the previous review when its items were re-keyed to entitlements.
    package var rekeyedFrom: Int?
    package var exceptions: [ExceptionEntry]
    package var overdue: [OverdueItem]
    package var decisions: ReviewDecisions?
    package var history: [ReviewManifest.HistoryEntry]
    /// Row counts of the snapshot, by catalog.
    package var rowCounts: [(String, Int)]

    /// Unsuppressed findings per severity.
    package var counts: [Severity: Int] { AuditResult(findings: findings, failOn: failOn, databases: []).counts }
    package var failed: Bool { AuditResult(findings: findings, failOn: failOn, databases: []).failed }
    package var newItems: [ReviewItem] { items.filter { $0.status == .new } }
    /// Attributes and privileged memberships (SUPERUSER, BYPASSRLS, pg_read_all_data…).
    package var privilegedItems: [ReviewItem] {
        items.filter { $0.kind == .attribute || ($0.privilege == "MEMBER" && ReviewItemCollector.privilegedRoles[$0.subject] != nil) }
    }
    package var expiringExceptions: [ExceptionEntry] { exceptions.filter { $0.status == .expiring } }
    package var keptItems: [ReviewItem] { items.filter { $0.previousDecision?.verdict == .keep } }

    /// Items per accountable owner (unowned last), each list riskiest first.
    package var worksheets: [(owner: String, items: [ReviewItem])] {
        var groups: [String: [ReviewItem]] = [:]
        for item in items { groups[item.owner ?? Self.noOwner, default: []].append(item) }
        return groups.keys.sorted { ($0 == Self.noOwner ? 1 : 0, $0) < ($1 == Self.noOwner ? 1 : 0, $1) }.map { ($0, groups[$0] ?? []) }
    }

    package static let noOwner = "(no accountable owner)"

    /// Decisions by kind: from the ingested decisions file, undecided rows included.
    package var decisionCounts: [(String, Int)] {
        var counts = ReviewDecision.Verdict.allCases.map { verdict in
            (verdict.rawValue, decisions?.decisions.filter { $0.verdict == verdict }.count ?? 0)
        }
        counts.append(("undecided", decisions?.undecided ?? 0))
        return counts
    }
}

extension AccessReview {
    /// "new", "standing", "first review" or the suppression.
    package func findingStatus(_ finding: Finding) -> String {
        if let suppression = finding.suppression { return "suppressed (\(suppression.kind.rawValue) \(suppression.reference))" }
        guard hasPrevious else { return "first review" }
        return newFindingFingerprints.contains(finding.fingerprint) ? "new" : "standing"
    }

    /// "new since last review", "standing since D (N days)" or "first review".
    package func standing(_ item: ReviewItem) -> String {
        switch item.status {
        case .firstReview: "first review"
        case .new: "new since last review"
        case .standing:
            if let since = item.firstSeen { "standing since \(since) (\(since.days(until: attestation.reviewDate)) days)" } else { "standing" }
        }
    }
}
