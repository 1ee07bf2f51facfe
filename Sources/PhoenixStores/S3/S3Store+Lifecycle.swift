import HTTPTypes
import Logging
import PhoenixAWS
import PhoenixDomain
import PhoenixHTTPClient
import Synchronization

/// The seed's `lifecycle_rules`, applied so that S3 can never delete a backup retention keeps.
///
/// A rule `{prefix: redis/, expiration_days: 30}` becomes an expiry on `expired/redis/` only:
/// S3 expires what the retention job has already retired (moved there by `retire`), 30 days
/// after the move, and never touches `redis/` itself, where the newest verified backup lives
/// however old it is. One more rule aborts multipart uploads left open for a day (a crash
/// between parts), so orphaned parts do not cost storage forever.
extension S3Store {
    /// PutBucketLifecycleConfiguration with the rules above. It replaces the bucket's whole
    /// lifecycle configuration, which is why it runs only when `lifecycle_rules` are configured.
    public func applyLifecycle(_ rules: [LifecycleRule]) async throws {
        let body = Array(Self.lifecycleConfiguration(rules).utf8)
        do {
            _ = try await client.send(.init(
                operation: "PutBucketLifecycleConfiguration", method: .put, key: nil, query: [.init(name: "lifecycle", value: nil)],
                headers: [.init(name: "Content-Type", value: "application/xml"), .init(name: "Content-MD5", value: Self.contentMD5(body))],
                body: body))
        } catch let error as S3ResponseError {
            throw error.storeError
        }
        isLifecycleApplied.store(true, ordering: .releasing)
    }

    /// The lifecycle configuration document for `rules`.
    static func lifecycleConfiguration(_ rules: [LifecycleRule]) -> String {
        var xml = "<LifecycleConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for rule in rules {
            let prefix = RetiredObjects.prefix + rule.prefix
            xml += "<Rule><ID>\(xmlEscaped("phoenix-expire-" + prefix))</ID><Filter><Prefix>\(xmlEscaped(prefix))</Prefix></Filter>"
            xml += "<Status>Enabled</Status><Expiration><Days>\(max(1, rule.expirationDays))</Days></Expiration></Rule>"
        }
        xml += "<Rule><ID>phoenix-abort-incomplete-uploads</ID><Filter><Prefix></Prefix></Filter><Status>Enabled</Status>"
        xml += "<AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule>"
        xml += "</LifecycleConfiguration>"
        return xml
    }

    /// Moves each object that a lifecycle rule on the bucket will expire under `expired/`
    /// (a copy, then one DeleteObjects); deletes the others, which no rule would ever remove.
    public func retire(_ keys: [String]) async throws {
        let rulesApply = isLifecycleApplied.load(ordering: .acquiring)
        for key in keys {
            try ObjectKey.validate(key)
            guard rulesApply, !key.hasPrefix(RetiredObjects.prefix), lifecyclePrefixes.contains(where: { key.hasPrefix($0) }),
                  let head = try await headObject(key) else { continue }
            do {
                if head.size <= tuning.singleCopyLimit {
                    try await copyObject(key, to: RetiredObjects.prefix + key)
                } else {
                    try await copyInParts(key, size: head.size, to: RetiredObjects.prefix + key)
                }
            } catch let error as S3ResponseError {
                throw error.storeError
            }
        }
        try await delete(keys)
    }

    private func copySourceHeader(_ key: String) -> SigV4Request.Header {
        .init(name: "x-amz-copy-source", value: AWSPercentEncoding.encodePath("/\(client.addressing.bucket)/\(key)"))
    }

    private func copyObject(_ key: String, to target: String) async throws {
        var headers = [copySourceHeader(key)]
        if let serverSideEncryption { headers.append(.init(name: "x-amz-server-side-encryption", value: serverSideEncryption)) }
        _ = try await client.send(.init(operation: "CopyObject", method: .put, key: target, headers: headers, mayFailWithStatus200: true))
    }

    /// CopyObject stops at 5 GiB: larger objects are copied with UploadPartCopy, range by range.
    private func copyInParts(_ key: String, size: Int64, to target: String) async throws {
        var createHeaders: [SigV4Request.Header] = []
        if let serverSideEncryption { createHeaders.append(.init(name: "x-amz-server-side-encryption", value: serverSideEncryption)) }
        let created = try await client.send(.init(operation: "CreateMultipartUpload", method: .post, key: target,
                                                  query: [.init(name: "uploads", value: nil)], headers: createHeaders))
        guard let uploadID = XMLElementTree.parse(created.body)?.value("UploadId"), !uploadID.isEmpty else {
            throw StoreError(.io, "S3 CreateMultipartUpload of \(target) answered without an UploadId")
        }
        do {
            var parts: [(Int, String)] = []
            var offset: Int64 = 0
            while offset < size {
                let last = min(size, offset + tuning.copyPartSize) - 1
                let number = parts.count + 1
                let response = try await client.send(.init(
                    operation: "UploadPartCopy", method: .put, key: target,
                    query: [.init(name: "partNumber", value: String(number)), .init(name: "uploadId", value: uploadID)],
                    headers: [copySourceHeader(key), .init(name: "x-amz-copy-source-range", value: "bytes=\(offset)-\(last)")],
                    mayFailWithStatus200: true))
                guard let etag = XMLElementTree.parse(response.body)?.value("ETag"), !etag.isEmpty else {
                    throw StoreError(.io, "S3 UploadPartCopy \(number) of \(target) answered without an ETag")
                }
                parts.append((number, etag))
                offset = last + 1
            }
            var xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            for (number, etag) in parts { xml += "<Part><PartNumber>\(number)</PartNumber><ETag>\(xmlEscaped(etag))</ETag></Part>" }
            xml += "</CompleteMultipartUpload>"
            _ = try await client.send(.init(operation: "CompleteMultipartUpload", method: .post, key: target,
                                            query: [.init(name: "uploadId", value: uploadID)],
                                            headers: [.init(name: "Content-Type", value: "application/xml")],
                                            body: Array(xml.utf8), mayFailWithStatus200: true))
        } catch {
            let client = client
            await Task {
                _ = try? await client.send(.init(operation: "AbortMultipartUpload", method: .delete, key: target,
                                                 query: [.init(name: "uploadId", value: uploadID)]))
            }.value
            throw error
        }
    }
}
