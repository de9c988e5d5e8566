@testable import SnapshotModel
@testable import AccessEngine
import Testing

@Suite("Large objects are read by their ACL alone")
struct LargeObjectTests {
    static func readers(_ snapshot: Snapshot) throws -> Set<String> {
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        let group = try #require(engine.graph.objects.indices.first { engine.graph.objects[$0].kind == .largeObject })
        let causes = ReachQuery(engine: engine).causes(.select, column: ColumnRef(object: group, column: 0))
        return Set(causes.flatMap(\.reachers).map { engine.graph.roles[$0.principal].name })
    }

    @Test func aclGrantsReadAndPgReadAllDataDoesNot() throws {
        let snapshot = SnapshotBuilder().role("attachments").role("clerk", login: true).role("analyst", login: true).role("pg_read_all_data")
            .member("analyst", of: "pg_read_all_data").largeObjects(owner: "attachments", count: 3)
            .grant([.select], on: "attachments", kind: .largeObject, to: "clerk").build()
        let readers = try Self.readers(snapshot)
        #expect(readers.contains("clerk") && readers.contains("attachments"))
        #expect(!readers.contains("analyst"))
    }

    @Test func compatPrivilegesOnLetEveryoneInAndASetGrantLetsItsHolderIn() throws {
        var on = SnapshotBuilder().role("attachments").role("clerk", login: true).largeObjects(owner: "attachments").build()
        on.largeObjectCompatPrivileges = true
        #expect(try Self.readers(on).contains("clerk"))
        let set = SnapshotBuilder().role("attachments").role("clerk", login: true).role("tuner", login: true)
            .largeObjects(owner: "attachments").parameterGrant(.set, on: "lo_compat_privileges", to: "tuner").build()
        let readers = try Self.readers(set)
        #expect(readers.contains("tuner") && !readers.contains("clerk"))
    }
}
