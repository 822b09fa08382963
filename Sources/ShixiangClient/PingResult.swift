import ShixiangJSON

/// The result of `system.ping`: the daemon's version and the head of its log.
public struct PingResult: Sendable, Hashable {
    /// The daemon's software version.
    public var version: String
    /// The last event's seq (0 for an empty log).
    public var headSeq: UInt64
    /// The last event's hash, lowercase hex (64 zeros for an empty log).
    public var headHash: String

    public init(version: String, headSeq: UInt64, headHash: String) {
        self.version = version
        self.headSeq = headSeq
        self.headHash = headHash
    }

    /// Reads `{"head":{"hash":…,"seq":…},"version":…}` (members in any order, unknown ones skipped).
    public init(reading r: inout JSONReader) throws {
        var version: String?, seq: Int64?, hash: String?
        try r.beginObject()
        while let name = try r.nextMember() {
            if name == "version" {
                version = try r.readString()
            } else if name == "head" {
                try r.beginObject()
                while let field = try r.nextMember() {
                    if field == "seq" {
                        seq = try r.readInteger()
                    } else if field == "hash" {
                        hash = try r.readString()
                    } else {
                        try r.skipValue()
                    }
                }
            } else {
                try r.skipValue()
            }
        }
        guard let version, let seq, seq >= 0, let hash else {
            throw ClientError.invalidResponse("a system.ping result needs version, head.seq (not negative) and head.hash")
        }
        self.init(version: version, headSeq: UInt64(seq), headHash: hash)
    }
}
