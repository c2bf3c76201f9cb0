import Dispatch
import Foundation
import YearbookCore

/// One cell that broke a rule.
public struct RuleFailure: Hashable, Sendable {
    public var area: String
    public var indicator: String?
    public var period: Int
    /// The figures the check read, e.g. `DIBAO_PERSONS_U=35348, POP_TOTAL=4012345`.
    public var figures: String
    /// Where the figures came from (files), when they are base values.
    public var origins: [String]
}

/// What a rule found over the dataset.
public struct RuleResult: Sendable {
    public var rule: Rule
    public var checked = 0
    public var passed = 0
    public var failed = 0
    /// Items where a figure the check needs has no value.
    public var missing = 0
    public var failures: [RuleFailure] = []
}

public enum Validation {
    /// Checks every rule over the unified dataset of `year` (and the year before where a rule asks).
    /// Rules are independent of each other: they run on all cores, and their
    /// results come back in the rules' order.
    public static func run(rules: [Rule], observations: [ObservationKey: Observation], indicators: [Indicator],
                           registry: AreaRegistry, year: Int) throws -> (results: [RuleResult], problems: [Problem]) {
        let conditions = try rules.map { try $0.check.map(Condition.parse) }
        var checked = [(result: RuleResult, problems: [Problem])?](repeating: nil, count: rules.count)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: rules.count) { index in
            let outcome = run(rules[index], condition: conditions[index], observations: observations,
                              indicators: indicators, registry: registry, year: year)
            lock.lock()
            checked[index] = outcome
            lock.unlock()
        }
        return (checked.map { $0!.result }, checked.flatMap { $0!.problems })
    }

    private static func run(_ rule: Rule, condition: Condition?, observations: [ObservationKey: Observation],
                            indicators: [Indicator], registry: AreaRegistry, year: Int) -> (result: RuleResult, problems: [Problem]) {
        var problems: [Problem] = []
        var result = RuleResult(rule: rule)
        let codes: [String?]
        switch rule.each {
        case .none: codes = [nil]
        case .all: codes = indicators.map(\.code)
        case .codes(let list): codes = list
        }
        let levels = Set(rule.levels ?? AreaLevel.allCases.map(\.rawValue))
        let periods = (rule.periods ?? ["current"]).map { $0 == "previous" ? year - 1 : year }
        for period in periods.sorted() {
            for area in registry.codes {
                guard let info = registry[area], info.isValid(in: period), levels.contains(info.level.rawValue) else { continue }
                for code in codes {
                    result.checked += 1
                    func value(_ indicator: String, _ at: Int) -> Exact? {
                        observations[ObservationKey(area: area, indicator: indicator, period: at)]?.usableValue
                    }
                    if rule.effectiveKind == .completeness {
                        guard let code else { continue }
                        if value(code, period) != nil {
                            result.passed += 1
                        } else {
                            result.failed += 1
                            result.failures.append(RuleFailure(area: area, indicator: code, period: period,
                                                               figures: "\(code) has no value", origins: []))
                        }
                        continue
                    }
                    guard var check = condition else { continue }
                    if let code { check = check.substituting("value", with: code) }
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
                    let operands = (check.left.operands + check.right.operands).reduce(into: [String]()) {
                        if !$0.contains($1) { $0.append($1) }
                    }
                    let figures = operands.map { "\($0)=\(value($0, period)?.plainDecimal ?? "–")" }.joined(separator: ", ")
                    let origins = operands.compactMap {
                        observations[ObservationKey(area: area, indicator: $0, period: period)]?.origin
                    }
                    result.failures.append(RuleFailure(area: area, indicator: code ?? operands.first, period: period,
                                                       figures: figures, origins: origins))
                }
            }
        }
        let severity: Problem.Severity = rule.severity == "error" ? .error : .warning
        for failure in result.failures {
            let origin = failure.origins.first
            let parts = origin?.split(separator: ":")
            problems.append(Problem(
                severity, "rule",
                "rule \(rule.id) fails for \(failure.area)\(failure.indicator.map { " \($0)" } ?? "") \(failure.period): \(rule.description?.en ?? rule.check ?? "") (\(failure.figures))",
                file: parts.map { String($0[0]) }, line: parts.flatMap { $0.count > 1 ? Int($0[1]) : nil },
                area: failure.area, indicator: failure.indicator, period: failure.period))
        }
        return (result, problems)
    }
}
