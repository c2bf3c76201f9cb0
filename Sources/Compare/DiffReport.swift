import Foundation

extension BuildDiff {
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// Markdown for a CI log or a review comment; at most `limit` rows a section.
    public func markdown(limit: Int = 200) -> String {
        var out = "# yearbook diff\n\n`\(a)` (edition \(editionA)) → `\(b)` (edition \(editionB))"
        if editionA != editionB {
            out += ": aligned by edition, \(editionA) with \(editionB) and \(editionA - 1) with \(editionB - 1)"
        }
        out += "\n\n"
        out += differs ? "**The builds differ.**" : "**No differences.**"
        out += " Tolerance \(tolerance)\(withinTolerance > 0 ? "; \(withinTolerance) differences within it are not listed" : "").\n\n"
        out += "| what | count |\n| --- | ---: |\n"
        for (label, count) in [("changed values", changedValues.count), ("rows added", added.count), ("rows removed", removed.count),
                               ("status changes", statusChanges.count), ("rank moves", rankMoves.count),
                               ("chapter cells", cellChanges.count),
                               ("files differing", files.differing.count + files.onlyInA.count + files.onlyInB.count)] {
            out += "| \(label) | \(count) |\n"
        }
        func section<T>(_ title: String, _ header: [String], _ rows: [T], _ cells: (T) -> [String]) {
            guard !rows.isEmpty else { return }
            out += "\n## \(title)\n\n| " + header.joined(separator: " | ") + " |\n|" + header.map { _ in " --- |" }.joined() + "\n"
            for row in rows.prefix(limit) {
                out += "| " + cells(row).map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n"
            }
            if rows.count > limit { out += "\n… and \(rows.count - limit) more (see `--json`).\n" }
        }
        section("Changed values", ["area", "indicator", "period", "A", "B", "change", "change %"], changedValues) {
            [$0.area, $0.indicator, $0.periodA == $0.periodB ? String($0.periodA) : "\($0.periodA) → \($0.periodB)",
             $0.a, $0.b, $0.difference, $0.relative ?? ""]
        }
        section("Rows added (only in B)", ["area", "indicator", "period", "value", "status"], added) {
            [$0.area, $0.indicator, String($0.period), $0.value, $0.status]
        }
        section("Rows removed (only in A)", ["area", "indicator", "period", "value", "status"], removed) {
            [$0.area, $0.indicator, String($0.period), $0.value, $0.status]
        }
        section("Status changes", ["area", "indicator", "period", "A", "B"], statusChanges) {
            [$0.area, $0.indicator, String($0.periodB), $0.a, $0.b]
        }
        section("Rank moves", ["indicator", "area", "rank A", "rank B"], rankMoves) {
            [$0.indicator, $0.area, $0.rankA.map(String.init) ?? "–", $0.rankB.map(String.init) ?? "–"]
        }
        section("Chapter cells", ["chapter", "table", "row", "column", "A", "B"], cellChanges) {
            [$0.chapter, $0.table, $0.row, String($0.column), $0.a, $0.b]
        }
        let fileRows = files.differing.map { ($0, "differs") } + files.onlyInA.map { ($0, "only in A") } + files.onlyInB.map { ($0, "only in B") }
        section("Files", ["file", ""], fileRows.sorted { $0.0 < $1.0 }) { [$0.0, $0.1] }
        return out
    }
}
