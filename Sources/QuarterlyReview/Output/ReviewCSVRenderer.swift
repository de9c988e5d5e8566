import AuditSupport
import PolicyAudit

/// The review's CSV files: every reviewed privilege (`access.csv`), the findings
/// (`findings.csv`) and the decisions template (`review-decisions.csv`).
package struct ReviewCSVRenderer: Sendable {
    package static let accessHeader = [
        "item_id", "key", "kind", "principal", "owner", "subject", "privilege", "opens", "columns", "column_count", "classes", "severity",
        "people", "mode", "via", "leads_to", "status", "first_seen", "path",
    ]
    /// `access-by-login.csv` (on request): every login role's access, a row per column, with its items.
    package static let loginAccessHeader = ["login", "privilege", "relation", "column", "membership_item", "item", "mode", "path"]
    package static let findingsHeader = [
        "fingerprint", "rule", "severity", "principal", "object", "column", "privilege", "cause", "path", "principals", "message",
        "location", "suppressed", "status",
    ]
    package static let decisionsHeader = ReviewDecisions.requiredColumns + ReviewDecisions.informationalColumns.filter { !usageColumns.contains($0) }
    /// Added to `access.csv` and the decisions template when the review had a usage summary.
    package static let usageColumns = ["last_used", "unused_days"]

    package var review: AccessReview
    package var context: ReportContext

    package init(review: AccessReview, context: ReportContext) {
        self.review = review
        self.context = context
    }

    /// One row per item (entitlement). The columns a grant opens are listed; a membership or a
    /// capability names the holders it leads to, whose grant items list theirs, so the file
    /// grows with the entitlements while every login's access can still be traced through it.
    package func access() -> String {
        let usage = review.hasUsage
        var out = CSV.row(Self.accessHeader + (usage ? Self.usageColumns : []))
        for item in review.items {
            let listsColumns = [.grant, .direct, .definer, .ownership].contains(item.kind)
            var row: [String] = [
                item.id, item.key, item.kind.rawValue, item.principal, item.owner ?? "", item.subject, item.privilege,
                item.opens.joined(separator: " "), listsColumns ? item.columns.joined(separator: " ") : "", String(item.columns.count),
                item.classes.joined(separator: " "), item.severity.rawValue, String(item.people), item.mode.rawValue, via(item.routes),
                item.leadsTo.joined(separator: " "), item.status.rawValue, item.firstSeen?.description ?? "", item.path.description,
            ]
            if usage { row += [item.lastUse?.lastUsedText ?? "", item.lastUse?.unusedDays ?? ""] }
            out += CSV.row(row)
        }
        return out
    }

    /// A row of `access-by-login.csv`.
    package static func loginAccessRow(_ row: LoginAccess) -> String {
        CSV.row([row.login, row.privilege, row.relation, row.column, row.membershipItem ?? "", row.item, row.mode.rawValue, row.path.description])
    }

    package func findings() -> String {
        var out = CSV.row(Self.findingsHeader)
        for finding in review.findings {
            out += CSV.row([
                finding.fingerprint, finding.rule, finding.severity.rawValue, finding.principal ?? "", finding.object ?? "", finding.column ?? "",
                finding.privilege?.rawValue ?? "", finding.cause.description, finding.path?.description ?? "",
                finding.affected.map(\.name).joined(separator: " "), finding.message,
                "\(context.relativePath(finding.location.file)):\(finding.location.line):\(finding.location.column)",
                finding.suppression.map { "\($0.kind.rawValue) \($0.reference)" } ?? "", review.findingStatus(finding),
            ])
        }
        return out
    }

    /// The template: one row per entitlement, owners' worksheets in order; decisions carried forward
    /// (KEEP, EXCEPTION) are filled in and named in `previous_decision`, never hidden.
    package func decisionsTemplate() -> String {
        let usage = review.hasUsage
        var out = CSV.row(Self.decisionsHeader + (usage ? Self.usageColumns : []))
        for sheet in review.worksheets {
            for item in sheet.items {
                let carried = item.previousDecision
                var row: [String] = [
                    item.id, item.owner ?? "", carried?.verdict.rawValue ?? "", carried?.justification ?? "", carried?.ticket ?? "",
                    carried?.reviewer ?? "", carried?.date.description ?? "",
                    item.kind.rawValue, item.principal, item.summary, item.severity.rawValue, String(item.people), review.standing(item),
                    carried.map { "\($0.verdict.rawValue) by \($0.reviewer) on \($0.date)" } ?? "",
                ]
                if usage { row += [item.lastUse?.lastUsedText ?? "", item.lastUse?.unusedDays ?? ""] }
                out += CSV.row(row)
            }
        }
        return out
    }

    private func via(_ routes: Set<ExposureRoute>) -> String { routes.sorted().map(\.rawValue).joined(separator: " + ") }
}
