import FoundationEssentials
import HTTPTypes

extension Request {
    /// Decodes a JSON body into `T`, or throws an `HTTPError` a client can act on: 415 for a
    /// content type other than JSON, 400 for an empty or malformed body, 422 naming the field
    /// that is missing or of the wrong type.
    public func decodeJSON<T: Decodable>(_ type: T.Type, decoder: JSONDecoder = JSONDecoder()) throws(HTTPError) -> T {
        let contentType = headerFields[.contentType]?.split(separator: ";").first
            .map { String($0.filter { $0 != " " && $0 != "\t" }).lowercased() }
        guard let contentType, contentType == "application/json" || contentType.hasSuffix("+json") else {
            throw HTTPError(.unsupportedMediaType, detail: "the body must be application/json")
        }
        guard !body.isEmpty else { throw HTTPError(.badRequest, detail: "the request body is empty") }
        do {
            return try decoder.decode(T.self, from: Data(body))
        } catch let error as DecodingError {
            throw Self.httpError(for: error)
        } catch {
            throw HTTPError(.badRequest, detail: "the body is not valid JSON")
        }
    }

    static func httpError(for error: DecodingError) -> HTTPError {
        func path(_ codingPath: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            let keys = codingPath + (last.map { [$0] } ?? [])
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.hasPrefix(".") ? String(text.dropFirst()) : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            return HTTPError(.unprocessableContent, detail: "missing field \"\(path(context.codingPath, key))\"")
        case .typeMismatch(let type, let context):
            return HTTPError(.unprocessableContent, detail: "field \"\(path(context.codingPath))\" must be \(Self.describe(type))")
        case .valueNotFound(let type, let context):
            return HTTPError(.unprocessableContent, detail: "field \"\(path(context.codingPath))\" must be \(Self.describe(type)), not null")
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return HTTPError(.badRequest, detail: "the body is not valid JSON")
        case .dataCorrupted(let context):
            return HTTPError(.unprocessableContent, detail: "field \"\(path(context.codingPath))\" is invalid")
        @unknown default:
            return HTTPError(.badRequest, detail: "the body could not be decoded")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is UInt.Type, is Int32.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is Bool.Type: "a boolean"
        default: String(describing: type).hasPrefix("Array") ? "an array" : "an object"
        }
    }
}
