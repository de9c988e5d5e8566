import PolicyAudit
import ArgumentParser

/// `--principals N|all`: how many principals a finding lists (its count is always whole).
struct PrincipalLimit: ExpressibleByArgument, Sendable {
    /// nil: every principal.
    var limit: Int?

    static let standard = PrincipalLimit(limit: 20)

    init(limit: Int?) { self.limit = limit }

    init?(argument: String) {
        if argument == "all" {
            limit = nil
        } else if let value = Int(argument), value > 0 {
            limit = value
        } else {
            return nil
        }
    }

    /// The findings with their principal lists cut to the limit.
    func apply(to findings: [Finding]) -> [Finding] {
        guard let limit else { return findings }
        return findings.map { $0.sampled(to: limit) }
    }
}
