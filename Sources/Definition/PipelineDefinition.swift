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
        /// Per chapter: headlines, tables, rankings.
        public var content: [String: ChapterLayout]?
        /// Validation rules checked on every build.
        public var rules: [Rule]?
        /// How roster files are judged as a whole.
        public var rosters: RosterRules?
        /// Which figures are withheld from release as small cells.
        public var disclosure: DisclosureRules?
    }

    /// The rule that withholds small cells (`disclosure:`).
    public struct DisclosureRules: Codable, Sendable {
        /// A roster figure counted from fewer active rows (households or persons) than this is a small cell;
        /// as written, checked by the definition checker (a whole number from 0 up).
        public var minUnits: String?

        enum CodingKeys: String, CodingKey {
            case minUnits = "min_units"
        }

        public static let minUnitsKey = "disclosure.min_units"

        /// The whole number written, or nil when it is none (a fraction, a negative number, a word).
        public static func minUnits(_ text: String) -> Int? {
            guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(text) else { return nil }
            return value
        }
    }

    /// The definition's `disclosure.min_units` (0, nothing withheld, without the section).
    public var minUnits: Int {
        file.disclosure?.minUnits.flatMap(DisclosureRules.minUnits) ?? 0
    }

    /// How roster files are judged as a whole (`RosterJudgement`).
    public struct RosterRules: Codable, Sendable {
        /// The share of a file's rows that may be rejected before the file is an error, as a percentage (`10%`).
        public var maxRejectedShare: String?

        enum CodingKeys: String, CodingKey {
            case maxRejectedShare = "max_rejected_share"
        }
    }

    /// The share of a roster file's rows that may be rejected (the definition's, else 10%).
    public var maxRejectedShare: Exact {
        file.rosters?.maxRejectedShare.flatMap(RosterJudgement.share(percentage:)) ?? RosterJudgement.defaultMaxRejectedShare
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

    /// Where `subject` is written (`yearbook.yml:9:10`), for the message when the registry lacks it.
    public var subjectPlace: String

    /// The definition at `path`, checked whole (see `read`); a usage error listing every problem otherwise.
    public static func load(path: String) throws -> PipelineDefinition {
        let reading = read(path: path)
        guard let definition = reading.definition else {
            let count = reading.problems.count
            throw YearbookError.usage("the pipeline definition \(path) has \(count) error\(count == 1 ? "" : "s"); nothing is built\n"
                + reading.problems.map(\.description).joined(separator: "\n"))
        }
        return definition
    }

    /// The subject must be an area of the registry: a yearbook about another area is not what was asked for.
    public func checkSubject(in registry: AreaRegistry, areasFile: String) throws {
        guard registry[file.subject] == nil else { return }
        let close = Spelling.closest(to: file.subject, in: registry.codes)
            .map { "; did you mean \($0) (\(registry[$0]!.nameZH) \(registry[$0]!.nameEN))?" } ?? ""
        throw YearbookError.usage("\(subjectPlace): subject \(file.subject) is not in \(areasFile)\(close)")
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
