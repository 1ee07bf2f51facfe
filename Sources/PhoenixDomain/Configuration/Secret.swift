/// A configuration value that must never be printed: its description is `***`.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The value, for the one place that uses it (a password sent to a server).
    public let value: String

    public init(_ value: String) {
        self.value = value
    }

    public var description: String { "***" }
    public var debugDescription: String { "Secret(***)" }
    /// No children: `dump()`, `Mirror` and test failure output must not show the value.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
