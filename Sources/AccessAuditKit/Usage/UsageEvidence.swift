/// What `unused-access` judges by: a usage summary from the logs and how long access may go
/// unused (`check --usage usage.json --unused-after 90d`).
public struct UsageEvidence: Sendable {
    public var summary: UsageSummary
    public var unusedAfterDays: Int

    public init(summary: UsageSummary, unusedAfterDays: Int) {
        self.summary = summary
        self.unusedAfterDays = unusedAfterDays
    }

    /// The days the logs cover (both ends counted); nil when their timestamps are unknown.
    public var windowDays: Int? {
        guard let start = UsageSummary.day(of: summary.windowStart), let end = UsageSummary.day(of: summary.windowEnd) else { return nil }
        return start.days(until: end) + 1
    }
}
