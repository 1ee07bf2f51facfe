import CHiredis

extension RedisValue {
    /// Copies `reply` and its elements into Swift values. Does not free it: the caller owns the
    /// top-level reply and frees it once with `freeReplyObject`, which frees the elements too.
    /// - Throws: `.protocolError` for a reply type hiredis 0.14 does not define.
    init(copying reply: UnsafeMutablePointer<redisReply>) throws(RedisError) {
        let fields = reply.pointee
        switch fields.type {
        case REDIS_REPLY_STRING:
            self = .string(Self.bytes(fields.str, fields.len))
        case REDIS_REPLY_INTEGER:
            self = .integer(Int64(fields.integer))
        case REDIS_REPLY_NIL:
            self = .null
        case REDIS_REPLY_STATUS:
            self = .status(String(decoding: Self.bytes(fields.str, fields.len), as: UTF8.self))
        case REDIS_REPLY_ERROR:
            self = .error(String(decoding: Self.bytes(fields.str, fields.len), as: UTF8.self))
        case REDIS_REPLY_ARRAY:
            var elements: [RedisValue] = []
            elements.reserveCapacity(fields.elements)
            for index in 0..<fields.elements {
                // hiredis never stores a NULL element; a nested nil is a REDIS_REPLY_NIL object.
                guard let element = phx_redis_reply_element(reply, index) else {
                    throw RedisError(.protocolError, operation: "redisReply", message: "missing array element")
                }
                elements.append(try RedisValue(copying: element))
            }
            self = .array(elements)
        default:
            throw RedisError(.protocolError, operation: "redisReply", message: "unknown reply type \(fields.type)")
        }
    }

    /// `len` bytes from `str`; hiredis keeps `len`, so embedded NULs survive.
    private static func bytes(_ str: UnsafeMutablePointer<CChar>?, _ len: Int) -> [UInt8] {
        Array(UnsafeRawBufferPointer(start: str, count: str == nil ? 0 : len))
    }
}
