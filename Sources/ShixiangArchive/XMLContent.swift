/// A child of an ``XMLElementNode``: an element or character data.
public enum XMLContent: Sendable, Equatable {
    case element(XMLElementNode)
    case text(String)
}
