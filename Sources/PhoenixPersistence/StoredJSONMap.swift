import FoundationEssentials
import PhoenixDomain

/// String maps (backup labels, job parameters) as the JSON objects both catalogs store.
enum StoredJSONMap {
    static func encode(_ labels: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        // A [String: String] always encodes; "{}" is only a fallback for the type checker.
        return (try? encoder.encode(labels)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    static func decode(_ text: String, of id: String) throws -> [String: String] {
        do {
            return try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
        } catch {
            throw CatalogError(.storage, "the catalog holds a row this version cannot read", detail: "\(id): \(error)")
        }
    }
}
