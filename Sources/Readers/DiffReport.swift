import EditionFiles
import Foundation
import YearbookCore

extension EditionDiff {
    public var json: String {
        String(decoding: EditionJSON.encoded(self), as: UTF8.self)
    }

    /// Markdown for a CI job summary or a review comment: the counts first
    /// (what moved, by chapter and by kind), then each section with its
    /// largest changes first; at most `limit` rows a section.
    public func markdown(limit: Int = 50) -> String {
        var out = "# yearbook diff\n\n`\(a)` → `\(b)`: \(alignment).\n"
        if !followed.isEmpty { out += "Areas followed across a change of code: \(followed.joined(separator: "; ")).\n" }
        out += "\n" + (differs ? "**The editions differ.**" : "**No differences.**")
        out += " Tolerance \(tolerance)\(withinTolerance > 0 ? "; \(withinTolerance) differences within it are not listed" : "").\n\n"
        if !changes.isEmpty || !revisions.isEmpty {
            out += "| chapter | figures moved |\n| --- | ---: |\n"
            for (chapter, count) in byChapter { out += "| \(cell(chapter)) | \(count) |\n" }
            out += "\n| what | count |\n| --- | ---: |\n"
            for (kind, label) in Self.kinds {
                let count = (kind == "revised" ? revisions : changes.filter { $0.kind == kind }).count
                if count > 0 { out += "| \(label) | \(count) |\n" }
            }
        }
        func section(_ title: String, _ header: [String], _ rows: [Change], _ cells: (Change) -> [String]) {
            guard !rows.isEmpty else { return }
            out += "\n## \(title)\n\n| " + header.joined(separator: " | ") + " |\n|" + header.map { _ in " --- |" }.joined() + "\n"
            for row in Self.largestFirst(rows).prefix(limit) { out += "| " + cells(row).map(cell).joined(separator: " | ") + " |\n" }
            if rows.count > limit { out += "\n… and \(rows.count - limit) more (see `--json`).\n" }
        }
        let of = { (kind: String) in changes.filter { $0.kind == kind } }
        section("Revised figures (修订)", ["area", "indicator", "period", "A", "B", "difference", "change %", "status A → B", "source A → B"],
                revisions) {
            [$0.area, $0.indicator, $0.period, $0.a, $0.b, $0.difference ?? "", $0.relative ?? "",
             Self.pair($0.statusA, $0.statusB), Self.pair($0.sourceA, $0.sourceB)]
        }
        section("Changed values", ["area", "indicator", "period", "A", "B", "change", "change %"], of("value")) {
            [$0.area, $0.indicator, $0.period, $0.a, $0.b, $0.difference ?? "", $0.relative ?? ""]
        }
        section("Status changes", ["area", "indicator", "period", "A", "B"], of("status")) { [$0.area, $0.indicator, $0.period, $0.a, $0.b] }
        section("Source changes", ["area", "indicator", "period", "A", "B"], of("source")) { [$0.area, $0.indicator, $0.period, $0.a, $0.b] }
        section("Figures only in B", ["area", "indicator", "period", "value"], of("added")) { [$0.area, $0.indicator, $0.period, $0.b] }
        section("Figures only in A", ["area", "indicator", "period", "value"], of("removed")) { [$0.area, $0.indicator, $0.period, $0.a] }
        section("Rank moves", ["indicator", "area", "rank A", "rank B"], of("rank")) { [$0.indicator, $0.area, $0.a, $0.b] }
        section("Chapter table cells", ["chapter", "table", "area", "indicator", "column", "A", "B"], of("cell")) {
            [$0.chapter, $0.table ?? "", $0.area, $0.indicator, $0.column ?? "", $0.a, $0.b]
        }
        let files = filesDiffering.map { ($0, "differs") } + filesOnlyInA.map { ($0, "only in A") } + filesOnlyInB.map { ($0, "only in B") }
        if !files.isEmpty {
            out += "\n## Files\n\n| file | |\n| --- | --- |\n"
            for (file, what) in files.sorted(by: { $0.0 < $1.0 }).prefix(limit) { out += "| \(cell(file)) | \(what) |\n" }
        }
        return out
    }

    /// The largest relative changes first (a change from zero or of a figure that is no number first of all),
    /// then the largest differences; equal ones in the order found.
    static func largestFirst(_ rows: [Change]) -> [Change] {
        func size(_ row: Change) -> (relative: Exact?, difference: Exact) {
            let difference = row.difference.flatMap { Exact(decimal: $0) }?.magnitude ?? .zero
            guard let a = Exact(decimal: row.a), let b = Exact(decimal: row.b) else { return (nil, difference) }
            return ((b - a).magnitude.divided(by: a.magnitude), difference)
        }
        let sized = rows.enumerated().map { (offset: $0.offset, row: $0.element, size: size($0.element)) }
        return sized.sorted { x, y in
            switch (x.size.relative, y.size.relative) {
            case let (p?, q?) where p != q: return q < p
            case (nil, _?): return true
            case (_?, nil): return false
            default: return x.size.difference != y.size.difference ? y.size.difference < x.size.difference : x.offset < y.offset
            }
        }.map(\.row)
    }

    /// `P → A`, or the one value where both are the same.
    static func pair(_ a: String?, _ b: String?) -> String { a == b ? a ?? "" : "\(a ?? "–") → \(b ?? "–")" }

    static let kinds = [("revised", "figures revised (修订)"), ("value", "values changed"), ("status", "statuses changed"), ("source", "sources changed"),
                        ("added", "figures only in B"), ("removed", "figures only in A"), ("rank", "ranks moved"),
                        ("cell", "table cells changed")]

    private func cell(_ text: String) -> String { text.isEmpty ? " " : text.replacingOccurrences(of: "|", with: "\\|") }
}
