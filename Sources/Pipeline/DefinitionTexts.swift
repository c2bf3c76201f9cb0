import Definition
import Render
import YearbookCore

/// The parts of the definition a target's key is made of, as text: each value as Swift prints it (every
/// field, so that any change to the definition shows in the keys). Each indicator and each chapter's
/// layout is printed once, and the lists are joined from those texts as Swift would print them: the
/// manifest records the keys, so the texts stay exactly as they were.
struct DefinitionTexts {
    /// `"\(definition.indicators)"`.
    let indicators: String
    /// `"\(definition.chapters)"`.
    let chapters: String
    /// The key-figures columns and the unit labels.
    let presentation: String
    /// `"\(presentation.chapters.sorted { $0.key < $1.key })"`: every chapter's layout.
    let layouts: String
    private let indicatorTexts: [(roster: String?, text: String)]
    private let layoutTexts: [String: String]
    /// The title and the subject.
    let title: String

    init(_ definition: PipelineDefinition) {
        // An element of a list is printed as `debugPrint` prints it (its type named with its module).
        indicatorTexts = definition.indicators.map { ($0.roster, String(reflecting: $0)) }
        indicators = Self.list(indicatorTexts.map(\.text))
        chapters = "\(definition.chapters)"
        let presentation = definition.presentation
        self.presentation = "\(presentation.columns) \(presentation.units.sorted { $0.key < $1.key })"
        layoutTexts = presentation.chapters.mapValues { "\($0)" }
        // A layout alone is printed with its type's bare name, in a list with its module's.
        let bare = _typeName(ChapterLayout.self, qualified: false), qualified = _typeName(ChapterLayout.self, qualified: true)
        layouts = Self.list(layoutTexts.sorted { $0.key < $1.key }.map { id, text in
            "(key: \(String(reflecting: id)), value: \(qualified)\(text.dropFirst(bare.count)))"
        })
        title = "\(definition.file.title) \(definition.file.subject)"
    }

    /// `"\(definition.indicators.filter { $0.roster == roster })"`: the measures of one roster.
    func indicators(ofRoster roster: String) -> String {
        Self.list(indicatorTexts.filter { $0.roster == roster }.map(\.text))
    }

    /// `"\(presentation.layout(of: chapter))"`.
    func layout(of chapter: String) -> String { layoutTexts[chapter] ?? "\(ChapterLayout())" }

    /// What the workbook prints of the definition beside the other outputs' content: title, indicators
    /// (names, units, decimals), unit labels, the key figures' columns.
    var workbook: String { "\(title)\n\(indicators)\n\(chapters)\n\(presentation)" }

    private static func list(_ elements: [String]) -> String { "[" + elements.joined(separator: ", ") + "]" }
}
