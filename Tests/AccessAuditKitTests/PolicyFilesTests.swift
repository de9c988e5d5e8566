import AccessPolicy
import Foundation
import Testing

@Suite("Which files are policy inputs")
struct PolicyFilesTests {
    @Test func policyTestsBesideThePoliciesAreNotPolicies() {
        #expect(PolicyFiles.kind(of: "policies/support-db/00-classes.yaml") == .policy)
        #expect(PolicyFiles.kind(of: "policies/support-db/rules.YML") == .policy)
        #expect(PolicyFiles.kind(of: "policies/support-db/tests/agents.test.yaml") == .test)
        #expect(PolicyFiles.kind(of: "policies/support-db/tests/agents.test.yml") == .test)
        #expect(PolicyFiles.kind(of: "policies/support-db/README.md") == nil)
        #expect(PolicyFiles.isInput("tests/agents.test.yaml", kind: .test))
        #expect(!PolicyFiles.isInput("tests/agents.test.yaml", kind: .policy))
    }

    @Test func hiddenFilesAndFoldersAreNotInputs() {
        #expect(!PolicyFiles.isInput(".github/workflow.yml", kind: .policy))
        #expect(!PolicyFiles.isInput("team/.draft.yaml", kind: .policy))
        #expect(PolicyFiles.isInput("./team/roles.yaml", kind: .policy))
    }

    @Test func aFolderOnDiskGivesTheSameFilesAsItsGitListing() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("policy-files-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let relative = ["00-classes.yaml", "teams/support.yml", "tests/agents.test.yaml", ".build/stale.yaml", "notes.txt"]
        for path in relative {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try "version: 1\n".write(to: url, atomically: true, encoding: .utf8)
        }
        let onDisk = PolicyFiles.files(in: folder.path, kind: .policy).map { String($0.dropFirst(folder.path.count + 1)) }
        #expect(onDisk == ["00-classes.yaml", "teams/support.yml"])
        #expect(onDisk == relative.filter { PolicyFiles.isInput($0, kind: .policy) }.sorted())
        #expect(PolicyFiles.files(in: folder.path, kind: .test).map { String($0.dropFirst(folder.path.count + 1)) } == ["tests/agents.test.yaml"])
    }
}
