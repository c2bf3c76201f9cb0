import Extract
import Foundation
import Normalize
import Render
import Validate
import Yams
import YearbookCore

/// A pipeline definition (`pipelines/*.yml`): what a statistician edits to
/// change the yearbook without touching Swift. It names the dictionaries
/// beside it and says what each chapter shows.
public struct PipelineDefinition: Sendable {
    public struct File: Codable, Sendable {
        public var title: Bilingual
        /// The area the yearbook is about; its child areas fill the tables.
        public var subject: String
        public var indicators: String
        public var chapters: String
        /// Columns of every indicator table: value, previous, change, rank, rank_change.
        public var columns: [String]?
        /// Labels of the indicators' base units.
        public var units: [String: Bilingual]?
        /// Per chapter: headlines, key figures, topic tables, rankings, charts and trends.
        public var content: [String: ChapterLayout]?
        /// Validation rules checked on every build.
        public var rules: [Rule]?
    }

    public var path: String
    public var file: File
    public var indicators: [Indicator]
    public var chapters: [Chapter]
    /// Bytes of the definition and its dictionaries, for the manifest's hash.
    public var sources: [(name: String, bytes: [UInt8])]

    public var presentation: Presentation {
        Presentation(columns: file.columns ?? Presentation.allColumns, units: file.units ?? [:], chapters: file.content ?? [:])
    }

    public func indicator(_ code: String) -> Indicator? { indicators.first { $0.code == code } }

    public static func load(path: String) throws -> PipelineDefinition {
        let name = (path as NSString).lastPathComponent
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ExtractError(file: path, "cannot read the pipeline definition")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ExtractError(file: path, "the pipeline definition is not UTF-8")
        }
        let file: File
        do {
            file = try YAMLDecoder().decode(File.self, from: text)
        } catch {
            throw ExtractError(file: path, "the pipeline definition does not read: \(error)")
        }
        let folder = (path as NSString).deletingLastPathComponent
        let indicatorsPath = (folder as NSString).appendingPathComponent(file.indicators)
        let chaptersPath = (folder as NSString).appendingPathComponent(file.chapters)
        let indicators = try Dictionaries.loadIndicators(path: indicatorsPath, displayName: indicatorsPath)
        let chapters = try Dictionaries.loadChapters(path: chaptersPath, displayName: chaptersPath)
        let definition = PipelineDefinition(
            path: path, file: file, indicators: indicators, chapters: chapters,
            sources: [(name, Array(data)),
                      (file.indicators, Array(FileManager.default.contents(atPath: indicatorsPath) ?? Data())),
                      (file.chapters, Array(FileManager.default.contents(atPath: chaptersPath) ?? Data()))])
        try definition.check()
        return definition
    }

    /// Every name the definition uses must exist.
    func check() throws {
        let codes = Set(indicators.map(\.code))
        let chapterIDs = Set(chapters.map(\.id))
        for indicator in indicators {
            if !chapterIDs.contains(indicator.chapter) {
                throw ExtractError(file: path, "indicator \(indicator.code) is in chapter '\(indicator.chapter)', which chapters.csv does not list")
            }
            if indicator.source == .derived {
                let formula = try Formula.parse(indicator.formula)
                for operand in formula.operands where !codes.contains(operand) {
                    throw ExtractError(file: path, "formula of \(indicator.code) reads unknown indicator \(operand)")
                }
            }
            if let roster = indicator.roster, let schema = RosterSchema.named(roster) {
                _ = try RosterMeasure(indicator: indicator.code, formula: indicator.formula, schema: schema)
            }
        }
        for column in presentation.columns where !Presentation.allColumns.contains(column) {
            throw ExtractError(file: path, "table column '\(column)' is not one of \(Presentation.allColumns.joined(separator: ", "))")
        }
        var ruleIDs: Set<String> = []
        for rule in file.rules ?? [] {
            guard ruleIDs.insert(rule.id).inserted else { throw ExtractError(file: path, "rule \(rule.id) is defined twice") }
            guard ["error", "warning"].contains(rule.severity) else {
                throw ExtractError(file: path, "rule \(rule.id): severity '\(rule.severity)' is not error or warning")
            }
            if case .codes(let list) = rule.each {
                for code in list where !codes.contains(code) { throw ExtractError(file: path, "rule \(rule.id) names unknown indicator \(code)") }
            }
            for level in rule.levels ?? [] where AreaLevel(rawValue: level) == nil {
                throw ExtractError(file: path, "rule \(rule.id): level '\(level)' is not province, prefecture or county")
            }
            for period in rule.periods ?? [] where !["current", "previous"].contains(period) {
                throw ExtractError(file: path, "rule \(rule.id): period '\(period)' is not current or previous")
            }
            switch rule.effectiveKind {
            case .completeness:
                if rule.each == nil { throw ExtractError(file: path, "rule \(rule.id): a completeness rule needs 'each'") }
            case .condition:
                guard let check = rule.check else { throw ExtractError(file: path, "rule \(rule.id) has no check") }
                let condition: Condition
                do { condition = try Condition.parse(check) } catch {
                    throw ExtractError(file: path, "rule \(rule.id): \(error)")
                }
                let allowed = rule.each == nil ? codes : codes.union(["value"])
                for operand in condition.left.operands + condition.right.operands where !allowed.contains(operand) {
                    throw ExtractError(file: path, "rule \(rule.id) reads unknown indicator \(operand)")
                }
            }
        }
        for (chapter, content) in file.content ?? [:] {
            if !chapterIDs.contains(chapter) { throw ExtractError(file: path, "content for unknown chapter '\(chapter)'") }
            for code in content.indicatorCodes where !codes.contains(code) {
                throw ExtractError(file: path, "chapter \(chapter) names unknown indicator \(code)")
            }
            var tableIDs: Set<String> = []
            for table in content.tables ?? [] {
                guard tableIDs.insert(table.id).inserted else {
                    throw ExtractError(file: path, "chapter \(chapter): table \(table.id) is defined twice")
                }
                if table.groups.isEmpty || table.groups.contains(where: { $0.columns.isEmpty }) {
                    throw ExtractError(file: path, "chapter \(chapter): table \(table.id) has a column group without columns")
                }
            }
        }
    }

    /// The roster measures, per roster name.
    public func measures() throws -> [String: [RosterMeasure]] {
        var result: [String: [RosterMeasure]] = [:]
        for schema in RosterSchema.all {
            result[schema.name] = try indicators.filter { $0.roster == schema.name }.map {
                try RosterMeasure(indicator: $0.code, formula: $0.formula, schema: schema)
            }
        }
        return result
    }
}
