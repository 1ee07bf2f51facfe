import CCurl

/// The C callbacks of every easy handle. Each is a non-capturing closure that recovers its
/// `Transfer` from the user-data pointer (unretained: the `EasyHandle` holds the transfer for as
/// long as curl can call back, and cleans the CURL handle up before letting go of it). Nothing
/// is thrown across the C frame: failures are answered with curl's own return codes.
extension EasyHandle {
    /// CURLOPT_HEADERFUNCTION(3): one header line per call; returning less than the size would
    /// abort the transfer.
    static let headerCallback: curl_write_callback = { data, size, count, userData in
        let length = size * count
        guard let data, let userData else { return 0 }
        let transfer = Unmanaged<Transfer>.fromOpaque(userData).takeUnretainedValue()
        let line = UnsafeRawBufferPointer(start: data, count: length)
        transfer.update { state in state.receiveHeaderLine(line).map { [$0] } ?? [] }
        return length
    }

    /// CURLOPT_WRITEFUNCTION(3): a piece of the body. CURL_WRITEFUNC_PAUSE leaves the piece with
    /// curl, which delivers it again after curl_easy_pause(CURLPAUSE_CONT); 0 aborts the
    /// transfer with CURLE_WRITE_ERROR.
    static let writeCallback: curl_write_callback = { data, size, count, userData in
        let length = size * count
        guard let data, let userData else { return 0 }
        let transfer = Unmanaged<Transfer>.fromOpaque(userData).takeUnretainedValue()
        let bytes = UnsafeRawBufferPointer(start: data, count: length)
        var decision = Transfer.BodyDecision.abort
        transfer.update { state in
            let (result, resumption) = state.receiveBody(bytes)
            decision = result
            return resumption.map { [$0] } ?? []
        }
        switch decision {
        case .accept: return length
        case .pause: return Int(PHX_CURL_WRITEFUNC_PAUSE)
        case .abort: return 0
        }
    }

    /// CURLOPT_READFUNCTION(3): fill curl's buffer with request bytes. CURL_READFUNC_PAUSE
    /// pauses the upload until the producer has more (then curl_easy_pause un-pauses it);
    /// 0 is end of body.
    static let readCallback: curl_read_callback = { buffer, size, count, userData in
        guard let buffer, let userData else { return Int(PHX_CURL_READFUNC_ABORT) }
        let transfer = Unmanaged<Transfer>.fromOpaque(userData).takeUnretainedValue()
        let target = UnsafeMutableRawBufferPointer(start: buffer, count: size * count)
        var decision = Transfer.UploadDecision.abort
        transfer.update { state in
            let (result, resumption) = state.provideUpload(into: target)
            decision = result
            return resumption.map { [$0] } ?? []
        }
        switch decision {
        case .bytes(let written): return written
        case .endOfBody: return 0
        case .pause: return Int(PHX_CURL_READFUNC_PAUSE)
        case .abort: return Int(PHX_CURL_READFUNC_ABORT)
        }
    }

    /// CURLOPT_SEEKFUNCTION(3): curl rewinds the body when it resends the request, e.g. on a
    /// fresh connection after a reused one turned out dead. A body in memory can always start
    /// over; a stream only if nothing was sent yet.
    static let seekCallback: curl_seek_callback = { userData, offset, origin in
        guard let userData, offset == 0, origin == SEEK_SET else { return Int32(PHX_CURL_SEEKFUNC_CANTSEEK) }
        let transfer = Unmanaged<Transfer>.fromOpaque(userData).takeUnretainedValue()
        let canRewind = transfer.modify { $0.rewindUpload() }
        return Int32(canRewind ? PHX_CURL_SEEKFUNC_OK : PHX_CURL_SEEKFUNC_CANTSEEK)
    }
}
