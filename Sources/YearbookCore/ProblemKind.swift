extension Problem {
    /// What a problem is about: one value per kind, written in the reports as its raw value
    /// (`problems.csv`, the database) and labelled in both languages on the terminal.
    public enum Kind: String, Sendable, Hashable, CaseIterable, Comparable {
        /// A sender's own words in a submission (a footer).
        case agencyMessage = "agency-message"
        /// Two messages of the same `Prepared` disagree.
        case conflict
        /// Figures withheld from release as small cells, and what would reveal them.
        case disclosure
        /// The edition folder and its publication.
        case edition
        /// A roster in no valid encoding.
        case encoding
        /// An earlier edition the history could not read.
        case history
        /// A parent whose children do not all have a figure.
        case incomplete
        /// A file or folder of the input tree that fits no name of the contract.
        case inputTree = "input-tree"
        /// A submission that is no data message.
        case notData = "not-data"
        /// A roster figure and a submitted one, or a sum and a submitted total, that disagree.
        case reconciliation
        /// The area registry.
        case registry
        /// A roster with rejected rows.
        case rejects
        /// A roster's file as a whole.
        case roster
        /// A validation rule that fails.
        case rule
        /// Problems that could not be spooled to disk.
        case spool
        /// The subject of the yearbook without a figure.
        case subject
        /// A submission or one of its observations.
        case submission
        /// A retired area code's data counted under its successor.
        case succession
        /// A submitted value its unit cannot hold.
        case unit
        /// A file that could not be read at all.
        case unreadable
        /// A submission none of whose observations is used.
        case unusedSubmission = "unused-submission"

        /// How the kind reads on the terminal.
        public var label: Bilingual {
            switch self {
            case .agencyMessage: Bilingual(zh: "报送方消息", en: "sender's message")
            case .conflict: Bilingual(zh: "冲突", en: "conflict")
            case .disclosure: Bilingual(zh: "保密", en: "disclosure")
            case .edition: Bilingual(zh: "年鉴版本", en: "edition")
            case .encoding: Bilingual(zh: "编码", en: "encoding")
            case .history: Bilingual(zh: "往年年鉴", en: "earlier edition")
            case .incomplete: Bilingual(zh: "不完整", en: "incomplete")
            case .inputTree: Bilingual(zh: "未读取的文件", en: "file not read")
            case .notData: Bilingual(zh: "非数据报文", en: "not a data message")
            case .reconciliation: Bilingual(zh: "核对差异", en: "reconciliation")
            case .registry: Bilingual(zh: "区划代码表", en: "area registry")
            case .rejects: Bilingual(zh: "名册行被拒", en: "roster rows rejected")
            case .roster: Bilingual(zh: "名册", en: "roster")
            case .rule: Bilingual(zh: "规则未通过", en: "rule failed")
            case .spool: Bilingual(zh: "未能暂存到磁盘", en: "not spooled to disk")
            case .subject: Bilingual(zh: "年鉴主体", en: "subject")
            case .submission: Bilingual(zh: "报送", en: "submission")
            case .succession: Bilingual(zh: "区划变更", en: "succession")
            case .unit: Bilingual(zh: "不符合计量单位", en: "value outside its unit")
            case .unreadable: Bilingual(zh: "无法读取", en: "unreadable")
            case .unusedSubmission: Bilingual(zh: "未使用的报送", en: "submission not used")
            }
        }

        public static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }
    }
}
