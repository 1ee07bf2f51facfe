import Foundation
import Testing

/// The raw-request corpus in `Fixtures/` (written by `Fixtures/make-corpus.py`).
struct CorpusCase: Decodable, Sendable, CustomTestStringConvertible {
    let name: String
    /// Statuses the live test server answers, in order.
    let responses: [Int]
    /// Whether the server closes the connection after the last response.
    let closes: Bool
    /// Requests the decoder yields before it stops.
    let requests: Int
    /// The decoder's error status, or nil when every byte parses.
    let error: Int?
    let about: String

    var testDescription: String { name }

    /// The exact bytes of the request(s).
    var raw: [UInt8] {
        (try? Array(Data(contentsOf: Self.folder.appendingPathComponent("requests/\(name).http")))) ?? []
    }

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static let all: [CorpusCase] = {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("corpus.json")),
              let cases = try? JSONDecoder().decode([CorpusCase].self, from: data)
        else { return [] }
        return cases
    }()
}
