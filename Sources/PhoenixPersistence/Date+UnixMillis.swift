import FoundationEssentials

extension Date {
    /// The date stored as whole milliseconds since 1970: integers sort and compare exactly in
    /// SQL, and the catalog keeps no finer precision than that.
    var unixMillis: Int64 {
        Int64((timeIntervalSince1970 * 1000).rounded())
    }

    /// The date `unixMillis` milliseconds after 1970.
    init(unixMillis: Int64) {
        self.init(timeIntervalSince1970: Double(unixMillis) / 1000)
    }
}
