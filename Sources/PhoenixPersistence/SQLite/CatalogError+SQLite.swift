import GRDB
import PhoenixDomain

extension CatalogError {
    /// Turns what GRDB threw into an error safe to show a client; GRDB's own text, which quotes
    /// SQL, is kept in `detail` for logs. Catalog errors and cancellation pass through unchanged.
    static func sqlite(_ error: any Error, while action: String) -> any Error {
        if error is CatalogError || error is CancellationError {
            return error
        }
        let detail = String(describing: error)
        guard let databaseError = error as? DatabaseError else {
            return CatalogError(.storage, "could not \(action)", detail: detail)
        }
        // https://www.sqlite.org/rescode.html: primary result codes.
        let reason = switch databaseError.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: "the job catalog is busy; try again"
        case .SQLITE_FULL: "the disk holding the job catalog is full"
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: "the job catalog file is damaged or is not a catalog"
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH: "the job catalog file cannot be opened"
        case .SQLITE_READONLY: "the job catalog is read-only"
        case .SQLITE_IOERR: "the job catalog file could not be read or written"
        case .SQLITE_CONSTRAINT: "it conflicts with the jobs already stored"
        default: "the job catalog failed"
        }
        return CatalogError(.storage, "could not \(action): \(reason)", detail: detail)
    }
}
