import FoundationEssentials

/// Which proxy each request goes through, read once from the environment variables that curl
/// and most HTTP tools honour.
///
/// curl would read these variables itself, from the live process environment, on every
/// transfer. We read them once, when the configuration is made, and hand curl the result
/// explicitly (CURLOPT_PROXY, CURLOPT_NOPROXY): a test can then inject an environment without
/// touching the process's own, which other tests' clients read concurrently.
///
/// ```swift
/// var configuration = HTTPClientConfiguration()
/// configuration.proxy = HTTPProxySettings(environment: ["http_proxy": "http://127.0.0.1:3128", "no_proxy": "localhost"])
/// ```
public struct HTTPProxySettings: Sendable, Equatable {
    /// The proxy for `http://` URLs (`http_proxy`, `HTTP_PROXY`, else `all_proxy`).
    public var httpProxy: String?
    /// The proxy for `https://` URLs (`https_proxy`, `HTTPS_PROXY`, else `all_proxy`); curl
    /// tunnels through it with CONNECT, so TLS stays end to end.
    public var httpsProxy: String?
    /// Hosts that never go through a proxy (`no_proxy`, `NO_PROXY`): a comma-separated list of
    /// host names (a name also covers its subdomains), IP addresses, CIDR ranges, or `*` for all,
    /// matched by curl (CURLOPT_NOPROXY(3)).
    public var noProxy: String?

    /// No proxy at all, whatever the environment says.
    public static let none = HTTPProxySettings()

    /// Settings with the given proxies; nil or empty values mean a direct connection.
    public init(httpProxy: String? = nil, httpsProxy: String? = nil, noProxy: String? = nil) {
        self.httpProxy = httpProxy
        self.httpsProxy = httpsProxy
        self.noProxy = noProxy
    }

    /// Reads the proxy variables from `environment`; lower case wins over upper case, as in
    /// curl. `HTTP_PROXY` (upper case) is ignored when `REQUEST_METHOD` is set: in a CGI program
    /// a client's `Proxy:` header arrives as `HTTP_PROXY` ("httpoxy", CVE-2016-5385), which is
    /// why curl never reads it. Outside CGI it is honoured, as Go's net/http does.
    public init(environment: [String: String]) {
        func value(_ names: String...) -> String? {
            names.lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
        }
        let all = value("all_proxy", "ALL_PROXY")
        let isCGI = environment["REQUEST_METHOD"] != nil
        httpProxy = (isCGI ? value("http_proxy") : value("http_proxy", "HTTP_PROXY")) ?? all
        httpsProxy = value("https_proxy", "HTTPS_PROXY") ?? all
        noProxy = value("no_proxy", "NO_PROXY")
    }

    /// The settings of this process's environment at the time of the call.
    public static func fromProcessEnvironment() -> HTTPProxySettings {
        HTTPProxySettings(environment: ProcessInfo.processInfo.environment)
    }

    /// The proxy for `url`, or nil for a direct connection. `no_proxy` is applied by curl.
    ///
    /// Link-local addresses (169.254.0.0/16, where the instance metadata service answers) are
    /// reachable only from this host, so they never go through a proxy, which would otherwise
    /// be handed the metadata service's credentials.
    func proxy(for url: String) -> String? {
        let lowercased = url.lowercased()
        let proxy = lowercased.hasPrefix("https://") ? httpsProxy : httpProxy
        guard let proxy, !proxy.isEmpty else { return nil }
        let authority = lowercased.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false).dropFirst(2).first ?? ""
        let host = authority.split(separator: "@").last ?? ""
        return host.hasPrefix("169.254.") ? nil : proxy
    }
}
