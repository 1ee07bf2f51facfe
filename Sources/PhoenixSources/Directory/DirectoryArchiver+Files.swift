import Glibc

extension DirectoryArchiver {
    /// Streams one regular file. The header carries the size `fstat` reported at open; exactly
    /// that many bytes follow whatever the file does meanwhile, so the archive stays valid: a
    /// file that shrank is zero-filled, one that grew is cut, and both are reported as
    /// `changedDuringRead`. The digest covers the bytes as stored, so a restore matches it.
    func archiveFile(_ name: String, path: String, in directory: OwnedDescriptor, run: inout ArchiveRun) async throws {
        // O_NONBLOCK: should the file have become a FIFO since fstatat, open must not hang.
        let flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK
        guard let file = try openOrWarn(name, path: path, in: directory, flags: flags, run: &run) else { return }
        let before = try file.status(path: path)
        guard SystemCall.type(before) == S_IFREG else {
            warn(ArchiveWarning(path: path, kind: .vanished, detail: "replaced by another type"), into: &run)
            return
        }
        let size = Int64(before.st_size)
        try await run.writer.writeHeader(Self.entry(.file, path: path, info: before))
        let hasher = ContentHasher()
        var bytesRead: Int64 = 0
        while bytesRead < size {
            try Task.checkCancellation()
            let wanted = Int(min(Int64(run.buffer.count), size - bytesRead))
            let count = try SystemCall.retrying("read", path: path) {
                run.buffer.withUnsafeMutableBytes { read(file.raw, $0.baseAddress, wanted) }
            }
            if count == 0 { break }  // end of file before the header size: it shrank
            let piece = run.buffer[0..<count]
            hasher.update(piece)
            try await run.writer.writeContent(piece)
            bytesRead += Int64(count)
            options.readObserver?(path, bytesRead)
        }
        let zeroFilled = try await run.writer.finishEntry()
        hasher.updateZeros(zeroFilled)
        run.digest.addFile(path: path, size: size, contentSHA256: hasher.finalize())

        let after = try file.status(path: path)
        if zeroFilled > 0 || after.st_size != before.st_size || after.st_mtim.tv_sec != before.st_mtim.tv_sec
            || after.st_mtim.tv_nsec != before.st_mtim.tv_nsec {
            let detail = zeroFilled > 0 ? "size \(size) → \(bytesRead), zero-filled" : "size \(size) → \(after.st_size)"
            warn(ArchiveWarning(path: path, kind: .changedDuringRead, detail: detail), into: &run)
        }
    }
}
