import Dispatch
import Glibc
import PhoenixArtifact

// As phoenix-dr does at start (ResourceLimits.tuneMallocForStreaming): 1 MiB buffers stay on the
// heap. Swift's Glibc module leaves out <malloc.h>, so mallopt is declared here; -3 and -1 are
// glibc's M_MMAP_THRESHOLD and M_TRIM_THRESHOLD.
@_silgen_name("mallopt") func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
_ = mallopt(-3, 32 << 20)
_ = mallopt(-1, 128 << 20)
_ = mallopt(-8, 2)  // M_ARENA_MAX, one per core of the benchmark machine

/// Seals `--mib` MiB (default 1024) of random-looking bytes into an encrypted, uncompressed
/// artifact in memory, as a backup does (AES-256-GCM chunks + SHA-256 of the stored bytes), and
/// prints `bytes seconds` on one line. The input is a 64 MiB buffer reused, so reading it costs
/// nothing; the output is dropped after each chunk, as an upload would take it.
///
/// `--input FILE` instead seals that file's bytes, read 1 MiB at a time, compressed with zstd as a
/// directory backup is: the compress+encrypt+hash stages without the source, the pipe or the store.
let arguments = CommandLine.arguments
let mebibytes = arguments.firstIndex(of: "--mib").flatMap { Int(arguments[$0 + 1]) } ?? 1024
if let input = arguments.firstIndex(of: "--input").map({ arguments[$0 + 1] }) {
    guard let file = fopen(input, "rb") else { fatalError("cannot open \(input)") }
    let key = try ArtifactKey.makeRandom(id: ArtifactKeyID(rawValue: "bench")!)
    var writer = try ArtifactWriter(key: key, chunkSize: 1 << 20, compression: .zstd)
    var piece = [UInt8](repeating: 0, count: 1 << 20)
    let start = DispatchTime.now().uptimeNanoseconds
    var raw = 0, sealed = 0
    while true {
        let count = piece.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        if count == 0 { break }
        raw += count
        sealed += try piece[..<count].withUnsafeBytes { try writer.write($0).count }
    }
    sealed += try writer.finish().count
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    print("\(raw) \(seconds) \(sealed)")
    exit(0)
}
var state: UInt64 = 0x9E37_79B9_7F4A_7C15
var buffer = [UInt8](repeating: 0, count: 64 << 20)
for index in buffer.indices {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    buffer[index] = UInt8(truncatingIfNeeded: state >> 56)
}
let key = try ArtifactKey.makeRandom(id: ArtifactKeyID(rawValue: "bench")!)
var writer = try ArtifactWriter(key: key, chunkSize: 1 << 20, compression: .none)
let start = DispatchTime.now().uptimeNanoseconds
var sealed = 0
for piece in 0..<mebibytes {
    let offset = (piece % 64) << 20
    sealed += try buffer[offset..<(offset + (1 << 20))].withUnsafeBytes { try writer.write($0).count }
}
sealed += try writer.finish().count
let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
print("\(mebibytes << 20) \(seconds) \(sealed) \(writer.storedSHA256 ?? "")")
