import Foundation

/// The one place that decides which files are policy inputs: policy files (`*.yaml`, `*.yml`)
/// and, beside them, policy tests (`*.test.yaml`, `*.test.yml`), which are not policies. Used
/// for folders on disk (`check`, `test`, `diff --head-policies`) and for a git revision's
/// listing (`diff --base-ref`), so both sides of a diff read the same files.
package enum PolicyFiles {
    /// What a file is, by its name.
    package enum Kind: Sendable {
        case policy, test
    }

    /// The kind of a file by its name; nil for anything else.
    package static func kind(of path: String) -> Kind? {
        let name = path.lowercased()
        if name.hasSuffix(".test.yaml") || name.hasSuffix(".test.yml") { return .test }
        if name.hasSuffix(".yaml") || name.hasSuffix(".yml") { return .policy }
        return nil
    }

    /// Whether a file, named by its path relative to the folder given (on disk or in git), is an
    /// input of `kind`: hidden files and folders (`.git`, `.build`) are not.
    package static func isInput(_ relativePath: String, kind wanted: Kind) -> Bool {
        guard kind(of: relativePath) == wanted else { return false }
        return !relativePath.split(separator: "/").contains { $0.hasPrefix(".") && $0 != "." && $0 != ".." }
    }

    /// The files of `kind` below `folder` on disk (paths joined to it), sorted.
    package static func files(in folder: String, kind wanted: Kind) -> [String] {
        var found: [String] = []
        let enumerator = FileManager.default.enumerator(atPath: folder)
        while let relative = enumerator?.nextObject() as? String {
            if (relative as NSString).lastPathComponent.hasPrefix(".") {
                enumerator?.skipDescendants()
                continue
            }
            if isInput(relative, kind: wanted) { found.append((folder as NSString).appendingPathComponent(relative)) }
        }
        return found.sorted()
    }
}
