#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An open POSIX file descriptor, closed when the value goes away.
///
/// Used instead of `FileHandle` because the archive needs `O_EXCL` creation, `O_NOFOLLOW`
/// opening and explicit `fsync` of files and directories.
struct FileDescriptor: ~Copyable {
    let fd: Int32
    let path: String

    private init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    deinit { _ = close(fd) }

    /// Creates a new regular file; fails if anything already exists at `path` (no symlink is followed).
    static func createExclusive(_ path: String, mode: mode_t = 0o644) throws(ArchiveIOError) -> FileDescriptor {
        let fd = retryingOnInterrupt { open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode) }
        guard fd >= 0 else { throw ArchiveIOError(operation: "create", path: path, code: errno) }
        return FileDescriptor(fd: fd, path: path)
    }

    /// Opens an existing file for reading; unless `followingSymlinks`, refuses a symlink in the last component.
    static func openForReading(_ path: String, followingSymlinks: Bool = false) throws(ArchiveIOError) -> FileDescriptor {
        let flags = O_RDONLY | O_CLOEXEC | (followingSymlinks ? 0 : O_NOFOLLOW)
        let fd = retryingOnInterrupt { open(path, flags) }
        guard fd >= 0 else { throw ArchiveIOError(operation: "open", path: path, code: errno) }
        return FileDescriptor(fd: fd, path: path)
    }

    /// Opens a directory so that it can be fsynced.
    static func openDirectory(_ path: String) throws(ArchiveIOError) -> FileDescriptor {
        let fd = retryingOnInterrupt { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard fd >= 0 else { throw ArchiveIOError(operation: "open directory", path: path, code: errno) }
        return FileDescriptor(fd: fd, path: path)
    }

    /// Writes all of `buffer`, retrying short writes and interruptions.
    func write(_ buffer: UnsafeRawBufferPointer) throws(ArchiveIOError) {
        guard var base = buffer.baseAddress else { return }
        var remaining = buffer.count
        while remaining > 0 {
            let written = systemWrite(fd, base, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                throw ArchiveIOError(operation: "write", path: path, code: errno)
            }
            base += written
            remaining -= written
        }
    }

    /// Writes all bytes of `bytes`.
    func write(_ bytes: [UInt8]) throws(ArchiveIOError) {
        var failure: ArchiveIOError?
        bytes.withUnsafeBytes { buffer in
            do throws(ArchiveIOError) { try write(buffer) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Reads up to `buffer.count` bytes; returns 0 at end of file.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ArchiveIOError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let count = systemRead(fd, base, buffer.count)
            if count >= 0 { return count }
            if errno != EINTR { throw ArchiveIOError(operation: "read", path: path, code: errno) }
        }
    }

    /// Moves the file position to `offset` bytes from the start.
    func seek(to offset: Int64) throws(ArchiveIOError) {
        guard lseek(fd, off_t(offset), SEEK_SET) >= 0 else {
            throw ArchiveIOError(operation: "seek in", path: path, code: errno)
        }
    }

    /// Flushes the file's data and metadata to stable storage.
    func sync() throws(ArchiveIOError) {
        while fsync(fd) != 0 {
            if errno != EINTR { throw ArchiveIOError(operation: "fsync", path: path, code: errno) }
        }
    }

    /// Reads the whole file in chunks of `chunkSize`, handing each chunk to `body`.
    func forEachChunk(
        chunkSize: Int = 1 << 20,
        _ body: (UnsafeRawBufferPointer) throws(ArchiveIOError) -> Void
    ) throws(ArchiveIOError) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = try read(into: buffer)
            if count == 0 { return }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }
}

/// `mkdir(2)` of one directory; fails if anything exists at `path`.
func makeDirectory(_ path: String, mode: mode_t = 0o755) throws(ArchiveIOError) {
    guard mkdir(path, mode) == 0 else { throw ArchiveIOError(operation: "create directory", path: path, code: errno) }
}

/// Fsyncs a directory so that entries created or renamed in it are durable.
func syncDirectory(_ path: String) throws(ArchiveIOError) {
    let directory = try FileDescriptor.openDirectory(path)
    try directory.sync()
}

/// `rename(2)`. For directories POSIX refuses to replace a non-empty target (ENOTEMPTY/EEXIST).
func renameItem(_ from: String, to: String) throws(ArchiveIOError) {
    guard rename(from, to) == 0 else { throw ArchiveIOError(operation: "rename \(from) to", path: to, code: errno) }
}

/// The current `errno` described by the C library.
func errorText(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "error \(code)" }
    return String(cString: text)
}

private func retryingOnInterrupt(_ call: () -> Int32) -> Int32 {
    while true {
        let result = call()
        if result >= 0 || errno != EINTR { return result }
    }
}

private func systemWrite(_ fd: Int32, _ base: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Darwin)
    return Darwin.write(fd, base, count)
    #elseif canImport(Musl)
    return Musl.write(fd, base, count)
    #else
    return Glibc.write(fd, base, count)
    #endif
}

private func systemRead(_ fd: Int32, _ base: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Darwin)
    return Darwin.read(fd, base, count)
    #elseif canImport(Musl)
    return Musl.read(fd, base, count)
    #else
    return Glibc.read(fd, base, count)
    #endif
}
