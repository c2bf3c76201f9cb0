import YearbookCore

/// Why observations of one submission are not used, with the codes behind
/// each reason: one warning per file says them all, so a file of another year
/// or another dataflow is never read and dropped in silence, and a foreign file
/// is one warning, not one per observation.
struct UnusedObservations {
    enum Reason: CaseIterable {
        case notAnnual, notAYear, otherPeriod, noArea, noIndicator, unknownIndicator, unknownArea
        /// The year before the year of the file's folder: that year's build reads it, this one need not.
        case folderPeriod
        /// Set aside with a warning of its own line (a bad value, unit, status, a derived indicator).
        case setAside
    }

    private struct Tally {
        var observations = 0
        var codes: Set<String> = []
        /// More distinct codes than are kept: memory must not grow with the file.
        var codesOverflowed = false
    }

    static let codesKept = 1000
    static let codesShown = 5

    private var tallies: [Reason: Tally] = [:]
    private(set) var count = 0

    mutating func add(_ reason: Reason, code: String? = nil) {
        count += 1
        var tally = tallies[reason] ?? Tally()
        tally.observations += 1
        if let written = code {
            // A foreign file's code can be any text: a few characters name it.
            let code = written.count > 40 ? String(written.prefix(40)) + "…" : written
            if tally.codes.count < Self.codesKept { tally.codes.insert(code) } else if !tally.codes.contains(code) { tally.codesOverflowed = true }
        }
        tallies[reason] = tally
    }

    /// One warning naming the file and each reason with its count; nil when
    /// every observation is used, or when those not used were each warned by
    /// line. When none is used, its kind is `unused-submission`, which the
    /// terminal lists under "to look at".
    func problem(file: String, observationsRead: Int, periods: Set<Int>, folderYear: Int?) -> Problem? {
        let none = count >= observationsRead
        // Observations each warned by their line need no second word, unless the file is of no use at all;
        // those of its own folder's year before are in their place.
        let worded = tallies.keys.contains { $0 != .setAside && $0 != .folderPeriod } || (none && tallies[.setAside] != nil)
        guard count > 0, worded else { return nil }
        var english: [String] = [], chinese: [String] = []
        for reason in Reason.allCases {
            guard let tally = tallies[reason] else { continue }
            let n = tally.observations
            let codes = Self.list(tally, chinese: false), codesZH = Self.list(tally, chinese: true)
            switch reason {
            case .notAnnual:
                english.append("\(n) not annual (FREQ \(codes))"); chinese.append("\(n)个非年度（FREQ \(codesZH)）")
            case .notAYear:
                english.append("\(n) with a TIME_PERIOD that is not a year YYYY (\(codes))")
                chinese.append("\(n)个 TIME_PERIOD 不是年份 YYYY（\(codesZH)）")
            case .otherPeriod:
                english.append("\(n) of other periods: \(codes)"); chinese.append("\(n)个属其他时期：\(codesZH)")
            case .noArea:
                english.append("\(n) without REF_AREA"); chinese.append("\(n)个无 REF_AREA")
            case .noIndicator:
                english.append("\(n) without INDICATOR"); chinese.append("\(n)个无 INDICATOR")
            case .unknownIndicator:
                english.append("\(n) of indicators not in indicators.csv: \(codes)"); chinese.append("\(n)个指标不在 indicators.csv 中：\(codesZH)")
            case .unknownArea:
                english.append("\(n) of areas not in areas.csv: \(codes)"); chinese.append("\(n)个区划不在 areas.csv 中：\(codesZH)")
            case .folderPeriod:
                let build = folderYear.map(String.init) ?? "?"
                english.append("\(n) of \(codes), read by the build of its folder's year \(build)")
                chinese.append("\(n)个属\(codesZH)年，由其所在文件夹的\(build)年汇编读取")
            case .setAside:
                english.append("\(n) set aside, each with its own warning"); chinese.append("\(n)个因其他问题跳过（各有警告）")
            }
        }
        let read = periods.sorted().map(String.init)
        let what = none ? (observationsRead == 1 ? "its one observation is not used" : "none of its \(observationsRead) observations is used")
            : "\(count) of its \(observationsRead) observations are not used"
        let whatZH = none ? (observationsRead == 1 ? "报文唯一的观测值未使用" : "报文的\(observationsRead)个观测值均未使用") : "报文的\(observationsRead)个观测值中有\(count)个未使用"
        let fix = "the build reads the periods \(read.joined(separator: " and ")) and the codes of indicators.csv and areas.csv: "
            + "move a file of another year or another dataflow out of submissions/, or correct its codes"
        let fixZH = "本次汇编只读取\(read.joined(separator: "、"))年的数据及 indicators.csv、areas.csv 中的代码："
            + "其他年份或其他数据流的文件请移出 submissions/，代码有误请更正"
        return .warning(none ? .unusedSubmission : .submission,
                        "\(what): \(english.joined(separator: "; ")); \(fix)", file: file,
                        messageZH: "\(whatZH)：\(chinese.joined(separator: "；"))；\(fixZH)")
    }

    /// The first few codes in order, then how many there are in all.
    private static func list(_ tally: Tally, chinese: Bool) -> String {
        let sorted = tally.codes.sorted()
        guard sorted.count > codesShown || tally.codesOverflowed else { return sorted.joined(separator: ", ") }
        let first = sorted.prefix(codesShown).joined(separator: ", ")
        if chinese { return first + " 等" + (tally.codesOverflowed ? "超过\(codesKept)" : "\(sorted.count)") + "个" }
        return first + " … (" + (tally.codesOverflowed ? "more than \(codesKept)" : "\(sorted.count)") + " in all)"
    }
}
