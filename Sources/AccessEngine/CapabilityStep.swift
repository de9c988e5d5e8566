import SnapshotModel

/// A step by which a role turns the privileges it holds into more access: becoming another
/// role, running code as another role, or watching data flow past. Each one was verified as an
/// attack on a real server (see the README's capabilities section and the attack tests).
package enum CapabilityStep: Hashable, Sendable {
    /// `holder` has ADMIN OPTION on `role`: it can `GRANT role TO` itself and become it.
    case adminOption(role: String, holder: String)
    /// CREATEROLE before PostgreSQL 16: `holder` can grant itself any non-superuser role (or
    /// set a login role's password and log in as it).
    case createRole(role: String, holder: String)
    /// A SECURITY DEFINER function whose names the caller can redirect (search_path not pinned,
    /// body not SQL-standard): the caller's code runs as `owner`. `table` is set when the
    /// function runs as a trigger of that table, for every role that writes it.
    case definerCode(function: String, owner: String, table: String?)
    /// TRIGGER on `table`: a trigger of the holder's receives every row written to it.
    case trigger(table: String)
    /// Owning `function`, which a trigger on `table` runs: replacing its body receives every row written.
    case triggerFunction(function: String, table: String)
    /// Owning `function`, which a row-security policy of `table` calls: replacing its body
    /// receives every row the policy checks.
    case policyFunction(function: String, table: String)
    /// Owning `function`, which an expression of `table`'s own (generated column, CHECK
    /// constraint, index) calls with the values written: replacing its body receives them.
    case expressionFunction(function: String, table: String, expression: String)
    /// Owning `function`, which the SQL-standard body of SECURITY DEFINER `definer` calls:
    /// replacing its body, then calling the definer, runs the caller's code as `owner`.
    case replacedCallee(function: String, definer: String, owner: String)
    /// The REPLICATION attribute of `role`: logical decoding streams every table's rows.
    case replication(role: String)
    /// Membership of `role` (pg_read_all_stats, pg_monitor): other sessions' SQL text, literals included.
    case monitoring(role: String)
    /// Membership of `role` (pg_read_server_files, pg_write_server_files, pg_execute_server_program):
    /// the server's data files themselves.
    case serverFiles(role: String)
    /// A grant on a catalog object: SELECT on pg_statistic (column values of analysed tables), or
    /// EXECUTE on a server-file function (the data files).
    case catalog(object: String, privilege: Privilege, grantee: String)
    /// ALTER SYSTEM on a parameter whose value the server runs (a shell command, a library),
    /// granted to `grantee`: code as the server's operating-system user after the next reload.
    case alterSystem(parameter: String, grantee: String)
    /// A rewrite rule on `table` fired by `event`: its actions run as the table's `owner` and can
    /// return what they read (an INSERT can return another table's rows).
    case rewriteRule(rule: String, table: String, event: Privilege, owner: String)
    /// USAGE on a foreign server that points back at this database, with a user mapping for
    /// the acting role or PUBLIC: a new session as the mapped user (a foreign table in pg_temp,
    /// or dblink). `user` is nil when the mapping's options were not readable.
    case foreignServer(server: String, user: String?, becomes: String)

    /// A stable machine name for outputs.
    package var kind: String {
        switch self {
        case .adminOption: "admin_option"
        case .createRole: "createrole"
        case .definerCode: "definer_code"
        case .trigger: "trigger"
        case .triggerFunction: "trigger_function"
        case .policyFunction: "policy_function"
        case .expressionFunction: "expression_function"
        case .replacedCallee: "replaced_callee"
        case .replication: "replication"
        case .monitoring: "monitoring"
        case .serverFiles: "server_files"
        case .catalog: "catalog_grant"
        case .alterSystem: "alter_system"
        case .rewriteRule: "rewrite_rule"
        case .foreignServer: "foreign_server"
        }
    }

    /// The role the principal acts as after the step, for the steps that become a role.
    package var becomes: String? {
        switch self {
        case .adminOption(let role, _), .createRole(let role, _): role
        case .definerCode(_, let owner, _), .replacedCallee(_, _, let owner): owner
        case .foreignServer(_, _, let becomes): becomes
        default: nil
        }
    }

    /// How the step reads in a path.
    package var text: String {
        switch self {
        case .adminOption(let role, let holder): "ADMIN OPTION on \(role) held by \(holder) (can grant itself \(role))"
        case .createRole(let role, let holder): "CREATEROLE of \(holder) before PostgreSQL 16 (can grant itself \(role))"
        case .definerCode(let function, let owner, let table):
            if let table {
                "writes \(table), whose trigger runs SECURITY DEFINER \(function) (search_path not pinned: runs caller code as \(owner))"
            } else {
                "EXECUTE \(function) (SECURITY DEFINER, search_path not pinned: runs caller code as \(owner))"
            }
        case .trigger(let table): "TRIGGER on \(table) (a trigger receives every row written)"
        case .triggerFunction(let function, let table): "owns trigger function \(function) of \(table) (replacing it receives every row written)"
        case .policyFunction(let function, let table): "owns \(function), called by a row-security policy of \(table) (replacing it receives every row checked)"
        case .expressionFunction(let function, let table, let expression):
            "owns \(function), called by the \(expression) of \(table) (replacing it receives the values every write passes it)"
        case .replacedCallee(let function, let definer, let owner):
            "owns \(function), called by SECURITY DEFINER \(definer) (replacing it, then calling \(definer), runs caller code as \(owner))"
        case .replication(let role): "\(role) has REPLICATION (logical decoding reads every table)"
        case .monitoring(let role): "\(role) (other sessions' SQL text, literals included)"
        case .serverFiles(let role): "\(role) (reads the server's data files)"
        case .catalog(let object, let privilege, let grantee): "\(privilege.rawValue) \(object) granted to \(grantee) (column values outside any table ACL)"
        case .alterSystem(let parameter, let grantee):
            "ALTER SYSTEM on \(parameter) granted to \(grantee) (the server runs its value after the next configuration reload: the data files)"
        case .rewriteRule(let rule, let table, let event, let owner): "\(event.rawValue) fires rule \(rule) on \(table) (its actions run as \(owner) and return what they read) → \(owner)"
        case .foreignServer(let server, let user, let becomes):
            if let user {
                "USAGE on foreign server \(server), which points back at this database, mapped to \(user) (a foreign table or dblink opens a session as \(user))"
            } else {
                "USAGE on foreign server \(server), which points back at this database, with a user mapping whose remote user the export could not read (taken as \(becomes))"
            }
        }
    }

    /// What to change to remove the step, for findings.
    package var remedy: String {
        switch self {
        case .adminOption(let role, let holder): "REVOKE ADMIN OPTION FOR \(role) FROM \(holder)"
        case .createRole(_, let holder): "ALTER ROLE \(holder) NOCREATEROLE (or upgrade to PostgreSQL 16+)"
        case .definerCode(let function, _, _): "ALTER FUNCTION \(function) SET search_path = pg_catalog, pg_temp (and qualify its names), or revoke EXECUTE"
        case .trigger(let table): "REVOKE TRIGGER ON \(table)"
        case .triggerFunction(let function, _), .policyFunction(let function, _), .expressionFunction(let function, _, _): "ALTER FUNCTION \(function) OWNER TO the table's owner"
        case .replacedCallee(let function, let definer, _): "ALTER FUNCTION \(function) OWNER TO the owner of \(definer)"
        case .replication(let role): "ALTER ROLE \(role) NOREPLICATION"
        case .monitoring(let role), .serverFiles(let role): "REVOKE \(role) from the roles that reach it"
        case .catalog(let object, let privilege, let grantee): "REVOKE \(privilege.rawValue) ON \(object) FROM \(grantee)"
        case .alterSystem(let parameter, let grantee): "REVOKE ALTER SYSTEM ON PARAMETER \(parameter) FROM \(grantee)"
        case .rewriteRule(let rule, let table, let event, _): "DROP RULE \(rule) ON \(table) (or REVOKE \(event.rawValue) ON \(table))"
        case .foreignServer(let server, _, _): "REVOKE USAGE ON FOREIGN SERVER \(server), or DROP the user mapping"
        }
    }
}
