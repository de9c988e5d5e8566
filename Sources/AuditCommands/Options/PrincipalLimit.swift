import PolicyAudit
import ArgumentParser

/// `--principals N|all`: how many principals a finding lists (its count is always whole).
package struct PrincipalLimit: ExpressibleByArgument, Sendable {
    /// nil: every principal.
    package var limit: Int?

    package static let standard = PrincipalLimit(limit: 20)

    package init(limit: Int?) { self.limit = limit }

    package init?(argument: String) {
        if argument == "all" {
            limit = nil
        } else if let value = Int(argument), value > 0 {
            limit = value
        } else {
            return nil
        }
    }

    /// The findings with their principal lists cut to the limit.
    package func apply(to findings: [Finding]) -> [Finding] {
        guard let limit else { return findings }
        return findings.map { $0.sampled(to: limit) }
    }
}
