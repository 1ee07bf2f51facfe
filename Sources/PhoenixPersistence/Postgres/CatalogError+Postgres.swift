import PhoenixDomain
import PhoenixPostgres

extension CatalogError {
    /// Turns what PhoenixPostgres threw into an error safe to show a client; the server's message,
    /// which may quote SQL, is kept in `detail` for logs. Catalog errors and cancellation pass
    /// through unchanged.
    static func postgres(_ error: any Error, while action: String) -> any Error {
        if error is CatalogError || error is CancellationError {
            return error
        }
        guard let postgresError = error as? PostgresError else {
            return CatalogError(.storage, "could not \(action)", detail: String(describing: error))
        }
        let reason = switch postgresError.code {
        case .connectionFailed, .connectionLost, .connectionClosed, .poolClosed: "the job catalog's database is unreachable"
        case .cancelled: "the request was cancelled"
        default:
            switch postgresError.sqlState ?? "" {
            case "23505", "23503": "it conflicts with the jobs already stored"
            case "53100": "the disk holding the job catalog is full"
            case "42501": "the catalog's database user lacks a privilege"
            case let state where state.hasPrefix("40"): "the job catalog is busy; try again"
            default: "the job catalog failed"
            }
        }
        return CatalogError(.storage, "could not \(action): \(reason)", detail: postgresError.debugDescription)
    }

    /// Whether `error` is PostgreSQL's unique violation (SQLSTATE 23505).
    static func isUniqueViolation(_ error: any Error) -> Bool {
        (error as? PostgresError)?.sqlState == "23505"
    }
}
