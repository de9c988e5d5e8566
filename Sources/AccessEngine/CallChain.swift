import SnapshotModel

/// What a SECURITY DEFINER function with a SQL-standard body reaches through the functions it
/// calls. Code it calls runs with its owner's rights: an invoker function's own reads join its
/// reads (followed to their ends); an invoker function whose body cannot be read (plpgsql, SQL in
/// a string, C) or a builtin that runs SQL it is given (`query_to_xml`, `ts_stat` …) makes it
/// opaque — it may read anything its owner can; a SECURITY DEFINER callee runs as its own owner,
/// so it is kept apart (its reach is added to this function's callers by the engine).
struct CallChain {
    /// The columns (`schema.table.column`) read with the function owner's rights; nil when opaque.
    private(set) var reads: [String]?
    /// Definer functions called on the way, by signature.
    private(set) var definers: [String] = []

    init(of function: SnapshotFunction, functions: [String: SnapshotFunction]) {
        guard let own = function.reads else {
            reads = nil
            return
        }
        var columns = Set(own)
        var definerSet = Set<String>()
        var seen: Set<String> = [function.signature]
        var pending = function.calls ?? []
        var opaque = false
        while let callee = pending.popLast(), !opaque {
            guard seen.insert(callee).inserted else { continue }
            if callee.hasPrefix("pg_catalog.") {
                let name = callee.dropFirst("pg_catalog.".count).prefix { $0 != "(" }
                if SnapshotFunction.dynamicSQLBuiltins.contains(String(name)) { opaque = true }
                continue
            }
            guard let called = functions[callee] else {
                opaque = true
                continue
            }
            if called.securityDefiner {
                definerSet.insert(callee)
                continue
            }
            // An invoker callee runs as this function's owner: its reads are this one's.
            guard called.sqlStandardBody != false, let calledReads = called.reads else {
                opaque = true
                continue
            }
            columns.formUnion(calledReads)
            pending += called.calls ?? []
        }
        reads = opaque ? nil : columns.sorted()
        definers = definerSet.sorted()
    }
}
