import HTTPTypes
import Logging
import PhoenixAWS
import PhoenixDomain
import PhoenixHTTPClient

/// One object being written to S3.
///
/// Bytes collect in a part buffer. An object that ends before the first part is full goes up in
/// one PutObject; a larger one becomes a multipart upload whose parts are sent while the next
/// fills, at most `partsInFlight` at a time. Any failure, and a cancelled backup, aborts the
/// upload, so S3 keeps no orphaned parts.
///
/// Writes come one at a time from the backup pipeline, but `abort()` can arrive while a write
/// waits (an actor lets other calls in at every `await`): part numbers are taken before any
/// wait, the multipart upload is created once, and every step after a wait checks `isEnded`.
actor S3Upload: ObjectUpload {
    private let store: S3Store
    private let key: String
    private var buffer: [UInt8] = []
    /// CreateMultipartUpload, started by the first full part and shared by everything after it.
    private var creation: Task<String, any Error>?
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
        try checkOpen()
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
        try checkOpen()
        do {
            if creation == nil {
                try await putObject(buffer)
            } else {
                if !buffer.isEmpty { try await send(buffer) }
                while !inFlight.isEmpty { try await collectOldest() }
                try checkOpen()
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
        let parts = inFlight
        inFlight = []
        for part in parts { part.task.cancel() }
        for part in parts { _ = try? await part.task.value }
        guard let creation, let uploadID = try? await creation.value else { return }
        // A cancelled backup aborts too: the HTTP client refuses to start a request in a cancelled
        // task, so the abort runs in a task of its own. Should it still fail, the bucket's rule
        // for incomplete uploads (S3Store+Lifecycle) removes the parts a day later.
        // A failed abort is logged, so an operator knows parts may linger until that rule acts.
        let client = store.client
        let key = key
        await Task {
            do {
                _ = try await client.send(.init(operation: "AbortMultipartUpload", method: .delete, key: key,
                                                query: [.init(name: "uploadId", value: uploadID)]))
            } catch {
                client.logger.warning("S3 multipart upload not aborted; its parts stay until the bucket's rule for incomplete uploads removes them",
                                      metadata: ["key": "\(key)", "upload_id": "\(uploadID)", "error": "\(S3Upload.storeError(error))"])
            }
        }.value
    }

    // MARK: - Parts

    private func checkOpen() throws {
        guard !isEnded else { throw StoreError(.io, "the upload of \(key) has ended (completed or aborted)") }
    }

    /// 8 MiB (by default) for parts 1 to 1,000, twice that for the next thousand, and so on.
    private func partSize(_ number: Int) -> Int {
        min(store.tuning.partSize << ((number - 1) / 1000), 5 << 30)
    }

    private func send(_ part: [UInt8]) async throws {
        let number = nextPartNumber
        nextPartNumber += 1
        guard number <= 10_000 else { throw StoreError(.io, "the object \(key) needs more than 10,000 parts") }
        let uploadID = try await multipartUploadID()
        while inFlight.count >= store.tuning.partsInFlight { try await collectOldest() }
        try checkOpen()
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
        finishedParts.append((part.number, try await Self.value(of: part.task)))
    }

    /// The task's value; cancelling the waiter cancels the task (a part or the creation is an
    /// unstructured task, which a cancelled backup would otherwise wait for).
    private static func value<T: Sendable>(of task: Task<T, any Error>) async throws -> T {
        try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
    }

    private func multipartUploadID() async throws -> String {
        if creation == nil {
            let client = store.client
            let key = key
            let headers = objectHeaders
            creation = Task {
                let response = try await client.send(.init(
                    operation: "CreateMultipartUpload", method: .post, key: key, query: [.init(name: "uploads", value: nil)],
                    headers: headers))
                guard let document = XMLElementTree.parse(response.body), let id = document.value("UploadId"), !id.isEmpty else {
                    throw StoreError(.io, "S3 CreateMultipartUpload of \(key) answered without an UploadId")
                }
                return id
            }
        }
        let id = try await Self.value(of: creation!)
        try checkOpen()
        return id
    }

    private func completeMultipart() async throws {
        let uploadID = try await multipartUploadID()
        var xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for part in finishedParts.sorted(by: { $0.number < $1.number }) {
            xml += "<Part><PartNumber>\(part.number)</PartNumber><ETag>\(xmlEscaped(part.etag))</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        do {
            let response = try await store.client.send(.init(
                operation: "CompleteMultipartUpload", method: .post, key: key, query: [.init(name: "uploadId", value: uploadID)],
                headers: [.init(name: "Content-Type", value: "application/xml")], body: Array(xml.utf8), mayFailWithStatus200: true))
            // AWS names the document CompleteMultipartUploadResult, moto ...Response: either way
            // the object's new ETag says the upload is done.
            guard let document = XMLElementTree.parse(response.body), document.value("ETag") != nil else {
                throw StoreError(.io, "S3 CompleteMultipartUpload of \(key) answered without the completed object's ETag")
            }
        } catch let error as S3ResponseError where error.code == "NoSuchUpload" {
            // A retry after S3 completed the upload but the answer was lost finds no upload: the
            // object is there if it has exactly the bytes we sent.
            guard try await store.headObject(key)?.size == byteCount else { throw error }
        }
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
