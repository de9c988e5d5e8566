import Foundation
import Yams
import AuditSupport

/// Loads policy files and folders (every `*.yaml`/`*.yml` below a folder), strictly, merges
/// them and cross-checks references. Everything wrong is an `InputError` with locations.
package struct PolicyLoader: Sendable {
    /// The largest policy file accepted, in bytes.
    package var maximumFileSize = 1 << 20
    /// The most YAML nodes one file may expand to (aliases count each time they are used).
    package var maximumNodes = 200_000

    /// The ids of the built-in checks (reserved for them; exceptions may name them). The policy
    /// module does not know the checks: the audit supplies them (`PolicyLoader()` in `PolicyAudit`).
    package var builtInCheckIDs: [String]

    package init(builtInCheckIDs: [String]) {
        self.builtInCheckIDs = builtInCheckIDs
    }

    /// Loads and merges the policy files at `paths` (files or folders).
    package func load(paths: [String]) throws(InputError) -> Policy {
        try load(sources: try read(paths: paths).map { (file: $0.file, text: $0.text) })
    }

    /// One policy file as read: its bytes and their text.
    package struct SourceFile: Sendable {
        package var file: String
        package var data: Data
        package var text: String
    }

    /// The policy files at `paths` (files or folders), read, size-limited and UTF-8-checked:
    /// what `load(paths:)` parses, for callers that must also attest exactly what they read.
    package func read(paths: [String]) throws(InputError) -> [SourceFile] {
        var sources: [SourceFile] = []
        var diagnostics: [Diagnostic] = []
        for file in try policyFiles(paths) {
            do { sources.append(try readFile(file)) } catch { diagnostics += error.diagnostics }
        }
        if !diagnostics.isEmpty { throw InputError(diagnostics) }
        return sources
    }

    /// Loads and merges policies given as texts (e.g. read from a git revision); each source's
    /// `file` names it in errors and finding locations.
    package func load(sources: [(file: String, text: String)]) throws(InputError) -> Policy {
        // Files are independent until merged: several are parsed on the machine's cores (a
        // large policy is split into files under the size limit). Results keep the files' order.
        let loader = self
        let parse: @Sendable (Int) -> Result<PolicyFragment, InputError> = { i in
            Result { () throws(InputError) in try loader.parseFragment(sources[i].text, file: sources[i].file) }
        }
        let parsed = sources.count > 1 && Concurrently.hasSeveralCores ? Concurrently.map(count: sources.count, parse) : sources.indices.map(parse)
        var fragments: [PolicyFragment] = []
        var diagnostics: [Diagnostic] = []
        for result in parsed {
            switch result {
            case .success(let fragment): fragments.append(fragment)
            case .failure(let error): diagnostics += error.diagnostics
            }
        }
        if !diagnostics.isEmpty { throw InputError(diagnostics) }
        return try PolicyMerger(builtInCheckIDs: builtInCheckIDs).merge(fragments)
    }

    /// Parses one policy text; `file` names it in errors.
    package func parse(_ text: String, file: String) throws(InputError) -> Policy {
        try PolicyMerger(builtInCheckIDs: builtInCheckIDs).merge([try parseFragment(text, file: file)])
    }

    func policyFiles(_ paths: [String]) throws(InputError) -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw InputError(SourceLocation(file: path, line: 1, column: 1), "no such policy file or folder")
            }
            if !isDirectory.boolValue {
                files.append(path)
                continue
            }
            // Policy tests (*.test.yaml) live beside the policies but are not policy files.
            let found = PolicyFiles.files(in: path, kind: .policy)
            if found.isEmpty {
                throw InputError(SourceLocation(file: path, line: 1, column: 1), "folder holds no *.yaml or *.yml policy file")
            }
            files += found
        }
        return files
    }

    private func readFile(_ file: String) throws(InputError) -> SourceFile {
        let start = SourceLocation(file: file, line: 1, column: 1)
        if let size = (try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int, size > maximumFileSize {
            throw InputError(start, "policy file is \(size) bytes, over the limit of \(maximumFileSize)")
        }
        guard let data = FileManager.default.contents(atPath: file) else { throw InputError(start, "cannot read policy file") }
        guard let text = String(data: data, encoding: .utf8) else { throw InputError(start, "policy file is not UTF-8") }
        return SourceFile(file: file, data: data, text: text)
    }

    func parseFragment(_ text: String, file: String) throws(InputError) -> PolicyFragment {
        let start = SourceLocation(file: file, line: 1, column: 1)
        guard text.utf8.count <= maximumFileSize else {
            throw InputError(start, "policy file is \(text.utf8.count) bytes, over the limit of \(maximumFileSize)")
        }
        try YAMLPrescan(file: file, limits: .init()).check(text)
        let root: Node?
        do {
            // The basic resolver: every plain scalar stays a string (the policy reader types values
            // itself, strictly), which spares Yams a regular-expression match per scalar.
            root = try Parser(yaml: text, resolver: .basic).singleRoot()
        } catch let error as YamlError {
            throw Self.diagnose(error, file: file)
        } catch {
            throw InputError(start, "cannot parse YAML: \(error)")
        }
        guard let root else { throw InputError(start, "policy file is empty") }
        let reader = YAMLReader(node: root, file: file, budget: .init(maximumNodes), depth: 0)
        return try PolicyParser(file: file).parse(reader)
    }

    package static func diagnose(_ error: YamlError, file: String) -> InputError {
        func at(_ mark: Mark) -> SourceLocation { SourceLocation(file: file, line: mark.line, column: mark.column) }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) (\($0.text))" } ?? problem
            return InputError(at(mark), "invalid YAML: \(detail)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return InputError(at(context.mark), "duplicate key '\(duplicates.joined(separator: "', '"))'")
        case .reader(let problem, _, _, _):
            return InputError(SourceLocation(file: file, line: 1, column: 1), "cannot read YAML: \(problem)")
        default:
            return InputError(SourceLocation(file: file, line: 1, column: 1), "invalid YAML: \(error)")
        }
    }
}
