import FoundationEssentials
import Logging
import PhoenixDomain
import PhoenixEngine
import PhoenixSources

/// The backup source of each dataset, by its `source` kind.
struct SourceFactory: Sendable {
    let now: @Sendable () -> Date
    let logger: Logger

    func source(for dataset: DatasetSpec) throws -> any BackupSource {
        switch dataset.source {
        case .directory:
            guard let path = dataset.path else { throw BackupFailure("dataset \(dataset.name) has no path") }
            return DirectorySource(root: path, now: now, logger: logger)
        default:
            throw BackupFailure("the \(dataset.source.rawValue) source is not available in this build yet")
        }
    }
}
