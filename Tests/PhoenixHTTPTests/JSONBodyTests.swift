import HTTPTypes
import PhoenixHTTP
import Testing

private struct Trigger: Decodable {
    struct Target: Decodable { let region: String; let replicas: Int }
    let dataset: String
    let target: Target
    let labels: [String]?
}

private func request(_ body: String, contentType: String? = "application/json") -> Request {
    var fields = HTTPFields()
    if let contentType { fields[.contentType] = contentType }
    return Request(head: HTTPRequest(method: .post, scheme: nil, authority: "t", path: "/v1/backups", headerFields: fields), body: Array(body.utf8))
}

private func decodeError(_ request: Request) -> HTTPError? {
    do {
        _ = try request.decodeJSON(Trigger.self)
        return nil
    } catch {
        return error
    }
}

@Suite struct JSONBodyTests {
    @Test func validBodyDecodes() throws {
        let trigger = try request(#"{"dataset":"redis_data","target":{"region":"dr","replicas":2}}"#, contentType: "application/json; charset=utf-8")
            .decodeJSON(Trigger.self)
        #expect(trigger.dataset == "redis_data")
        #expect(trigger.target.replicas == 2)
    }

    @Test func wrongContentTypeIs415() {
        #expect(decodeError(request("{}", contentType: "text/plain"))?.status == .unsupportedMediaType)
        #expect(decodeError(request("{}", contentType: nil))?.status == .unsupportedMediaType)
    }

    @Test func emptyOrMalformedBodyIs400() {
        #expect(decodeError(request(""))?.status == .badRequest)
        #expect(decodeError(request(#"{"dataset": "x", "#))?.status == .badRequest)
        #expect(decodeError(request("\u{0}\u{1}garbage"))?.status == .badRequest)
    }

    @Test func missingFieldIs422NamingIt() {
        let error = decodeError(request(#"{"dataset":"x","target":{"region":"dr"}}"#))
        #expect(error?.status == .unprocessableContent)
        #expect(error?.detail == #"missing field "target.replicas""#)
    }

    @Test func wrongTypeIs422NamingThePath() {
        let error = decodeError(request(#"{"dataset":"x","target":{"region":"dr","replicas":2},"labels":["a",7]}"#))
        #expect(error?.status == .unprocessableContent)
        #expect(error?.detail == #"field "labels[1]" must be a string"#)
    }

    @Test func nullWhereAValueIsRequiredIs422() {
        let error = decodeError(request(#"{"dataset":null,"target":{"region":"dr","replicas":2}}"#))
        #expect(error?.status == .unprocessableContent)
        #expect(error?.detail?.contains("\"dataset\"") == true)
    }
}
