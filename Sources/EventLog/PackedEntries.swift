import Foundation

/// Key/value pairs packed one after another in a single buffer: how a rebuild hands hundreds of
/// thousands of records to the commit without an allocation (and a free) for every key and value.
///
/// Entries keep the order they were appended in. ``LogAppender/stageAppend(_:run:)`` writes a run
/// whose keys strictly increase in LMDB's order (``compare(_:_:)``); ``sortedByKey()`` makes one.
public struct PackedEntries: Sendable {
    /// Every key and value, in order: key 0, value 0, key 1, value 1, …
    public private(set) var bytes: [UInt8] = []
    /// For entry `i`, where its key ends (`ends[2i]`) and where its value ends (`ends[2i + 1]`);
    /// its key starts where the previous value ended.
    private var ends: [Int] = []

    public init(reservingBytes bytes: Int = 0, entries: Int = 0) {
        self.bytes.reserveCapacity(bytes)
        ends.reserveCapacity(2 * entries)
    }

    /// Entries packed so far.
    public var count: Int { ends.count / 2 }
    public var isEmpty: Bool { ends.isEmpty }

    /// Appends an entry whose key and value are written by `key` and `value` at the end of the buffer.
    public mutating func append(key: (inout [UInt8]) throws -> Void, value: (inout [UInt8]) throws -> Void) rethrows {
        let start = bytes.count
        do {
            try key(&bytes)
            ends.append(bytes.count)
            try value(&bytes)
            ends.append(bytes.count)
        } catch {
            // Nothing half-written stays behind.
            bytes.removeSubrange(start...)
            if ends.count % 2 == 1 { ends.removeLast() }
            throw error
        }
    }

    /// Appends an entry.
    public mutating func append(key: some Collection<UInt8>, value: some Collection<UInt8>) {
        bytes.append(contentsOf: key)
        ends.append(bytes.count)
        bytes.append(contentsOf: value)
        ends.append(bytes.count)
    }

    /// Calls `body` with every entry's key and value in order (valid only during the call).
    public func forEach(_ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Void) rethrows {
        try bytes.withUnsafeBytes { raw in
            try ends.withUnsafeBufferPointer { ends in
                var start = 0
                var i = 0
                while i < ends.count {
                    let keyEnd = ends[i], valueEnd = ends[i + 1]
                    try body(UnsafeRawBufferPointer(rebasing: raw[start..<keyEnd]), UnsafeRawBufferPointer(rebasing: raw[keyEnd..<valueEnd]))
                    start = valueEnd
                    i += 2
                }
            }
        }
    }

    /// Entry `i`'s key and value as arrays (for tests and diagnostics).
    public subscript(i: Int) -> (key: [UInt8], value: [UInt8]) {
        let start = i == 0 ? 0 : ends[2 * i - 1]
        return (Array(bytes[start..<ends[2 * i]]), Array(bytes[ends[2 * i]..<ends[2 * i + 1]]))
    }

    /// Whether every key is greater than the one before it (LMDB's order): such a run appends.
    public var isStrictlyIncreasing: Bool {
        bytes.withUnsafeBytes { raw in
            var previous: UnsafeRawBufferPointer?
            var start = 0
            for i in stride(from: 0, to: ends.count, by: 2) {
                let key = UnsafeRawBufferPointer(rebasing: raw[start..<ends[i]])
                if let previous, Self.compare(previous, key) >= 0 { return false }
                previous = key
                start = ends[i + 1]
            }
            return true
        }
    }

    /// The same entries in strictly increasing key order. Of several entries with one key, the
    /// last appended is kept, as writing them one by one would leave it.
    public func sortedByKey() -> PackedEntries {
        if isStrictlyIncreasing { return self }
        return bytes.withUnsafeBytes { raw in
            var starts = [Int](repeating: 0, count: count)
            for i in 1..<max(count, 1) { starts[i] = ends[2 * i - 1] }
            func key(_ i: Int) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: raw[starts[i]..<ends[2 * i]]) }
            var order = Array(0..<count)
            order.sort { a, b in
                let c = Self.compare(key(a), key(b))
                return c != 0 ? c < 0 : a < b
            }
            var sorted = PackedEntries(reservingBytes: bytes.count, entries: count)
            var n = 0
            while n < order.count {
                var last = n
                while last + 1 < order.count && Self.compare(key(order[last + 1]), key(order[n])) == 0 { last += 1 }
                let i = order[last]
                sorted.append(key: key(i), value: UnsafeRawBufferPointer(rebasing: raw[ends[2 * i]..<ends[2 * i + 1]]))
                n = last + 1
            }
            return sorted
        }
    }

    /// LMDB's default key order: `memcmp` over the common length, then the shorter first.
    public static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let common = min(a.count, b.count)
        if common > 0 {
            let c = memcmp(a.baseAddress!, b.baseAddress!, common)
            if c != 0 { return Int(c) }
        }
        return a.count - b.count
    }
}

/// A run of entries still being packed when it is staged (``LogAppender/stageAppend(_:pending:)``):
/// the commit writes it as soon as it is ready, while the runs after it are still being packed.
public final class PendingRun: @unchecked Sendable {
    // @unchecked Sendable: `result` is guarded by `condition`.
    private let condition = NSCondition()
    private var result: Result<PackedEntries, any Error>?

    public init() {}

    /// A run that is ready.
    public convenience init(_ run: PackedEntries) {
        self.init()
        result = .success(run)
    }

    /// Hands over the run (or what kept it from being packed), waking whoever waits for it.
    public func fulfil(_ result: Result<PackedEntries, any Error>) {
        condition.lock()
        self.result = result
        condition.broadcast()
        condition.unlock()
    }

    /// The run, once it is ready (waiting until then); throws what kept it from being packed.
    public func wait() throws -> PackedEntries {
        condition.lock()
        defer { condition.unlock() }
        while result == nil { condition.wait() }
        return try result!.get()
    }
}
