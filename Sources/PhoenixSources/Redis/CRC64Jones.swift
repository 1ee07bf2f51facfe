/// Redis's CRC-64 (Jones polynomial, reflected, no final xor): the checksum at the end of an
/// RDB file, over every byte from `REDIS` through the EOF opcode.
///
/// Slicing-by-8: eight table lookups per 8 bytes instead of one per byte, since every backup and
/// every verify runs the whole RDB through it.
struct CRC64Jones {
    private static let tables: [[UInt64]] = {
        var first = [UInt64](repeating: 0, count: 256)
        for index in 0..<256 {
            var crc = UInt64(index)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x95AC_9329_AC4B_C9B5 : crc >> 1 }
            first[index] = crc
        }
        var tables = [first]
        for slice in 1..<8 {
            tables.append((0..<256).map { index in
                let previous = tables[slice - 1][index]
                return (previous >> 8) ^ first[Int(previous & 0xFF)]
            })
        }
        return tables
    }()

    private(set) var value: UInt64 = 0

    mutating func update(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { update($0) }
    }

    mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    mutating func update(_ raw: UnsafeRawBufferPointer) {
        var crc = value
        var index = 0
        let count = raw.count
        Self.tables.withUnsafeBufferPointer { tables in
            let t0 = tables[0], t1 = tables[1], t2 = tables[2], t3 = tables[3]
            let t4 = tables[4], t5 = tables[5], t6 = tables[6], t7 = tables[7]
            while index + 8 <= count {
                crc ^= UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                crc = t7[Int(crc & 0xFF)] ^ t6[Int((crc >> 8) & 0xFF)] ^ t5[Int((crc >> 16) & 0xFF)] ^ t4[Int((crc >> 24) & 0xFF)]
                    ^ t3[Int((crc >> 32) & 0xFF)] ^ t2[Int((crc >> 40) & 0xFF)] ^ t1[Int((crc >> 48) & 0xFF)] ^ t0[Int(crc >> 56)]
                index += 8
            }
            while index < count {
                crc = t0[Int((crc ^ UInt64(raw[index])) & 0xFF)] ^ (crc >> 8)
                index += 1
            }
        }
        value = crc
    }
}
