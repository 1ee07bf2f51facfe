import Foundation

/// The seed document, copied verbatim into Fixtures/ (tests never read ../shared).
enum SeedFixture {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// Every ```yaml block of the seed, in order, as written.
    static var yamlBlocks: [String] {
        guard let text = try? String(contentsOf: folder.appendingPathComponent("seed.md"), encoding: .utf8) else { return [] }
        var blocks: [String] = []
        var current: [String]?
        for line in text.components(separatedBy: "\n") {
            if current == nil, line.trimmingCharacters(in: .whitespaces) == "```yaml" {
                current = []
            } else if current != nil, line.trimmingCharacters(in: .whitespaces) == "```" {
                blocks.append(current!.joined(separator: "\n"))
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    /// The seed's blocks plus its DATA_TIERS as YAML: a complete file an operator already has.
    static var seedConfiguration: String {
        let tiers = (try? String(contentsOf: folder.appendingPathComponent("data-tiers.yaml"), encoding: .utf8)) ?? ""
        return yamlBlocks.joined(separator: "\n") + "\n" + tiers
    }
}
