import AccessEngine
import AccessPolicy

extension ObjectNameIndex {
    /// The objects of the selector's kind that one of its patterns matches, in index order.
    package func objects(matching selector: ObjectSelector) -> [ObjectIndex] {
        objects(of: selector.kind, matchingAny: selector.patterns)
    }
}
