import Render
import Foundation
import Validate
import YearbookCore

/// Per rule: items checked, passed, failed, missing, and the failing cells.
struct ValidationReport: Encodable {
    struct Failure: Encodable {
        var area: String
        var name: String
        var indicator: String?
        var period: Int
        var figures: String
        var origins: [String]
    }

    struct RuleEntry: Encodable {
        var id: String
        var severity: String
        var description: String
        var check: String
        var checked: Int
        var passed: Int
        var failed: Int
        var missing: Int
        var failures: [Failure]
    }

    var rules: [RuleEntry]

    init(_ result: BuildResult, registry: AreaRegistry) {
        rules = result.validation.map { entry in
            RuleEntry(id: entry.rule.id, severity: entry.rule.severity,
                      description: entry.rule.description.map { "\($0.zh) \($0.en)" } ?? "",
                      check: entry.rule.effectiveKind == .completeness ? "every area reports each indicator" : entry.rule.check ?? "",
                      checked: entry.checked, passed: entry.passed, failed: entry.failed, missing: entry.missing,
                      failures: entry.failures.map {
                          Failure(area: $0.area, name: registry[$0.area].map { "\($0.nameZH) \($0.nameEN)" } ?? "",
                                  indicator: $0.indicator, period: $0.period, figures: $0.figures, origins: $0.origins)
                      })
        }
    }

    var markdown: String {
        var out = "# 数据校验 Validation\n\n"
        out += mdTable(["rule", "severity", "checked", "passed", "failed", "missing"],
                       rules.map { [$0.id, $0.severity, String($0.checked), String($0.passed), String($0.failed), String($0.missing)] },
                       rightAligned: 2)
        for rule in rules {
            out += "\n## \(Escape.markdown(rule.id))\n\n\(Escape.markdown(rule.description))\n\n`\(rule.check.replacingOccurrences(of: "`", with: "'"))`\n\n"
            if rule.failures.isEmpty {
                out += "No failures.\n"
                continue
            }
            out += mdTable(["area", "indicator", "period", "figures", "from"],
                           rule.failures.map { ["\($0.area) \($0.name)", $0.indicator ?? "", String($0.period), $0.figures,
                                                $0.origins.joined(separator: "; ")] }, rightAligned: 9)
        }
        return out
    }
}
