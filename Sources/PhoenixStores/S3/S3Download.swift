import HTTPTypes
import PhoenixAWS
import PhoenixDomain
import PhoenixHTTPClient

/// An S3 object read as a series of ranged GETs.
///
/// Each range is at most `rangeSize` bytes and is fetched while the caller consumes the previous
/// one, so a download holds two ranges at most and keeps the connection busy. A range that fails
/// (a reset in the middle of the body, a 503) is retried on its own instead of starting over.
/// `If-Match` pins every range to the ETag seen at open: an object replaced in between fails
/// with a clear error instead of splicing two versions.
actor S3Download: ObjectDownload {
    private let client: S3Client
    private let key: String
    private let size: Int64
    private let etag: String?
    private let rangeSize: Int64
    private var current: [UInt8] = []
    private var position = 0
    /// The offset of the first byte not yet requested.
    private var nextOffset: Int64 = 0
    private var prefetch: Task<[UInt8], any Error>?
    /// The first failure: every later read throws it, so a failed range is never skipped over.
    private var failure: (any Error)?

    init(client: S3Client, key: String, size: Int64, etag: String?, rangeSize: Int) {
        self.client = client
        self.key = key
        self.size = size
        self.etag = etag
        self.rangeSize = Int64(rangeSize)
    }

    deinit {
        prefetch?.cancel()
    }

    func read(maxCount: Int) async throws -> [UInt8] {
        if let failure { throw failure }
        if position == current.count {
            guard let range = prefetch ?? requestNextRange() else { return [] }
            prefetch = nil
            do {
                current = try await Self.value(of: range)
            } catch {
                failure = error
                throw error
            }
            position = 0
            prefetch = requestNextRange()
        }
        let end = min(current.count, position + max(1, maxCount))
        defer { position = end }
        return Array(current[position..<end])
    }

    func close() async {
        failure = StoreError(.io, "the download of \(key) is closed")
        prefetch?.cancel()
        prefetch = nil
        current = []
        position = 0
        nextOffset = size
    }

    /// A request for the next range; nil at the end of the object.
    private func requestNextRange() -> Task<[UInt8], any Error>? {
        guard nextOffset < size else { return nil }
        let first = nextOffset
        let last = min(size, first + rangeSize) - 1
        nextOffset = last + 1
        let client = client
        let key = key
        let etag = etag
        return Task {
            var headers = [SigV4Request.Header(name: "Range", value: "bytes=\(first)-\(last)")]
            if let etag { headers.append(.init(name: "If-Match", value: etag)) }
            let response = try await client.send(.init(operation: "GetObject", method: .get, key: key, headers: headers,
                                                       maxResponseBytes: Int(last - first + 1)))
            let expected = Int(last - first + 1)
            guard response.body.count == expected else {
                throw StoreError(.io, "S3 GetObject of \(key) returned \(response.body.count) bytes for a range of \(expected)")
            }
            return response.body
        }
    }

    private static func value(of task: Task<[UInt8], any Error>) async throws -> [UInt8] {
        do {
            return try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
        } catch let error as S3ResponseError where error.status == 412 {
            throw StoreError(.io, "the S3 object changed while it was read (its ETag no longer matches)")
        } catch let error as S3ResponseError {
            throw error.storeError
        }
    }
}
