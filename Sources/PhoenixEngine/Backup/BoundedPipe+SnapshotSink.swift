import PhoenixConcurrency
import PhoenixDomain

/// A source writes its snapshot into the pipe; the pipeline's task drains it.
extension BoundedPipe: SnapshotSink {}
