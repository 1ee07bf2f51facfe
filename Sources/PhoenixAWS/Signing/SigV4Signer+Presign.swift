import FoundationEssentials

/// Query-string signing ("presigned URLs"), as botocore's `S3SigV4QueryAuth` does it.
extension SigV4Signer {
    /// The longest validity S3 accepts for a SigV4 presigned URL: seven days.
    public static let maxPresignExpiry: Duration = .seconds(604_800)

    /// Signs `request` in its query string, for a URL that anyone holding it can use until it expires.
    ///
    /// Adds `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`,
    /// `X-Amz-SignedHeaders`, `X-Amz-Security-Token` (with a session token) after the request's own
    /// parameters, then `X-Amz-Signature`, in botocore's order. For S3 the payload is always
    /// `UNSIGNED-PAYLOAD`, since the URL's user chooses the body. No header is added: the URL user
    /// must send `host` and any headers of `request`, which are signed.
    /// - Parameter expires: whole seconds, 1 second to 7 days.
    /// - Throws: `AWSError.invalidRequest` for an invalid request, an out-of-range expiry, or a
    ///   query parameter that already starts with `X-Amz-`.
    public func presign(
        _ request: SigV4Request,
        credentials: AWSCredentials,
        date: Date,
        expires: Duration
    ) throws(AWSError) -> PresignedRequest {
        try validate(request)
        let (seconds, fraction) = expires.components
        guard fraction == 0, seconds >= 1, expires <= Self.maxPresignExpiry else {
            throw AWSError(.invalidRequest, "the expiry is not a whole number of seconds from 1 to 604800")
        }
        guard !request.query.contains(where: { $0.name.lowercased().hasPrefix("x-amz-") }) else {
            throw AWSError(.invalidRequest, "the query already has an X-Amz- parameter")
        }
        let time = try AmzDate(date)
        var headers = [SigV4Request.Header(name: "host", value: request.host.lowercased())]
        headers += request.headers.filter { !Self.signerHeaders.contains($0.name.lowercased()) }
        let signedHeaders = SigV4CanonicalRequest.canonicalHeaders(headers).names
        var authorization: [SigV4Request.QueryItem] = [
            .init(name: "X-Amz-Algorithm", value: "AWS4-HMAC-SHA256"),
            .init(name: "X-Amz-Credential", value: "\(credentials.accessKeyID.rawValue)/\(scope(time))"),
            .init(name: "X-Amz-Date", value: time.stamp),
            .init(name: "X-Amz-Expires", value: String(seconds)),
            .init(name: "X-Amz-SignedHeaders", value: signedHeaders),
        ]
        if let token = credentials.sessionToken {
            authorization.append(.init(name: "X-Amz-Security-Token", value: token.value))
        }
        let canonical = SigV4CanonicalRequest(
            method: request.method.uppercased(),
            canonicalURI: canonicalURI(request.path),
            query: request.query + authorization,
            headers: headers,
            payload: service.isS3 ? SigV4Payload.unsigned.canonicalValue : request.payload.canonicalValue
        )
        let (stringToSign, signature) = signature(of: canonical, time: time, credentials: credentials)
        var signedQuery = request
        signedQuery.query += authorization + [.init(name: "X-Amz-Signature", value: signature)]
        return PresignedRequest(
            method: request.method.uppercased(),
            host: request.host.lowercased(),
            target: "\(request.path)?\(signedQuery.wireQuery)",
            headers: headers,
            expires: expires,
            canonicalRequest: canonical.text,
            stringToSign: stringToSign,
            signature: signature
        )
    }
}
