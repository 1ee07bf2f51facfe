import HTTPTypes
import Logging
import PhoenixAWS
import PhoenixDomain
import PhoenixHTTPClient

/// The seed's `lifecycle_rules`, applied so that S3 can never delete a backup retention keeps.
///
/// A rule `{prefix: redis/, expiration_days: 30}` becomes an expiry on `expired/redis/` only:
/// S3 expires what the retention job has already retired (moved there by `retire`), 30 days
/// after the move, and never touches `redis/` itself, where the newest verified backup lives
/// however old it is. One more rule aborts multipart uploads left open for a day (a crash
/// between parts), so orphaned parts do not cost storage forever.
extension S3Store {
    /// PutBucketLifecycleConfiguration with the rules above; replaces the bucket's configuration.
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

    /// With lifecycle rules, moves each object under `expired/` (CopyObject, then one
    /// DeleteObjects) for S3 to expire later; without, deletes them.
    public func retire(_ keys: [String]) async throws {
        guard retiresToExpiredPrefix else { return try await delete(keys) }
        for key in keys {
            try ObjectKey.validate(key)
            guard !key.hasPrefix(RetiredObjects.prefix) else { continue }
            var headers = [SigV4Request.Header(name: "x-amz-copy-source",
                                               value: AWSPercentEncoding.encodePath("/\(client.addressing.bucket)/\(key)"))]
            if let serverSideEncryption { headers.append(.init(name: "x-amz-server-side-encryption", value: serverSideEncryption)) }
            do {
                _ = try await client.send(.init(operation: "CopyObject", method: .put, key: RetiredObjects.prefix + key,
                                                headers: headers, mayFailWithStatus200: true))
            } catch let error as S3ResponseError where error.status == 404 {
                continue  // already gone: nothing to keep
            } catch let error as S3ResponseError {
                throw error.storeError
            }
        }
        try await delete(keys)
    }
}
