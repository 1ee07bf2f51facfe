import FoundationEssentials

/// The JSON credentials document IMDS serves for a role.
///
/// ```json
/// {"Code": "Success", "LastUpdated": "2026-01-02T02:50:00Z", "Type": "AWS-HMAC",
///  "AccessKeyId": "ASIA...", "SecretAccessKey": "...", "Token": "...", "Expiration": "2026-01-02T09:04:05Z"}
/// ```
struct InstanceMetadataDocument: Decodable {
    let code: String
    let type: String?
    let accessKeyID: String?
    let secretAccessKey: String?
    let token: String?
    let expiration: Date?

    enum CodingKeys: String, CodingKey {
        case code = "Code", type = "Type", accessKeyID = "AccessKeyId", secretAccessKey = "SecretAccessKey"
        case token = "Token", expiration = "Expiration"
    }

    /// Decodes the body.
    /// - Throws: `.malformedMetadata` naming only the JSON path at fault: decoder messages can quote
    ///   the input, and this input is a secret.
    static func parse(_ body: [UInt8]) throws(AWSError) -> InstanceMetadataDocument {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(InstanceMetadataDocument.self, from: Data(body))
        } catch let error as DecodingError {
            throw AWSError(.malformedMetadata, "the credentials document is not valid", message: "at \(Self.path(of: error))")
        } catch {
            throw AWSError(.malformedMetadata, "the credentials document is not valid")
        }
    }

    /// The credentials, once the document says it holds them.
    /// - Throws: `.malformedMetadata` if `Code` is not `Success` or a field is missing;
    ///   `.invalidCredentials` for unusable values.
    func credentials() throws(AWSError) -> AWSCredentials {
        guard code == "Success" else { throw AWSError(.malformedMetadata, "the credentials document reports a failure") }
        let fields: [(String, String?)] = [("AccessKeyId", accessKeyID), ("SecretAccessKey", secretAccessKey), ("Token", token)]
        let missing = fields.filter { $0.1?.isEmpty ?? true }.map(\.0) + (expiration == nil ? ["Expiration"] : [])
        guard missing.isEmpty, let accessKeyID, let secretAccessKey, let token, let expiration else {
            throw AWSError(.malformedMetadata, "the credentials document has no \(missing.joined(separator: ", "))")
        }
        return try AWSCredentials(
            accessKeyID: accessKeyID,
            secretAccessKey: AWSSecret(secretAccessKey),
            sessionToken: AWSSecret(token),
            expiration: expiration
        )
    }

    private static func path(of error: DecodingError) -> String {
        let context: DecodingError.Context? = switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context): context
        case .keyNotFound(let key, let context): DecodingError.Context(codingPath: context.codingPath + [key], debugDescription: "")
        @unknown default: nil
        }
        let keys = context?.codingPath.map(\.stringValue) ?? []
        return keys.isEmpty ? "the document root" : keys.joined(separator: ".")
    }
}
