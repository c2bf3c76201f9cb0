import Foundation
import Extract
import YearbookCore

/// How many of a file's rows were rejected for each kind of reason, with the
/// first row of each kind as an example. Kinds are reasons without their
/// values, so their number is bounded by the schema, not by the rows; past
/// `mostKinds` the rest are counted together.
public struct RejectTally: Sendable {
    public struct Reason: Sendable, Hashable {
        /// The reason without the values it names (`duplicate household_id '…'`).
        public var kind: String
        public var count: Int
        /// The first row rejected for it, and its reason as written.
        public var line: Int
        public var example: String
    }

    public private(set) var reasons: [Reason] = []
    private var index: [String: Int] = [:]
    static let mostKinds = 32
    static let otherKinds = "other reasons"

    public init() {}

    public init(reasons: [Reason]) {
        for reason in reasons {
            index[reason.kind] = self.reasons.count
            self.reasons.append(reason)
        }
    }

    /// The last reason and its kind: a broken file repeats one reason row after row.
    private var last: (reason: String, kind: String)?

    mutating func add(line: Int, reason: String) {
        var kind = last?.reason == reason ? last!.kind : RejectTally.kind(of: reason)
        last = (reason, kind)
        if index[kind] == nil, reasons.count >= RejectTally.mostKinds { kind = RejectTally.otherKinds }
        if let known = index[kind] {
            reasons[known].count += 1
        } else {
            index[kind] = reasons.count
            reasons.append(Reason(kind: kind, count: 1, line: line, example: reason))
        }
    }

    /// The most frequent first (then the earliest).
    public var leading: [Reason] {
        reasons.sorted { $0.count != $1.count ? $0.count > $1.count : $0.line < $1.line }
    }

    /// A reason with each quoted value as `'…'` and without the line of a first occurrence.
    static func kind(of reason: String) -> String {
        reason.split(separator: "; ", omittingEmptySubsequences: false).map { part -> String in
            var text = Substring(part)
            if let cut = text.range(of: " (first on line ") { text = text[..<cut.lowerBound] }
            // A value is quoted after a space and closed before a space or the end: "file's" is no quote.
            let characters = Array(text)
            var kind = "", quoted = false
            for (index, character) in characters.enumerated() {
                if !quoted, character == "'", index == 0 || characters[index - 1] == " " {
                    quoted = true
                    kind += "'…"
                } else if quoted, character == "'", index + 1 == characters.count || characters[index + 1] == " " {
                    quoted = false
                    kind += "'"
                } else if !quoted {
                    kind.append(character)
                }
            }
            return kind + (quoted ? "'" : "")
        }.joined(separator: "; ")
    }
}

/// A roster is judged as a whole file: rows rejected beyond the share the
/// definition allows, or every row rejected, make the file broken (an error:
/// none of the county's figures may come from what is left of it); fewer
/// rejected rows are a warning naming the file. Each problem names the file's
/// county and year, so that the figures that depend on it can be told.
public enum RosterJudgement {
    /// The share of rejected rows a file may have when the definition sets none.
    public static let defaultMaxRejectedShare = Exact(numerator: 1, denominator: 10)
    /// Where the definition sets it.
    public static let definitionKey = "rosters.max_rejected_share"

    /// A share written as a percentage from 0% to 100% (`10%`, `2.5%`); nil for anything else.
    public static func share(percentage text: String) -> Exact? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasSuffix("%"), let percent = Exact(decimal: String(trimmed.dropLast()).trimmingCharacters(in: .whitespaces)),
              !percent.isNegative, !(Exact(100) < percent) else { return nil }
        return percent.divided(by: Exact(100))
    }

    /// `10%`: a share as the definition writes it.
    public static func percentage(_ share: Exact) -> String { "\((share * Exact(100)).plainDecimal)%" }

    /// The file's judgement: an error, a warning, or nothing when no row was rejected.
    public static func problems(_ file: RosterFileResult, maxRejectedShare: Exact) -> [Problem] {
        let rejected = file.rejected
        guard rejected > 0, file.rowsRead > 0 else { return [] }
        let share = Exact(rejected).divided(by: Exact(file.rowsRead))!
        let shareText = "\((share * Exact(100)).formatted(decimals: 2))%"
        let leading = file.rejectTally.leading
        func listed(_ reason: RejectTally.Reason) -> String {
            "\(reason.count) × \(reason.kind) (first: line \(reason.line), \(reason.example))"
        }
        let broken = file.accepted == 0 || maxRejectedShare < share
        guard broken else {
            let reason = leading.first.map { "; leading reason: \(listed($0))" } ?? ""
            let reasonZH = leading.first.map { "；主要原因：\(listed($0))" } ?? ""
            return [.warning(.rejects, "\(rejected) of \(file.rowsRead) rows (\(shareText)) rejected\(reason); every rejected row is in reports/rejects.csv",
                             file: file.file, area: file.county, period: file.year,
                             messageZH: "\(file.rowsRead) 行中 \(rejected) 行被拒（\(shareText)）\(reasonZH)；被拒的行全部列在 reports/rejects.csv")]
        }
        let limit = percentage(maxRejectedShare)
        let why = file.accepted == 0 ? "no row was accepted" : "more than the \(limit) the definition allows (\(definitionKey))"
        let whyZH = file.accepted == 0 ? "没有一行被接受" : "超过定义允许的 \(limit)（\(definitionKey)）"
        let reasons = leading.prefix(3).map(listed).joined(separator: "; ")
        let cause = likelyCause(file, leading: leading)
        return [.error(.rejects, "\(rejected) of \(file.rowsRead) rows (\(shareText)) rejected, \(why): the file is judged broken and "
                       + "none of its figures are used (nothing is published). Most frequent reasons: \(reasons). "
                       + "Likely cause: \(cause.en). Every rejected row is in reports/rejects.csv",
                       file: file.file, area: file.county, period: file.year,
                       messageZH: "\(file.rowsRead) 行中 \(rejected) 行被拒（\(shareText)），\(whyZH)：该文件判定为损坏，其数据一概不用（不发布）。"
                       + "最常见的原因：\(reasons)。可能的原因：\(cause.zh)。被拒的行全部列在 reports/rejects.csv")]
    }

    /// What most likely broke the file, in words a statistician can act on, with the fix.
    static func likelyCause(_ file: RosterFileResult, leading: [RejectTally.Reason]) -> (en: String, zh: String) {
        for reason in leading.prefix(3) {
            for part in reason.example.split(separator: "; ") where part.hasPrefix("duplicate ") {
                guard let open = part.firstIndex(of: "'"), let close = part.lastIndex(of: "'"), open < close else { continue }
                let id = String(part[part.index(after: open)..<close])
                if looksRewrittenBySpreadsheet(id) {
                    return ("the ids look like numbers a spreadsheet rewrote (\(id)): export the roster again from the county system, "
                            + "or format the id column as text before saving it as CSV",
                            "编号像是被电子表格改写成了数字（\(id)）：请从县级系统重新导出名册，或在另存为 CSV 之前把编号列设为文本格式")
                }
            }
        }
        let top = leading.first?.kind ?? ""
        if top.contains(" is not valid ") {
            return ("its text is not valid \(file.encoding.rawValue), the encoding it was read in: save the file as \"CSV UTF-8\"",
                    "文本不是有效的 \(file.encoding.rawValue)（读取所用的编码）：请将文件另存为“CSV UTF-8”")
        }
        if top.contains("is neither the file's county") {
            return ("the rows are of another county than \(file.county), the one the file is named after: "
                    + "check that the file name's county code is the rows' area_code",
                    "行的区划代码不是文件名所示的县 \(file.county)：请核对文件名中的区划代码与各行的 area_code")
        }
        if top.hasPrefix("unknown ") {
            return ("the file's words for category, status or care mode are not the ones the data contract lists: "
                    + "check the county system's export settings",
                    "文件中城乡类别、状态或供养方式的用词不是数据规范所列的：请检查县级系统的导出设置")
        }
        return ("the export does not follow the data contract's rules for this roster: check the county system's export",
                "导出文件不符合数据规范对该名册的要求：请检查县级系统的导出")
    }

    /// `4.30202E+12`: what a spreadsheet makes of a long number it was not told is text.
    static func looksRewrittenBySpreadsheet(_ id: String) -> Bool {
        let parts = id.uppercased().split(separator: "E", omittingEmptySubsequences: false)
        guard parts.count == 2, var exponent = Optional(parts[1]), !parts[0].isEmpty else { return false }
        if exponent.first == "+" || exponent.first == "-" { exponent = exponent.dropFirst() }
        let mantissa = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        return !exponent.isEmpty && exponent.allSatisfy(\.isASCIIDigit) && mantissa.count <= 2
            && mantissa.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
