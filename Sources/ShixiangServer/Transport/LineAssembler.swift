import Glibc

/// Splits the bytes read from one connection into lines at `\n`, refusing any line longer than
/// `maxLength` (the newline and a trailing `\r` not counted).
///
/// Framing only: no parsing. Bytes are read straight into its storage (``read(from:)``) and lines
/// are lent out in place (``nextFrame(_:)``), so a request is never copied before it is parsed.
/// After an oversized line it yields nothing more: the server answers and closes.
struct LineAssembler {
    enum Frame {
        /// A complete line, without `\n` and a trailing `\r`; valid only during the call.
        case line(UnsafeRawBufferPointer)
        /// More than `maxLength` bytes arrived without a newline.
        case oversized
    }

    enum ReadResult: Equatable {
        case bytes(Int)
        case wouldBlock
        case endOfFile
        case failed(Int32)
    }

    let maxLength: Int
    private var storage: [UInt8]
    /// The first byte not yet handed out.
    private var head = 0
    /// The end of the bytes read.
    private var tail = 0
    /// Bytes from `head` known to hold no newline.
    private var scanned = 0
    private(set) var overflowed = false

    init(maxLength: Int, initialCapacity: Int = 64 << 10) {
        self.maxLength = maxLength
        storage = [UInt8](repeating: 0, count: max(1024, min(initialCapacity, maxLength + 2)))
    }

    /// Bytes received and not yet handed out as a line.
    var buffered: Int { tail - head }

    /// One `recv(2)` from `fd` into the free space (made room for first). With `waiting`, it blocks
    /// until bytes arrive (or the peer or our own `shutdown(SHUT_RD)` ends input); otherwise it
    /// answers ``ReadResult/wouldBlock`` when nothing is there.
    mutating func read(from fd: Int32, waiting: Bool = false) -> ReadResult {
        makeRoom()
        guard tail < storage.count else { return .bytes(0) }
        let n = storage.withUnsafeMutableBytes { buffer in
            Glibc.recv(fd, buffer.baseAddress! + tail, buffer.count - tail, waiting ? 0 : Int32(MSG_DONTWAIT))
        }
        if n > 0 {
            tail += n
            return .bytes(n)
        }
        if n == 0 { return .endOfFile }
        switch errno {
        case EAGAIN, EWOULDBLOCK, EINTR: return .wouldBlock
        case let e: return .failed(e)
        }
    }

    /// Appends bytes as if read (for tests and for callers that read elsewhere).
    mutating func append<C: Collection<UInt8>>(_ bytes: C) {
        for byte in bytes {
            makeRoom()
            guard tail < storage.count else { return }  // over the limit: `nextFrame` reports it
            storage[tail] = byte
            tail += 1
        }
    }

    /// Hands the next complete frame to `body` and returns true, or returns false when no complete
    /// line is buffered (or after an oversized line).
    mutating func nextFrame(_ body: (Frame) throws -> Void) rethrows -> Bool {
        try nextFrame { frame, _ in try body(frame) }
    }

    /// Like ``nextFrame(_:)``, also telling `body` how many bytes were received after the frame
    /// (more than 0: the peer sent more without waiting for an answer).
    mutating func nextFrame(_ body: (Frame, _ bytesAfter: Int) throws -> Void) rethrows -> Bool {
        guard !overflowed else { return false }
        let found: Int? = storage.withUnsafeBytes { buffer in
            let start = head + scanned
            guard start < tail else { return nil }
            guard let p = memchr(buffer.baseAddress! + start, Int32(UInt8(ascii: "\n")), tail - start) else { return nil }
            return buffer.baseAddress!.distance(to: UnsafeRawPointer(p))
        }
        guard let newline = found else {
            scanned = tail - head
            if scanned > maxLength + 1 {  // room for a trailing "\r"
                overflowed = true
                try body(.oversized, 0)
                return true
            }
            return false
        }
        var end = newline
        if end > head && storage[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let lineStart = head
        head = newline + 1
        scanned = 0
        if end - lineStart > maxLength {
            overflowed = true
            try body(.oversized, 0)
            return true
        }
        let after = tail - head
        try storage.withUnsafeBytes { buffer in
            try body(.line(UnsafeRawBufferPointer(rebasing: buffer[lineStart..<end])), after)
        }
        return true
    }

    /// Moves unconsumed bytes to the front, and grows the storage when a long line needs it.
    private mutating func makeRoom() {
        if head == tail {
            head = 0
            tail = 0
        }
        if tail < storage.count { return }
        if head > 0 {
            storage.withUnsafeMutableBytes { buffer in
                _ = memmove(buffer.baseAddress!, buffer.baseAddress! + head, tail - head)
            }
            tail -= head
            head = 0
            if tail < storage.count { return }
        }
        // Full of one unfinished line: grow, up to the limit (plus "\r\n" and one byte to tell overflow).
        let grown = min(max(storage.count * 2, 1024), maxLength + 3)
        if grown > storage.count { storage.append(contentsOf: repeatElement(0, count: grown - storage.count)) }
        // Otherwise the buffer holds more than a line may: `read` reads nothing and `nextFrame` reports it.
    }
}
