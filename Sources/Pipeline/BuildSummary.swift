import Definition
import EditionFiles
import Extract
import Foundation
import Outputs
import Validate
import YearbookCore

/// What the terminal says after a build, beyond the errors: the accounting,
/// the warnings grouped by kind with counts, and then the ones a statistician
/// must act on (files not read, figures that disagree, rules that fail),
/// in Chinese and English with names beside codes. A few of each; the rest
/// are in `reports/problems.csv`.
public struct BuildSummary: Sendable {
    public var lines: [String] = []

    /// How a kind reads on the terminal: `区划变更 succession`.
    static func label(_ kind: Problem.Kind) -> String { "\(kind.label.zh) \(kind.label.en)" }

    /// Throws only when a spooled problem or rule failure cannot be read back.
    public init(_ result: BuildResult, definition: PipelineDefinition?, registry: AreaRegistry?, perSection limit: Int = 10) throws {
        let counts = result.counts
        lines.append("yearbook \(result.year): \(counts.rosterFiles) roster files, \(counts.rowsRead) rows = \(counts.accepted) accepted + "
            + "\(counts.inactive) inactive + \(counts.rejected) rejected; \(counts.submissionFiles) submissions, "
            + "\(counts.observationsRead) observations; "
            + "\(result.problems.errorCount) errors, \(result.problems.warningCount) warnings")
        // Said where there is a rule to say it of (or cells an earlier edition withheld).
        if result.disclosure.facts.minUnits > 0 || !result.disclosure.withholding.isEmpty {
            lines.append("保密 disclosure: " + DisclosureReport.sentence(result.disclosure.facts, registry: registry))
        }
        guard result.problems.warningCount > 0 else { return }

        // Warnings that only repeat an error (the figures of a year or county it left without input have
        // no value) are counted, not listed: listed, hundreds of them would bury the error.
        let consequences = try ErrorConsequences(result.problems, registry: registry)
        var followingKinds: [Problem.Kind: Int] = [:]
        if !consequences.isEmpty {
            try result.problems.forEach { problem in
                if consequences.follows(problem) { followingKinds[problem.kind, default: 0] += 1 }
            }
        }
        let following = followingKinds.values.reduce(0, +)
        let listedKinds = result.problems.warningKinds.merging(followingKinds, uniquingKeysWith: -).filter { $0.value > 0 }
        let byKind = listedKinds.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        if !byKind.isEmpty {
            lines.append("警告 warnings: " + byKind.map { "\($0.value) \(Self.label($0.key))" }.joined(separator: ", "))
        }
        if following > 0 {
            let kinds = followingKinds.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .map { "\($0.value) \(Self.label($0.key))" }.joined(separator: ", ")
            lines.append("\(following) warnings that follow from the errors above are not listed: \(kinds), figures that have no value "
                + "because an error left their year or county without input 因上述错误缺少输入而无值; all are in reports/problems.csv")
        }
        guard !byKind.isEmpty else { return }

        func area(_ code: String) -> String {
            registry?[code].map { "\(code) \($0.nameZH) \($0.nameEN)" } ?? code
        }
        func indicator(_ code: String) -> String {
            definition?.indicator(code).map { "\(code) \($0.nameZH) (\($0.nameEN))" } ?? code
        }
        func figure(_ code: String, _ areaCode: String, _ period: Int) -> String {
            result.observations[ObservationKey(area: areaCode, indicator: code, period: period)]?.usableValue?.plainDecimal ?? "–"
        }
        // The first few of a section's entries, and how many it has in all.
        func section(_ title: String, _ entries: [String], of count: Int? = nil) {
            let count = count ?? entries.count
            guard count > 0 else { return }
            lines.append("  \(title) (\(count)):")
            lines += entries.prefix(limit).map { "    " + $0 }
            if count > limit { lines.append("    … \(count - limit) more in reports/problems.csv") }
        }

        // The warnings of one kind, each line made from the problem as the reports word it.
        func sectionOfProblems(_ title: String, kind: Problem.Kind, onlyThisYear: Bool = false, line: (Problem) -> String = { $0.message }) throws {
            let found = try result.problems.first(limit) {
                $0.severity == .warning && $0.kind == kind && !consequences.follows($0) && (!onlyThisYear || $0.period == result.year)
            }
            section(title, found.problems.map(line), of: found.count)
        }

        lines.append("须核查 to look at:")
        let sectionsStart = lines.count
        // Warnings none of the sections lists (an incomplete sum, a succession) leave no empty heading.
        defer { if lines.count == sectionsStart { lines.removeLast() } }
        try sectionOfProblems("未读取的文件 files not read", kind: .inputTree) { "\($0.file ?? ""): \($0.message)" }
        try sectionOfProblems("未采用的报送值 submitted values not used", kind: .unit) { "\($0.location.map { "\($0): " } ?? "")\($0.message)" }
        // Last year's rosters were listed by last year's build; their warnings stay in problems.csv.
        try sectionOfProblems("有被拒行的名册 rosters with rejected rows", kind: .rejects, onlyThisYear: true) { "\($0.file ?? ""): \($0.message)" }
        try sectionOfProblems("编码有误的名册 rosters in no valid encoding", kind: .encoding) { "\($0.file ?? ""): \($0.message)" }
        try sectionOfProblems("未使用的报送 submissions not used", kind: .unusedSubmission) { "\($0.file ?? ""): \($0.message)" }
        try sectionOfProblems("本版保密而往年已公布 withheld now, published before", kind: .disclosure)
        // A `--chapter` build takes its problems from the target cache, not the comparisons and rule
        // results they were made from: then its sections list those problems.
        if result.comparisons.isEmpty {
            try sectionOfProblems("核对差异 figures that disagree", kind: .reconciliation)
        }
        if result.validation.isEmpty {
            try sectionOfProblems("规则未通过 rules failed", kind: .rule)
        }
        section("核对差异 figures that disagree", result.comparisons.filter(\.exceedsTolerance).sorted { $0.key < $1.key }.map { comparison in
            let key = comparison.key
            let from = comparison.kind == .rosterVersusSubmission ? "roster 名册" : "sum of its areas 下级合计"
            return "\(area(key.area)) · \(indicator(key.indicator)) · \(key.period): \(from) \(comparison.kept.plainDecimal) "
                + "(\(comparison.keptFrom)), submitted 报送 \(comparison.reported.plainDecimal) (\(comparison.reportedFrom)); "
                + "difference 差 \(comparison.difference.plainDecimal), \(comparison.kept.plainDecimal) kept 采用"
        })
        for checked in result.validation where checked.rule.severity == "warning" {
            let rule = checked.rule.description.map { "\(checked.rule.id) \($0.zh) (\($0.en))" } ?? checked.rule.id
            // A year-over-year rule's failure is read with both years' figures.
            let readsLastYear = checked.rule.check?.contains("previous(") ?? false
            let listed = try checked.failures.first(limit) { !consequences.follows($0) }
            section("规则未通过 rule failed: \(rule)", listed.records.map { failure in
                let figures = failure.indicator.map { code in
                    "; \(failure.period) 本年 \(figure(code, failure.area, failure.period)), "
                        + "\(failure.period - 1) 上年 \(figure(code, failure.area, failure.period - 1))"
                } ?? ""
                return "\(area(failure.area))\(failure.indicator.map { " · " + indicator($0) } ?? ""): "
                    + "\(failure.figures)\(readsLastYear ? figures : "")"
            }, of: listed.count)
        }
    }

    /// What the terminal says after the summary: the errors again (the summary must not push the
    /// reason for a failed build out of sight), then whether an edition was published or exists.
    public static func ending(_ result: BuildResult, out: String, chapter: String?, errors limit: Int = 10) throws -> [String] {
        var lines: [String] = []
        try result.problems.forEachError { error in
            if lines.count < limit { lines.append(error.description) }
        }
        let errors = result.problems.errorCount
        if errors > limit { lines.append("… \(errors - limit) more errors above and in reports/problems.csv") }
        let folder = (out as NSString).appendingPathComponent(String(result.year))
        if result.published, let chapter {
            lines.append("regenerated chapter \(chapter): \(result.filesRead) input files read, the others taken from the last build; "
                + "wrote \(result.written.isEmpty ? "nothing (no change)" : result.written.joined(separator: ", ")) in \(folder)/")
        } else if result.published {
            lines.append("wrote \(folder)/: \(result.written.count) files changed (reports in reports/)")
        } else {
            lines.append(unpublished(out: out, year: result.year)
                + (result.failedReports.map { "; the reports of this build are in \($0)/reports/" } ?? ""))
        }
        return lines
    }

    /// A build that published nothing: whether the edition of its year is there as it was, or none exists.
    public static func unpublished(out: String, year: Int?) -> String {
        guard let year else { return "nothing was published" }
        let folder = (out as NSString).appendingPathComponent(String(year))
        guard ((try? Manifest.ofEdition(folder)) ?? nil) != nil else { return "no edition of \(year) exists in \(out): nothing was published" }
        return "nothing published: the edition \(folder)/ is as it was"
    }
}

/// The years and areas the build's errors leave without figures: a year with
/// no input (an error with a period and no area), a subject or county named by
/// an error's area and period, a county whose roster file `<year>/exports/<county>_<roster>.csv.gz`
/// failed. A warning that a figure of such a place (or of an area within it) has
/// no value (an incomplete sum, a completeness rule) follows from the error and says nothing new.
struct ErrorConsequences {
    private var wholeYears: Set<Int> = []
    private var areas: [Int: Set<String>] = [:]
    private let registry: AreaRegistry?

    init(_ problems: ProblemList, registry: AreaRegistry?) throws {
        self.registry = registry
        var wholeYears: Set<Int> = [], areas: [Int: Set<String>] = [:]
        try problems.forEachError { error in
            // A failed check is about figures that are there: it leaves none without input.
            guard error.kind != .rule else { return }
            if let period = error.period {
                if let area = error.area { areas[period, default: []].insert(area) } else { wholeYears.insert(period) }
            } else if let (county, year) = Self.roster(error.file) {
                areas[year, default: []].insert(county)
            }
        }
        self.wholeYears = wholeYears
        self.areas = areas
    }

    var isEmpty: Bool { wholeYears.isEmpty && areas.isEmpty }

    /// The county and year of a roster file's name in the input tree.
    static func roster(_ file: String?) -> (county: String, year: Int)? {
        let parts = file?.split(separator: "/", omittingEmptySubsequences: false) ?? []
        guard parts.count == 3, parts[1] == "exports", let year = Int(parts[0]),
              let (county, _) = InputTree.rosterName(String(parts[2])) else { return nil }
        return (county, year)
    }

    /// Whether a warning only says that a figure an error left without input has no value.
    func follows(_ problem: Problem) -> Bool {
        guard problem.severity == .warning, let period = problem.period, let area = problem.area,
              problem.kind == .incomplete || (problem.kind == .rule && problem.message.hasSuffix(RuleFailure.noValue + ")")) else {
            return false
        }
        return covers(area, period)
    }

    func follows(_ failure: RuleFailure) -> Bool {
        failure.figures.hasSuffix(RuleFailure.noValue) && covers(failure.area, failure.period)
    }

    /// The area or one of its parents (a subject, a county's year) is left without input. A parent's sum that
    /// lacks a failed county is not covered: the warning names every area it lacks, and some may lack no file.
    private func covers(_ area: String, _ period: Int) -> Bool {
        if wholeYears.contains(period) { return true }
        guard let failed = areas[period] else { return false }
        var current: String? = area
        while let code = current {
            if failed.contains(code) { return true }
            current = registry?[code]?.parent
        }
        return false
    }
}
