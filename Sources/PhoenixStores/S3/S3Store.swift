import Foundation
import HTTPTypes
import Logging
import PhoenixAWS
import PhoenixCrypto
import PhoenixDomain
import PhoenixHTTPClient
import Synchronization

/// Artifacts in an S3 bucket (DESIGN.md §2), over our libcurl client and SigV4 signer.
///
/// Objects are written in one PutObject when they are small and as a multipart upload otherwise,
/// so a partial object is never visible (S3 shows an object only once the upload completes);
/// reads are ranged GETs of bounded size, each one retried on its own.
public final class S3Store: ArtifactStore {
    public let name: String
    let client: S3Client
    /// Sent as `x-amz-server-side-encryption` on every new object (`AES256`, `aws:kms`).
    let serverSideEncryption: String?
    let tuning: Tuning
    /// The prefixes of the configured lifecycle rules: `retire` moves objects under one of them
    /// to `expired/`, once the rules are on the bucket.
    let lifecyclePrefixes: [String]
    let isLifecycleApplied = Atomic<Bool>(false)

    /// Sizes that trade memory for requests.
    public struct Tuning: Sendable, Equatable {
        /// The first parts' size; S3's minimum is 5 MiB. It doubles every 1,000 parts so the
        /// 10,000-part limit is never reached (about 8 TiB with the default).
        public var partSize: Int
        /// Parts uploaded at the same time; memory is about `partSize × (this + 1)`.
        public var partsInFlight: Int
        /// The size of one ranged GET; a download holds at most two of them.
        public var rangeSize: Int
        /// Keys per ListObjectsV2 page (S3 answers at most 1,000).
        public var listPageSize: Int
        /// Objects larger than this are copied part by part (CopyObject's limit is 5 GiB).
        public var singleCopyLimit: Int64
        /// The size of one UploadPartCopy.
        public var copyPartSize: Int64

        public init(partSize: Int = 8 << 20, partsInFlight: Int = 2, rangeSize: Int = 8 << 20, listPageSize: Int = 1000,
                    singleCopyLimit: Int64 = 5 << 30, copyPartSize: Int64 = 1 << 30) {
            self.partSize = max(5 << 20, partSize)
            self.partsInFlight = max(1, partsInFlight)
            self.rangeSize = max(64 << 10, rangeSize)
            self.listPageSize = min(1000, max(1, listPageSize))
            self.singleCopyLimit = min(5 << 30, singleCopyLimit)
            self.copyPartSize = min(5 << 30, max(5 << 20, copyPartSize))
        }
    }

    /// A store for `settings.bucket`.
    /// - Throws: `StoreError.invalidKey` for a bad bucket name or endpoint.
    public init(name: String, settings: S3Settings, credentials: any AWSCredentialsProvider, http: HTTPClient,
                retry: S3RetryPolicy = S3RetryPolicy(), tuning: Tuning = Tuning(), logger: Logger) throws(StoreError) {
        self.name = name
        client = S3Client(addressing: try S3Addressing(settings), region: settings.region, credentials: credentials,
                          http: http, retry: retry, logger: logger)
        serverSideEncryption = settings.encryption
        self.tuning = tuning
        lifecyclePrefixes = settings.lifecycleRules.map(\.prefix)
    }

    public func upload(_ key: String) async throws -> any ObjectUpload {
        try ObjectKey.validate(key)
        return S3Upload(store: self, key: key)
    }

    public func download(_ key: String) async throws -> any ObjectDownload {
        try ObjectKey.validate(key)
        guard let object = try await headObject(key) else {
            throw StoreError(.notFound, "no object \(key) in bucket \(client.addressing.bucket)")
        }
        return S3Download(client: client, key: key, size: object.size, etag: object.etag, rangeSize: tuning.rangeSize)
    }

    public func head(_ key: String) async throws -> StoredObject? {
        try ObjectKey.validate(key)
        return try await headObject(key).map { StoredObject(key: key, size: $0.size, modifiedAt: $0.modifiedAt) }
    }

    public func list(prefix: String) async throws -> [StoredObject] {
        var objects: [StoredObject] = []
        var token: String?
        var seenTokens = Set<String>()
        repeat {
            let page = try await listPage(prefix: prefix, continuationToken: token)
            objects += page.objects
            token = page.nextToken
            // A server that hands out the same token again would keep us listing forever.
            if let token, !seenTokens.insert(token).inserted {
                throw StoreError(.io, "S3 ListObjectsV2 repeated a continuation token; the listing would never end")
            }
        } while token != nil
        return objects.sorted { $0.key < $1.key }
    }

    public func delete(_ keys: [String]) async throws {
        for key in keys { try ObjectKey.validate(key) }
        // DeleteObjects takes at most 1,000 keys.
        var start = 0
        while start < keys.count {
            let batch = Array(keys[start..<min(start + 1000, keys.count)])
            try await deleteBatch(batch)
            start += batch.count
        }
    }

    // MARK: - Calls

    struct ObjectHead: Sendable {
        var size: Int64
        var etag: String?
        var modifiedAt: Date?
    }

    func headObject(_ key: String) async throws -> ObjectHead? {
        do {
            let response = try await client.send(.init(operation: "HeadObject", method: .head, key: key))
            let fields = response.headerFields
            guard let size = fields[.contentLength].flatMap({ Int64($0) }) else {
                throw StoreError(.io, "S3 HeadObject of \(key) answered without a Content-Length")
            }
            let modified = fields[.lastModified].flatMap(Self.parseHTTPDate)
            return ObjectHead(size: size, etag: fields[.eTag], modifiedAt: modified)
        } catch let error as S3ResponseError where error.status == 404 {
            return nil
        } catch let error as S3ResponseError {
            throw error.storeError
        }
    }

    private func listPage(prefix: String, continuationToken: String?) async throws -> (objects: [StoredObject], nextToken: String?) {
        var query: [SigV4Request.QueryItem] = [.init(name: "list-type", value: "2"), .init(name: "max-keys", value: String(tuning.listPageSize))]
        if !prefix.isEmpty { query.append(.init(name: "prefix", value: prefix)) }
        if let continuationToken { query.append(.init(name: "continuation-token", value: continuationToken)) }
        let response: HTTPClientResponse
        do {
            response = try await client.send(.init(operation: "ListObjectsV2", method: .get, key: nil, query: query,
                                                   maxResponseBytes: 16 << 20))
        } catch let error as S3ResponseError {
            throw error.storeError
        }
        guard let document = XMLElementTree.parse(response.body), document.name == "ListBucketResult" else {
            throw StoreError(.io, "S3 ListObjectsV2 answered with something that is not a ListBucketResult")
        }
        var objects: [StoredObject] = []
        for entry in document.children("Contents") {
            guard let key = entry.exactValue("Key"), !key.isEmpty, let size = entry.value("Size").flatMap({ Int64($0) }), size >= 0 else {
                throw StoreError(.io, "S3 ListObjectsV2 listed an object without a key or a size")
            }
            objects.append(StoredObject(key: key, size: size, modifiedAt: entry.value("LastModified").flatMap(Self.parseISO8601)))
        }
        let truncated = document.value("IsTruncated") == "true"
        let next = document.value("NextContinuationToken")
        if truncated && (next ?? "").isEmpty {
            throw StoreError(.io, "S3 ListObjectsV2 said the listing goes on but gave no continuation token")
        }
        return (objects, truncated ? next : nil)
    }

    private func deleteBatch(_ keys: [String]) async throws {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Quiet>true</Quiet>"
        for key in keys { xml += "<Object><Key>\(xmlEscaped(key))</Key></Object>" }
        xml += "</Delete>"
        let body = Array(xml.utf8)
        let response: HTTPClientResponse
        do {
            response = try await client.send(.init(
                operation: "DeleteObjects", method: .post, key: nil, query: [.init(name: "delete", value: nil)],
                headers: [.init(name: "Content-Type", value: "application/xml"), .init(name: "Content-MD5", value: Self.contentMD5(body))],
                body: body, maxResponseBytes: 4 << 20))
        } catch let error as S3ResponseError {
            throw error.storeError
        }
        // Quiet mode lists only the keys that failed.
        if let document = XMLElementTree.parse(response.body), let failure = document.children("Error").first {
            let count = document.children("Error").count
            throw StoreError(.io, "S3 DeleteObjects failed for \(count) of \(keys.count) keys; first: \(failure.value("Key") ?? "?"): \(failure.value("Code") ?? "?")")
        }
    }

    static func contentMD5(_ body: [UInt8]) -> String {
        Data(MD5.digest(body)).base64EncodedString()
    }

    /// `Last-Modified`: an RFC 9110 IMF-fixdate such as `Wed, 21 Oct 2015 07:28:00 GMT`.
    static func parseHTTPDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }

    static func parseISO8601(_ text: String) -> Date? {
        (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
            ?? (try? Date(text, strategy: Date.ISO8601FormatStyle()))
    }
}
