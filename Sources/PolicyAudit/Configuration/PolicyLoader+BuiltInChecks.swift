import AccessPolicy

extension PolicyLoader {
    /// A loader for policies audited with the built-in checks: their ids are reserved for them
    /// and exceptions may name them. Where the audit is assembled, not in the policy module.
    package init() {
        self.init(builtInCheckIDs: BuiltInChecks.ids)
    }
}
