/// Redis Cluster's key → slot mapping (cluster spec, "Keys distribution model"):
/// `CRC16(key) mod 16384`, where CRC16 is CRC-16/XMODEM (polynomial 0x1021, initial value 0),
/// and only the hash tag is hashed when the key has one.
public enum RedisClusterSlot {
    public static let count = 16_384

    /// The slot `key` belongs to.
    public static func of(_ key: [UInt8]) -> Int {
        Int(crc16(hashTag(of: key)) % UInt16(count))
    }

    /// The part of `key` that is hashed: between the first `{` and the first `}` after it, when
    /// that is not empty; otherwise the whole key (`{}` and an unclosed `{` hash everything).
    static func hashTag(of key: [UInt8]) -> ArraySlice<UInt8> {
        guard let open = key.firstIndex(of: UInt8(ascii: "{")),
              let close = key[(open + 1)...].firstIndex(of: UInt8(ascii: "}")),
              close > open + 1
        else { return key[...] }
        return key[(open + 1)..<close]
    }

    /// CRC-16/XMODEM, bitwise: cheap enough beside a network round trip per batch.
    static func crc16(_ bytes: some Sequence<UInt8>) -> UInt16 {
        var crc: UInt16 = 0
        for byte in bytes {
            crc ^= UInt16(byte) << 8
            for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
        }
        return crc
    }
}

/// One master of a Redis Cluster and the slots it serves, as `CLUSTER SLOTS` reports them.
public struct RedisClusterNode: Codable, Sendable, Equatable {
    /// `host:port` (`[v6]:port` for IPv6) the cluster announces for the node.
    public var address: String
    /// The node id (40 hex digits).
    public var id: String
    /// Inclusive slot ranges, e.g. `[[0, 5460]]`.
    public var slots: [[Int]]

    public init(address: String, id: String, slots: [[Int]]) {
        self.address = address
        self.id = id
        self.slots = slots
    }

    /// True when the node serves `slot`.
    public func serves(_ slot: Int) -> Bool {
        slots.contains { $0.count == 2 && $0[0] <= slot && slot <= $0[1] }
    }
}

extension RedisClusterNode {
    /// Why `nodes` do not serve every slot exactly once (a master down or failing over, a slot
    /// being migrated without an owner), or nil when they do: a backup of such a cluster would
    /// look complete while holding part of the data.
    public static func coverageProblem(of nodes: [RedisClusterNode]) -> String? {
        var owners = [Int](repeating: 0, count: RedisClusterSlot.count)
        for node in nodes {
            for range in node.slots {
                guard range.count == 2, 0 <= range[0], range[0] <= range[1], range[1] < RedisClusterSlot.count else {
                    return "\(node.address) reports a slot range \(range) outside 0-\(RedisClusterSlot.count - 1)"
                }
                for slot in range[0]...range[1] { owners[slot] += 1 }
            }
        }
        if let slot = owners.firstIndex(of: 0) { return "slot \(slot) has no master (\(owners.filter { $0 == 0 }.count) slots unserved)" }
        if let slot = owners.firstIndex(where: { $0 > 1 }) { return "slot \(slot) is claimed by \(owners[slot]) masters" }
        return nil
    }
}
