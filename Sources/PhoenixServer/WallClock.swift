import Foundation

/// The one place that reads calendar time (STYLE.md); everything else gets `now` injected.
enum WallClock {
    static let system: @Sendable () -> Date = { Date() }
}
