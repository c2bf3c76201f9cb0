import Validate
import YearbookCore

/// What the terminal says after a build, beyond the errors: the accounting,
/// the warnings grouped by kind with counts, and then the ones a statistician
/// must act on (files not read, figures that disagree, rules that fail),
/// in Chinese and English with names beside codes. A few of each; the rest
/// are in `reports/problems.csv`.
public struct BuildSummary: Sendable {
    public var lines: [String] = []

    /// How each kind of warning reads.
    static let kindNames = [
        "incomplete": "不完整 incomplete", "rule": "规则未通过 rule failed", "reconciliation": "核对差异 reconciliation",
        "succession": "区划变更 succession", "input-tree": "未读取的文件 file not read", "conflict": "冲突 conflict",
        "revision": "修订 revision", "roster": "名册 roster", "spool": "未能暂存到磁盘 not spooled to disk",
        "submission": "报送 submission", "unreadable": "无法读取 unreadable",
        "rejects": "名册行被拒 roster rows rejected", "encoding": "编码 encoding",
    ]

    /// Throws only when a spooled problem or rule failure cannot be read back.
    public init(_ result: BuildResult, definition: PipelineDefinition?, registry: AreaRegistry?, perSection limit: Int = 10) throws {
        let counts = result.counts
        lines.append("yearbook \(result.year): \(counts.rosterFiles) roster files, \(counts.rowsRead) rows = \(counts.accepted) accepted + "
            + "\(counts.inactive) inactive + \(counts.rejected) rejected; \(counts.submissionFiles) submissions, "
            + "\(counts.observationsRead) observations; "
            + "\(result.problems.errorCount) errors, \(result.problems.warningCount) warnings")
        guard result.problems.warningCount > 0 else { return }

        let byKind = result.problems.warningKinds.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        lines.append("警告 warnings: " + byKind.map { "\($0.value) \(Self.kindNames[$0.key] ?? $0.key)" }.joined(separator: ", "))

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
        func sectionOfProblems(_ title: String, kind: String, line: (Problem) -> String = { $0.message }) throws {
            let found = try result.problems.first(limit) { $0.severity == .warning && $0.kind == kind }
            section(title, found.problems.map(line), of: found.count)
        }

        lines.append("须核查 to look at:")
        try sectionOfProblems("未读取的文件 files not read", kind: "input-tree") { "\($0.file ?? ""): \($0.message)" }
        try sectionOfProblems("有被拒行的名册 rosters with rejected rows", kind: "rejects") { "\($0.file ?? ""): \($0.message)" }
        try sectionOfProblems("编码有误的名册 rosters in no valid encoding", kind: "encoding") { "\($0.file ?? ""): \($0.message)" }
        // A `--chapter` build takes its problems from the target cache, not the comparisons and rule
        // results they were made from: then its sections list those problems.
        if result.comparisons.isEmpty {
            try sectionOfProblems("核对差异 figures that disagree", kind: "reconciliation")
        }
        if result.validation.isEmpty {
            try sectionOfProblems("规则未通过 rules failed", kind: "rule")
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
            section("规则未通过 rule failed: \(rule)", try checked.failures.first(limit).map { failure in
                let figures = failure.indicator.map { code in
                    "; \(failure.period) 本年 \(figure(code, failure.area, failure.period)), "
                        + "\(failure.period - 1) 上年 \(figure(code, failure.area, failure.period - 1))"
                } ?? ""
                return "\(area(failure.area))\(failure.indicator.map { " · " + indicator($0) } ?? ""): "
                    + "\(failure.figures)\(readsLastYear ? figures : "")"
            }, of: checked.failures.count)
        }
    }
}
