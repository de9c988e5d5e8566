/// Reads the policy and the snapshots at the same time: they are independent, and on a
/// 2-core CI machine decoding a large snapshot and parsing a large policy overlap fully.
package enum ParallelLoading {
    package static func load<A: Sendable, B: Sendable>(
        _ first: @escaping @Sendable () throws(InputError) -> A, _ second: @escaping @Sendable () throws(InputError) -> B
    ) async throws(InputError) -> (A, B) {
        async let a = Result { () throws(InputError) in try first() }
        async let b = Result { () throws(InputError) in try second() }
        let (left, right) = await (a, b)
        switch (left, right) {
        case (.success(let x), .success(let y)): return (x, y)
        case (.failure(let error), .success), (.success, .failure(let error)): throw error
        case (.failure(let e1), .failure(let e2)): throw InputError(e1.diagnostics + e2.diagnostics)
        }
    }
}
