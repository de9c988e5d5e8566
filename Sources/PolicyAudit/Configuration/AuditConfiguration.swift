import Foundation
import Yams
import AuditSupport
import SnapshotModel
import AccessPolicy

/// A package's `.access-audit.yml`: where its policies and snapshots are and how the gate runs.
/// Paths are relative to the file's folder; snapshot entries may end in a `*` glob.
///
/// ```yaml
/// policies: [policies]
/// snapshots: [snapshots/*.json]
/// fail_on: high
/// baseline: .access-audit-baseline.json
/// format: sarif
/// output: access-audit.sarif
/// ```
package struct AuditConfiguration: Sendable, Equatable {
    package var policies: [String] = []
    package var snapshots: [String] = []
    package var failOn: Severity?
    package var baseline: String?
    package var format: String?
    package var output: String?

    package init() {}

    package static let keys = ["policies", "snapshots", "fail_on", "baseline", "format", "output"]

    /// Loads and resolves a configuration file strictly (unknown keys are errors).
    package static func load(path: String) throws(InputError) -> AuditConfiguration {
        let start = SourceLocation(file: path, line: 1, column: 1)
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw InputError(start, "cannot read configuration file")
        }
        try YAMLPrescan(file: path, limits: .init()).check(text)
        let root: Yams.Node?
        do {
            root = try Yams.Parser(yaml: text).singleRoot()
        } catch let error as YamlError {
            throw PolicyLoader.diagnose(error, file: path)
        } catch {
            throw InputError(start, "cannot parse YAML: \(error)")
        }
        guard let root else { throw InputError(start, "configuration file is empty") }
        let reader = YAMLReader(node: root, file: path, budget: .init(10_000), depth: 0)
        let fields = try reader.mapping(allowed: keys, what: "the configuration")
        let folder = (path as NSString).deletingLastPathComponent
        func resolve(_ value: String) -> String { value.hasPrefix("/") ? value : (folder as NSString).appendingPathComponent(value) }
        var configuration = AuditConfiguration()
        configuration.policies = try fields["policies"]?.strings(what: "policies").map { resolve($0.0) } ?? []
        configuration.snapshots = try fields["snapshots"]?.strings(what: "snapshots").map { resolve($0.0) } ?? []
        configuration.failOn = try fields["fail_on"]?.severity(what: "fail_on")
        if let baseline = fields["baseline"] { configuration.baseline = resolve(try baseline.string(what: "baseline")) }
        if let format = fields["format"] {
            let value = try format.string(what: "format")
            guard ["text", "json", "sarif", "junit", "markdown", "github"].contains(value) else {
                throw InputError(format.location, "unknown format '\(value)'", fix: "one of text, json, sarif, junit, markdown, github")
            }
            configuration.format = value
        }
        if let output = fields["output"] { configuration.output = resolve(try output.string(what: "output")) }
        return configuration
    }

    /// Expands a trailing-component `*` glob (`snapshots/*.json`) to the sorted matching files;
    /// a plain path is returned as it is. A glob matching nothing is an error: a gate must not
    /// pass because it found nothing to read.
    package static func expand(_ pattern: String) throws(InputError) -> [String] {
        let name = (pattern as NSString).lastPathComponent
        guard name.contains("*") || name.contains("?") else { return [pattern] }
        let folder = (pattern as NSString).deletingLastPathComponent
        let glob = NamePattern(name)
        let matches = ((try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? [])
            .filter { glob.matches($0) }.sorted().map { (folder as NSString).appendingPathComponent($0) }
        guard !matches.isEmpty else {
            throw InputError(SourceLocation(file: pattern, line: 1, column: 1), "no snapshot matches '\(pattern)'")
        }
        return matches
    }
}
