/// A value tree for writing XML: an element with ordered attributes and children.
///
/// Built by hand rather than with Foundation's `XMLDocument`, which is unreliable on Linux.
/// Rendering always yields well-formed UTF-8 XML: text and attribute values are escaped
/// (``XMLEscaping``), and an invalid element or attribute name has its offending characters
/// replaced by `_` (names are meant to come from program text, not from data).
public struct XMLElementNode: Sendable, Equatable {
    /// Element name, e.g. `电子文件封装包`.
    public var name: String
    /// Attributes in output order (namespace declarations included, e.g. `xmlns`).
    public var attributes: [XMLAttribute]
    /// Child elements and text in document order.
    public var children: [XMLContent]

    public init(_ name: String, attributes: [XMLAttribute] = [], children: [XMLContent] = []) {
        self.name = name
        self.attributes = attributes
        self.children = children
    }

    /// An element holding only `text`.
    public init(_ name: String, attributes: [XMLAttribute] = [], text: String) {
        self.init(name, attributes: attributes, children: [.text(text)])
    }

    /// An element whose children are `elements`.
    public init(_ name: String, attributes: [XMLAttribute] = [], elements: [XMLElementNode]) {
        self.init(name, attributes: attributes, children: elements.map { .element($0) })
    }

    /// Appends a child element.
    public mutating func append(_ element: XMLElementNode) {
        children.append(.element(element))
    }

    /// Appends `<name>text</name>` when `text` is not `nil`; does nothing for `nil`.
    public mutating func append(_ name: String, _ text: String?) {
        if let text { children.append(.element(XMLElementNode(name, text: text))) }
    }

    /// The whole document: `<?xml version="1.0" encoding="UTF-8"?>` then this element,
    /// indented by `indent` spaces per level, ending with a newline.
    ///
    /// Elements whose children are all elements are broken over lines; an element with any
    /// text child is written on one line so that no whitespace is added to its text.
    public func renderDocument(indent: Int = 2) -> [UInt8] {
        var out: [UInt8] = Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".utf8)
        write(into: &out, depth: 0, indent: max(0, indent), pretty: true)
        out.append(0x0A)
        return out
    }

    /// This element alone, without declaration or indentation.
    public func renderFragment() -> String {
        var out: [UInt8] = []
        write(into: &out, depth: 0, indent: 0, pretty: false)
        return String(decoding: out, as: UTF8.self)
    }

    private func write(into out: inout [UInt8], depth: Int, indent: Int, pretty: Bool) {
        let tag = XMLEscaping.sanitizedName(name)
        out.append(contentsOf: "<\(tag)".utf8)
        for attribute in attributes {
            out.append(contentsOf: " \(XMLEscaping.sanitizedName(attribute.name))=\"\(XMLEscaping.attribute(attribute.value))\"".utf8)
        }
        if children.isEmpty {
            out.append(contentsOf: "/>".utf8)
            return
        }
        out.append(UInt8(ascii: ">"))
        let breakLines = pretty && children.allSatisfy { if case .element = $0 { true } else { false } }
        for child in children {
            switch child {
            case .text(let text):
                out.append(contentsOf: XMLEscaping.text(text).utf8)
            case .element(let element):
                if breakLines {
                    out.append(0x0A)
                    out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (depth + 1) * indent))
                }
                element.write(into: &out, depth: depth + 1, indent: indent, pretty: breakLines)
            }
        }
        if breakLines {
            out.append(0x0A)
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: depth * indent))
        }
        out.append(contentsOf: "</\(tag)>".utf8)
    }
}
