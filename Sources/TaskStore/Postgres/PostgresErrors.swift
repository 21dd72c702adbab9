import PostgresNIO
import TaskCore
import _ConnectionPoolModule

/// Turns driver errors into the domain's before they leave TaskStore: unique violations into conflicts, lost
/// connections into `storeUnavailable`. Anything else is passed on for the HTTP layer's plain 500.
enum PostgresErrors {
    /// The SQLSTATEs of errors that a retry of the whole transaction may cure: a serialization failure, a deadlock,
    /// and a foreign key violation (a row this transaction relied on was deleted by one that committed first; the
    /// retry reads again and answers as the store now stands).
    static let retryableStates: Set<String> = ["40001", "40P01", "23503"]

    static func translate(_ error: any Error) -> any Error {
        if error is DomainError { return error }
        // The pool refuses leases at once while its circuit breaker is open (PostgreSQL unreachable for a while).
        if error is ConnectionPoolError { return DomainError.storeUnavailable }
        if let transactionError = error as? PostgresTransactionError {
            return translate(
                transactionError.closureError ?? transactionError.beginError ?? transactionError.commitError ?? error)
        }
        guard let psql = error as? PSQLError else { return error }
        switch psql.code {
        case .server:
            let state = psql.serverInfo?[.sqlState] ?? ""
            if state == "23505" {
                switch psql.serverInfo?[.constraintName] ?? "" {
                case "users_email_key": return DomainError.conflict(.emailTaken)
                case "workspace_members_pkey", "project_members_pkey": return DomainError.conflict(.alreadyMember)
                default: return error
                }
            }
            // Lost connections, a server shutting down or full, a statement cancelled by `statement_timeout`
            // (57014) or a lock wait that timed out (55P03), and a write sent to a host that has become a standby
            // (25006, after a failover): the store is too slow or away, and a retry may work.
            if state.hasPrefix("08") || ["57P01", "57P02", "57P03", "53300", "57014", "55P03", "25006"].contains(state)
            {
                return DomainError.storeUnavailable
            }
            return error
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed,
            .sslUnsupported, .failedToAddSSLHandler:
            return DomainError.storeUnavailable
        default:
            return error
        }
    }

    /// The SQLSTATE of an error PostgreSQL reported, or `nil` for any other error.
    static func sqlState(of error: any Error) -> String? {
        guard let psql = error as? PSQLError, psql.code == .server else { return nil }
        return psql.serverInfo?[.sqlState]
    }

    static func isRetryable(_ error: any Error) -> Bool {
        guard let psql = error as? PSQLError, psql.code == .server else { return false }
        return retryableStates.contains(psql.serverInfo?[.sqlState] ?? "")
    }
}
