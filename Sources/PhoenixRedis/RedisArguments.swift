/// One command's arguments laid out for hiredis' `argv`/`argvlen` calls.
///
/// All arguments share one contiguous byte buffer and are passed with explicit lengths, so any
/// byte (NUL, `\r\n`) is sent as is and any number of arguments costs a fixed number of
/// allocations, with no nested `withUnsafeBufferPointer` per argument.
struct RedisArguments {
    /// The arguments back to back, plus one spare byte so the buffer is never empty and every
    /// offset, even that of a trailing empty argument, points inside it.
    private let storage: [UInt8]
    private let offsets: [Int]
    private let lengths: [Int]

    init(_ arguments: [[UInt8]]) {
        var storage: [UInt8] = []
        storage.reserveCapacity(arguments.reduce(1) { $0 + $1.count })
        var offsets: [Int] = []
        offsets.reserveCapacity(arguments.count)
        for argument in arguments {
            offsets.append(storage.count)
            storage.append(contentsOf: argument)
        }
        storage.append(0)
        self.storage = storage
        self.offsets = offsets
        self.lengths = arguments.map(\.count)
    }

    /// The number of arguments.
    var count: Int { offsets.count }

    /// Calls `body` with `argc`, `argv` and `argvlen` as `redisCommandArgv` takes them. The
    /// pointers are valid only inside `body`; hiredis copies the bytes into its output buffer.
    func withArgv<R>(
        _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int>?) -> R
    ) -> R {
        storage.withUnsafeBytes { bytes in
            // UInt8 and CChar may alias (same size, signed/unsigned variants of one another).
            var argv = offsets.map { offset in
                bytes.baseAddress.map { ($0 + offset).assumingMemoryBound(to: CChar.self) }
            }
            return argv.withUnsafeMutableBufferPointer { argvBuffer in
                lengths.withUnsafeBufferPointer { lengthBuffer in
                    body(Int32(clamping: offsets.count), argvBuffer.baseAddress, lengthBuffer.baseAddress)
                }
            }
        }
    }
}
