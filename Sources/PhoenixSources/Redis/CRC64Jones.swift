/// Redis's CRC-64 (Jones polynomial, reflected, no final xor): the checksum at the end of an
/// RDB file, over every byte from `REDIS` through the EOF opcode.
struct CRC64Jones {
    private static let table: [UInt64] = (0..<256).map { index in
        var crc = UInt64(index)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x95AC_9329_AC4B_C9B5 : crc >> 1 }
        return crc
    }

    private(set) var value: UInt64 = 0

    mutating func update(_ bytes: some Collection<UInt8>) {
        var crc = value
        for byte in bytes { crc = Self.table[Int((crc ^ UInt64(byte)) & 0xFF)] ^ (crc >> 8) }
        value = crc
    }
}
