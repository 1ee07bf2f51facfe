import CCurl
import HTTPTypes

/// The one owner of a CURL easy handle, its header list and its error buffer.
///
/// Created, driven and freed on the loop thread only. It keeps its `Transfer` alive for as long
/// as curl may call back with the transfer as user data: `deinit` cleans the CURL handle up
/// before the stored properties (the transfer among them) are released.
final class EasyHandle {
    let raw: UnsafeMutableRawPointer
    let transfer: Transfer
    private var headers: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    var stallWatch: StallWatch?

    /// Creates and configures the handle.
    /// - Throws: `.invalidRequest` when curl rejects an option (its message names the option).
    init(transfer: Transfer, configuration: HTTPClientConfiguration) throws(HTTPClientError) {
        guard let raw = curl_easy_init() else {
            throw HTTPClientError(.transport, "the HTTP client could not allocate a transfer")
        }
        self.raw = raw
        self.transfer = transfer
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        // From here on, `deinit` frees what was acquired if configuration throws.
        try configure(configuration)
    }

    deinit {
        curl_easy_cleanup(raw)
        curl_slist_free_all(headers)
        errorBuffer.deallocate()
    }

    /// curl's CURLOPT_ERRORBUFFER text for the last failure (may name hosts: logs only).
    var errorText: String {
        String(cString: errorBuffer)
    }

    /// Timing and connection counts, read after the transfer ended.
    func readMetrics() -> TransferMetrics {
        var total: curl_off_t = 0
        var firstByte: curl_off_t = 0
        var connects = 0
        _ = phx_curl_easy_getinfo_off_t(raw, CURLINFO_TOTAL_TIME_T, &total)
        _ = phx_curl_easy_getinfo_off_t(raw, CURLINFO_STARTTRANSFER_TIME_T, &firstByte)
        _ = phx_curl_easy_getinfo_long(raw, CURLINFO_NUM_CONNECTS, &connects)
        return TransferMetrics(
            totalTime: .microseconds(total), timeToFirstByte: .microseconds(firstByte),
            connectionsOpened: connects, bytesReceived: 0, bytesSent: 0,
            peakReceiveBufferBytes: 0, peakSendBufferBytes: 0
        )
    }

    // MARK: - Options

    private func configure(_ configuration: HTTPClientConfiguration) throws(HTTPClientError) {
        let request = transfer.request
        let timeouts = transfer.timeouts
        let userData = Unmanaged.passUnretained(transfer).toOpaque()
        // Checked here so that curl's CURLE_UNSUPPORTED_PROTOCOL can only mean a reply that is
        // not HTTP (curl 7.88 refuses HTTP/0.9 with that code).
        let scheme = request.url.prefix(8).lowercased()
        guard scheme.hasPrefix("http://") || scheme.hasPrefix("https://") else {
            throw HTTPClientError(.invalidRequest, "only http and https URLs are supported")
        }
        try set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
        try set(CURLOPT_URL, request.url)
        // Only HTTP(S), also after a redirect: never file://, dict:// or gopher:// from a URL
        // that came from configuration or a peer.
        try set(CURLOPT_PROTOCOLS_STR, "http,https")
        try set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        // Signals are process-wide; a library must not touch them (CURLOPT_NOSIGNAL(3)).
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_FOLLOWLOCATION, 0)
        try set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1))
        try set(CURLOPT_SSL_VERIFYPEER, 1)
        try set(CURLOPT_SSL_VERIFYHOST, 2)
        if let caBundlePath = configuration.caBundlePath { try set(CURLOPT_CAINFO, caBundlePath) }
        // Always set, "" for none: an explicit CURLOPT_PROXY keeps curl from reading the
        // variables from the live environment itself (CURLOPT_PROXY(3)); they were read once,
        // into `configuration.proxy`.
        try set(CURLOPT_PROXY, configuration.proxy.proxy(for: request.url) ?? "")
        if let noProxy = configuration.proxy.noProxy { try set(CURLOPT_NOPROXY, noProxy) }
        try set(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1)
        try set(CURLOPT_USERAGENT, configuration.userAgent)
        try set(CURLOPT_BUFFERSIZE, 64 * 1024)
        try set(CURLOPT_CONNECTTIMEOUT_MS, timeouts.connect.curlMilliseconds)
        if let total = timeouts.total { try set(CURLOPT_TIMEOUT_MS, total.curlMilliseconds) }
        try check(phx_curl_easy_setopt_header_callback(raw, Self.headerCallback), "CURLOPT_HEADERFUNCTION")
        try set(CURLOPT_HEADERDATA, pointer: userData)
        try check(phx_curl_easy_setopt_write_callback(raw, Self.writeCallback), "CURLOPT_WRITEFUNCTION")
        try set(CURLOPT_WRITEDATA, pointer: userData)
        try configureMethod(request, userData: userData)
        try configureHeaders(request)
    }

    private func configureMethod(_ request: HTTPClientRequest, userData: UnsafeMutableRawPointer) throws(HTTPClientError) {
        if request.method == .head {
            try set(CURLOPT_NOBODY, 1)
            return
        }
        if request.hasUpload {
            // CURLOPT_UPLOAD sends the body through the read callback with Content-Length
            // (INFILESIZE) or, for an unknown length on HTTP/1.1, chunked; the method name is
            // then replaced for anything but PUT.
            try set(CURLOPT_UPLOAD, 1)
            try check(phx_curl_easy_setopt_off_t(raw, CURLOPT_INFILESIZE_LARGE, curl_off_t(request.body.length ?? -1)), "CURLOPT_INFILESIZE_LARGE")
            try check(phx_curl_easy_setopt_read_callback(raw, Self.readCallback), "CURLOPT_READFUNCTION")
            try set(CURLOPT_READDATA, pointer: userData)
            try check(phx_curl_easy_setopt_seek_callback(raw, Self.seekCallback), "CURLOPT_SEEKFUNCTION")
            try set(CURLOPT_SEEKDATA, pointer: userData)
        }
        // The verb curl would use by itself: PUT with CURLOPT_UPLOAD, GET otherwise.
        let implied: HTTPRequest.Method = request.hasUpload ? .put : .get
        if request.method != implied {
            try set(CURLOPT_CUSTOMREQUEST, request.method.rawValue)
        }
    }

    /// The caller's fields, in order. Framing fields are dropped: the body decides them.
    private func configureHeaders(_ request: HTTPClientRequest) throws(HTTPClientError) {
        for field in request.headerFields where !Self.framingFields.contains(field.name) {
            // "Name;" is curl's spelling for a field with an empty value (CURLOPT_HTTPHEADER(3)).
            let line = field.value.isEmpty ? "\(field.name.rawName);" : "\(field.name.rawName): \(field.value)"
            guard let appended = curl_slist_append(headers, line) else {
                throw HTTPClientError(.transport, "the HTTP client could not allocate a header list")
            }
            headers = appended
        }
        // curl adds `Expect: 100-continue` to uploads over 1 MiB and then waits for a `100` that
        // many servers (moto, proxies) never send: a second per S3 part. "Expect:" turns it off
        // unless the caller asked for it.
        if !request.headerFields.contains(.expect) {
            guard let appended = curl_slist_append(headers, "Expect:") else {
                throw HTTPClientError(.transport, "the HTTP client could not allocate a header list")
            }
            headers = appended
        }
        if let headers { try set(CURLOPT_HTTPHEADER, pointer: UnsafeMutableRawPointer(headers)) }
    }

    private static let framingFields: Set<HTTPField.Name> = [.contentLength, .transferEncoding]

    private func set(_ option: CURLoption, _ value: Int) throws(HTTPClientError) {
        try check(phx_curl_easy_setopt_long(raw, option, value), "option \(option.rawValue)")
    }

    private func set(_ option: CURLoption, _ value: String) throws(HTTPClientError) {
        try check(phx_curl_easy_setopt_string(raw, option, value), "option \(option.rawValue)")
    }

    private func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer) throws(HTTPClientError) {
        try check(phx_curl_easy_setopt_pointer(raw, option, pointer), "option \(option.rawValue)")
    }

    private func check(_ result: CURLcode, _ what: String) throws(HTTPClientError) {
        guard result != CURLE_OK else { return }
        throw HTTPClientError(.invalidRequest, "the request could not be configured",
                              curlCode: Int32(result.rawValue), detail: what)
    }
}
