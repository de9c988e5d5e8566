import SnapshotModel
import AccessPolicy
import PolicyAudit

/// Lays an `AccessReview` out as a document: risk first, changes since last time first, every
/// line with its path. Long tables are cut at a limit and point to the CSV that has every row.
package struct ReviewDocumentBuilder {
    package var review: AccessReview
    package var context: ReportContext
    /// Rows a table shows before it points to the CSV.
    package var tableLimit: Int

    package init(review: AccessReview, context: ReportContext, tableLimit: Int = 500) {
        self.review = review
        self.context = context
        self.tableLimit = tableLimit
    }

    package func build() -> ReviewDocument {
        ReviewDocument(
            title: "Access review: \(review.attestation.database) — \(review.attestation.reviewDate)",
            sections: [
                cover(), summary(), criticalFindings(), privileged(), exposure(), separation(), lifecycle(), outliers(),
                changes(), exceptionsRegister(), worksheets(), method(),
            ])
    }

    // MARK: - Sections

    func cover() -> ReviewDocument.Section {
        let a = review.attestation
        let period = a.periodStart.map { "\($0) to \(a.periodEnd)" } ?? "up to \(a.periodEnd) (first review: no previous review given)"
        let facts: [(String, String)] = [
            ("Review date", a.reviewDate.description), ("Review period", period), ("Database", a.database),
            ("Server version", "PostgreSQL \(a.serverVersion)"), ("Snapshot taken", a.snapshotExportedAt),
            ("Snapshot exported by", a.exportedBy ?? "not recorded"), ("Policy revision", a.policyRevision),
            ("Tool", "access-audit \(a.toolVersion)"),
        ]
        let inputs = ReviewDocument.Table(
            headers: ["Input", "File", "Bytes", "SHA-256"],
            rows: a.inputs.map { [$0.role, context.relativePath($0.path), String($0.bytes), $0.sha256] }, limit: tableLimit)
        return ReviewDocument.Section(id: "attestation", title: "Attestation", blocks: [
            .facts(facts),
            .paragraph("Every input this review was computed from, with its SHA-256 digest; recompute them with `sha256sum` to check that nothing changed after sign-off."),
            .table(inputs),
            .paragraph("By signing, the reviewer confirms each item in the worksheets was decided, and the approver accepts the decisions and the exceptions register."),
            .signatures(["Reviewer", "Approver"]),
        ])
    }

    func summary() -> ReviewDocument.Section {
        let counts = review.counts
        let severities = Severity.allCases.reversed().map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
        let suppressed = review.findings.filter(\.suppressed).count
        let facts: [(String, String)] = [
            ("Findings", "\(severities) (\(suppressed) suppressed by exceptions)"),
            ("Gate", review.failed ? "FAILED: findings at or above \(review.failOn.rawValue)" : "passed at \(review.failOn.rawValue)"),
            ("New since last review", review.hasPrevious
                ? "\(review.findings.filter { review.newFindingFingerprints.contains($0.fingerprint) }.count) finding(s), \(review.newItems.count) item(s) of access"
                : "not known (first review)"),
            ("Fixed since last review", review.hasPrevious ? "\(review.fixedFindings.count) finding(s), \(review.removedItems.count) item(s) of access removed" : "not known (first review)"),
            ("Overdue", "\(review.overdue.count)"),
            ("Exceptions expiring within \(AccessReviewBuilder.expiringWithinDays) days", "\(review.expiringExceptions.count)"),
            ("Decisions to make", "\(review.items.count) entitlement(s) (memberships, grants, attributes, capabilities) across \(review.worksheets.count) owner worksheet(s)"),
        ]
        var blocks: [ReviewDocument.Block] = [.facts(facts)]
        if !review.overdue.isEmpty {
            blocks.append(.table(ReviewDocument.Table(headers: ["Overdue", "Since"], rows: review.overdue.map { [$0.what, $0.since] }, limit: tableLimit)))
        }
        if !review.expiringExceptions.isEmpty {
            blocks.append(.table(ReviewDocument.Table(
                headers: ["Expiring exception", "Rule", "Expires", "Days left"],
                rows: review.expiringExceptions.map { [$0.exception.ticket, $0.exception.rule, $0.exception.expires.description, String($0.daysLeft)] })))
        }
        blocks.append(.table(ReviewDocument.Table(
            headers: ["Accountable owner", "Decisions", "Critical", "High", "Highest"],
            rows: review.worksheets.map { sheet in
                let severities = sheet.items.map(\.severity)
                return [
                    sheet.owner == AccessReview.noOwner ? "\(sheet.owner): declare owners in the policy" : sheet.owner, String(sheet.items.count),
                    String(severities.filter { $0 == .critical }.count), String(severities.filter { $0 == .high }.count), severities.max()?.rawValue ?? "-",
                ]
            }, severityColumn: 4, limit: tableLimit, fullListing: "review-decisions.csv")))
        blocks.append(.chart(historyChart()))
        return ReviewDocument.Section(id: "summary", title: "Executive summary", blocks: blocks)
    }

    func criticalFindings() -> ReviewDocument.Section {
        let severe = review.findings.filter { $0.severity >= .high }
        guard !severe.isEmpty else {
            return ReviewDocument.Section(id: "critical", title: "Critical and high findings", blocks: [.paragraph("No critical or high finding.")])
        }
        return ReviewDocument.Section(id: "critical", title: "Critical and high findings", blocks: [
            .paragraph("Each finding names what to change (the cause) and the full path by which a principal reaches the access."),
            .table(findingTable(severe)),
        ])
    }

    func findingTable(_ findings: [Finding]) -> ReviewDocument.Table {
        ReviewDocument.Table(
            headers: ["Severity", "Rule", "Principal", "Access", "Cause", "Path", "Status", "Policy location"],
            rows: findings.map { finding in
                let access = [finding.privilege?.rawValue, finding.object.map { o in finding.column.map { "\(o).\($0)" } ?? o }].compactMap { $0 }.joined(separator: " on ")
                let others = finding.principalCount > 1 ? " (+\(finding.principalCount - 1) more principal(s))" : ""
                return [
                    finding.severity.rawValue, finding.rule, finding.principal ?? "", access.isEmpty ? finding.message : access,
                    finding.cause.description, (finding.path?.description ?? "") + others, review.findingStatus(finding),
                    "\(context.relativePath(finding.location.file)):\(finding.location.line)",
                ]
            }, severityColumn: 0, limit: tableLimit, fullListing: "findings.csv")
    }

    func privileged() -> ReviewDocument.Section {
        var blocks: [ReviewDocument.Block] = [
            .paragraph("Roles that hold or can SET ROLE to SUPERUSER, BYPASSRLS, CREATEROLE or REPLICATION, and members of pg_read_all_data, pg_write_all_data and the server-file roles."),
            .table(ReviewDocument.Table(
                headers: ["Severity", "Principal", "Privilege", "Path", "Standing"],
                rows: review.privilegedItems.map { [$0.severity.rawValue, $0.principal, $0.summary, $0.path.description, review.standing($0)] },
                severityColumn: 0, limit: tableLimit, fullListing: "access.csv")),
        ]
        let bulk = review.findings.filter { $0.rule == "bulk-export-role" }
        if !bulk.isEmpty {
            blocks.append(.subsection(title: "Bulk-export roles", open: true, blocks: [.table(findingTable(bulk))]))
        }
        blocks.append(.subsection(title: "Break-glass roles", open: true, blocks: review.breakGlass.isEmpty
            ? [.paragraph("The policy declares no break-glass role.")]
            : [.table(ReviewDocument.Table(
                headers: ["Break-glass role", "Who can reach it"],
                rows: review.breakGlass.map { [$0.role, $0.reachers.isEmpty ? "no login role" : $0.reachers.joined(separator: "; ")] }))]))
        blocks.append(.subsection(title: "SECURITY DEFINER functions", open: true, blocks: review.definerFunctions.isEmpty
            ? [.paragraph("No SECURITY DEFINER function.")]
            : [.table(ReviewDocument.Table(
                headers: ["Function", "Runs as", "Executable by", "Classified columns it reads"],
                rows: review.definerFunctions.map { function in
                    [
                        function.name, function.owner + (function.ownerIsSuperuser ? " (SUPERUSER)" : ""),
                        function.executableByPublic ? "PUBLIC (every role)" : (function.executors.isEmpty ? "no login role" : function.executors.joined(separator: ", ")),
                        function.classifiedColumns.isEmpty ? "none" : function.classifiedColumns.joined(separator: ", "),
                    ]
                }, limit: tableLimit))]))
        return ReviewDocument.Section(id: "privileged", title: "Privileged, bulk-export and break-glass access", blocks: blocks)
    }

    func exposure() -> ReviewDocument.Section {
        let matrix = review.exposure
        let columnLimit = 24
        let columns = Array(matrix.columns.prefix(columnLimit))
        let principals = matrix.principals.sorted { (matrix.count($0), $1) > (matrix.count($1), $0) }
        let rows = principals.map { principal in
            [principal, String(matrix.count(principal))] + columns.map { column in
                matrix.routes(principal, column).sorted().map(\.rawValue).joined(separator: " + ")
            }
        }
        var blocks: [ReviewDocument.Block] = [
            .paragraph("Which login roles can read which classified columns, and how: direct (a grant to the role), inherited (through membership), public (a grant to PUBLIC), set role, view (a definer view), function (a SECURITY DEFINER function), privileged (SUPERUSER or pg_read_all_data)."),
        ]
        if matrix.columns.count > columnLimit {
            blocks.append(.paragraph("The first \(columnLimit) of \(matrix.columns.count) classified columns are shown; access.csv lists every one."))
        }
        blocks.append(.table(ReviewDocument.Table(
            headers: ["Principal", "Columns read"] + columns, rows: rows, limit: min(tableLimit, 200), fullListing: "access-by-login.csv (report --access-by-login)")))
        blocks.append(.subsection(title: "Row security on classified tables", open: true, blocks: review.rowSecurity.isEmpty
            ? [.paragraph("No table holding classified data has row-security policies.")]
            : [
                .paragraph("A policy that admits every row, or reads a setting the session can change itself (SET app.region = …), is no boundary: whoever it applies to chooses the rows."),
                .table(ReviewDocument.Table(
                    headers: ["Table", "Policy", "Command", "Applies to", "Bounds rows"],
                    rows: review.rowSecurity.map { entry in
                        [entry.table, entry.policy, entry.command, entry.roles.joined(separator: ", "), entry.noBoundary.map { "no: \($0)" } ?? "yes"]
                    }, limit: tableLimit)),
            ]))
        return ReviewDocument.Section(id: "exposure", title: "Classified data exposure", blocks: blocks)
    }

    func separation() -> ReviewDocument.Section {
        ReviewDocument.Section(id: "separation", title: "Segregation of duties", blocks: review.separationConflicts.isEmpty
            ? [.paragraph("No principal holds both sides of a `separate` rule.")]
            : [.table(findingTable(review.separationConflicts))])
    }

    func lifecycle() -> ReviewDocument.Section {
        ReviewDocument.Section(id: "lifecycle", title: "Expired roles, unowned logins and service accounts", blocks: [
            .subsection(title: "Roles past expires or VALID UNTIL", open: true, blocks: review.expiredRoles.isEmpty
                ? [.paragraph("None.")]
                : [.table(ReviewDocument.Table(headers: ["Role", "Login", "Why"], rows: review.expiredRoles.map { [$0.name, $0.login ? "yes" : "no", $0.reason] }))]),
            .subsection(title: "Login roles with no accountable owner", open: true, blocks: review.unownedLogins.isEmpty
                ? [.paragraph("None: every login role has an owner in the policy.")]
                : [.list(review.unownedLogins)]),
            .subsection(title: "Service accounts", open: true, blocks: review.serviceAccounts.isEmpty
                ? [.paragraph("The policy declares no service account.")]
                : [.table(ReviewDocument.Table(
                    headers: ["Service account", "Owner", "Login", "Items", "Highest severity"],
                    rows: review.serviceAccounts.map { [$0.name, $0.owner ?? "none", $0.login ? "yes" : "no", String($0.items), $0.topSeverity?.rawValue ?? "-"] }))]),
        ])
    }

    func outliers() -> ReviewDocument.Section {
        var blocks: [ReviewDocument.Block] = [
            .paragraph("A principal is an outlier when it can read more classified columns than the median of the other login members of a group it belongs to."),
        ]
        if review.outliers.isEmpty {
            blocks.append(.paragraph("No outlier."))
        } else {
            blocks.append(.table(ReviewDocument.Table(
                headers: ["Principal", "Group", "Peers", "Classified columns", "Peer median", "Read by fewer than half the peers"],
                rows: review.outliers.map { [$0.principal, $0.group, String($0.peers), String($0.count), Self.number($0.peerMedian), $0.unusual.joined(separator: ", ")] },
                limit: tableLimit)))
        }
        blocks.append(.chart(peerChart()))
        return ReviewDocument.Section(id: "outliers", title: "Peer outliers", blocks: blocks)
    }

    func changes() -> ReviewDocument.Section {
        guard review.hasPrevious else {
            return ReviewDocument.Section(id: "changes", title: "Changes since the previous review", blocks: [
                .paragraph("This is the first review: no previous review folder was given (`--previous`). Every item starts its history today."),
            ] + revokeBlocks())
        }
        if review.rekeyedFrom != nil {
            return ReviewDocument.Section(id: "changes", title: "Changes since the previous review", blocks: rekeyedBlocks() + revokeBlocks())
        }
        let added = review.newItems
        return ReviewDocument.Section(id: "changes", title: "Changes since the previous review", blocks: [
            .subsection(title: "Access added (\(added.count))", open: true, blocks: [.table(ReviewDocument.Table(
                headers: ["Item", "Severity", "Principal", "Access", "Path"],
                rows: added.map { [$0.id, $0.severity.rawValue, $0.principal, $0.summary, $0.path.description] },
                severityColumn: 1, limit: tableLimit, fullListing: "access.csv"))]),
            .subsection(title: "Access removed (\(review.removedItems.count))", open: true, blocks: [.table(ReviewDocument.Table(
                headers: ["Item", "Access", "Decided last review"],
                rows: review.removedItems.map { [$0.id, $0.summary, $0.decision.map { "\($0.verdict.rawValue) by \($0.reviewer)" } ?? "-"] },
                limit: tableLimit))]),
            .subsection(title: "Findings fixed since the last review (\(review.fixedFindings.count))", open: true, blocks: [.table(ReviewDocument.Table(
                headers: ["Severity", "Rule", "Finding"],
                rows: review.fixedFindings.map { [$0.severity, $0.rule, $0.message] }, severityColumn: 0, limit: tableLimit))]),
            .subsection(title: "Previously kept (\(review.keptItems.count))", open: true, blocks: [.table(ReviewDocument.Table(
                headers: ["Item", "Principal", "Access", "Kept by", "Justification"],
                rows: review.keptItems.compactMap { item in
                    item.previousDecision.map { [item.id, item.principal, item.summary, "\($0.reviewer) on \($0.date)", $0.justification] }
                }, limit: tableLimit))]),
        ] + revokeBlocks())
    }

    func rekeyedBlocks() -> [ReviewDocument.Block] {
        guard let format = review.rekeyedFrom else { return [] }
        return [
            .paragraph("The previous review (format \(format)) listed one item per login role, relation and privilege; this review lists entitlements. Its items were re-keyed: each decision was traced to the entitlements that carry that access today. REVOKE decisions are verified below; KEEP and EXCEPTION decisions are not carried over, because one entitlement covers access that several old items decided separately: decide the carrying items."),
            .subsection(title: "Re-keyed decisions (\(review.rekeyed.count))", open: true, blocks: [.table(ReviewDocument.Table(
                headers: ["Old item", "Access", "Decided", "Now carried by"],
                rows: review.rekeyed.map {
                    [$0.decision.itemID, $0.summary, "\($0.decision.verdict.rawValue) by \($0.decision.reviewer) on \($0.decision.date)",
                     $0.carriers.isEmpty ? "gone from this snapshot" : $0.carriers.joined(separator: ", ")]
                }, limit: tableLimit))]),
        ]
    }

    func revokeBlocks() -> [ReviewDocument.Block] {
        guard !review.revokeChecks.isEmpty else { return [] }
        return [.subsection(title: "REVOKE decisions verified (\(review.revokeChecks.count))", open: true, blocks: [.table(ReviewDocument.Table(
            headers: ["Item", "Access", "Decided", "Ticket", "Result"],
            rows: review.revokeChecks.map {
                [$0.decision.itemID, $0.summary, "\($0.decision.reviewer) on \($0.decision.date)", $0.decision.ticket,
                 $0.verified ? "verified: gone from this snapshot" : "NOT DONE: still present (high finding)"]
            }, limit: tableLimit))])]
    }

    func exceptionsRegister() -> ReviewDocument.Section {
        ReviewDocument.Section(id: "exceptions", title: "Exceptions register", blocks: review.exceptions.isEmpty
            ? [.paragraph("The policy grants no exception.")]
            : [.table(ReviewDocument.Table(
                headers: ["Ticket", "Rule", "Roles", "Reason", "Approved by", "Expires", "Status", "Findings waived"],
                rows: review.exceptions.map { entry in
                    let e = entry.exception
                    let status = switch entry.status {
                    case .expired: "expired \(-entry.daysLeft) day(s) ago"
                    case .expiring: "expires in \(entry.daysLeft) day(s)"
                    case .active: "active"
                    }
                    return [e.ticket, e.rule, e.roles.map(\.description).joined(separator: ", "), e.reason, e.approvedBy, e.expires.description, status, String(entry.suppressedFindings)]
                }, limit: tableLimit))])
    }

    func worksheets() -> ReviewDocument.Section {
        let sheets = review.worksheets
        var blocks: [ReviewDocument.Block] = [
            .paragraph("One worksheet per accountable owner, riskiest first. Each item is an entitlement, and a decision on it covers all the access it carries: a membership (a login role in a role, decided by the login's owner), a grant to a group, a direct grant to a login role or PUBLIC, a grant on a definer view or function, a privileged attribute, an ownership or a capability (decided by the holder's owner). Record each decision (KEEP, REVOKE or EXCEPTION) in review-decisions.csv, with a justification, ticket, reviewer and date; the next review reads it back with --decisions."),
            .chart(decisionChart()),
        ]
        for sheet in sheets {
            let highest = sheet.items.map(\.severity).max()?.rawValue ?? "-"
            let unowned = sheet.owner == AccessReview.noOwner ? " — nobody answers for these: declare owners in the policy" : ""
            blocks.append(.subsection(
                title: "\(sheet.owner) — \(sheet.items.count) decision(s), highest \(highest)\(unowned)", open: sheets.count <= 12,
                blocks: [.table(ReviewDocument.Table(
                    headers: ["Item", "Severity", "Entitlement", "People", "Path (via)", "Status", "Findings"],
                    rows: sheet.items.map { item in
                        let via = item.routes.sorted().map(\.rawValue).joined(separator: " + ") + (item.mode == .latent ? ", latent" : "")
                        let previous = item.previousDecision.map { "; previously \($0.verdict == .keep ? "kept" : "excepted") (\($0.reviewer), \($0.date))" } ?? ""
                        return [
                            item.id, item.severity.rawValue, "\(item.kind.rawValue): \(item.principal): \(item.summary)", String(item.people),
                            "\(item.path.description) (\(via))", review.standing(item) + previous + (item.lastUse.map { "; last used: \($0.lastUsedText)" } ?? ""),
                            item.findingRules.joined(separator: ", "),
                        ]
                    }, severityColumn: 1, limit: tableLimit, fullListing: "review-decisions.csv"))]))
        }
        return ReviewDocument.Section(id: "worksheets", title: "Worksheets", blocks: blocks)
    }

    func method() -> ReviewDocument.Section {
        let a = review.attestation
        return ReviewDocument.Section(id: "method", title: "Method", blocks: [
            .paragraph("The snapshot is a read-only export of the database's catalogs (pg_roles, pg_auth_members, pg_class, pg_attribute, pg_namespace, pg_proc, pg_default_acl, pg_policy) made by access-audit-export or sql/export-snapshot.sql on \(a.snapshotExportedAt) from PostgreSQL \(a.serverVersion). NULL ACLs are written as PostgreSQL's defaults, so nothing is guessed."),
            .paragraph("Effective access follows PostgreSQL's own rules: memberships with INHERIT and SET, PUBLIC, ownership, SUPERUSER, pg_read_all_data and pg_write_all_data, definer views, SECURITY DEFINER functions and row-level security. The engine is tested against has_table_privilege, has_column_privilege, has_schema_privilege, has_function_privilege and pg_has_role on generated role graphs."),
            .paragraph("Items are entitlements: every road a login role has to a classified column (SELECT, INSERT, UPDATE per column; DELETE and TRUNCATE per relation), to a privileged attribute or to a privileged predefined role is cut into its first membership, the capabilities on the way, and the grant, attribute, predefined-role membership or ownership at its end. An item's id is derived from what the entitlement is, so it keeps its id from review to review; access.csv lists each item with what it opens, and access-by-login.csv (report --access-by-login) every login role's access with the items that carry it."),
            .table(ReviewDocument.Table(headers: ["Snapshot rows", "Count"], rows: review.rowCounts.map { [$0.0, String($0.1)] })),
        ])
    }

    // MARK: - Charts

    func historyChart() -> ReviewDocument.Chart {
        let severities = Severity.allCases.reversed()
        return ReviewDocument.Chart(
            title: "Findings by severity, per review", style: .stacked, labels: review.history.map(\.reviewDate),
            series: severities.map { severity in (severity.rawValue, review.history.map { Double($0.findings[severity.rawValue] ?? 0) }) })
    }

    func peerChart() -> ReviewDocument.Chart {
        // Outliers when there are any; else the principals reading the most classified columns.
        let shown: [(label: String, count: Int, median: Double?)] = review.outliers.isEmpty
            ? review.exposure.principals.sorted { (review.exposure.count($0), $1) > (review.exposure.count($1), $0) }.prefix(20)
                .map { ($0, review.exposure.count($0), nil) }
            : review.outliers.prefix(20).map { ("\($0.principal) (\($0.group))", $0.count, $0.peerMedian) }
        return ReviewDocument.Chart(
            title: "Classified columns readable per principal, against the peer median", style: .barsWithMarker,
            labels: shown.map(\.label), series: [("classified columns", shown.map { Double($0.count) })],
            markers: shown.map { $0.median ?? -1 }, markerName: "peer median")
    }

    func decisionChart() -> ReviewDocument.Chart {
        let counts = review.decisionCounts
        return ReviewDocument.Chart(
            title: review.decisions == nil ? "Decisions by kind (no decisions file given)" : "Decisions by kind, from the last review's decisions",
            style: .bars, labels: counts.map(\.0), series: [("decisions", counts.map { Double($0.1) })])
    }

    // MARK: - Wording

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String((value * 10).rounded() / 10)
    }
}
