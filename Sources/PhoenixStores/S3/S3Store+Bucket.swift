import HTTPTypes
import PhoenixAWS
import PhoenixDomain
import PhoenixHTTPClient

extension S3Store {
    /// Creates the bucket in the store's region; a bucket we already own is not an error.
    public func createBucket(region: String) async throws {
        // us-east-1 is the one region that refuses an explicit LocationConstraint.
        let body = region == "us-east-1" ? [] : Array("""
            <CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">\
            <LocationConstraint>\(xmlEscaped(region))</LocationConstraint></CreateBucketConfiguration>
            """.utf8)
        do {
            _ = try await client.send(.init(operation: "CreateBucket", method: .put, key: nil, body: body))
        } catch let error as S3ResponseError where error.code == "BucketAlreadyOwnedByYou" {
            return
        } catch let error as S3ResponseError {
            throw error.storeError
        }
    }

    /// The keys of multipart uploads begun and neither completed nor aborted, under `prefix`.
    func pendingUploads(prefix: String = "") async throws -> [String] {
        var query: [SigV4Request.QueryItem] = [.init(name: "uploads", value: nil)]
        if !prefix.isEmpty { query.append(.init(name: "prefix", value: prefix)) }
        let response = try await client.send(.init(operation: "ListMultipartUploads", method: .get, key: nil, query: query,
                                                   maxResponseBytes: 4 << 20))
        guard let document = XMLElementTree.parse(response.body) else {
            throw StoreError(.io, "S3 ListMultipartUploads answered with something that is not XML")
        }
        return document.children("Upload").compactMap { $0.value("Key") }
    }
}
