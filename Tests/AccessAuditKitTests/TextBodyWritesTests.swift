@testable import SnapshotModel
@testable import AccessEngine
import Testing

/// plpgsql and string-bodied definer functions, definer trigger functions, INSTEAD OF triggers
/// and views over views: the writes PostgreSQL makes with someone else's rights.
@Suite("What text bodies, triggers and views over views write")
struct TextBodyWritesTests {
    // MARK: - Reading a text body

    @Test func updateSetListsInsertColumnListsDeletesAndMergesAreReadAndLocksAreNot() {
        let source = """
            DECLARE r record;
            BEGIN
              SELECT * INTO r FROM public.customers WHERE id = customer FOR UPDATE;
              SELECT 1 FROM tickets FOR NO KEY UPDATE;
              UPDATE ONLY public.customers c SET email = lower(address), (phone, "Fax") = (NULL, '') WHERE c.id = customer;
              INSERT INTO audit_log AS a (at, who) VALUES (now(), current_user)
                ON CONFLICT (at) DO UPDATE SET who = EXCLUDED.who;
              INSERT INTO "Archive".tickets SELECT * FROM tickets;
              DELETE FROM ONLY tickets WHERE id = customer;
              MERGE INTO public.notes n USING tickets t ON t.id = n.id WHEN MATCHED THEN DELETE;
              TRUNCATE TABLE scratch;
              PERFORM public.notify_customer(customer);
              RETURN NEW;
            END
            """
        let writes = SourceWrites(source: source)
        #expect(!writes.dynamic)
        #expect(writes.targets == [
            .init(name: "public.customers", privilege: .update, columns: ["email", "phone", "Fax"]),
            .init(name: "audit_log", privilege: .insert, columns: ["at", "who"]),
            .init(name: "audit_log", privilege: .update, columns: ["who"]),
            .init(name: "Archive.tickets", privilege: .insert, columns: nil),
            .init(name: "tickets", privilege: .delete, columns: nil),
            .init(name: "public.notes", privilege: .update, columns: nil),
            .init(name: "public.notes", privilege: .insert, columns: nil),
            .init(name: "public.notes", privilege: .delete, columns: nil),
            .init(name: "scratch", privilege: .truncate, columns: nil),
        ])
        #expect(writes.calls.contains("public.notify_customer"))
        #expect(writes.calls.contains("lower"))
        #expect(!writes.calls.contains("tickets"))
    }

    @Test func executeMakesTheBodyDynamic() {
        #expect(SourceWrites(source: "BEGIN EXECUTE format('', col) USING v; END").dynamic)
        #expect(!SourceWrites(source: "BEGIN RETURN ''; END").dynamic)
    }

    // MARK: - Definer functions with text bodies

    static func definer(source: String, config: [String]? = ["search_path=app, pg_temp"]) -> Snapshot {
        SnapshotBuilder().role("crm").role("mallory", login: true)
            .table("app.customers", columns: ["id", "email", "last_seen"]).table("other.customers", columns: ["id", "email", "last_seen"])
            .table("app.tickets", columns: ["id", "body"])
            .grant([.update], on: "app.customers", to: "crm").grant([.update], on: "other.customers", to: "crm")
            .grant([.usage], on: "app", kind: .schema, to: "mallory").grant([.usage], on: "other", kind: .schema, to: "mallory")
            .function("app.touch", owner: "crm", securityDefiner: true, publicExecute: false)
            .body(of: "app.touch", language: "plpgsql", config: config, sqlStandardBody: false, source: source)
            .grant([.execute], on: "app.touch()", kind: .function, to: "mallory").build()
    }

    @Test func aPlpgsqlDefinerWritesTheColumnsItsStatementsNameInItsPinnedPathForwardAndReverse() throws {
        let engine = EffectiveAccessEngine(snapshot: Self.definer(source: "BEGIN UPDATE customers SET last_seen = now() WHERE id = 1; END"))
        let written = try engine.entries("mallory", .update, on: "app.customers", column: "last_seen")
        #expect(written.contains { $0.route == .function })
        #expect(try engine.entries("mallory", .update, on: "app.customers", column: "email").isEmpty)
        #expect(try engine.entries("mallory", .update, on: "other.customers", column: "last_seen").isEmpty)
        let mallory = try engine.role("mallory")
        let reach = ReachQuery(engine: engine)
        #expect(reach.causes(.update, column: try engine.column("app.customers.last_seen")).contains { $0.reachers.contains { $0.principal == mallory } })
        #expect(!reach.causes(.update, column: try engine.column("app.customers.email")).contains { $0.reachers.contains { $0.principal == mallory } })
    }

    @Test func anUnpinnedBodysUnqualifiedNameMayBeAnySchemasTable() throws {
        let engine = EffectiveAccessEngine(snapshot: Self.definer(source: "BEGIN UPDATE customers SET email = '' ; END", config: nil))
        #expect(!(try engine.entries("mallory", .update, on: "app.customers", column: "email")).isEmpty)
        #expect(!(try engine.entries("mallory", .update, on: "other.customers", column: "email")).isEmpty)
    }

    @Test func aDynamicBodyWritesWhatItsOwnerCanWriteAndNothingElse() throws {
        let engine = EffectiveAccessEngine(snapshot: Self.definer(source: "BEGIN EXECUTE format('', c) USING v; END"))
        #expect(try engine.entries("mallory", .update, on: "app.customers").contains { $0.route == .function })
        #expect(try engine.entries("mallory", .update, on: "other.customers").contains { $0.route == .function })
        // crm may not write tickets: neither may its function.
        #expect(try engine.entries("mallory", .update, on: "app.tickets").isEmpty)
        #expect(try engine.entries("mallory", .delete, on: "app.customers").isEmpty)
        let mallory = try engine.role("mallory")
        #expect(ReachQuery(engine: engine).causes(.update, column: try engine.column("other.customers.email")).contains {
            $0.reachers.contains { $0.principal == mallory }
        })
    }

    // MARK: - Triggers

    static func triggered(securityDefiner: Bool, timing: SnapshotTrigger.Timing = .after, on relation: String = "app.requests") -> Snapshot {
        SnapshotBuilder().role("crm").role("mallory", login: true)
            .table("app.customers", columns: ["id", "email"]).table("app.requests", columns: ["id", "email"])
            .view("app.email_requests", owner: "crm", columns: ["id", "email"], reads: ["app.customers.id", "app.customers.email"])
            .grant([.select, .update, .insert], on: "app.customers", to: "crm")
            .grant([.usage], on: "app", kind: .schema, to: "mallory")
            .grant([.insert], on: relation, to: "mallory")
            .function("app.apply_request", owner: "crm", securityDefiner: securityDefiner)
            .body(of: "app.apply_request", language: "plpgsql", config: ["search_path=app, pg_temp"], sqlStandardBody: false,
                  source: securityDefiner ? "BEGIN UPDATE customers SET email = NEW.email WHERE id = NEW.id; RETURN NEW; END" : nil,
                  returnsTrigger: true)
            .trigger("apply", on: relation, function: "app.apply_request()", events: [.insert], timing: timing).build()
    }

    @Test func writingARelationFiresItsDefinerTriggerFunctionsWritesForwardAndReverse() throws {
        let engine = EffectiveAccessEngine(snapshot: Self.triggered(securityDefiner: true))
        let written = try engine.entries("mallory", .update, on: "app.customers", column: "email")
        let entry = try #require(written.first)
        #expect(entry.path.steps.contains { if case .definerTrigger(let trigger, "app.requests", _, "crm") = $0 { return trigger == "apply" } else { return false } })
        let mallory = try engine.role("mallory")
        #expect(ReachQuery(engine: engine).causes(.update, column: try engine.column("app.customers.email")).contains {
            $0.reachers.contains { $0.principal == mallory }
        })
    }

    @Test func anInvokerTriggerFunctionAndExecuteOnATriggerFunctionGiveNothing() throws {
        let invoker = EffectiveAccessEngine(snapshot: Self.triggered(securityDefiner: false))
        #expect(try invoker.entries("mallory", .update, on: "app.customers", column: "email").isEmpty)
        // PUBLIC's EXECUTE on a definer trigger function calls nothing: it runs only as a trigger.
        let definer = EffectiveAccessEngine(snapshot: Self.triggered(securityDefiner: true, on: "app.customers"))
        #expect(try definer.entries("mallory", .select, on: "app.customers", column: "email").isEmpty)
    }

    @Test func anInsteadOfTriggerTakesTheEventFromAnAutoUpdatableView() throws {
        func snapshot(timing: SnapshotTrigger.Timing?) -> Snapshot {
            var snapshot = SnapshotBuilder().role("crm").role("mallory", login: true)
                .table("app.customers", columns: ["id", "email"])
                .view("app.email_requests", owner: "crm", columns: ["id", "email"], reads: ["app.customers.id", "app.customers.email"])
                .grant([.select, .update, .insert], on: "app.customers", to: "crm")
                .grant([.usage], on: "app", kind: .schema, to: "mallory")
                .grant([.insert], on: "app.email_requests", to: "mallory")
                .function("app.queue_request", owner: "crm").body(of: "app.queue_request", language: "plpgsql", returnsTrigger: true)
                .build()
            if let view = snapshot.tables.firstIndex(where: { $0.name == "email_requests" }) {
                snapshot.tables[view].updatable = [.insert, .update, .delete]
                if let timing {
                    snapshot.tables[view].triggers = [SnapshotTrigger(name: "queue", function: "app.queue_request()", events: [.insert], timing: timing)]
                }
            }
            return snapshot
        }
        #expect(!(try EffectiveAccessEngine(snapshot: snapshot(timing: nil)).entries("mallory", .insert, on: "app.customers", column: "email")).isEmpty)
        let replaced = EffectiveAccessEngine(snapshot: snapshot(timing: .insteadOf))
        #expect(try replaced.entries("mallory", .insert, on: "app.customers", column: "email").isEmpty)
        let mallory = try replaced.role("mallory")
        #expect(!ReachQuery(engine: replaced).causes(.insert, column: try replaced.column("app.customers.email")).contains {
            $0.reachers.contains { $0.principal == mallory }
        })
    }

    // MARK: - Views over views

    @Test func aColumnGrantOnAViewOverAnUpdatableDefinerViewWritesTheBaseForwardAndReverse() throws {
        var snapshot = SnapshotBuilder().role("crm").role("desk").role("mallory", login: true)
            .table("app.customers", columns: ["id", "email", "phone"])
            .view("app.contacts", owner: "crm", columns: ["id", "email", "phone"], reads: ["app.customers.id", "app.customers.email", "app.customers.phone"])
            .view("app.desk_contacts", owner: "desk", columns: ["id", "email", "phone"], reads: ["app.contacts.id", "app.contacts.email", "app.contacts.phone"])
            .grant([.select, .update], on: "app.customers", to: "crm")
            .grant([.select, .update], on: "app.contacts", to: "desk")
            .grant([.usage], on: "app", kind: .schema, to: "mallory")
            .grant([.update], on: "app.desk_contacts", columns: ["phone"], to: "mallory").build()
        for name in ["contacts", "desk_contacts"] {
            if let view = snapshot.tables.firstIndex(where: { $0.name == name }) {
                snapshot.tables[view].updatable = [.insert, .update, .delete]
                for column in snapshot.tables[view].columns.indices {
                    snapshot.tables[view].columns[column].reads = [snapshot.tables[view].reads?[column] ?? ""]
                }
            }
        }
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        #expect(!(try engine.entries("mallory", .update, on: "app.customers", column: "phone")).isEmpty)
        #expect(try engine.entries("mallory", .update, on: "app.customers", column: "email").isEmpty)
        let mallory = try engine.role("mallory")
        let reach = ReachQuery(engine: engine)
        let phone = reach.causes(.update, column: try engine.column("app.customers.phone"))
        let cause = try #require(phone.first { $0.reachers.contains { $0.principal == mallory } })
        let path = try #require(cause.reachers.first { $0.principal == mallory }).path.map(\.text).joined(separator: " → ")
        #expect(path.contains("app.desk_contacts") && path.contains("app.contacts"))
        #expect(!reach.causes(.update, column: try engine.column("app.customers.email")).contains { $0.reachers.contains { $0.principal == mallory } })
    }
}
