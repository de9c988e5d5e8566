@testable import AuditSupport
@testable import SnapshotModel

/// Random but well-formed snapshots: nested groups, NOINHERIT roles, set-only memberships,
/// PUBLIC and column grants, schemas with and without USAGE, owners, definer and invoker views,
/// SECURITY DEFINER functions (pinned or not), pg_read_all_data members and the odd superuser,
/// and the roads capabilities take: ADMIN OPTION, CREATEROLE, REPLICATION, TRIGGER, triggers,
/// monitoring roles, catalog grants, TEMP revoked, on PostgreSQL 15, 16 or 17.
enum RandomSnapshot {
    static func make(seed: UInt64) -> Snapshot {
        var rng = SplitMix64(seed: seed)
        func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
        var builder = SnapshotBuilder().schema("private").role("pg_read_all_data")
        let roleCount = Int.random(in: 3...9, using: &rng)
        let roles = (0..<roleCount).map { "r\($0)" }
        for role in roles {
            builder = builder.role(role, login: chance(0.5), superuser: chance(0.05), inherit: !chance(0.25), bypassrls: chance(0.1))
        }
        // Memberships point from a higher index to a lower one: no cycles.
        for member in 1..<roleCount {
            for group in 0..<member where chance(0.3) {
                builder = builder.member(roles[member], of: roles[group], admin: chance(0.1),
                    inherit: chance(0.3) ? chance(0.5) : nil, set: chance(0.2) ? chance(0.5) : nil)
            }
        }
        if chance(0.3), let member = roles.randomElement(using: &rng) { builder = builder.member(member, of: "pg_read_all_data") }
        if chance(0.5), let grantee = roles.randomElement(using: &rng) { builder = builder.grant([.usage], on: "private", kind: .schema, to: grantee) }
        if chance(0.2) { builder = builder.revokeSchema("public", from: "PUBLIC") }
        var columns: [String] = []
        let tableCount = Int.random(in: 1...4, using: &rng)
        for t in 0..<tableCount {
            let name = "\(chance(0.3) ? "private" : "public").t\(t)"
            let cols = (0..<Int.random(in: 1...3, using: &rng)).map { "c\($0)" }
            let owner = chance(0.5) ? "postgres" : (roles.randomElement(using: &rng) ?? "postgres")
            builder = builder.table(name, owner: owner, columns: cols, rowSecurity: chance(0.3), forceRowSecurity: chance(0.1))
            columns += cols.map { "\(name).\($0)" }
            for _ in 0..<Int.random(in: 0...4, using: &rng) {
                let grantee = chance(0.15) ? "PUBLIC" : (roles.randomElement(using: &rng) ?? "PUBLIC")
                let privileges = Array([Privilege.select, .insert, .update, .delete].shuffled(using: &rng).prefix(Int.random(in: 1...2, using: &rng)))
                let onColumns: [String]? = chance(0.35) ? [cols.randomElement(using: &rng) ?? "c0"] : nil
                let applicable = onColumns == nil ? privileges : privileges.filter { $0 != .delete }
                if applicable.isEmpty { continue }
                builder = builder.grant(applicable, on: name, columns: onColumns, to: grantee, grantable: chance(0.1))
            }
        }
        for v in 0..<Int.random(in: 0...2, using: &rng) {
            let reads = Array(columns.shuffled(using: &rng).prefix(Int.random(in: 1...2, using: &rng)))
            let name = "public.v\(v)"
            let owner = roles.randomElement(using: &rng) ?? "postgres"
            builder = builder.view(name, owner: owner, columns: ["x"], reads: reads, securityInvoker: chance(0.3))
            columns.append("\(name).x")
            if let grantee = roles.randomElement(using: &rng) { builder = builder.grant([.select], on: name, to: chance(0.2) ? "PUBLIC" : grantee) }
        }
        if chance(0.5) {
            let owner = roles.randomElement(using: &rng) ?? "postgres"
            let reads: [String]? = chance(0.5) ? Array(columns.shuffled(using: &rng).prefix(1)) : nil
            builder = builder.function("public.f", arguments: "integer", owner: owner, securityDefiner: chance(0.7), reads: reads, publicExecute: chance(0.5))
            if let grantee = roles.randomElement(using: &rng) { builder = builder.grant([.execute], on: "public.f", kind: .function, to: grantee) }
        }
        // Capabilities, drawn last so the draws above keep their seeds: TRIGGER grants, a trigger
        // running the function, CREATEROLE and REPLICATION, monitoring and catalog grants, and
        // the server version that decides ADMIN and CREATEROLE semantics.
        if chance(0.3), let grantee = roles.randomElement(using: &rng) {
            builder = builder.grant([.trigger], on: "public.t0", to: chance(0.1) ? "PUBLIC" : grantee)
        }
        if chance(0.3), let table = columns.first.map({ String($0.split(separator: ".").prefix(2).joined(separator: ".")) }) {
            builder = builder.trigger("tr", on: table, function: "public.f(integer)", events: [.insert, .update])
        }
        if chance(0.15), let member = roles.randomElement(using: &rng) {
            builder = builder.role("pg_read_all_stats").member(member, of: "pg_read_all_stats", set: chance(0.5))
        }
        if chance(0.1), let grantee = roles.randomElement(using: &rng) {
            builder = builder.catalogGrant(.select, on: "pg_catalog.pg_statistic", to: grantee)
        }
        if chance(0.25), let read = columns.randomElement(using: &rng), let grantee = roles.randomElement(using: &rng) {
            let owner = roles.randomElement(using: &rng) ?? "postgres"
            builder = builder.table("public.inbox", owner: owner, columns: ["id"])
                .rule("fan_out", on: "public.inbox", event: chance(0.5) ? .insert : .update, reads: [read])
                .grant(chance(0.5) ? [.insert] : [.update], on: "public.inbox", columns: chance(0.5) ? ["id"] : nil, to: grantee)
        }
        if chance(0.25), let owner = roles.randomElement(using: &rng) {
            builder = builder.function("public.g", owner: owner, securityDefiner: true, reads: [], publicExecute: chance(0.6))
                .body(of: "public.g()", language: "sql", sqlStandardBody: true, calls: ["public.f(integer)"])
        }
        if chance(0.25), let table = columns.first.map({ String($0.split(separator: ".").prefix(2).joined(separator: ".")) }) {
            builder = builder.rowPolicy("checked", on: table, functions: ["public.f(integer)"])
        }
        let language = ["plpgsql", "sql", "c"].randomElement(using: &rng)
        let config: [String]? = chance(0.3) ? [["search_path=public", "search_path=public, pg_temp", "search_path=private, pg_temp"].randomElement(using: &rng) ?? ""] : nil
        builder = builder.body(of: "public.f(integer)", language: language, config: config, sqlStandardBody: nil)
        var snapshot = builder.build()
        if chance(0.2) { snapshot.databases[0].acl.removeAll { $0.grantee == AclEntry.publicGrantee && $0.privilege == .temporary } }
        for index in snapshot.roles.indices where snapshot.roles[index].name.hasPrefix("r") {
            snapshot.roles[index].createrole = chance(0.08)
            snapshot.roles[index].replication = chance(0.06)
        }
        snapshot.serverVersion = ["15.4", "16.2", "17.2"].randomElement(using: &rng) ?? "15.4"
        return snapshot
    }
}
