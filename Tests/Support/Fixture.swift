import Definition
import Normalize
import YearbookCore

/// The tests' own pipeline definition and area registry (`Tests/Fixtures`):
/// six indicators, two chapters, two rules; a province, two prefectures (湘潭市
/// without counties: its own figures stand) and four counties of 株洲市, one of
/// them retired (株洲县 430221 → 渌口区 430212 from 2018).
public enum Fixture {
    public static let folder = repositoryRoot + "/Tests/Fixtures"
    public static let definitionPath = folder + "/pipelines/yearbook.yml"
    public static let areasPath = folder + "/areas.csv"

    public static let definition: PipelineDefinition = try! PipelineDefinition.load(path: definitionPath)
    public static let registry: AreaRegistry = try! Dictionaries.loadAreas(path: areasPath, displayName: "areas.csv")
    public static var indicators: [Indicator] { definition.indicators }
    public static var indicatorsByCode: [String: Indicator] { Dictionary(uniqueKeysWithValues: indicators.map { ($0.code, $0) }) }
    public static var names: IndicatorNames { IndicatorNames(indicators) }

    /// A base or computed cell, written as the test's literal rows are (`origin`: `file` or `file:line`).
    public static func observation(_ area: String, _ indicator: String, _ period: Int, _ value: String?,
                            _ status: ObservationStatus = .A, _ source: ObservationSource, origin: String? = nil) -> Observation {
        Observation(key: ObservationKey(area: area, indicator: indicator, period: period),
                    value: value.map { Exact(decimal: $0)! }, status: status, source: source,
                    origin: origin.map { [location($0)] } ?? [])
    }

    /// `file:line` or `file` as the location it names.
    public static func location(_ text: String) -> YearbookCore.SourceLocation {
        guard let colon = text.lastIndex(of: ":"), let line = Int(text[text.index(after: colon)...]) else { return YearbookCore.SourceLocation(file: text) }
        return YearbookCore.SourceLocation(file: String(text[..<colon]), line: line)
    }

    public static func dataset(_ rows: [Observation]) -> [ObservationKey: Observation] {
        Dictionary(uniqueKeysWithValues: rows.map { ($0.key, $0) })
    }

    /// A cell as a row of `observations.csv` (derived values with 4 decimals), with its origin where it has one.
    public static func row(_ cell: Observation) -> String {
        let value = cell.usableValue.map { cell.source == .derived ? $0.formatted(decimals: 4) : $0.plainDecimal } ?? ""
        let row = "\(cell.area),\(cell.indicator),\(cell.period),\(value),\(cell.status.rawValue),\(cell.source.rawValue)"
        return cell.origin.isEmpty ? row : row + " <- " + cell.origin.map(\.description).joined(separator: " + ")
    }

    public static func rows(_ observations: [ObservationKey: Observation]) -> [String] {
        ObservationKey.sorted(observations.keys).map { row(observations[$0]!) }
    }

    /// A problem as a report lists it: severity, kind, location, English message.
    public static func finding(_ problem: Problem) -> String {
        let location = [problem.file, problem.line.map(String.init)].compactMap { $0 }.joined(separator: ":")
        return "\(problem.severity.rawValue) \(problem.kind) [\(location)] \(problem.message)"
    }
}
