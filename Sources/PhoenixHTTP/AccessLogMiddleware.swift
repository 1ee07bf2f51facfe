import HTTPTypes
import Logging
import Synchronization

/// Logs one line per request (`http.method`, `http.path`, `http.status`, `duration.ms`,
/// `peer.address`, `request.id`), with secrets in the query redacted. Probe paths are sampled:
/// Route 53 checks `/health` from ~15 places every few seconds, so only every `probeSampleRate`-th
/// probe, and any probe whose status changed, is logged.
public struct AccessLogMiddleware: RouterMiddleware {
    /// Paths that are sampled rather than logged one by one.
    public var probePaths: Set<String> = ["/health", "/livez", "/readyz", "/metrics"]
    /// One probe in this many is logged (status changes always are).
    public var probeSampleRate: UInt64
    private let sampler = ProbeSampler()

    /// Creates the middleware.
    public init(probeSampleRate: UInt64 = 1000) {
        self.probeSampleRate = max(1, probeSampleRate)
    }

    public func handle(
        _ request: Request, context: RequestContext, next: (Request, RequestContext) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            log(request, context: context, status: nil, started: started)
            throw error
        }
        let path = String(request.path)
        if !probePaths.contains(path) || sampler.shouldLog(path: path, status: response.status.code, rate: probeSampleRate) {
            log(request, context: context, status: response.status.code, started: started)
        }
        return response
    }

    private func log(_ request: Request, context: RequestContext, status: Int?, started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.info("request", metadata: [
            "http.method": "\(request.method.rawValue)",
            "http.path": "\(Redaction.redactedTarget(request.head.path ?? "/"))",
            "http.status": "\(status.map(String.init) ?? "error")",
            "duration.ms": "\((milliseconds * 1000).rounded() / 1000)",
            "peer.address": "\(context.peer.map { "\($0)" } ?? "-")",
        ])
        context.logger.debug("request headers", metadata: ["http.headers": "\(Redaction.redactedFields(request.headerFields))"])
    }
}

/// Counts probes per path and remembers the last status, so a flip from 200 to 503 is logged.
final class ProbeSampler: Sendable {
    private let state = Mutex<[String: (count: UInt64, status: Int)]>([:])

    func shouldLog(path: String, status: Int, rate: UInt64) -> Bool {
        state.withLock { entries in
            let previous = entries[path]
            let count = (previous?.count ?? 0) + 1
            entries[path] = (count, status)
            return previous == nil || previous?.status != status || count % rate == 0
        }
    }
}
