/// Why a transfer ended without success, as a Sendable value that can wait in the state.
enum TransferFailure: Error, Sendable {
    /// The awaiting task was cancelled: waiters get `CancellationError`.
    case cancelled
    /// Anything else.
    case client(HTTPClientError)

    init(_ error: any Error) {
        switch error {
        case let error as HTTPClientError: self = .client(error)
        case is CancellationError: self = .cancelled
        // A caller's own error (its response handler threw): only the transfer's end is recorded
        // here; the caller rethrows its error itself. Its text is not copied: it may hold secrets.
        default: self = .client(HTTPClientError(.cancelled, "the request was abandoned by its handler"))
        }
    }

    /// The error a waiter is resumed with.
    var error: any Error {
        switch self {
        case .cancelled: return CancellationError()
        case .client(let error): return error
        }
    }
}
