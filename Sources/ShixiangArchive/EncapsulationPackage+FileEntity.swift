import ShixiangDigest

extension EncapsulationPackage {
    /// 文件实体: one electronic record with its DA/T 46 core metadata and its files.
    ///
    /// Rendered as 聚合层次, 来源, 电子文件号, 档号, 内容描述 (题名, 责任者, 日期), 文件数据.
    /// 题名/责任者/日期 sit in 内容描述 as in DA/T 46.
    public struct FileEntity: Sendable, Equatable {
        /// 聚合层次, e.g. `文件` or `件`.
        public var aggregationLevel: String
        /// 来源.
        public var provenance: Provenance
        /// 电子文件号: the record's identifier, which 业务实体's 文件标识 refers to.
        public var recordNumber: String
        /// 档号.
        public var archivalCode: ArchivalCode
        /// 题名.
        public var title: String
        /// 责任者.
        public var author: String
        /// 日期, e.g. `20250314`.
        public var date: String
        /// 文件数据 → 文档*.
        public var documents: [Document]

        public init(
            aggregationLevel: String = "件",
            provenance: Provenance,
            recordNumber: String,
            archivalCode: ArchivalCode,
            title: String,
            author: String,
            date: String,
            documents: [Document]
        ) {
            self.aggregationLevel = aggregationLevel
            self.provenance = provenance
            self.recordNumber = recordNumber
            self.archivalCode = archivalCode
            self.title = title
            self.author = author
            self.date = date
            self.documents = documents
        }

        func xmlTree() -> XMLElementNode {
            var entity = XMLElementNode("文件实体")
            entity.append("聚合层次", aggregationLevel)
            entity.append(provenance.xmlTree())
            entity.append("电子文件号", recordNumber)
            entity.append(archivalCode.xmlTree())
            var content = XMLElementNode("内容描述")
            content.append("题名", title)
            content.append("责任者", author)
            content.append("日期", date)
            entity.append(content)
            entity.append(XMLElementNode("文件数据", elements: documents.map { $0.xmlTree() }))
            return entity
        }
    }

    /// 来源: where the record comes from.
    public struct Provenance: Sendable, Equatable {
        /// 档案馆名称; omitted when `nil` (not yet transferred to an archive).
        public var archivesName: String?
        /// 全宗名称.
        public var fondsName: String
        /// 立档单位名称.
        public var creatingUnitName: String

        public init(archivesName: String? = nil, fondsName: String, creatingUnitName: String) {
            self.archivesName = archivesName
            self.fondsName = fondsName
            self.creatingUnitName = creatingUnitName
        }

        func xmlTree() -> XMLElementNode {
            var element = XMLElementNode("来源")
            element.append("档案馆名称", archivesName)
            element.append("全宗名称", fondsName)
            element.append("立档单位名称", creatingUnitName)
            return element
        }
    }

    /// 档号 (archival code): 全宗号, 年度, 保管期限, 机构或问题, 件号.
    public struct ArchivalCode: Sendable, Equatable {
        /// 全宗号.
        public var fondsNumber: String
        /// 年度, e.g. `2025`.
        public var year: String
        /// 保管期限: `永久`, `定期30年` or `定期10年` (DA/T 22-2015).
        public var retentionPeriod: String
        /// 机构或问题; omitted when `nil`.
        public var organizationOrIssue: String?
        /// 件号, e.g. `0001`.
        public var itemNumber: String

        public init(fondsNumber: String, year: String, retentionPeriod: String, organizationOrIssue: String? = nil, itemNumber: String) {
            self.fondsNumber = fondsNumber
            self.year = year
            self.retentionPeriod = retentionPeriod
            self.organizationOrIssue = organizationOrIssue
            self.itemNumber = itemNumber
        }

        func xmlTree() -> XMLElementNode {
            var element = XMLElementNode("档号")
            element.append("全宗号", fondsNumber)
            element.append("年度", year)
            element.append("保管期限", retentionPeriod)
            element.append("机构或问题", organizationOrIssue)
            element.append("件号", itemNumber)
            return element
        }
    }

    /// 文档: one document of a record, rendered as 文档 → (文档标识符, 文档序号,) 文档数据 → 编码*.
    public struct Document: Sendable, Equatable {
        /// 文档标识符 (e.g. `正文`, `附件1`); omitted when `nil`.
        public var identifier: String?
        /// 文档序号; omitted when `nil`.
        public var sequence: String?
        /// The 编码 elements (normally one).
        public var encodings: [Encoding]

        public init(identifier: String? = nil, sequence: String? = nil, encodings: [Encoding]) {
            self.identifier = identifier
            self.sequence = sequence
            self.encodings = encodings
        }

        func xmlTree() -> XMLElementNode {
            var element = XMLElementNode("文档")
            element.append("文档标识符", identifier)
            element.append("文档序号", sequence)
            element.append(XMLElementNode("文档数据", elements: encodings.map { $0.xmlTree() }))
            return element
        }
    }

    /// 编码: a computer file referenced by name, size, format and digests instead of embedded.
    ///
    /// Rendered as 编码 → 电子属性 (格式信息, 计算机文件名, 计算机文件大小), 编码描述,
    /// 数字摘要* (摘要算法, 摘要值).
    public struct Encoding: Sendable, Equatable {
        /// The text written as 编码描述 when none is given.
        public static let referenceDescription = "本编码不内嵌计算机文件数据，以计算机文件名和数字摘要引用封装包所在 BagIt 包中的载荷文件"

        /// 计算机文件名: the payload path in the bag, e.g. `data/records/0001.json`.
        public var fileName: String
        /// 计算机文件大小 in bytes.
        public var fileSize: UInt64
        /// 格式信息, e.g. `JSON`, `PDF/A-1b`, `OFD`.
        public var format: String
        /// 数字摘要 of the file, one per algorithm (SM3 first is customary).
        public var digests: [DigestReference]
        /// 编码描述.
        public var description: String

        public init(fileName: String, fileSize: UInt64, format: String, digests: [DigestReference],
                    description: String = Encoding.referenceDescription) {
            self.fileName = fileName
            self.fileSize = fileSize
            self.format = format
            self.digests = digests
            self.description = description
        }

        func xmlTree() -> XMLElementNode {
            var attributes = XMLElementNode("电子属性")
            attributes.append("格式信息", format)
            attributes.append("计算机文件名", fileName)
            attributes.append("计算机文件大小", String(fileSize))
            var element = XMLElementNode("编码", elements: [attributes])
            element.append("编码描述", description)
            for digest in digests { element.append(digest.xmlTree()) }
            return element
        }
    }

    /// 数字摘要: an algorithm and the lowercase hex digest of a file.
    public struct DigestReference: Sendable, Equatable {
        /// The hash function (written as ``algorithmName``).
        public var algorithm: DigestAlgorithm
        /// Lowercase hexadecimal digest.
        public var hex: String

        public init(algorithm: DigestAlgorithm, hex: String) {
            self.algorithm = algorithm
            self.hex = hex
        }

        /// The references of a written payload file, SM3 first, then SHA-256, then SHA-512.
        public static func of(_ file: BagPayloadFile) -> [DigestReference] {
            [DigestAlgorithm.sm3, .sha256, .sha512].compactMap { algorithm in
                file.hex(algorithm).map { DigestReference(algorithm: algorithm, hex: $0) }
            }
        }

        /// The name written as 摘要算法: `SM3`, `SHA-256`, `SHA-512`.
        public var algorithmName: String {
            switch algorithm {
            case .sm3: return "SM3"
            case .sha256: return "SHA-256"
            case .sha512: return "SHA-512"
            }
        }

        func xmlTree() -> XMLElementNode {
            var element = XMLElementNode("数字摘要")
            element.append("摘要算法", algorithmName)
            element.append("摘要值", hex)
            return element
        }
    }
}
