import AuditSupport
import SnapshotModel
import AccessEngine
import AccessPolicy
import QuarterlyReview
import Foundation

/// Builds an `AttackScenario` on a real server, exports it, attacks it as every login role and
/// compares what each attack got out with what the audit reports.
struct AttackHarness {
    let server: PostgresServer
    let scenario: AttackScenario

    /// One canary a login role got out, and the script that got it; or a classified column it
    /// changed (`kind` u: UPDATE, i: INSERT) or probed for a value (p).
    struct Loot: Hashable {
        var role: String
        var table: Int
        var column: Int
        var technique: String
        /// s: the canary read; u, i, p: a write or probe marker raised.
        var kind: Character = "s"
    }

    /// What the audit says one classified column is reached by.
    struct Verdict {
        var reached: Set<String>
        var paths: [String: String]
    }

    struct Outcome {
        var loot: [Loot]
        var attempts: Int
        /// Login roles the audit reports reaching a classified column, per (table, column).
        var reported: [[Int]: Verdict]
        var snapshot: Snapshot

        /// Per (table, column, kind u/i/p as its ASCII value): login roles the audit reports
        /// writing (UPDATE, INSERT) or probing (REFERENCES; INSERT or UPDATE under a unique index) it.
        var reportedWrites: [[Int]: Set<String>]

        /// Per login role: `relation.column PRIVILEGE` for every row of the review's
        /// `access-by-login.csv` (every table classified), relations named with their children.
        var reviewed: Set<String>

        /// Loot the quarterly review does not list for that login role (reads, UPDATE, INSERT;
        /// probes are not reviewed privileges): the review would let an auditor sign it away.
        var reviewMisses: [Loot] {
            loot.filter { item in
                guard let privilege = Self.reviewedPrivilege[item.kind] else { return false }
                return !reviewed.contains("\(item.role)|\(item.table)|\(item.column)|\(privilege)")
            }
        }

        static let reviewedPrivilege: [Character: String] = ["s": "SELECT", "u": "UPDATE", "i": "INSERT"]

        /// Loot the audit did not report: a miss.
        var misses: [Loot] {
            loot.filter { item in
                guard item.kind != "s" else { return reported[[item.table, item.column]]?.reached.contains(item.role) != true }
                return reportedWrites[Self.writeKey(item.table, item.column, item.kind)]?.contains(item.role) != true
            }
        }

        static func writeKey(_ table: Int, _ column: Int, _ kind: Character) -> [Int] {
            [table, column, Int(kind.asciiValue ?? 0)]
        }

        /// How many canaries each technique got out (a role and column counted once per technique).
        var byTechnique: [String: Int] {
            var counts: [String: Int] = [:]
            for item in loot { counts[item.technique, default: 0] += 1 }
            return counts
        }
    }

    /// Creates the database, exports it, runs every attack of every login role.
    func run() async throws -> Outcome {
        try server.psql("CREATE DATABASE \(scenario.database)")
        let script = server.root.appendingPathComponent("scenario-\(scenario.seed).sql")
        try scenario.sql.joined(separator: "\n").write(to: script, atomically: true, encoding: .utf8)
        _ = try server.psqlFile(script.path, database: scenario.database)
        try server.psql("ANALYZE", database: scenario.database)
        try server.psql("CHECKPOINT")
        let snapshot = try SnapshotLoader().decode(Data(try await export(server, database: scenario.database).utf8), file: scenario.database)
        let reported = Self.reported(snapshot: snapshot, scenario: scenario)

        let scripts = AttackScripts(scenario: scenario)
        var loot = Set<Loot>()
        var attempts = 0
        for role in scenario.loginRoles {
            let before = try memberships()
            let output = try server.psqlAttempt(scripts.transactional, database: scenario.database, user: role)
            attempts += 1
            for (hit, technique) in scenario.canariesByTechnique(in: output, attack: "transactional") {
                loot.insert(Loot(role: role, table: hit[0], column: hit[1], technique: technique))
            }
            for line in output.split(separator: "\n") where line.contains("WROTE") || line.contains("PROBED") {
                let how = line.contains("through a definer view") ? " through a definer view"
                    : line.contains("through definer code") ? " through definer code" : ""
                for (kind, technique) in [("u", "update"), ("i", "insert"), ("p", "existence probe")] as [(Character, String)] {
                    for hit in scenario.markers(kind, in: String(line)) {
                        loot.insert(Loot(role: role, table: hit[0], column: hit[1], technique: "transactional: \(technique)\(how)", kind: kind))
                    }
                }
            }
            // The watching attack commits: run it in a copy of the database, then undo the memberships it granted.
            let copy = "\(scenario.database)_w"
            try server.psql("CREATE DATABASE \(copy) TEMPLATE \(scenario.database)")
            // Every column written (stored generated columns are recomputed only when a column
            // they read is), then a new row (index expressions run for new entries only); each
            // statement its own transaction, so one failing keeps the others' notifications.
            let writes = scenario.classified.flatMap { table in
                let columns = table.columns.joined(separator: ", ")
                // A unique column gets a new value that still carries the canary (children's rows too).
                let copied = table.columns.enumerated().map { c, column in
                    scenario.uniqueColumns.contains([table.index, c]) ? "\(column) || 'x' || tableoid::text || ctid::text" : column
                }.joined(separator: ", ")
                return [
                    "UPDATE \(table.name) SET id = id, \(table.columns.map { "\($0) = \($0)" }.joined(separator: ", "))",
                    "INSERT INTO \(table.name) (id, \(columns)) SELECT id + 1, \(copied) FROM \(table.name)",
                ]
            }
            // Its own output is not the attacker's: an error's DETAIL would carry a canary.
            let writer = server.psqlCommand(database: copy) + writes.map { " -c " + Self.shellQuoted($0) }.joined() + " >/dev/null 2>&1"
            let watched = try server.psqlAttempt(scripts.watching(writer: writer), database: copy, user: role)
            attempts += 1
            for (hit, technique) in scenario.canariesByTechnique(in: watched, attack: "watching") {
                loot.insert(Loot(role: role, table: hit[0], column: hit[1], technique: technique))
            }
            try server.psql("DROP DATABASE \(copy) WITH (FORCE)")
            try restoreMemberships(before)
        }
        try server.psql("DROP DATABASE \(scenario.database) WITH (FORCE)")
        return Outcome(
            loot: loot.sorted { ($0.role, $0.table, $0.column) < ($1.role, $1.table, $1.column) }, attempts: attempts, reported: reported,
            snapshot: snapshot, reportedWrites: Self.reportedWrites(snapshot: snapshot, scenario: scenario),
            reviewed: try Self.reviewed(snapshot: snapshot, scenario: scenario))
    }

    /// What the quarterly review lists per login role (its access-by-login rows), every table's
    /// columns classified, keyed by the scenario's table and column (a child table's rows carry
    /// its parent's canaries, so they count for the parent).
    static func reviewed(snapshot: Snapshot, scenario: AttackScenario) throws -> Set<String> {
        let policy = try PolicyLoader().load(sources: [(file: "classes.yaml", text: "version: 1\ndata_classes:\n  canary: {severity: critical, tables: ['*.*']}\n")])
        let graph = EffectiveAccessEngine(snapshot: snapshot).graph
        // Each relation's name → the scenario tables it carries rows of (itself, its ancestors).
        var carried: [String: [Int]] = [:]
        for table in scenario.classified {
            var frontier = graph.object(.table, table.name).map { [$0] } ?? []
            while let object = frontier.popLast() {
                carried[graph.objects[object].name, default: []].append(table.index)
                frontier += graph.children[object] ?? []
            }
        }
        var rows: [LoginAccess] = []
        var builder = AccessReviewBuilder(snapshot: snapshot, policy: policy, today: DayDate("2026-11-22") ?? DayDate(Date()), policyRevision: "attack", inputs: [])
        builder.loginAccess = { rows.append($0) }
        _ = builder.build()
        var result = Set<String>()
        for row in rows {
            for table in carried[row.relation] ?? [] {
                guard let column = scenario.classified[table].columns.firstIndex(of: row.column) else { continue }
                result.insert("\(row.login)|\(table)|\(column)|\(row.privilege)")
            }
        }
        return result
    }

    /// Per classified column: the principals every cause the audit finds reaches it through
    /// (any mode: direct, SET ROLE, capability, latent), as `deny` counts them.
    static func reported(snapshot: Snapshot, scenario: AttackScenario) -> [[Int]: Verdict] {
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        let reach = ReachQuery(engine: engine)
        var result: [[Int]: Verdict] = [:]
        for table in scenario.classified {
            for (c, column) in table.columns.enumerated() {
                var verdict = Verdict(reached: [], paths: [:])
                // The column, and the same column of the tables inheriting from it (their rows
                // carry this table's canaries).
                var refs = engine.graph.columnRef("\(table.name).\(column)").map { [$0] } ?? []
                var frontier = refs
                while let ref = frontier.popLast() {
                    for child in engine.graph.children[ref.object] ?? [] {
                        guard let inherited = engine.graph.columnRef("\(engine.graph.objects[child].name).\(column)") else { continue }
                        refs.append(inherited)
                        frontier.append(inherited)
                    }
                }
                for ref in refs {
                    for cause in reach.causes(.select, column: ref) {
                        for reacher in cause.reachers {
                            let name = engine.graph.roles[reacher.principal].name
                            verdict.reached.insert(name)
                            verdict.paths[name] = verdict.paths[name] ?? AccessPath(reacher.path).description
                        }
                    }
                }
                result[[table.index, c]] = verdict
            }
        }
        return result
    }

    /// Per classified column: who the audit says can UPDATE it, INSERT into it, and probe it
    /// (REFERENCES; INSERT or UPDATE where a unique index covers it), any mode.
    static func reportedWrites(snapshot: Snapshot, scenario: AttackScenario) -> [[Int]: Set<String>] {
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        let reach = ReachQuery(engine: engine)
        func reachers(_ privilege: Privilege, _ ref: ColumnRef) -> Set<String> {
            Set(reach.causes(privilege, column: ref).flatMap(\.reachers).map { engine.graph.roles[$0.principal].name })
        }
        var result: [[Int]: Set<String>] = [:]
        for table in scenario.classified {
            for (c, column) in table.columns.enumerated() {
                guard let ref = engine.graph.columnRef("\(table.name).\(column)") else { continue }
                let (update, insert) = (reachers(.update, ref), reachers(.insert, ref))
                result[Outcome.writeKey(table.index, c, "u")] = update
                result[Outcome.writeKey(table.index, c, "i")] = insert
                result[Outcome.writeKey(table.index, c, "p")] = reachers(.references, ref)
                    .union(engine.graph.uniqueColumns.contains(ref) ? update.union(insert) : [])
            }
        }
        return result
    }

    private func memberships() throws -> Set<String> {
        Set(try server.psql("SELECT roleid || ':' || member || ':' || grantor FROM pg_catalog.pg_auth_members").split(separator: "\n").map(String.init))
    }

    /// Removes the memberships an attack granted and committed (roles are cluster-wide).
    private func restoreMemberships(_ before: Set<String>) throws {
        for row in try memberships().subtracting(before) {
            let parts = row.split(separator: ":")
            guard parts.count == 3 else { continue }
            try server.psql("DELETE FROM pg_catalog.pg_auth_members WHERE roleid = \(parts[0]) AND member = \(parts[1]) AND grantor = \(parts[2])")
        }
    }

    static func shellQuoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
