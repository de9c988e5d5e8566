/// What `unused-access` judges by: a usage summary from the logs and how long access may go
/// unused (`check --usage usage.json --unused-after 90d`).
package struct UsageEvidence: Sendable {
    package var summary: UsageSummary
    package var unusedAfterDays: Int

    package init(summary: UsageSummary, unusedAfterDays: Int) {
        self.summary = summary
        self.unusedAfterDays = unusedAfterDays
    }

    /// The days the logs cover (both ends counted); nil when their timestamps are unknown.
    package var windowDays: Int? {
        guard let start = UsageSummary.day(of: summary.windowStart), let end = UsageSummary.day(of: summary.windowEnd) else { return nil }
        return start.days(until: end) + 1
    }
}
