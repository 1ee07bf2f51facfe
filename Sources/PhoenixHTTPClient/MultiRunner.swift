import CCurl
import Logging
import Synchronization

/// The loop thread's side of the client: owns the CURLM handle and every easy handle, runs
/// `curl_multi_perform`/`curl_multi_poll`, and turns commands, completions and stalls into
/// transfer outcomes. Nothing here is touched by another thread.
final class MultiRunner {
    private var multi: CurlMulti?
    private let loop: MultiLoop
    private let configuration: HTTPClientConfiguration
    private let logger: Logger
    private var handles: [UnsafeMutableRawPointer: EasyHandle] = [:]
    private var handleOfTransfer: [ObjectIdentifier: UnsafeMutableRawPointer] = [:]

    init(multi: CurlMulti, loop: MultiLoop, configuration: HTTPClientConfiguration, logger: Logger) {
        self.multi = multi
        self.loop = loop
        self.configuration = configuration
        self.logger = logger
    }

    /// The thread body: runs until a shutdown command, then frees everything.
    func run() {
        // Only the pointer is kept here, so `finish` holds the last owning reference.
        guard let raw = multi?.raw else { return }
        while step(raw) {}
        finish(raw)
    }

    private func step(_ multi: UnsafeMutableRawPointer) -> Bool {
        for command in loop.takeCommands() {
            switch command {
            case .add(let transfer): add(transfer, to: multi)
            case .remove(let transfer): remove(transfer, from: multi)
            case .resume(let transfer): resume(transfer, in: multi)
            case .shutdown: return false
            }
        }
        var running: Int32 = 0
        _ = curl_multi_perform(multi, &running)
        collectFinished(multi)
        checkStalls(multi)
        // Returns on socket activity, curl's own timers, curl_multi_wakeup, or the timeout.
        _ = curl_multi_poll(multi, nil, 0, Int32(pollTimeout.curlMilliseconds), nil)
        return true
    }

    // MARK: - Commands

    private func add(_ transfer: Transfer, to multi: UnsafeMutableRawPointer) {
        guard transfer.inspect({ $0.outcome == nil }) else { return }
        do throws(HTTPClientError) {
            let handle = try EasyHandle(transfer: transfer, configuration: configuration)
            if let limit = transfer.timeouts.stall {
                handle.stallWatch = StallWatch(limit: limit, now: .now, bytes: 0)
            }
            let result = curl_multi_add_handle(multi, handle.raw)
            guard result == CURLM_OK else {
                throw HTTPClientError(.transport, "the HTTP client could not start the transfer", detail: "CURLMcode \(result.rawValue)")
            }
            handles[handle.raw] = handle
            handleOfTransfer[ObjectIdentifier(transfer)] = handle.raw
            loop.activeTransfers.add(1, ordering: .relaxed)
        } catch {
            end(transfer, .failure(.client(error)))
        }
    }

    /// A transfer that already has its outcome (cancelled, failed producer): drop its handle.
    private func remove(_ transfer: Transfer, from multi: UnsafeMutableRawPointer) {
        guard detach(transfer, from: multi) != nil else { return }
        logger.debug("transfer cancelled", metadata: [LogKeys.method: "\(transfer.request.method)"])
    }

    private func resume(_ transfer: Transfer, in multi: UnsafeMutableRawPointer) {
        guard let raw = handleOfTransfer[ObjectIdentifier(transfer)], let handle = handles[raw] else { return }
        guard let mask = transfer.modify({ $0.resumeMask(recv: Int32(PHX_CURLPAUSE_RECV), send: Int32(PHX_CURLPAUSE_SEND)) }) else { return }
        handle.stallWatch?.restart(now: .now, bytes: transfer.inspect { $0.bytesMoved })
        // May call the write or read callback right away with data curl held back.
        let result = curl_easy_pause(raw, mask)
        guard result != CURLE_OK else { return }
        let error = HTTPClientError.transfer(result, detail: handle.errorText)
        detach(transfer, from: multi)
        end(transfer, .failure(.client(error)))
    }

    // MARK: - Completion

    private func collectFinished(_ multi: UnsafeMutableRawPointer) {
        var queued: Int32 = 0
        while let message = curl_multi_info_read(multi, &queued) {
            // The message is only valid until the handle is removed: read it first.
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                  let handle = handles[easy] else { continue }
            let result = phx_curl_msg_result(message)
            let metrics = handle.readMetrics()
            let errorText = handle.errorText
            detach(handle.transfer, from: multi)
            if result == CURLE_OK {
                end(handle.transfer, .success(metrics))
            } else {
                end(handle.transfer, .failure(.client(.transfer(result, detail: errorText))))
            }
        }
    }

    private func checkStalls(_ multi: UnsafeMutableRawPointer) {
        let now = ContinuousClock.now
        var stalled: [EasyHandle] = []
        for handle in handles.values where handle.stallWatch != nil {
            let (isPaused, moved) = handle.transfer.inspect { ($0.isPaused, $0.bytesMoved) }
            if isPaused {
                handle.stallWatch?.restart(now: now, bytes: moved)
            } else if handle.stallWatch?.isStalled(now: now, bytes: moved) == true {
                stalled.append(handle)
            }
        }
        for handle in stalled {
            let limit = handle.stallWatch?.limit
            detach(handle.transfer, from: multi)
            let message = "the transfer stalled: less than \(limit?.bytesPerSecond ?? 0) bytes per second for \(limit?.window ?? .zero)"
            end(handle.transfer, .failure(.client(HTTPClientError(.timeout, message))))
        }
    }

    private var pollTimeout: Duration {
        handles.values.compactMap { $0.stallWatch?.pollInterval }.min() ?? .seconds(1)
    }

    /// Removes the transfer's handle from the multi handle and forgets it; the returned handle
    /// is freed (curl_easy_cleanup) when the caller lets go of it.
    @discardableResult
    private func detach(_ transfer: Transfer, from multi: UnsafeMutableRawPointer) -> EasyHandle? {
        guard let raw = handleOfTransfer.removeValue(forKey: ObjectIdentifier(transfer)),
              let handle = handles.removeValue(forKey: raw) else { return nil }
        loop.connectionsOpened.add(handle.readMetrics().connectionsOpened, ordering: .relaxed)
        _ = curl_multi_remove_handle(multi, raw)
        loop.activeTransfers.subtract(1, ordering: .relaxed)
        return handle
    }

    private func end(_ transfer: Transfer, _ outcome: Result<TransferMetrics, TransferFailure>) {
        if case .failure(.client(let error)) = outcome {
            logger.debug("transfer failed", metadata: [
                LogKeys.method: "\(transfer.request.method)",
                LogKeys.errorType: "\(error.code)",
                LogKeys.curlCode: "\(error.curlCodeName ?? "none")",
            ])
        }
        transfer.update { $0.complete(outcome) }
    }

    // MARK: - Shutdown

    private func finish(_ multi: UnsafeMutableRawPointer) {
        let shutdownError = HTTPClientError(.cancelled, "the HTTP client shut down")
        for transfer in handles.values.map(\.transfer) {
            detach(transfer, from: multi)
            end(transfer, .failure(.client(shutdownError)))
        }
        let (leftovers, waiters) = loop.close()
        for case .add(let transfer) in leftovers {
            end(transfer, .failure(.client(shutdownError)))
        }
        // The last owner: curl_multi_cleanup runs here, after every easy handle was removed
        // and freed, and before anyone waiting in shutdown() is resumed.
        self.multi = nil
        logger.debug("http client loop stopped")
        for waiter in waiters { waiter.resume() }
    }
}
