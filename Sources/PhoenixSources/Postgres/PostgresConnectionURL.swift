import Foundation

/// A `postgresql://` URL split for the command-line tools: the URL without its password (for
/// `--dbname`, visible in /proc) and the password (for `PGPASSWORD`, not visible).
struct PostgresConnectionURL: Sendable {
    /// The full URL, for our own libpq connection.
    let full: String
    let withoutPassword: String
    let password: String?

    init(_ url: String) {
        full = url
        guard var components = URLComponents(string: url), let scheme = components.scheme,
              scheme == "postgresql" || scheme == "postgres" else {
            // A keyword/value conninfo string goes as given; its password belongs in PGPASSFILE.
            withoutPassword = url
            password = nil
            return
        }
        // The password may be in the user info or in a `password=` parameter: take it from both.
        let parameter = components.queryItems?.first { $0.name == "password" }?.value
        password = components.password ?? parameter
        components.password = nil
        components.queryItems = components.queryItems?.filter { $0.name != "password" }
        if components.queryItems?.isEmpty == true { components.queryItems = nil }
        withoutPassword = components.string ?? url
    }

    /// The same server with another database (a restore into a new database).
    func database(_ name: String) -> PostgresConnectionURL {
        guard var components = URLComponents(string: full) else { return self }
        components.path = "/" + name
        return PostgresConnectionURL(components.string ?? full)
    }

    /// The environment for a tool: the password, if the URL had one.
    var environment: [String: String] {
        password.map { ["PGPASSWORD": $0] } ?? [:]
    }
}

import PhoenixPostgres

extension PostgresError {
    /// The summary with the server's own words (libpq never puts a password in them), for a
    /// job's error: "could not connect to PostgreSQL: … password authentication failed for user".
    var withServerMessage: String {
        let detail = message.split(separator: "\n").first.map { String($0.prefix(300)) } ?? ""
        return detail.isEmpty ? description : "\(description): \(detail)"
    }
}

/// A PostgreSQL failure of a backup or restore, in the server's words.
public struct PostgresSourceError: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(_ context: String, _ error: any Error) {
        let reason = (error as? PostgresError)?.withServerMessage ?? "\(error)"
        description = "\(context): \(reason)"
    }
}
