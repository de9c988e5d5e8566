/// The quarterly access review, assembled: every section the report renders, computed once,
/// so the HTML, Markdown, CSV and manifest outputs say the same thing.
public struct AccessReview: Sendable {
    /// The cover: what was reviewed, when, from which inputs, by which tool.
    public struct Attestation: Sendable {
        public var reviewDate: DayDate
        public var periodStart: String?
        public var periodEnd: String
        public var database: String
        public var serverVersion: String
        public var snapshotExportedAt: String
        public var exportedBy: String?
        public var policyRevision: String
        public var toolVersion: String
        public var inputs: [ReviewManifest.FileDigest]
    }

    /// A REVOKE decided last review, checked against this snapshot.
    public struct RevokeCheck: Sendable {
        public var decision: ReviewDecision
        /// What the previous review listed under the item's id (nil when unknown).
        public var summary: String
        /// The access is gone from this snapshot.
        public var verified: Bool
    }

    /// A KEEP or EXCEPTION decided on an item of a format-1 review (one login role's access),
    /// with the entitlements that carry that access now: they need decisions of their own.
    public struct RekeyedDecision: Sendable {
        public var decision: ReviewDecision
        public var summary: String
        /// Ids of this review's items that carry the access (empty: it is gone).
        public var carriers: [String]
    }

    /// An item the previous review listed that this snapshot no longer has.
    public struct RemovedItem: Sendable {
        public var id: String
        public var principal: String
        public var summary: String
        public var decision: ReviewDecision?
    }

    /// A principal whose classified read access exceeds the median of its peers.
    public struct PeerOutlier: Sendable {
        public var principal: String
        /// The group role whose other login members are the peers.
        public var group: String
        public var peers: Int
        public var count: Int
        public var peerMedian: Double
        /// Classified columns the principal reads that fewer than half of its peers read.
        public var unusual: [String]
    }

    /// A role past its policy `expires` or its `VALID UNTIL`.
    public struct ExpiredRole: Sendable {
        public var name: String
        public var reason: String
        public var login: Bool
    }

    /// A SECURITY DEFINER function: who may run it and what classified data it reads as its owner.
    public struct DefinerFunction: Sendable {
        public var name: String
        public var owner: String
        public var ownerIsSuperuser: Bool
        public var executableByPublic: Bool
        public var executors: [String]
        public var classifiedColumns: [String]
    }

    /// A row-security policy on a table holding classified data, and whether it bounds rows.
    public struct RowSecurityPolicyEntry: Sendable {
        public var table: String
        public var policy: String
        public var command: String
        public var roles: [String]
        /// Why it does not bound the rows a session sees; nil when it does.
        public var noBoundary: String?
    }

    /// A declared service account.
    public struct ServiceAccount: Sendable {
        public var name: String
        public var owner: String?
        public var login: Bool
        public var items: Int
        public var topSeverity: Severity?
    }

    /// A policy exception and where it stands today.
    public struct ExceptionEntry: Sendable {
        public enum Status: String, Sendable { case active, expiring, expired }
        public var exception: PolicyException
        public var status: Status
        public var daysLeft: Int
        public var suppressedFindings: Int
    }

    /// Something past due: a REVOKE not carried out, an expired role or exception still in force.
    public struct OverdueItem: Sendable {
        public var what: String
        public var since: String
    }

    public var attestation: Attestation
    /// Findings riskiest first, the review's own (REVOKE not carried out) among them.
    public var findings: [Finding]
    public var failOn: Severity
    public var newFindingFingerprints: Set<String>
    public var fixedFindings: [PreviousReview.FindingRecord]
    public var hasPrevious: Bool
    public var items: [ReviewItem]
    /// Whether the items carry their last use (`report --usage`).
    public var hasUsage: Bool { items.contains { $0.lastUse != nil } }
    public var exposure: ExposureMatrix
    public var definerFunctions: [DefinerFunction]
    public var rowSecurity: [RowSecurityPolicyEntry]
    public var breakGlass: [(role: String, reachers: [String])]
    public var separationConflicts: [Finding]
    public var expiredRoles: [ExpiredRole]
    public var unownedLogins: [String]
    public var serviceAccounts: [ServiceAccount]
    public var outliers: [PeerOutlier]
    public var removedItems: [RemovedItem]
    public var revokeChecks: [RevokeCheck]
    public var rekeyed: [RekeyedDecision]
    /// The format of the previous review when its items were re-keyed to entitlements.
    public var rekeyedFrom: Int?
    public var exceptions: [ExceptionEntry]
    public var overdue: [OverdueItem]
    public var decisions: ReviewDecisions?
    public var history: [ReviewManifest.HistoryEntry]
    /// Row counts of the snapshot, by catalog.
    public var rowCounts: [(String, Int)]

    /// Unsuppressed findings per severity.
    public var counts: [Severity: Int] { AuditResult(findings: findings, failOn: failOn, databases: []).counts }
    public var failed: Bool { AuditResult(findings: findings, failOn: failOn, databases: []).failed }
    public var newItems: [ReviewItem] { items.filter { $0.status == .new } }
    /// Attributes and privileged memberships (SUPERUSER, BYPASSRLS, pg_read_all_data…).
    public var privilegedItems: [ReviewItem] {
        items.filter { $0.kind == .attribute || ($0.privilege == "MEMBER" && ReviewItemCollector.privilegedRoles[$0.subject] != nil) }
    }
    public var expiringExceptions: [ExceptionEntry] { exceptions.filter { $0.status == .expiring } }
    public var keptItems: [ReviewItem] { items.filter { $0.previousDecision?.verdict == .keep } }

    /// Items per accountable owner (unowned last), each list riskiest first.
    public var worksheets: [(owner: String, items: [ReviewItem])] {
        var groups: [String: [ReviewItem]] = [:]
        for item in items { groups[item.owner ?? Self.noOwner, default: []].append(item) }
        return groups.keys.sorted { ($0 == Self.noOwner ? 1 : 0, $0) < ($1 == Self.noOwner ? 1 : 0, $1) }.map { ($0, groups[$0] ?? []) }
    }

    public static let noOwner = "(no accountable owner)"

    /// Decisions by kind: from the ingested decisions file, undecided rows included.
    public var decisionCounts: [(String, Int)] {
        var counts = ReviewDecision.Verdict.allCases.map { verdict in
            (verdict.rawValue, decisions?.decisions.filter { $0.verdict == verdict }.count ?? 0)
        }
        counts.append(("undecided", decisions?.undecided ?? 0))
        return counts
    }
}

extension AccessReview {
    /// "new", "standing", "first review" or the suppression.
    public func findingStatus(_ finding: Finding) -> String {
        if let suppression = finding.suppression { return "suppressed (\(suppression.kind.rawValue) \(suppression.reference))" }
        guard hasPrevious else { return "first review" }
        return newFindingFingerprints.contains(finding.fingerprint) ? "new" : "standing"
    }

    /// "new since last review", "standing since D (N days)" or "first review".
    public func standing(_ item: ReviewItem) -> String {
        switch item.status {
        case .firstReview: "first review"
        case .new: "new since last review"
        case .standing:
            if let since = item.firstSeen { "standing since \(since) (\(since.days(until: attestation.reviewDate)) days)" } else { "standing" }
        }
    }
}
