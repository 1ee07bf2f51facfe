/// A Git source or restore failure. Its text never holds a token or a URL's password: git's
/// stderr passes through `GitRemote.redact` before it gets here.
public struct GitError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
