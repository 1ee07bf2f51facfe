/// One master's RDB out of a cluster's `rdb` backup, for `RedisRDBRestorer` on that master's
/// host (DESIGN.md §2: each host restores its own node). The whole stream is still read and
/// checked: `next()` returns nil only once every later master and the summary have been checked
/// too, and the restorer moves its file into place only after that nil, never from a damaged backup.
public final class RedisClusterRDBSelection {
    /// Which master: its number (1, 2, … by slot order), its recorded `host:port`, or its node id.
    public struct Selector: Sendable, CustomStringConvertible {
        public let text: String

        public init(_ text: String) { self.text = text }

        func matches(_ node: RedisClusterRDBNode) -> Bool {
            Int(text) == node.number || text == node.node.address || text == node.node.id
        }

        public var description: String { text }
    }

    private let selector: Selector
    private let source: () async throws -> [UInt8]?
    private var reader = RedisClusterRDBReader()
    /// The selected RDB's bytes the last piece of the stream completed.
    private var ready: [[UInt8]] = []
    private var inSelected = false
    private var ended = false
    /// The master chosen, once its section has begun.
    public private(set) var node: RedisClusterRDBNode?
    /// What the backup recorded for it, once its section has ended.
    public private(set) var recorded: RedisClusterRDBNodeEnd?

    public init(_ selector: Selector, source: @escaping () async throws -> [UInt8]?) {
        self.selector = selector
        self.source = source
    }

    /// The selected master's next RDB bytes; nil after its last, once the whole stream was read.
    /// - Throws: when the stream is damaged, or has no master matching the selector.
    public func next() async throws -> [UInt8]? {
        while true {
            if !ready.isEmpty { return ready.removeFirst() }
            if ended { return nil }
            guard let piece = try await source() else {
                let summary = try reader.finish()
                ended = true
                guard node != nil else {
                    let listed = summary.nodes.enumerated().map { "\($0.offset + 1): \($0.element.address) (\($0.element.id.prefix(8))…)" }
                    throw RedisSourceError("this cluster backup has no master \"\(selector)\"; its masters are \(listed.joined(separator: ", "))")
                }
                continue
            }
            for event in try reader.consume(piece) {
                switch event {
                case .nodeStarted(let started):
                    inSelected = node == nil && selector.matches(started)
                    if inSelected { node = started }
                case .rdb(let bytes):
                    if inSelected { ready.append(bytes) }
                case .nodeEnded(_, let end):
                    if inSelected { recorded = end }
                    inSelected = false
                }
            }
        }
    }
}
