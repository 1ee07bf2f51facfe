import PhoenixDomain

/// Reads a stored kind or state back: a value written by a newer version is a storage error that
/// names the job, not a crash.
enum StoredEnum {
    static func decode<E: RawRepresentable<String>>(_ type: E.Type, _ raw: String, of id: JobID) throws -> E {
        guard let value = E(rawValue: raw) else {
            throw CatalogError(.storage, "the job catalog holds a job this version cannot read",
                               detail: "job \(id): unknown \(E.self) \"\(raw)\"")
        }
        return value
    }
}
