import HTTPTypes
import PhoenixAWS
import PhoenixDomain
import PhoenixHTTPClient

/// One object being written to S3.
///
/// Bytes collect in a part buffer. An object that ends before the first part is full goes up in
/// one PutObject; a larger one becomes a multipart upload whose parts are sent while the next
/// fills, at most `partsInFlight` at a time, so memory stays near `partSize × (partsInFlight + 1)`
/// whatever the object's size. Any failure aborts the upload, so S3 keeps no orphaned parts.
actor S3Upload: ObjectUpload {
    private let store: S3Store
    private let key: String
    private var buffer: [UInt8] = []
    private var uploadID: String?
    private var nextPartNumber = 1
    private var inFlight: [(number: Int, task: Task<String, any Error>)] = []
    private var finishedParts: [(number: Int, etag: String)] = []
    private var byteCount: Int64 = 0
    private var isEnded = false

    init(store: S3Store, key: String) {
        self.store = store
        self.key = key
    }

    func write(_ bytes: [UInt8]) async throws {
        guard !isEnded else { throw StoreError(.io, "write to an upload of \(key) that has ended") }
        buffer += bytes
        byteCount += Int64(bytes.count)
        do {
            while buffer.count >= partSize(nextPartNumber) {
                let size = partSize(nextPartNumber)
                let part = Array(buffer[0..<size])
                buffer.removeFirst(size)
                try await send(part)
            }
        } catch {
            await abort()
            throw Self.storeError(error)
        }
    }

    func complete() async throws -> StoredObject {
        guard !isEnded else { throw StoreError(.io, "the upload of \(key) has already ended") }
        do {
            if uploadID == nil {
                try await putObject(buffer)
            } else {
                if !buffer.isEmpty { try await send(buffer) }
                while !inFlight.isEmpty { try await collectOldest() }
                try await completeMultipart()
            }
        } catch {
            await abort()
            throw Self.storeError(error)
        }
        isEnded = true
        buffer = []
        return StoredObject(key: key, size: byteCount)
    }

    func abort() async {
        guard !isEnded else { return }
        isEnded = true
        buffer = []
        for part in inFlight { part.task.cancel() }
        for part in inFlight { _ = try? await part.task.value }
        inFlight = []
        guard let uploadID else { return }
        // Abort is retried like any call; if it still fails, the bucket's lifecycle rule for
        // incomplete uploads (S3Lifecycle) removes the parts a day later.
        _ = try? await store.client.send(.init(operation: "AbortMultipartUpload", method: .delete, key: key,
                                               query: [.init(name: "uploadId", value: uploadID)]))
    }

    // MARK: - Parts

    /// 8 MiB (by default) for parts 1 to 1,000, twice that for the next thousand, and so on.
    private func partSize(_ number: Int) -> Int {
        min(store.tuning.partSize << ((number - 1) / 1000), 5 << 30)
    }

    private func send(_ part: [UInt8]) async throws {
        let uploadID = try await startMultipartIfNeeded()
        while inFlight.count >= store.tuning.partsInFlight { try await collectOldest() }
        let number = nextPartNumber
        nextPartNumber += 1
        guard number <= 10_000 else { throw StoreError(.io, "the object \(key) needs more than 10,000 parts") }
        let client = store.client
        let key = key
        let task = Task<String, any Error> {
            let response = try await client.send(.init(
                operation: "UploadPart", method: .put, key: key,
                query: [.init(name: "partNumber", value: String(number)), .init(name: "uploadId", value: uploadID)],
                body: part))
            guard let etag = response.headerFields[.eTag], !etag.isEmpty else {
                throw StoreError(.io, "S3 UploadPart \(number) of \(key) answered without an ETag")
            }
            return etag
        }
        inFlight.append((number, task))
    }

    private func collectOldest() async throws {
        let part = inFlight.removeFirst()
        finishedParts.append((part.number, try await part.task.value))
    }

    private func startMultipartIfNeeded() async throws -> String {
        if let uploadID { return uploadID }
        let response = try await store.client.send(.init(
            operation: "CreateMultipartUpload", method: .post, key: key, query: [.init(name: "uploads", value: nil)],
            headers: objectHeaders))
        guard let document = XMLElementTree.parse(response.body), let id = document.value("UploadId"), !id.isEmpty else {
            throw StoreError(.io, "S3 CreateMultipartUpload of \(key) answered without an UploadId")
        }
        uploadID = id
        return id
    }

    private func completeMultipart() async throws {
        guard let uploadID else { return }
        var xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for part in finishedParts.sorted(by: { $0.number < $1.number }) {
            xml += "<Part><PartNumber>\(part.number)</PartNumber><ETag>\(xmlEscaped(part.etag))</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        _ = try await store.client.send(.init(
            operation: "CompleteMultipartUpload", method: .post, key: key, query: [.init(name: "uploadId", value: uploadID)],
            headers: [.init(name: "Content-Type", value: "application/xml")], body: Array(xml.utf8), mayFailWithStatus200: true))
    }

    private func putObject(_ body: [UInt8]) async throws {
        _ = try await store.client.send(.init(operation: "PutObject", method: .put, key: key, headers: objectHeaders, body: body))
    }

    /// Content type and server-side encryption, for PutObject and CreateMultipartUpload.
    private var objectHeaders: [SigV4Request.Header] {
        var headers = [SigV4Request.Header(name: "Content-Type", value: "application/octet-stream")]
        if let encryption = store.serverSideEncryption {
            headers.append(.init(name: "x-amz-server-side-encryption", value: encryption))
        }
        return headers
    }

    static func storeError(_ error: any Error) -> any Error {
        (error as? S3ResponseError)?.storeError ?? error
    }
}
