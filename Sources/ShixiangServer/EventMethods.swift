import Foundation
import EventLog
import Registry
import ShixiangDigest
import ShixiangJSON
import ShixiangRPC

/// `events.*`: the raw log. Append, page through, follow live.
public enum EventMethods {
    struct AppendParams: RPCParams {
        static let fields: Set<String> = ["stream", "expectedVersion", "events"]
        var stream: String
        var expectedVersion: ExpectedVersionParam
        var events: [NewEventParam]

        init(stream: String, expectedVersion: ExpectedVersionParam, events: [NewEventParam]) {
            self.stream = stream
            self.expectedVersion = expectedVersion
            self.events = events
        }

        /// The hottest decode of the daemon: a well-formed append is read straight from the parsed
        /// JSON (no `Decodable` walk that would rebuild every event's `data`). Anything unusual —
        /// a missing, null, unknown or mistyped field, an `effectiveAt` — goes to
        /// ``RPCParams/decodeStrictly(_:)``, which names what is wrong exactly as for every method.
        static func decode(_ params: JSONValue?) throws(RPCError) -> AppendParams {
            if let fast = direct(params) { return fast }
            return try decodeStrictly(params)
        }

        private static func direct(_ params: JSONValue?) -> AppendParams? {
            guard case .object(let o)? = params, o.count == 3, case .string(let stream)? = o["stream"],
                  let expected = o["expectedVersion"], case .array(let list)? = o["events"] else { return nil }
            let version: ExpectedVersion
            switch expected {
            case .string("any"): version = .any
            case .string("noStream"): version = .noStream
            case .int(let n) where n >= 0: version = .exactly(UInt64(n))
            default: return nil
            }
            var events: [NewEventParam] = []
            events.reserveCapacity(list.count)
            for element in list {
                guard case .object(let e) = element, case .string(let type)? = e["type"], let data = e["data"] else { return nil }
                if case .null = data { return nil }
                var id: String?
                switch e.count {
                case 2: break
                case 3:
                    guard case .string(let text)? = e["id"] else { return nil }
                    id = text
                default: return nil
                }
                events.append(NewEventParam(id: id, type: type, data: data, effectiveAt: nil))
            }
            return AppendParams(stream: stream, expectedVersion: ExpectedVersionParam(value: version), events: events)
        }

        /// The events to append; throws an invalid-params error naming the bad field.
        func request() throws(RPCError) -> AppendRequest {
            // The registry's own streams and event types change only through its methods, which
            // check the rules and keep the projections equal to a rebuild from the log.
            if let prefix = Registry.ownedStreamPrefixes.first(where: { stream.hasPrefix($0) }) {
                throw RPCError(code: RPCErrorCode.ruleViolation,
                               message: "Streams \(prefix)… belong to the registry; change them through its methods (adjustment.submit, unit.register, …).",
                               data: ["field": "stream"])
            }
            for (i, e) in events.enumerated() {
                if let prefix = Registry.ownedTypePrefixes.first(where: { e.type.hasPrefix($0) }) {
                    throw RPCError(code: RPCErrorCode.ruleViolation,
                                   message: "Event types \(prefix)… belong to the registry; they are recorded through its methods.",
                                   data: ["field": .string("events[\(i)].type")])
                }
            }
            var out: [NewEvent] = []
            out.reserveCapacity(events.count)
            for (i, e) in events.enumerated() {
                var id: UUID?
                if let text = e.id {
                    guard let uuid = UUID(hexForm: text) else {
                        throw RPCError.invalidParams("events[\(i)].id", "expected a UUID like 3f2b8c1e-0d4a-4c55-9a57-2b1f0e6d7a10")
                    }
                    id = uuid
                }
                guard case .object = e.data else { throw RPCError.invalidParams("events[\(i)].data", "expected a JSON object") }
                out.append(NewEvent(id: id, type: e.type, data: e.data, effectiveAt: e.effectiveAt))
            }
            return AppendRequest(stream: stream, expected: expectedVersion.value, events: out)
        }
    }

    /// An append, checked and ready for the log.
    struct AppendRequest: Sendable {
        var stream: String
        var expected: ExpectedVersion
        var events: [NewEvent]
    }

    struct NewEventParam: Decodable, Sendable {
        var id: String?
        var type: String
        var data: JSONValue
        var effectiveAt: Timestamp?

        enum CodingKeys: String, CodingKey, CaseIterable { case id, type, data, effectiveAt }

        init(id: String?, type: String, data: JSONValue, effectiveAt: Timestamp?) {
            self.id = id
            self.type = type
            self.data = data
            self.effectiveAt = effectiveAt
        }

        init(from decoder: any Decoder) throws {
            try rejectUnknownMembers(decoder, allowed: Set(CodingKeys.allCases.map(\.rawValue)))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decodeIfPresent(String.self, forKey: .id)
            type = try c.decode(String.self, forKey: .type)
            data = try c.decode(JSONValue.self, forKey: .data)
            effectiveAt = try c.decodeIfPresent(Timestamp.self, forKey: .effectiveAt)
        }
    }

    /// `"any"`, `"noStream"` or a version number.
    struct ExpectedVersionParam: Decodable, Sendable {
        var value: ExpectedVersion
        init(value: ExpectedVersion) { self.value = value }
        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let n = try? c.decode(UInt64.self) {
                value = .exactly(n)
            } else if let s = try? c.decode(String.self), s == "any" || s == "noStream" {
                value = s == "any" ? .any : .noStream
            } else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                    debugDescription: "expected \"any\", \"noStream\" or a version number (0 or more)"))
            }
        }
    }

    struct ReadParams: RPCParams {
        static let fields: Set<String> = ["fromSeq", "limit", "stream", "until"]
        var fromSeq: UInt64?
        var limit: Int?
        var stream: String?
        var until: Timestamp?
    }

    struct SubscribeParams: RPCParams {
        static let fields: Set<String> = ["fromSeq", "stream"]
        var fromSeq: UInt64?
        var stream: String?
    }

    struct UnsubscribeParams: RPCParams {
        static let fields: Set<String> = ["subscription"]
        var subscription: String
    }

    public static let maxPage = 1000

    public static func register(into table: inout MethodTable, store: EventStore, configuration: ServerConfiguration) {
        table.register("events.append", AppendParams.self,
                       summary: "Append events to a stream atomically, if it is at the expected version.") { p, context in
            let request = try p.request()
            let outcome = try await store.append(stream: request.stream, expected: request.expected, events: request.events, actor: context.actor)
            return appendResult(stream: request.stream, outcome)
        }

        table.register("events.read", ReadParams.self,
                       summary: "Read a page of events from a position, optionally one stream and up to a time.") { p, _ in
            let limit = p.limit ?? 100
            guard (1...maxPage).contains(limit) else { throw RPCError.invalidParams("limit", "must be between 1 and \(maxPage)") }
            let page = try store.page(fromSeq: p.fromSeq ?? 1, limit: limit, stream: p.stream, until: p.until)
            var result: [String: JSONValue] = [
                "events": .array(page.events.map(\.json)),
                "headSeq": .int(Int64(page.headSeq)),
            ]
            result["nextSeq"] = page.nextSeq.map { .int(Int64($0)) } ?? .null
            return .object(result)
        }

        table.register("events.subscribe", SubscribeParams.self,
                       summary: "Receive every event from a position, then live ones, as events.event notifications.") { p, context in
            let head = store.head.seq
            let from = p.fromSeq ?? head + 1
            guard from >= 1 else { throw RPCError.invalidParams("fromSeq", "positions start at 1") }
            let (id, stop) = context.subscriptions.add()
            let pageSize = configuration.subscriptionPageSize
            let table = context.subscriptions
            let follow: @Sendable (ConnectionWriter) async -> Void = { writer in
                defer { table.remove(id) }
                await withTaskGroup(of: Void.self) { group in
                    group.addTask {
                        do {
                            try await stream(store: store, from: from, stream: p.stream, pageSize: pageSize, subscription: id, writer: writer)
                        } catch {
                            context.logger.debug("subscription ended", metadata: ["subscription": "\(id)", "error": "\(error)"])
                        }
                    }
                    group.addTask { await stop.wait() }
                    await group.next()
                    group.cancelAll()
                }
            }
            return MethodOutcome(["subscription": .string(id), "fromSeq": .int(Int64(from)), "headSeq": .int(Int64(head))], followUp: follow)
        }

        table.register("events.unsubscribe", UnsubscribeParams.self, summary: "Stop a subscription of this connection.") { p, context in
            guard context.subscriptions.cancel(p.subscription) else {
                throw RPCError(code: RPCErrorCode.notFound, message: "No subscription \"\(p.subscription)\" is open on this connection.")
            }
            return ["subscription": .string(p.subscription), "stopped": true]
        }
    }

    static func appendResult(stream: String, _ outcome: AppendOutcome) -> JSONValue {
        [
            "stream": .string(stream),
            "duplicate": .bool(outcome.duplicate),
            "firstSeq": .int(Int64(outcome.events.first?.seq ?? 0)),
            "lastSeq": .int(Int64(outcome.events.last?.seq ?? 0)),
            "version": .int(Int64(outcome.streamVersion)),
            "events": .array(outcome.events.map { e in
                ["id": .string(e.id.lowercaseString), "seq": .int(Int64(e.seq)), "version": .int(Int64(e.version)),
                 "recordedAt": .string(e.recordedAt.rfc3339), "hash": .string(e.hashHex)]
            }),
        ]
    }

    /// ``appendResult(stream:_:)`` as compact JSON, written field by field (the same bytes as
    /// `appendResult(stream:outcome).compactBytes()`): the fast path builds it on the committer
    /// thread for every append.
    static func appendResultBytes(stream: String, _ outcome: AppendOutcome) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(160 + 200 * outcome.events.count)
        out.append(contentsOf: (outcome.duplicate ? #"{"duplicate":true,"events":["# : #"{"duplicate":false,"events":["#).utf8)
        for (i, e) in outcome.events.enumerated() {
            out.append(contentsOf: (i == 0 ? #"{"hash":""# : #",{"hash":""#).utf8)
            Digest.appendHex(e.hash, to: &out)
            out.append(contentsOf: #"","id":""#.utf8)
            EnvelopeText.appendUUID(e.id, to: &out)
            out.append(contentsOf: #"","recordedAt":""#.utf8)
            e.recordedAt.appendRFC3339(to: &out)
            out.append(contentsOf: #"","seq":"#.utf8)
            EnvelopeText.appendInteger(e.seq, to: &out)
            out.append(contentsOf: #","version":"#.utf8)
            EnvelopeText.appendInteger(e.version, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: #"],"firstSeq":"#.utf8)
        EnvelopeText.appendInteger(outcome.events.first?.seq ?? 0, to: &out)
        out.append(contentsOf: #","lastSeq":"#.utf8)
        EnvelopeText.appendInteger(outcome.events.last?.seq ?? 0, to: &out)
        out.append(contentsOf: #","stream":"#.utf8)
        EnvelopeText.appendString(stream, to: &out)
        out.append(contentsOf: #","version":"#.utf8)
        EnvelopeText.appendInteger(outcome.streamVersion, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Sends every event from `from` (of `stream`, if given), then follows the log until cancelled.
    static func stream(store: EventStore, from: UInt64, stream: String?, pageSize: Int, subscription: String,
                       writer: ConnectionWriter) async throws {
        var next = from
        while !Task.isCancelled {
            let page = try store.page(fromSeq: next, limit: pageSize, stream: stream)
            for event in page.events {
                try await writer.send(RPCResponse.notification(method: "events.event",
                    params: ["subscription": .string(subscription), "event": event.json]))
                next = event.seq + 1
            }
            if page.nextSeq == nil {
                // Caught up with the head as of this page: wait for the log to move past it.
                next = max(next, page.headSeq + 1)
                guard await store.waitForEvents(beyond: page.headSeq) != nil else { return }
            }
        }
    }
}

extension EventEnvelope {
    /// The hash as lowercase hex.
    public var hashHex: String { Digest.hex(hash) }
}
