/// Turns `DecodingError`s from `JSONDecoder` into client-safe `ArtifactError`s.
///
/// Only the field path and a fixed phrase are kept: JSONDecoder's own messages can quote parts
/// of the input, which may be anything.
enum ManifestDecoding {
    /// Runs a decode, mapping its failure.
    static func run<T>(_ decode: () throws -> T) throws(ArtifactError) -> T {
        do {
            return try decode()
        } catch let error as DecodingError {
            throw map(error)
        } catch {
            throw .manifestMalformed("not valid JSON")
        }
    }

    private static func map(_ error: DecodingError) -> ArtifactError {
        switch error {
        case .keyNotFound(let key, let context):
            return .manifestInvalidField(field: path(context.codingPath + [key]), reason: "is missing")
        case .typeMismatch(_, let context):
            return field(context, reason: "has the wrong type")
        case .valueNotFound(_, let context):
            return field(context, reason: "is null")
        case .dataCorrupted(let context):
            // An empty path means the bytes are not JSON at all; a field path comes from our own
            // checks (dates, ids, compression), whose messages are fixed phrases.
            guard !context.codingPath.isEmpty else { return .manifestMalformed("not valid JSON") }
            return field(context, reason: context.debugDescription.hasPrefix("is ") ? context.debugDescription : "has an invalid value")
        @unknown default:
            return .manifestMalformed("not valid JSON")
        }
    }

    private static func field(_ context: DecodingError.Context, reason: String) -> ArtifactError {
        guard !context.codingPath.isEmpty else { return .manifestMalformed("not a JSON object") }
        return .manifestInvalidField(field: path(context.codingPath), reason: reason)
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }
}
