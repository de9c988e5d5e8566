import Foundation
import Testing

/// `init` and `test` on the command line.
@Suite("Policy authoring commands")
struct AuthoringCommandTests {
    @Test func initWritesAPolicyTheExamplePassesAndRerunsAreByteIdentical() throws {
        let first = FileManager.default.temporaryDirectory.appendingPathComponent("init-\(UUID().uuidString)")
        let second = FileManager.default.temporaryDirectory.appendingPathComponent("init-\(UUID().uuidString)")
        #expect(try CLI.run(["init", "--snapshot", CLI.exampleSnapshot, "--output", first.path]).status == 0)
        #expect(try CLI.run(["init", "--snapshot", CLI.exampleSnapshot, "--output", second.path]).status == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: first.path).sorted()
        #expect(names == (try FileManager.default.contentsOfDirectory(atPath: second.path).sorted()))
        for name in names {
            #expect(try Data(contentsOf: first.appendingPathComponent(name)) == (try Data(contentsOf: second.appendingPathComponent(name))), "\(name) differs")
        }
        let check = try CLI.run(["check", "--fail-on", "low", "--policies", first.path, "--snapshot", CLI.exampleSnapshot, "--as-of", "2026-11-22"])
        #expect(check.status == 0, "\(check.stdout)")
        // Refuses to overwrite without --force.
        #expect(try CLI.run(["init", "--snapshot", CLI.exampleSnapshot, "--output", first.path]).status == 2)
    }

    @Test func theExamplePolicyTestsPass() throws {
        let result = try CLI.run(["test", CLI.examplePolicies])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("10 passed, 0 failed"))
    }

    @Test func aFailingTestExitsOneWithTheDifference() throws {
        let file = try CLI.temporaryFile("wrong.test.yaml", """
            version: 1
            policies: [\(CLI.examplePolicies)]
            as_of: 2026-11-22
            tests:
              - name: expects the wrong principal
                fixture:
                  roles:
                    support_owner: {}
                    analytics_export: {}
                  tables:
                    public.customers: {owner: support_owner, columns: [id, email]}
                  grants:
                    - {table: public.customers, privileges: [SELECT], to: analytics_export}
                expect:
                  - {rule: pii-readers, principal: billing}
              - name: another test
                fixture: {}
                rules: [pii-readers]
                expect: clean
            """)
        let result = try CLI.run(["test", file.path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAIL \(file.path): expects the wrong principal"))
        #expect(result.stdout.contains("- expected, not found: {rule: pii-readers, principal: billing}"))
        #expect(result.stdout.contains("+ found, not expected: {rule: pii-readers, analytics_export public.customers.email SELECT}"))
        #expect(result.stdout.contains("1 passed, 1 failed"))
        let filtered = try CLI.run(["test", file.path, "--run", "another"])
        #expect(filtered.status == 0)
        #expect(filtered.stdout.contains("1 passed, 0 failed"))
    }

    @Test func aBrokenTestFileExitsTwoWithItsLocation() throws {
        let file = try CLI.temporaryFile("broken.test.yaml", """
            version: 1
            policies: [\(CLI.examplePolicies)]
            tests:
              - name: typo
                fixture:
                  roles: {alice: {login: yes}}
                expect: clean
            """)
        let result = try CLI.run(["test", file.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(file.path):6:"))
        let unknownRole = try CLI.temporaryFile("role.test.yaml", """
            version: 1
            policies: [\(CLI.examplePolicies)]
            tests:
              - name: typo
                fixture:
                  roles: {analytics_export: {}}
                  grants: [{table: public.x, privileges: [SELECT], to: analytcs_export}]
                expect: clean
            """)
        let second = try CLI.run(["test", unknownRole.path])
        #expect(second.status == 2)
        #expect(second.stderr.contains("did you mean 'analytics_export'?"))
    }

    @Test func validateSuggestsTheFixForMisspeltKeysRolesAndPrivileges() throws {
        let file = try CLI.temporaryFile("typos.yaml", "version: 1\nroles:\n  alice:\n    kind: human\n    membr_of: [x]\n")
        #expect(try CLI.run(["validate", "--policies", file.path]).stderr.contains("unknown key 'membr_of' in role 'alice' (did you mean 'member_of'?)"))
        let role = try CLI.temporaryFile("role.yaml", "version: 1\nroles:\n  agents: {kind: group}\n  bob: {kind: human, member_of: [agnets]}\n")
        #expect(try CLI.run(["validate", "--policies", role.path]).stderr.contains("(did you mean 'agents'?)"))
        let privilege = try CLI.temporaryFile("privilege.yaml", "version: 1\nroles:\n  a:\n    kind: group\n    grants: [{table: t.x, privileges: [UDPATE]}]\n")
        #expect(try CLI.run(["validate", "--policies", privilege.path]).stderr.contains("(did you mean 'UPDATE'?)"))
    }
}
