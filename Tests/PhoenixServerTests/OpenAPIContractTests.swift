import Foundation
import HTTPTypes
import PhoenixAPI
import PhoenixDomain
import PhoenixHTTP
import PhoenixPersistence
import Testing

/// The router's route table and `OpenAPI/openapi.yaml` must name the same (method, path) pairs.
@Suite struct OpenAPIContractTests {
    /// `(METHOD, /path)` pairs under `paths:` of the spec, read by indentation (paths at two
    /// spaces, operations at four).
    static func specRoutes() throws -> Set<String> {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("OpenAPI/openapi.yaml"), encoding: .utf8)
        let methods: Set<String> = ["get", "head", "post", "put", "patch", "delete", "options"]
        var routes = Set<String>()
        var inPaths = false
        var path: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") { inPaths = line.hasPrefix("paths:"); continue }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                path = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), let path {
                let key = line.trimmingCharacters(in: .whitespaces).split(separator: ":").first.map(String.init) ?? ""
                if methods.contains(key) { routes.insert("\(key.uppercased()) \(path)") }
            }
        }
        return routes
    }

    @Test func everyRouteIsInTheSpecAndEverySpecRouteIsServed() async throws {
        let services = APIServices(configuration: PhoenixConfiguration(), catalog: try await SQLiteJobCatalog.makeTemporary(),
                                   now: { Date(timeIntervalSince1970: 0) })
        let router = APIRoutes.makeRouter(probes: ProbeState(), version: "1", services: services)
        let served = Set(router.routeTable.map { "\($0.method.rawValue) \($0.path)" })
        let specified = try Self.specRoutes()
        #expect(specified.count >= 6)
        #expect(served.subtracting(specified).isEmpty, "served but not in openapi.yaml")
        #expect(specified.subtracting(served).isEmpty, "in openapi.yaml but not served")
    }
}
