import Foundation
import Testing

/// The library's modules follow the data flow: a module imports only modules before it in this
/// order, and `Package.swift` declares every import as a dependency. SwiftPM refuses a cycle, but
/// an import of a module that is merely built earlier can compile by accident; this test makes
/// every back-edge and every undeclared import a failure naming the file.
@Suite("Modules along the data flow")
struct ModuleLayeringTests {
    /// The order of the data flow (the README's layout section draws it).
    static let order = [
        "AuditSupport", "SnapshotModel", "AccessEngine", "AccessPolicy", "ServerUsage", "PolicyAudit",
        "QuarterlyReview", "FormatSchemas", "PolicyAuthoring", "SyntheticSnapshots",
        "SnapshotExport", "AuditCommands",
    ]
    /// Modules only the executables may import: they must not appear in the library's imports.
    static let tools = ["SyntheticSnapshots", "SnapshotExport", "AuditCommands"]

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func imports(ofModule module: String) throws -> [(file: String, line: Int, module: String)] {
        let folder = root.appendingPathComponent("Sources/\(module)")
        let names = try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }.sorted()
        var found: [(file: String, line: Int, module: String)] = []
        for name in names {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let words = line.split(separator: " ")
                if let index = words.firstIndex(of: "import"), index == words.startIndex || words[words.startIndex] == "@testable", words.count > index + 1 {
                    found.append(("Sources/\(module)/\(name)", number + 1, String(words[index + 1])))
                }
            }
        }
        return found
    }

    @Test func everyLibraryFolderIsAModuleInTheOrder() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("Sources").path)
            .filter { $0.first?.isUppercase == true }
        #expect(Set(folders) == Set(Self.order), "a module folder is missing from the layering order, or the order names a module that is gone")
    }

    @Test func aModuleImportsOnlyModulesBeforeIt() throws {
        for (position, module) in Self.order.enumerated() {
            for found in try Self.imports(ofModule: module) {
                guard let target = Self.order.firstIndex(of: found.module) else { continue }
                #expect(target < position, "\(found.file):\(found.line): \(module) imports \(found.module), which comes after it in the data flow")
                if !["SnapshotExport", "AuditCommands"].contains(module) {
                    #expect(!Self.tools.contains(found.module), "\(found.file):\(found.line): the library imports the tool module \(found.module)")
                }
            }
        }
    }

    @Test func everyImportIsADeclaredDependency() throws {
        let manifest = try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        for module in Self.order {
            // The target's declaration, up to the next target: its dependencies are named there.
            let start = try #require(manifest.range(of: "name: \"\(module)\""), "\(module) is not a target in Package.swift")
            let rest = manifest[start.upperBound...]
            let ends = [".target(", ".executableTarget(", ".testTarget(", ".plugin("].compactMap { rest.range(of: $0)?.lowerBound }
            let declaration = ends.min().map { rest[..<$0] } ?? rest
            for found in try Self.imports(ofModule: module) where Self.order.contains(found.module) {
                #expect(declaration.contains("\"\(found.module)\""), "\(found.file):\(found.line): \(found.module) is imported but not a declared dependency of \(module)")
            }
        }
    }

    @Test func theExporterDependsOnTheSnapshotModuleAlone() throws {
        let imported = Set(try Self.imports(ofModule: "SnapshotExport").map(\.module)).intersection(Self.order)
        #expect(imported == ["SnapshotModel"])
    }
}
