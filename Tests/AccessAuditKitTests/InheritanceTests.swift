@testable import SnapshotModel
@testable import AccessEngine
@testable import PolicyAudit
import Testing

/// Classes flow along inheritance (partitions and INHERITS children) by column name: SELECT on
/// a partition returns its own rows, SELECT on a parent returns its children's rows. The same
/// reads are attacked on real servers by `CapabilityRoadTests.rowsGoWhereTheAuditSays`.
@Suite("Classification through inheritance and partitions")
struct InheritanceTests {
    static func classification(classified column: String) throws -> (DataClassification, AccessGraph) {
        let snapshot = SnapshotBuilder()
            .table("public.customers", columns: ["id", "email"])
            .table("public.customers_2025", columns: ["id", "email"]).inherits("public.customers_2025", from: "public.customers")
            .table("public.customers_2025_q1", columns: ["id", "email", "note"])
            .inherits("public.customers_2025_q1", from: "public.customers_2025")
            .table("public.tickets", columns: ["id", "email"]).build()
        let graph = AccessGraph(snapshot: snapshot)
        let policy = try policy("""
            version: 1
            data_classes:
              pii:
                severity: critical
                columns: [\(column)]
            """)
        return (DataClassification(policy: policy, graph: graph), graph)
    }

    static func classifiedNames(_ classification: DataClassification, _ graph: AccessGraph) -> Set<String> {
        Set(classification.classesOfColumn.keys.map(graph.name(of:)))
    }

    @Test func aClassifiedParentColumnIsClassifiedInEveryPartitionBelowIt() throws {
        let (classification, graph) = try Self.classification(classified: "public.customers.email")
        #expect(Self.classifiedNames(classification, graph) == [
            "public.customers.email", "public.customers_2025.email", "public.customers_2025_q1.email",
        ])
    }

    @Test func aClassifiedChildColumnClassifiesItsParentsWhoseSelectReturnsItsRows() throws {
        let (classification, graph) = try Self.classification(classified: "public.customers_2025_q1.email")
        // Up to every ancestor (their SELECT returns the child's rows), and from there down to
        // the siblings' inherited column: they are the same column of the same hierarchy.
        #expect(Self.classifiedNames(classification, graph) == [
            "public.customers.email", "public.customers_2025.email", "public.customers_2025_q1.email",
        ])
        // A child's own column (not inherited) stays its own; unrelated tables are untouched.
        #expect(!Self.classifiedNames(classification, graph).contains("public.tickets.email"))
    }

    @Test func aPartitionNamedDirectlyIsAuditedOnItsOwnACL() throws {
        let snapshot = SnapshotBuilder().role("mallory", login: true)
            .table("public.customers", columns: ["id", "email"])
            .table("public.customers_2025", columns: ["id", "email"]).inherits("public.customers_2025", from: "public.customers")
            .grant([.select], on: "public.customers_2025", to: "mallory").build()
        let findings = try audit("""
            version: 1
            data_classes:
              pii: {severity: critical, columns: [public.customers.email]}
            rules:
              - id: no-pii
                description: Nobody reads customer emails.
                severity: critical
                deny: {privileges: [SELECT], data_class: pii}
            """, snapshot)
        #expect(findings.contains { $0.rule == "no-pii" && $0.object == "public.customers_2025" && $0.affected.contains { $0.name == "mallory" } })
    }

    @Test func requiringRowSecurityOnAPartitionedTableRequiresItOnItsPartitions() throws {
        func findings(partitionRLS: Bool) throws -> [Finding] {
            let snapshot = SnapshotBuilder()
                .table("public.customers", columns: ["id", "email"], rowSecurity: true)
                .table("public.customers_2025", columns: ["id", "email"], rowSecurity: partitionRLS)
                .inherits("public.customers_2025", from: "public.customers").build()
            return try audit("""
                version: 1
                rules:
                  - id: rls-on
                    severity: high
                    require: {tables: [public.customers], row_security: true}
                """, snapshot).filter { $0.rule == "rls-on" }
        }
        let missing = try findings(partitionRLS: false)
        #expect(missing.count == 1)
        #expect(missing.first?.object == "public.customers_2025")
        #expect(missing.first?.message.contains("which inherits from public.customers") == true)
        #expect(try findings(partitionRLS: true).isEmpty)
    }
}
