import Foundation
import HTTPTypes
import PhoenixHTTP
import Synchronization

extension FakeVault {
    /// The fake's routes (see `FakeVault`).
    func router() -> Router {
        var router = Router()
        router.get("/v1/sys/health") { [self] request, _ in health() }
        router.put("/v1/sys/seal") { [self] request, _ in
            try guarded(request, allowSealed: true) { seal(); return Response(status: .noContent) }
        }
        router.put("/v1/sys/unseal") { [self] request, _ in
            unseal()
            return json(.ok, ["sealed": false])
        }
        router.get("/v1/sys/storage/raft/snapshot") { [self] request, _ in
            try guarded(request) {
                Response(status: .ok, headerFields: [.contentType: "application/gzip"], body: snapshotBytes())
            }
        }
        router.post("/v1/sys/storage/raft/snapshot") { [self] request, _ in
            try guarded(request) { restore(request.body, forced: false) }
        }
        router.post("/v1/sys/storage/raft/snapshot-force") { [self] request, _ in
            try guarded(request) { restore(request.body, forced: true) }
        }
        router.get("/v1/secret/data/{path}") { [self] request, context in
            try guarded(request) {
                guard let data = read(context.parameters["path"] ?? "") else { return errors(.notFound, []) }
                return json(.ok, ["data": ["data": data, "metadata": ["version": 1]]])
            }
        }
        for method in [HTTPRequest.Method.post, .put] {
            router.on(method, "/v1/secret/data/{path}") { [self] request, context in
                try guarded(request) {
                    let object = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any]
                    guard let data = object?["data"] as? [String: String] else { return errors(.badRequest, ["no data provided"]) }
                    write(context.parameters["path"] ?? "", data)
                    return json(.ok, ["data": ["version": 1]])
                }
            }
        }
        return router
    }

    /// Vault's health codes (sys/health docs): 200 active, 429 standby, 501 not initialised,
    /// 503 sealed.
    private func health() -> Response {
        let (mode, isSealed, fault) = state.withLock { ($0.mode, $0.isSealed, $0.fault) }
        if let fault { return page(fault) }
        let status: HTTPResponse.Status = mode == .uninitialized ? 501 : isSealed ? 503 : mode == .standby ? 429 : .ok
        return json(status, [
            "initialized": mode != .uninitialized, "sealed": isSealed || mode == .uninitialized, "standby": mode == .standby,
            "performance_standby": false, "replication_dr_mode": "disabled", "replication_performance_mode": "disabled",
            "version": "1.15.0-fake", "cluster_name": "fake-vault-cluster",
        ])
    }

    /// Runs `body` when the fake is reachable, unsealed and the token is right.
    private func guarded(_ request: Request, allowSealed: Bool = false, _ body: () throws -> Response) throws -> Response {
        let (isSealed, fault) = state.withLock { ($0.isSealed, $0.fault) }
        if let fault { return page(fault) }
        if isSealed && !allowSealed { return errors(.serviceUnavailable, ["Vault is sealed"]) }
        let sent = request.headerFields[HTTPField.Name("X-Vault-Token")!]
            ?? request.headerFields[.authorization].map { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : $0 }
        guard sent == token else { return errors(.forbidden, ["permission denied"]) }
        return try body()
    }

    private func restore(_ snapshot: [UInt8], forced: Bool) -> Response {
        do {
            let data = try FakeVaultSnapshot.decode(snapshot, clusterKey: forced ? nil : clusterKey)
            state.withLock { state in
                state.data = data
                state.restores.append((forced, snapshot.count))
            }
            return Response(status: .noContent)
        } catch {
            return errors(.badRequest, ["\(error)"])
        }
    }

    private func page(_ fault: Fault) -> Response {
        switch fault {
        case .htmlPage(let status):
            Response(status: HTTPResponse.Status(code: status), contentType: "text/html; charset=utf-8",
                     body: "<html><head><title>\(status)</title></head><body><h1>Internal Server Error</h1></body></html>")
        }
    }

    private func errors(_ status: HTTPResponse.Status, _ messages: [String]) -> Response {
        json(status, ["errors": messages])
    }

    private func json(_ status: HTTPResponse.Status, _ object: [String: Any]) -> Response {
        let body = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])).map(Array.init) ?? []
        return Response(status: status, headerFields: [.contentType: "application/json"], body: body)
    }
}
