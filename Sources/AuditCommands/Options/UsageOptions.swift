import AuditSupport
import ServerUsage
import ArgumentParser
import Foundation

/// `--usage usage.json [--unused-after 90d]`, shared by `check`, `report` and `init`.
package struct UsageOptions: ParsableArguments {
    package init() {}

    @Option(help: "A usage summary written by `access-audit usage`: what roles used, from pgaudit's records.")
    package var usage: String?

    @Option(name: .customLong("unused-after"), help: "How long the logs must cover before a grant nobody used counts as unused, in days: 90d (the default) or 90. Needs --usage.")
    package var unusedAfter: Days?

    /// A number of days, written `90d` or `90`.
    package struct Days: ExpressibleByArgument {
        var value: Int
        package init?(argument: String) {
            guard let days = Int(argument.hasSuffix("d") ? String(argument.dropLast()) : argument), days > 0 else { return nil }
            value = days
        }
    }

    package func validate() throws {
        if unusedAfter != nil, usage == nil { throw ValidationError("--unused-after needs --usage") }
    }

    /// The usage summary's bytes (the review attests them) and the evidence read from them; nil without --usage.
    package func load() throws(InputError) -> (evidence: UsageEvidence, data: Data)? {
        guard let usage else { return nil }
        guard let data = FileManager.default.contents(atPath: usage) else {
            throw InputError(SourceLocation(file: usage, line: 1, column: 1), "cannot read \(usage)")
        }
        return (UsageEvidence(summary: try UsageSummary.decode(data, file: usage), unusedAfterDays: unusedAfter?.value ?? 90), data)
    }
}
