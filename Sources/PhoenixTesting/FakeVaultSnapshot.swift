import Foundation
import PhoenixCrypto

/// The fake Vault's raft snapshot, laid out as Vault's is: a gzip stream of a tar holding
/// `meta.json`, `state.bin`, `SHA256SUMS` and `SHA256SUMS.sealed`. The sealed sums are an HMAC
/// under the cluster's key, so another cluster cannot verify them: the reason Vault refuses a
/// plain restore across clusters and needs `snapshot-force`. The gzip uses stored (uncompressed)
/// deflate blocks, which any gunzip reads; only such streams are read back.
enum FakeVaultSnapshot {
    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    /// A snapshot of `state` (KV paths to their data) sealed with `clusterKey`.
    static func encode(_ state: [String: [String: String]], clusterKey: [UInt8], index: Int) -> [UInt8] {
        let stateBytes = Array((try? JSONSerialization.data(withJSONObject: state, options: [.sortedKeys])) ?? Data())
        let meta = Array(#"{"Version":1,"ID":"fake-\#(index)","Index":\#(index),"Term":1}"#.utf8)
        let sums = Array("\(SHA256.hex(meta))  meta.json\n\(SHA256.hex(stateBytes))  state.bin\n".utf8)
        let sealed = Array(Hex.encode(HMACSHA256.authenticate(sums, key: clusterKey)).utf8)
        var tar: [UInt8] = []
        for (name, bytes) in [("meta.json", meta), ("state.bin", stateBytes), ("SHA256SUMS", sums), ("SHA256SUMS.sealed", sealed)] {
            tar += tarHeader(name: name, size: bytes.count) + bytes
            tar += [UInt8](repeating: 0, count: (512 - bytes.count % 512) % 512)
        }
        tar += [UInt8](repeating: 0, count: 1024)
        return gzipStored(tar)
    }

    /// The state of a snapshot whose sums check; `clusterKey` nil skips the sealed check (force).
    static func decode(_ snapshot: [UInt8], clusterKey: [UInt8]?) throws -> [String: [String: String]] {
        let files = try untar(try gunzipStored(snapshot))
        guard let meta = files["meta.json"], let state = files["state.bin"], let sums = files["SHA256SUMS"] else {
            throw Invalid(description: "failed to read snapshot file: missing meta.json, state.bin or SHA256SUMS")
        }
        let expected = "\(SHA256.hex(meta))  meta.json\n\(SHA256.hex(state))  state.bin\n"
        guard String(decoding: sums, as: UTF8.self) == expected else { throw Invalid(description: "failed to verify snapshot checksums") }
        if let clusterKey {
            let sealed = Hex.encode(HMACSHA256.authenticate(sums, key: clusterKey))
            guard files["SHA256SUMS.sealed"].map({ String(decoding: $0, as: UTF8.self) }) == sealed else {
                throw Invalid(description: "failed to verify snapshot: could not verify hash file: cipher: message authentication failed; use snapshot-force to restore a snapshot of another cluster")
            }
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(state)) as? [String: [String: String]] else {
            throw Invalid(description: "failed to read snapshot state")
        }
        return object
    }

    private static func tarHeader(name: String, size: Int) -> [UInt8] {
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int) { for (index, byte) in text.utf8.enumerated() { header[offset + index] = byte } }
        put(name, at: 0)
        put("0000600", at: 100)
        put("0000000", at: 108)
        put("0000000", at: 116)
        put(String(size, radix: 8).leftPadded(to: 11), at: 124)
        put("00000000000", at: 136)
        put("        ", at: 148)
        put("0", at: 156)
        put("ustar", at: 257)
        put("00", at: 263)
        let sum = header.reduce(0) { $0 + Int($1) }
        put(String(sum, radix: 8).leftPadded(to: 6), at: 148)
        header[154] = 0
        return header
    }

    private static func untar(_ bytes: [UInt8]) throws -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        var offset = 0
        while offset + 512 <= bytes.count {
            let header = bytes[offset..<offset + 512]
            if header.allSatisfy({ $0 == 0 }) { return files }
            let name = String(decoding: header.prefix(100).prefix { $0 != 0 }, as: UTF8.self)
            let sizeText = String(decoding: header.dropFirst(124).prefix(11), as: UTF8.self)
            guard let size = Int(sizeText, radix: 8), offset + 512 + size <= bytes.count else {
                throw Invalid(description: "failed to read snapshot file: truncated archive")
            }
            files[name] = Array(bytes[(offset + 512)..<(offset + 512 + size)])
            offset += 512 + (size + 511) / 512 * 512
        }
        throw Invalid(description: "failed to read snapshot file: unexpected end of archive")
    }

    private static func gzipStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 0xFF]
        var offset = 0
        repeat {
            let count = min(65_535, data.count - offset)
            let isLast = offset + count == data.count
            out.append(isLast ? 1 : 0)
            out += le16(count) + le16(~count & 0xFFFF)
            out += data[offset..<offset + count]
            offset += count
        } while offset < data.count
        return out + le32(CRC32.checksum(data)) + le32(UInt32(truncatingIfNeeded: data.count))
    }

    private static func gunzipStored(_ bytes: [UInt8]) throws -> [UInt8] {
        let truncated = Invalid(description: "failed to read snapshot file: unexpected EOF")
        guard bytes.count >= 18, bytes[0] == 0x1F, bytes[1] == 0x8B, bytes[2] == 0x08, bytes[3] == 0 else {
            throw Invalid(description: "failed to read snapshot file: gzip: invalid header")
        }
        var data: [UInt8] = []
        var offset = 10
        while true {
            guard offset + 5 <= bytes.count else { throw truncated }
            let flags = bytes[offset]
            guard flags & 0x06 == 0 else { throw Invalid(description: "fake Vault reads stored deflate blocks only") }
            let count = Int(bytes[offset + 1]) | Int(bytes[offset + 2]) << 8
            let check = Int(bytes[offset + 3]) | Int(bytes[offset + 4]) << 8
            guard count ^ check == 0xFFFF else { throw Invalid(description: "failed to read snapshot file: flate: corrupt input") }
            guard offset + 5 + count <= bytes.count else { throw truncated }
            data += bytes[(offset + 5)..<(offset + 5 + count)]
            offset += 5 + count
            if flags & 1 == 1 { break }
        }
        guard offset + 8 == bytes.count else { throw truncated }
        guard Array(bytes[offset..<offset + 4]) == le32(CRC32.checksum(data)),
              Array(bytes[(offset + 4)...]) == le32(UInt32(truncatingIfNeeded: data.count)) else {
            throw Invalid(description: "failed to read snapshot file: gzip: invalid checksum")
        }
        return data
    }

    private static func le16(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)] }
    private static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(value >> (8 * $0) & 0xFF) } }
}

/// CRC-32 (IEEE 802.3, reflected), as gzip's trailer needs.
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        (0..<8).reduce(UInt32(index)) { crc, _ in crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        ~bytes.reduce(UInt32.max) { crc, byte in table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
