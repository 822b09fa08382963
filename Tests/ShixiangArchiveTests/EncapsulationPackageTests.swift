import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import ShixiangArchive
import ShixiangDigest

/// Collects what Foundation's XMLParser sees, with namespace processing on.
final class XMLCollector: NSObject, XMLParserDelegate {
    var elements: [(name: String, namespace: String?)] = []
    var texts: [String: [String]] = [:]
    var attributes: [String: [String: String]] = [:]
    private var stack: [String] = []
    private var buffer = ""

    static func parse(_ bytes: [UInt8]) -> (collector: XMLCollector, ok: Bool, error: String) {
        let collector = XMLCollector()
        let parser = XMLParser(data: Data(bytes))
        parser.shouldProcessNamespaces = true
        parser.delegate = collector
        let ok = parser.parse()
        return (collector, ok, parser.parserError.map { "\($0) line \(parser.lineNumber)" } ?? "")
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        elements.append((elementName, namespaceURI))
        attributes[elementName] = attributeDict
        stack.append(elementName)
        buffer = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        buffer += string
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        let text = buffer.trimmingCharacters(in: .whitespacesAndNewlines)
        if !text.isEmpty { texts[elementName, default: []].append(buffer) }
        buffer = ""
        stack.removeLast()
    }
}

@Suite("DA/T 48 encapsulation XML")
struct EncapsulationPackageTests {
    @Test("the package parses with XMLParser and has the namespace and every required block")
    func structure() throws {
        let bytes = SampleBag.samplePackage().render()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<电子文件封装包 xmlns=\"http://www.saac.gov.cn/standards/ERM/encapsulation\">\n"))

        let (xml, ok, error) = XMLCollector.parse(bytes)
        #expect(ok, "\(error)")
        let names = xml.elements.map(\.name)
        #expect(xml.elements.allSatisfy { $0.namespace == EncapsulationPackage.namespace })
        for required in ["电子文件封装包", "封装包格式描述", "版本", "被签名对象", "封装包类型", "封装包类型描述",
                         "封装包创建时间", "封装包创建单位", "封装内容", "文件实体块", "业务实体块", "机构人员实体块",
                         "文件实体", "聚合层次", "来源", "档案馆名称", "全宗名称", "立档单位名称", "电子文件号",
                         "档号", "全宗号", "年度", "保管期限", "机构或问题", "件号", "题名", "责任者", "日期",
                         "文件数据", "文档", "文档数据", "编码", "计算机文件名", "计算机文件大小", "格式信息",
                         "数字摘要", "摘要算法", "摘要值",
                         "业务实体", "业务标识", "机构人员标识", "文件标识", "业务状态", "业务行为", "行为时间",
                         "行为依据", "行为描述",
                         "机构人员实体", "机构人员类型", "机构人员名称", "统一社会信用代码", "个人职位"] {
            #expect(names.contains(required), "missing <\(required)>")
        }
        #expect(names.first == "电子文件封装包")
        #expect(names.filter { $0 == "业务实体" }.count == 2)
        #expect(xml.attributes["被签名对象"]?["eep版本"] == "2009")
        #expect(xml.texts["封装包类型"] == ["原始型"])
        #expect(xml.texts["摘要算法"] == ["SM3"])
        #expect(xml.texts["计算机文件名"] == ["data/事项/调整记录.json"])
        #expect(xml.texts["封装包格式描述"] == [EncapsulationPackage.standardFormatDescription])

        // The blocks sit inside 封装内容 inside 被签名对象, in order.
        let order = ["被签名对象", "封装内容", "文件实体块", "业务实体块", "机构人员实体块"].compactMap { names.firstIndex(of: $0) }
        #expect(order == order.sorted() && order.count == 5)
    }

    @Test("titles with <&>\"' are escaped and read back unchanged", arguments: [
        #"关于<调整>&"取消"'事项'的通知"#,
        "a]]>b & c",
        "多行\n标题\r\n带回车",
    ])
    func escaping(_ title: String) throws {
        let bytes = SampleBag.samplePackage(title: title).render()
        let text = String(decoding: bytes, as: UTF8.self)
        if title.contains("<") {
            #expect(text.contains("<题名>关于&lt;调整&gt;&amp;\"取消\"'事项'的通知</题名>"))
        }
        let (xml, ok, error) = XMLCollector.parse(bytes)
        #expect(ok, "\(error)")
        #expect(xml.texts["题名"] == [title])
    }

    @Test("empty blocks are still present")
    func emptyBlocks() throws {
        let package = EncapsulationPackage(createdAt: "2025-03-14T08:00:00+08:00", creatingUnit: "单位", type: .modified)
        let text = String(decoding: package.render(), as: UTF8.self)
        #expect(text.contains("<文件实体块/>"))
        #expect(text.contains("<业务实体块/>"))
        #expect(text.contains("<机构人员实体块/>"))
        #expect(text.contains("<封装包类型>修改型</封装包类型>"))
        #expect(XMLCollector.parse(package.render()).ok)
    }

    @Test("digest references come from a written payload file, SM3 first")
    func digestReferences() throws {
        let temp = try TemporaryDirectory()
        let writer = try BagWriter(destination: temp.path("bag"), algorithms: [.sha256, .sm3])
        let file = try writer.addFile("abc.txt", bytes: Array("abc".utf8))
        let references = EncapsulationPackage.DigestReference.of(file)
        #expect(references.map(\.algorithmName) == ["SM3", "SHA-256"])
        #expect(references[0].hex == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")
    }

    @Test("timestamps carry the +08:00 offset")
    func timestamps() {
        let date = Date(timeIntervalSince1970: 1_741_910_400)
        #expect(EncapsulationPackage.timestamp(date) == "2025-03-14T08:00:00+08:00")
        #expect(EncapsulationPackage.timestamp(date, timeZone: TimeZone(secondsFromGMT: 0) ?? .gmt) == "2025-03-14T00:00:00+00:00")
    }
}

@Suite("XML writer")
struct XMLElementNodeTests {
    @Test("pretty output: nested elements indented, text inline, empty self-closed")
    func prettyPrinting() {
        var root = XMLElementNode("根", attributes: [XMLAttribute("a", "1")])
        root.append("子", "文本")
        root.append(XMLElementNode("空"))
        root.append(XMLElementNode("组", elements: [XMLElementNode("项", text: "x")]))
        root.append("缺省", nil)
        let text = String(decoding: root.renderDocument(), as: UTF8.self)
        #expect(text == """
            <?xml version="1.0" encoding="UTF-8"?>
            <根 a="1">
              <子>文本</子>
              <空/>
              <组>
                <项>x</项>
              </组>
            </根>

            """)
    }

    @Test("attribute values escape quotes, apostrophes and line breaks")
    func attributeEscaping() throws {
        let element = XMLElementNode("e", attributes: [XMLAttribute("v", "a\"b'c<d>&e\nf\tg")], text: "t")
        #expect(element.renderFragment() == "<e v=\"a&quot;b&apos;c&lt;d&gt;&amp;e&#10;f&#9;g\">t</e>")
        let (xml, ok, _) = XMLCollector.parse(Array(element.renderFragment().utf8))
        #expect(ok)
        #expect(xml.attributes["e"]?["v"] == "a\"b'c<d>&e\nf\tg")
    }

    @Test("characters XML cannot carry become U+FFFD; bad names are repaired")
    func invalidCharacters() {
        let element = XMLElementNode("1 bad<name", text: "a\u{0}b\u{1B}c\u{FFFF}")
        let fragment = element.renderFragment()
        #expect(fragment == "<_1_bad_name>a\u{FFFD}b\u{FFFD}c\u{FFFD}</_1_bad_name>")
        #expect(XMLCollector.parse(Array(fragment.utf8)).ok)
        #expect(XMLEscaping.isValidName("电子文件封装包"))
        #expect(!XMLEscaping.isValidName("a b"))
    }
}
