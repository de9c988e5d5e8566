/// Work cut into contiguous parts for several threads (a partitioned check's columns).
extension Array {
    /// The `part`-th of `count` contiguous slices, cut only where `sameUnit` says two
    /// neighbours belong apart (a table's columns stay in one part).
    package func contiguousPart(_ part: Int, of count: Int, keepingTogether sameUnit: (Element, Element) -> Bool) -> ArraySlice<Element> {
        guard count > 1 else { return self[...] }
        func boundary(_ k: Int) -> Int {
            var cut = Swift.min(self.count, self.count * k / count)
            while cut > 0, cut < self.count, sameUnit(self[cut - 1], self[cut]) { cut += 1 }
            return cut
        }
        let start = part == 0 ? 0 : boundary(part)
        let end = part == count - 1 ? self.count : boundary(part + 1)
        return self[Swift.min(start, end)..<end]
    }
}
