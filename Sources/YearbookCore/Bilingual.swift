/// Bilingual text: Chinese first, English beside it.
public struct Bilingual: Codable, Sendable, Hashable {
    public var zh: String
    public var en: String

    public init(zh: String, en: String) {
        self.zh = zh
        self.en = en
    }
}
