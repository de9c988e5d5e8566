/// A check whose work splits into parts that run on separate threads (each in its own
/// context) and are merged in order into the findings one sequential run gives. For a check
/// that alone outlasts all the others on a large database (the unlogged-read check asks for the
/// causes of every classified column), so the audit's cores are not left idle waiting for it.
protocol PartitionedAuditCheck: AuditCheck {
    /// What one part finds, merged with the others by `findings(merging:in:)`.
    associatedtype Partial: Sendable

    /// The work of part `part` of `count` (contiguous, in the order a sequential run takes).
    func partial(_ part: Int, of count: Int, in context: AuditContext) -> Partial

    /// The findings of the parts, given in part order: those one sequential run gives.
    func findings(merging partials: [Partial], in context: AuditContext) -> [Finding]
}

extension PartitionedAuditCheck {
    /// Sequentially: one part.
    func findings(in context: AuditContext) -> [Finding] {
        findings(merging: [partial(0, of: 1, in: context)], in: context)
    }

    /// `partial`, for the scheduler that holds checks of every kind.
    func anyPartial(_ part: Int, of count: Int, in context: AuditContext) -> any Sendable {
        partial(part, of: count, in: context)
    }

    /// `findings(merging:in:)`, for the scheduler; partials of another check's type are a
    /// scheduling error and are not merged.
    func findings(mergingAny partials: [any Sendable], in context: AuditContext) -> [Finding] {
        findings(merging: partials.compactMap { $0 as? Partial }, in: context)
    }
}
