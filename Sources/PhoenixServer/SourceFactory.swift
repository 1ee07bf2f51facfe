import PhoenixDomain
import PhoenixEngine

/// The backup source of each dataset, by its `source` kind.
enum SourceFactory {
    static func source(for dataset: DatasetSpec) throws -> any BackupSource {
        throw BackupFailure("the \(dataset.source.rawValue) source is not available in this build yet")
    }
}
