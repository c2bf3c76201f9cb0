import Foundation
import YearbookCore

/// One cell that broke a rule.
public struct RuleFailure: Hashable, Sendable {
    public var area: String
    public var indicator: String?
    public var period: Int
    /// The figures the check read, e.g. `DIBAO_PERSONS_U=35348, POP_TOTAL=4012345`.
    public var figures: String
    /// Where each base figure the check read came from (its observation's origin), in operand order.
    public var origins: [[SourceLocation]]

    /// How a completeness failure's figures end: `BEDS_TOTAL has no value`.
    public static let noValue = "has no value"

    /// One origin as the reports print it: `file:line`, or roster files joined by ` + `.
    public static func text(_ origin: [SourceLocation]) -> String { origin.map(\.description).joined(separator: " + ") }
}

/// The binary form a rule's spooled failures are kept in.
extension RuleFailure: SpoolRecord {
    public func write(to out: inout BinaryWriter) {
        out.string(area)
        out.optional(indicator) { o, s in o.string(s) }
        out.int(period)
        out.string(figures)
        out.array(origins) { o, origin in o.array(origin) { o, l in o.location(l) } }
    }

    public init(reading input: inout BinaryReader) throws {
        self.init(area: try input.string(), indicator: try input.optional { i in try i.string() }, period: try input.int(),
                  figures: try input.string(), origins: try input.array { i in try i.array { i in try i.location() } })
    }
}

/// What a rule found over the dataset.
public struct RuleResult: Sendable {
    public var rule: Rule
    public var checked = 0
    public var passed = 0
    public var failed = 0
    /// Items where a figure the check needs has no value.
    public var missing = 0
    /// In the order of the rule's places; spooled beyond a few thousand (a national build fails tens of thousands of cells).
    public var failures = SpooledRecords<RuleFailure>(holdLimit: 512)
}

public enum Validation {
    /// Checks every rule over the unified dataset of `year` (and the year before where a rule asks).
    /// The work is cut into pieces (a rule over a run of areas) done on all
    /// cores; each rule's pieces are joined in order, so the results are the
    /// same as one rule and one area after the other.
    public static func run(rules: [Rule], observations: [ObservationKey: Observation], indicators: [Indicator],
                           registry: AreaRegistry, year: Int) throws -> (results: [RuleResult], problems: ProblemList) {
        let conditions = try rules.map { try $0.check.map(Condition.parse) }
        // Per rule, the (period, area) places it checks, in order.
        let places: [[(period: Int, area: String)]] = rules.map { rule in
            let levels = Set(rule.levels ?? AreaLevel.allCases.map(\.rawValue))
            let periods = (rule.periods ?? ["current"]).map { $0 == "previous" ? year - 1 : year }
            return periods.sorted().flatMap { period in
                registry.codes.filter { area in
                    guard let info = registry[area] else { return false }
                    return info.isValid(in: period) && levels.contains(info.level.rawValue)
                }.map { (period, $0) }
            }
        }
        let pieceSize = 64
        var pieces: [(rule: Int, places: Range<Int>)] = []
        for (index, list) in places.enumerated() {
            for start in stride(from: 0, to: list.count, by: pieceSize) {
                pieces.append((index, start..<min(start + pieceSize, list.count)))
            }
        }
        var results = rules.map { RuleResult(rule: $0) }
        var problems = ProblemList()
        // A few pieces per core at a time, joined into the spooled lists in order: a national build fails
        // tens of thousands of cells, and what is made in parallel is not all held at once. A batch is
        // joined (its problems sorted and spooled, one thread's work) while the next is made on the others.
        let batch = 2 * ProcessInfo.processInfo.activeProcessorCount
        func join(_ done: [PieceOutcome], first: Int) {
            for (offset, outcome) in done.enumerated() {
                let rule = pieces[first + offset].rule, part = outcome.result
                results[rule].checked += part.checked
                results[rule].passed += part.passed
                results[rule].failed += part.failed
                results[rule].missing += part.missing
                results[rule].failures.append(contentsOf: part.failures)
                problems.add(contentsOf: outcome.problems)
            }
        }
        let made = Made()
        var pending: (done: [PieceOutcome], first: Int) = ([], 0)
        for first in stride(from: 0, to: pieces.count, by: batch) {
            let count = min(batch, pieces.count - first)
            let pieces = pieces, places = places
            let making = Parallel.background {
                made.outcomes = Parallel.map(count) { offset in
                    let piece = pieces[first + offset]
                    return run(rules[piece.rule], condition: conditions[piece.rule], places: places[piece.rule][piece.places],
                               observations: observations, indicators: indicators, registry: registry)
                }
            }
            join(pending.done, first: pending.first)
            making.wait()
            pending = (made.outcomes, first)
        }
        join(pending.done, first: pending.first)
        return (results, problems)
    }

    private typealias PieceOutcome = (result: (checked: Int, passed: Int, failed: Int, missing: Int, failures: [RuleFailure]),
                                      problems: [Problem])

    /// A batch's outcomes, handed from the thread that made them to the one that joins them (after its `wait`).
    private final class Made: @unchecked Sendable {
        var outcomes: [PieceOutcome] = []
    }

    private static func run(_ rule: Rule, condition: Condition?, places: ArraySlice<(period: Int, area: String)>,
                            observations: [ObservationKey: Observation], indicators: [Indicator], registry: AreaRegistry)
        -> PieceOutcome {
        var problems: [Problem] = []
        var result = (checked: 0, passed: 0, failed: 0, missing: 0, failures: [RuleFailure]())
        let codes: [String?]
        switch rule.each {
        case .none: codes = [nil]
        case .all: codes = indicators.map(\.code)
        case .codes(let list): codes = list
        }
        // The check of each code, made once (not once per area).
        let checks: [Condition?] = codes.map { code in
            guard let condition, let code else { return condition }
            return condition.substituting("value", with: code)
        }
        // What each check reads, this year and last, also made once: a check reads them for every cell.
        func unique(_ codes: [String]) -> [String] { codes.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } } }
        let readNow: [[String]] = checks.map { check in check.map { unique($0.left.operands + $0.right.operands) } ?? [] }
        let readBefore: [[String]] = checks.map { check in check.map { unique($0.left.previousOperands + $0.right.previousOperands) } ?? [] }
        let minimumBase = rule.minimumBase
        for (period, area) in places {
            for (codeIndex, code) in codes.enumerated() {
                func value(_ indicator: String, _ at: Int) -> Exact? {
                    observations[ObservationKey(area: area, indicator: indicator, period: at)]?.usableValue
                }
                // Below `min_base` a change says nothing (1 → 2 is +100%): the cell is not checked.
                if let minimumBase, checks[codeIndex] != nil,
                   readBefore[codeIndex].contains(where: { value($0, period - 1).map { $0.magnitude < minimumBase } ?? false }) {
                    continue
                }
                result.checked += 1
                if rule.effectiveKind == .completeness {
                    guard let code else { continue }
                    if value(code, period) != nil {
                        result.passed += 1
                    } else {
                        result.failed += 1
                        result.failures.append(RuleFailure(area: area, indicator: code, period: period,
                                                           figures: "\(code) \(RuleFailure.noValue)", origins: []))
                    }
                    continue
                }
                guard let check = checks[codeIndex] else { continue }
                let previousYear: (String) -> Exact? = { value($0, period - 1) }
                guard let left = check.left.evaluate({ value($0, period) }, previous: previousYear),
                      let right = check.right.evaluate({ value($0, period) }, previous: previousYear) else {
                    result.missing += 1
                    continue
                }
                if check.holds(left, right) {
                    result.passed += 1
                    continue
                }
                result.failed += 1
                let operands = readNow[codeIndex]
                var figures = operands.map { "\($0)=\(value($0, period)?.plainDecimal ?? "–")" }.joined(separator: ", ")
                // A year-over-year check gives last year's figure too, and the change between them.
                for operand in readBefore[codeIndex] {
                    guard let before = value(operand, period - 1) else { continue }
                    figures += "; \(operand) \(period - 1)=\(before.plainDecimal)"
                    if let now = value(operand, period), let ratio = (now - before).divided(by: before.magnitude) {
                        let percent = (ratio * Exact(100)).formatted(decimals: 1)
                        figures += " (\(ratio.isNegative ? "" : "+")\(percent)%)"
                    }
                }
                let origins = operands.compactMap {
                    observations[ObservationKey(area: area, indicator: $0, period: period)]?.origin
                }.filter { !$0.isEmpty }
                result.failures.append(RuleFailure(area: area, indicator: code ?? operands.first, period: period,
                                                   figures: figures, origins: origins))
            }
        }
        let severity: Problem.Severity = rule.severity == "error" ? .error : .warning
        let names = IndicatorNames(indicators)
        for failure in result.failures {
            // The problem points at the first figure's origin; two roster files are named together, as the reports print them.
            let origin = failure.origins.first.map { $0.count == 1 ? $0[0] : SourceLocation(file: RuleFailure.text($0)) }
            let what = failure.indicator.map { " \(names.label($0, .en))" } ?? ""
            let whatZH = failure.indicator.map { " \(names.label($0, .zh))" } ?? ""
            problems.append(Problem(
                severity, .rule,
                compact("rule \(rule.id) fails for \(registry.label(failure.area, .en))\(what) \(failure.period): \(rule.description?.en ?? rule.check ?? "") (\(failure.figures))"),
                file: origin?.file, line: origin?.line,
                area: failure.area, indicator: failure.indicator, period: failure.period,
                messageZH: compact("规则 \(rule.id) 未通过：\(registry.label(failure.area, .zh))\(whatZH) \(failure.period)年：\(rule.description?.zh ?? rule.check ?? "")（\(failure.figures)）")))
        }
        return (result, problems)
    }
}

/// A copy of `text` in storage of its own size: an interpolated string keeps the spare capacity its
/// buffer grew to, and a national build holds tens of thousands of these messages.
func compact(_ text: String) -> String {
    var text = text
    return text.withUTF8 { String(decoding: $0, as: UTF8.self) }
}
