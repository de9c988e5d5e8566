/// Reads the policy and the snapshots at the same time: they are independent, and on a
/// 2-core CI machine decoding a large snapshot and parsing a large policy overlap fully. `check`,
/// `report` and the benchmark all load through here.
package enum ParallelLoading {
    package static func load<A: Sendable, B: Sendable>(
        _ first: @escaping @Sendable () throws(InputError) -> A, _ second: @escaping @Sendable () throws(InputError) -> B
    ) throws(InputError) -> (A, B) {
        let (left, right) = Concurrently.pair(
            { Result { () throws(InputError) in try first() } },
            { Result { () throws(InputError) in try second() } })
        switch (left, right) {
        case (.success(let x), .success(let y)): return (x, y)
        case (.failure(let error), .success), (.success, .failure(let error)): throw error
        case (.failure(let e1), .failure(let e2)): throw InputError(e1.diagnostics + e2.diagnostics)
        }
    }
}
