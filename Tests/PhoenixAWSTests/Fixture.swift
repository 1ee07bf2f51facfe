import Foundation
import PhoenixAWS

/// Fixed values the tests share. The secret and token are distinctive so leak checks can grep for them.
enum Fixture {
    static let accessKeyID = "AKIDEXAMPLE"
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let token = "IQoJb3JpZ2luX2VjEXAMPLETOKEN"
    /// 2026-01-02T03:04:05Z, the clock of the botocore vectors.
    static let date = Date(timeIntervalSince1970: 1_767_323_045)

    static func credentials(token: String? = nil) throws -> AWSCredentials {
        try AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: AWSSecret(secret), sessionToken: token.map(AWSSecret.init))
    }

    /// Everything a test might print about a value: interpolation, reflection and `dump`.
    static func renderings(of value: Any) -> String {
        var dumped = ""
        dump(value, to: &dumped)
        return "\(value) | \(String(reflecting: value)) | \(dumped)"
    }
}
