import ShixiangJSON

/// An object of elements or fields as canonical JSON, with the changes applied to it since it
/// was last read kept aside as one patch: applying a change merges it into the patch (a few
/// members), and the object is merged with the patch, once, when it is read. A fold that applies
/// a dozen changes to an entry of 36 fields then goes over the fields once, not a dozen times.
///
/// It is always the object ``ElementObject/merging(_:into:)`` would make of the same changes, and
/// two are equal when those objects are. As `Codable` it is that object.
public struct PatchedObject: Sendable, Equatable {
    private var base: CanonicalJSON
    /// The changes applied since `base`, made into one: members in their canonical order, a
    /// `null` kept (it removes the member from `base`).
    private var patch: CanonicalJSON?

    public init(_ object: CanonicalJSON) {
        base = object
        patch = nil
    }

    /// The object with every change applied.
    public var object: CanonicalJSON {
        guard let patch else { return base }
        return ElementObject.merging(patch, into: base)
    }

    /// Applies `change` as ``ElementObject/merging(_:into:)-(CanonicalJSON,_)`` would.
    public mutating func apply(_ change: CanonicalJSON) {
        // The first change is the patch as it is: one the bytes cannot merge (not an object, a
        // name with an escape) is merged as a tree when the object is read, with the same result.
        guard let earlier = patch else {
            patch = change
            return
        }
        if let both = earlier.replacingMembers(with: change, keepingNulls: true) {
            patch = both
        } else {
            // A change the bytes cannot merge (a name with an escape, say): applied now, as a tree.
            base = ElementObject.merging(change, into: object)
            patch = nil
        }
    }

    public static func == (a: PatchedObject, b: PatchedObject) -> Bool { a.object == b.object }
}

extension PatchedObject: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(try CanonicalJSON(from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try object.encode(to: encoder)
    }
}
