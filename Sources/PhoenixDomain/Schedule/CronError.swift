/// Why a cron expression or an interval was refused.
///
/// The message names the field and quotes the text, so it can be shown to an operator or an API
/// client as it is: `minute field "61": value 61 is out of range 0-59`.
public struct CronError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, in one sentence without a trailing period.
    public let message: String

    /// Wraps `message`.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
