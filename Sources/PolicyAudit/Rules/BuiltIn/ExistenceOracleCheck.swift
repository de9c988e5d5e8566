import SnapshotModel

/// A role the policy does not let read a classified column can still ask whether a value is in
/// it: REFERENCES on it lets a foreign key of its own probe values (row security, even FORCEd,
/// does not filter the check), and INSERT or UPDATE on it under a unique index answers with a
/// violation. Reported once per cause, listing whom it reaches.
struct ExistenceOracleCheck: AuditCheck {
    static let description = CheckDescription(
        id: "existence-oracle",
        summary: "A role that may not read a classified column can test whether a value is in it (REFERENCES; INSERT or UPDATE under a unique index).",
        defaultSeverity: .medium,
        triggering: [CheckExample(
            policy: examplePolicyHeader + "roles:\n  signup:\n    kind: service\n    login: true\n    grants: [{table: public.customers, privileges: [INSERT]}]\n",
            snapshot: SnapshotBuilder().role("signup", login: true).table("public.customers", columns: ["id", "email"])
                .unique(["email"], on: "public.customers").grant([.insert], on: "public.customers", to: "signup").build(),
            expect: "[{principal: signup, object: public.customers, column: email, privilege: INSERT, severity: medium, at: policy.yaml:7}]")],
        nonTriggering: [CheckExample(
            policy: examplePolicyHeader + "roles:\n  signup:\n    kind: service\n    login: true\n    grants: [{table: public.customers, privileges: [INSERT]}]\n",
            snapshot: SnapshotBuilder().role("signup", login: true).table("public.customers", columns: ["id", "email"])
                .grant([.insert], on: "public.customers", to: "signup").build())])

    func findings(in context: AuditContext) -> [Finding] {
        var findings: [Finding] = []
        let classified = context.classification.classifiedColumns
        var declaredRoles: [String: [String]] = [:]
        for column in classified {
            let table = context.graph.objects[column.object]
            let columnName = table.columns[column.column].name
            var readers = DeclaredColumnReaders(declared: context.declared, table: table.name, column: columnName)
            var probes: [(Privilege, String)] = [(.references, "a foreign key of its own probes whether a value exists, row security or not")]
            if context.graph.uniqueColumns.contains(column) {
                probes.append((.insert, "a unique violation answers whether a value exists"))
                probes.append((.update, "a unique violation answers whether a value exists"))
            }
            for (privilege, how) in probes {
                for cause in context.reach.causes(privilege, column: column) {
                    // Superusers and the owner (and who acts as it) read the column anyway: the
                    // owner's own road is the ownership finding's.
                    switch cause.kind {
                    case .superuser, .ownership: continue
                    case .grant(_, _, .role(let grantee)) where grantee == table.owner: continue
                    default: break
                    }
                    let probing = cause.reachers.filter { !readers.mayRead(principal: context.roleName($0.principal), rolesOf: &declaredRoles) }
                    guard !probing.isEmpty else { continue }
                    let description = context.describe(cause.kind, privilege: privilege)
                    findings.append(Self.finding(principal: context.causeHolder(cause.kind), objectKind: .table, object: table.name, column: columnName,
                        privilege: privilege, cause: description,
                        message: "\(probing.count) role(s) the policy does not let read \(table.name).\(columnName) hold \(privilege.rawValue) on it: \(how)",
                        affected: probing.map(context.affected).sorted { $0.name < $1.name },
                        location: context.location(ofRole: context.causeHolder(cause.kind) ?? "")))
                }
            }
        }
        return findings
    }
}
