import PhoenixDomain

/// What the `job.*` events record about a job.
enum JobEventDetails {
    static func of(_ job: Job, worker: String) -> [String: String] {
        var details = ["kind": job.kind.rawValue, "worker": worker, "trigger": job.trigger]
        if let dataset = job.dataset { details["dataset"] = dataset }
        return details
    }

    /// Failed jobs are errors; jobs that did not run to the end (partly failed, cancelled,
    /// interrupted) are warnings.
    static func severity(of state: JobState) -> EventSeverity {
        switch state {
        case .failed: .error
        case .partiallyFailed, .cancelled, .interrupted: .warning
        default: .info
        }
    }
}
