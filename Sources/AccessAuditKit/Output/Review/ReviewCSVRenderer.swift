/// The review's CSV files: every reviewed privilege (`access.csv`), the findings
/// (`findings.csv`) and the decisions template (`review-decisions.csv`).
public struct ReviewCSVRenderer {
    public static let accessHeader = [
        "item_id", "kind", "principal", "owner", "subject", "column", "privilege", "classes", "severity", "mode", "via", "status",
        "first_seen", "path",
    ]
    public static let findingsHeader = [
        "fingerprint", "rule", "severity", "principal", "object", "column", "privilege", "cause", "path", "principals", "message",
        "location", "suppressed", "status",
    ]
    public static let decisionsHeader = ReviewDecisions.requiredColumns + ReviewDecisions.informationalColumns

    public var review: AccessReview
    public var context: ReportContext

    public init(review: AccessReview, context: ReportContext) {
        self.review = review
        self.context = context
    }

    /// One row per column of an access item (each with its own path), one per privileged item.
    public func access() -> String {
        var out = CSV.row(Self.accessHeader)
        for item in review.items {
            let common = [item.id, item.kind.rawValue, item.principal, item.owner ?? "", item.subject]
            let tail = [item.classes.joined(separator: " "), item.severity.rawValue]
            let status = [item.status.rawValue, item.firstSeen?.description ?? ""]
            if item.columnAccess.isEmpty {
                out += CSV.row(common + [""] + [item.privilege] + tail + [item.mode.rawValue, via(item.routes)] + status + [item.path.description])
                continue
            }
            for column in item.columnAccess {
                out += CSV.row(common + [column.column, item.privilege] + tail + [column.mode.rawValue, via(column.routes)] + status + [column.path.description])
            }
        }
        return out
    }

    public func findings() -> String {
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

    /// The template: one row per item, owners' worksheets in order; decisions carried forward
    /// (KEEP, EXCEPTION) are filled in and named in `previous_decision`, never hidden.
    public func decisionsTemplate() -> String {
        var out = CSV.row(Self.decisionsHeader)
        for sheet in review.worksheets {
            for item in sheet.items {
                let carried = item.previousDecision
                out += CSV.row([
                    item.id, item.owner ?? "", carried?.verdict.rawValue ?? "", carried?.justification ?? "", carried?.ticket ?? "",
                    carried?.reviewer ?? "", carried?.date.description ?? "",
                    item.principal, item.summary, item.severity.rawValue, review.standing(item),
                    carried.map { "\($0.verdict.rawValue) by \($0.reviewer) on \($0.date)" } ?? "",
                ])
            }
        }
        return out
    }

    private func via(_ routes: Set<ExposureRoute>) -> String { routes.sorted().map(\.rawValue).joined(separator: " + ") }
}
