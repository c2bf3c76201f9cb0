import EditionFiles
import Foundation
import Render
import Validate
import YearbookCore

/// Per rule: items checked, passed, failed, missing, and the failing cells.
/// Written straight from the rules' results: a national build can list tens
/// of thousands of failing cells, and no copy of them is made.
struct ValidationReport {
    var results: [RuleResult]
    var registry: AreaRegistry

    init(_ result: StageResults, registry: AreaRegistry) {
        results = result.validation
        self.registry = registry
    }

    func description(_ rule: Rule) -> String { rule.description.map { "\($0.zh) \($0.en)" } ?? "" }

    func check(_ rule: Rule) -> String {
        rule.effectiveKind == .completeness ? "every area reports each indicator" : rule.check ?? ""
    }

    /// An area's names, as a failing cell is listed with them.
    func name(_ area: String) -> String { registry[area].map { "\($0.nameZH) \($0.nameEN)" } ?? "" }

    /// The report as JSON in a file, written in bounded pieces (a national build fails tens of thousands of cells).
    func writeJSON(to path: SystemPath) throws {
        let file = try BufferedFileWriter(creating: path)
        var out = JSONText()
        out.open("{")
        out.open("[", key: "rules")
        for result in results {
            out.open("{")
            out.string("check", check(result.rule))
            out.int("checked", result.checked)
            out.string("description", description(result.rule))
            out.int("failed", result.failed)
            out.open("[", key: "failures")
            try result.failures.forEach { failure in
                out.open("{")
                out.string("area", failure.area)
                out.string("figures", failure.figures)
                if let indicator = failure.indicator { out.string("indicator", indicator) }
                out.string("name", name(failure.area))
                out.open("[", key: "origins")
                for origin in failure.origins { out.element(RuleFailure.text(origin)) }
                out.close("]")
                out.int("period", failure.period)
                out.close("}")
                if out.bytes.count >= BufferedFileWriter.bufferSize { try file.write(out.takeBytes()) }
            }
            out.close("]")
            out.string("id", result.rule.id)
            out.int("missing", result.missing)
            out.int("passed", result.passed)
            out.string("severity", result.rule.severity)
            out.close("}")
        }
        out.close("]")
        out.close("}")
        try file.write(out.ended())
        try file.close()
    }

    /// The report as Markdown in a file, written in bounded pieces.
    func writeMarkdown(to path: SystemPath) throws {
        let file = try BufferedFileWriter(creating: path)
        var out = Array("# 数据校验 Validation\n\n".utf8)
        out += Array(mdTable(["rule", "severity", "checked", "passed", "failed", "missing"],
                             results.map { [$0.rule.id, $0.rule.severity, String($0.checked), String($0.passed), String($0.failed),
                                            String($0.missing)] }, leftAligned: 2).utf8)
        for result in results {
            out += Array("\n## \(Escape.markdown(result.rule.id))\n\n\(Escape.markdown(description(result.rule)))\n\n`\(check(result.rule).replacingOccurrences(of: "`", with: "'"))`\n\n".utf8)
            if result.failures.isEmpty {
                out += Array("No failures.\n".utf8)
                continue
            }
            out += Array("| area | indicator | period | figures | from |\n| --- | --- | --- | --- | --- |\n".utf8)
            try result.failures.forEach { failure in
                let cells = ["\(failure.area) \(name(failure.area))", failure.indicator ?? "", String(failure.period), failure.figures,
                             failure.origins.map(RuleFailure.text).joined(separator: "; ")]
                out += Array(("| " + cells.map(mdCell).joined(separator: " | ") + " |\n").utf8)
                if out.count >= BufferedFileWriter.bufferSize {
                    try file.write(out)
                    out.removeAll(keepingCapacity: true)
                }
            }
        }
        try file.write(out)
        try file.close()
    }
}
