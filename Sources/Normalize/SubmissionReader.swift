import Foundation
import Extract
import YearbookCore

/// One observation of a submission, in base units, before revisions are resolved.
public struct SubmittedObservation: Sendable, Hashable {
    /// REF_AREA as written (a retired code stays as it is until after revisions).
    public var writtenArea: String
    public var indicator: String
    public var period: Int
    /// In the indicator's base unit (after UNIT_MULT); nil when missing.
    public var value: Exact?
    public var status: ObservationStatus
    public var file: String
    public var line: Int
    public var prepared: PreparedTime?
    /// From a `Delete` data set: the cell is removed if this message is the
    /// latest to speak of it; it never carries a value.
    public var deletes = false

    public var location: SourceLocation { SourceLocation(file: file, line: line) }
}

/// What one SDMX message held and what became of its observations.
public struct SubmissionFileResult: Sendable {
    public var file: String
    public var form: SDMXForm
    public var header: SDMXHeader
    public var prepared: PreparedTime?
    public var series: Int
    public var groups: Int
    public var observationsRead: Int
    /// Observations for the two periods the build reads.
    public var observations: [SubmittedObservation]
    /// Observations of other periods, outside this edition.
    public var otherPeriods: Int
    /// Observations set aside with a warning (unknown area or indicator, bad value…).
    public var skipped: Int
    public var problems: [Problem]
    public var bytesOnDisk: Int
    /// SHA-256 of the file as it is on disk.
    public var sha256: String
}

/// Turns an SDMX data message into submitted observations of the yearbook's dataflow.
public struct SubmissionReader {
    public var indicators: [String: Indicator]
    public var registry: AreaRegistry
    /// The periods the build reads (the build year and the year before).
    public var periods: Set<Int>
    public var limits: ReadLimits

    public init(indicators: [String: Indicator], registry: AreaRegistry, periods: Set<Int>, limits: ReadLimits = .standard) {
        self.indicators = indicators
        self.registry = registry
        self.periods = periods
        self.limits = limits
    }

    public func read(path: String, displayName: String, folderYear: Int? = nil) throws -> SubmissionFileResult {
        try read(systemPath: SystemPath(path), displayName: displayName, folderYear: folderYear)
    }

    /// Reads the file by its bytes: its name need not be UTF-8.
    /// `folderYear`, the year of the folder that holds the file: its year before is
    /// in its place (the build of that year reads it), not a misplaced period.
    /// `known`: the file's digest as the build found it (the file is then not read again to be hashed).
    public func read(systemPath path: SystemPath, displayName: String, folderYear: Int? = nil,
                     known: KnownContent? = nil) throws -> SubmissionFileResult {
        var kept: [SubmittedObservation] = []
        var problems: [Problem] = []
        var otherPeriods = 0
        var skipped = 0
        var prepared: PreparedTime?
        var header = SDMXHeader()
        var unused = UnusedObservations()
        /// Set aside without a warning of its own: the file's one warning counts it by reason.
        func setAside(_ reason: UnusedObservations.Reason, code: String? = nil) {
            skipped += 1
            unused.add(reason, code: code)
        }
        func skip(_ message: String, _ messageZH: String, line: Int, area: String? = nil, indicator: String? = nil,
                  period: Int? = nil) {
            skipped += 1
            unused.add(.setAside)
            problems.append(.warning(.submission, message, file: displayName, line: line,
                                     area: area, indicator: indicator, period: period, messageZH: messageZH))
        }
        let reader = SDMXReader(name: path.description, limits: limits) { [limits] in
            try openByteStream(systemPath: path, limits: limits)
        }
        let summary: SDMXSummary
        do {
            summary = try reader.read(onHeader: { h in
                header = h
                if let text = h.prepared {
                    prepared = PreparedTime(text.trimmingASCIISpaces)
                    if prepared == nil {
                        problems.append(.warning(.submission, "Header/Prepared '\(text)' is not an ISO 8601 time; the message counts as the oldest",
                                                 file: displayName, messageZH: "Header/Prepared '\(text)' 不是 ISO 8601 时间，该报文视为最早"))
                    }
                } else {
                    problems.append(.warning(.submission, "no Header/Prepared; the message counts as the oldest", file: displayName,
                                             messageZH: "无 Header/Prepared，该报文视为最早"))
                }
            }, onObservation: { obs in
                let c = obs.components
                let line = obs.line
                if let freq = c["FREQ"], freq != "A" {
                    setAside(.notAnnual, code: freq)
                    return
                }
                guard let timeText = c["TIME_PERIOD"], timeText.count == 4, let period = Int(timeText) else {
                    setAside(.notAYear, code: c["TIME_PERIOD"] ?? "(none)")
                    return
                }
                guard periods.contains(period) else {
                    otherPeriods += 1
                    unused.add(folderYear.map { $0 - 1 == period } == true ? .folderPeriod : .otherPeriod, code: timeText)
                    return
                }
                guard let area = c["REF_AREA"], !area.isEmpty else {
                    setAside(.noArea)
                    return
                }
                guard let code = c["INDICATOR"], !code.isEmpty else {
                    setAside(.noIndicator)
                    return
                }
                guard let indicator = indicators[code] else {
                    setAside(.unknownIndicator, code: code)
                    return
                }
                if indicator.source == .derived {
                    skip("\(indicator.label(.en)) is derived: the yearbook computes it from its operands; the submitted value is not used",
                         "\(indicator.label(.zh)) 是派生指标，由年鉴据其构成指标计算，报送值未采用", line: line, area: area, indicator: code, period: period)
                    return
                }
                guard registry[area] != nil else {
                    setAside(.unknownArea, code: area)
                    return
                }
                if obs.action == .delete {
                    kept.append(SubmittedObservation(writtenArea: area, indicator: code, period: period, value: nil,
                                                     status: .M, file: displayName, line: line, prepared: prepared,
                                                     deletes: true))
                    return
                }
                // Append and Replace name the cells they set: in the revision contest both
                // are the message's figures. Information asks a receiving database to
                // change nothing (data sent for information), but the yearbook keeps no
                // database: it reads what each message reports, so an Information data
                // set's figures compete like any other (every sample submission is one).
                var multiplier = 0
                if let text = c["UNIT_MULT"] {
                    guard let power = Int(text.trimmingASCIISpaces), (-12...12).contains(power) else {
                        skip("UNIT_MULT '\(text)' is not a power of ten from -12 to 12; observation skipped",
                             "UNIT_MULT '\(text)' 不是 -12 至 12 的十的幂次，观测值跳过", line: line, area: area, indicator: code, period: period)
                        return
                    }
                    multiplier = power
                }
                var value: Exact?
                if let text = obs.value?.trimmingASCIISpaces, !text.isEmpty, text != "NaN" {
                    switch Exact.read(decimal: text) {
                    case .value(let number):
                        value = number.timesPowerOfTen(multiplier)
                    case .outOfRange:
                        skip("OBS_VALUE '\(text.prefix(40))\(text.count > 40 ? "…" : "")' has more than \(Exact.maximumDigits) significant digits or an exponent beyond ±\(Exact.maximumExponent); observation skipped",
                             "OBS_VALUE '\(text.prefix(40))\(text.count > 40 ? "…" : "")' 有效数字超过\(Exact.maximumDigits)位或指数超出 ±\(Exact.maximumExponent)，观测值跳过",
                             line: line, area: area, indicator: code, period: period)
                        return
                    case .notANumber:
                        skip("OBS_VALUE '\(text)' is not a number; observation skipped", "OBS_VALUE '\(text)' 不是数值，观测值跳过",
                             line: line, area: area, indicator: code, period: period)
                        return
                    }
                }
                var status: ObservationStatus = value == nil ? .M : .A
                if let text = c["OBS_STATUS"] {
                    guard let given = ObservationStatus(rawValue: text.uppercased()) else {
                        skip("OBS_STATUS '\(text)' is not A, P, E or M; observation skipped", "OBS_STATUS '\(text)' 不是 A、P、E 或 M，观测值跳过",
                             line: line, area: area, indicator: code, period: period)
                        return
                    }
                    status = given
                }
                if status == .M { value = nil } else if value == nil { status = .M }
                if let value, let problem = Self.unitProblem(value, written: obs.value?.trimmingASCIISpaces ?? "", multiplier: multiplier,
                                                             indicator: indicator, file: displayName, line: line, area: area, period: period) {
                    skipped += 1
                    problems.append(problem)
                    return
                }
                kept.append(SubmittedObservation(writtenArea: area, indicator: code, period: period, value: value,
                                                 status: status, file: displayName, line: line, prepared: prepared))
            })
        } catch let error as YearbookError where error.code == .input {
            throw error.naming(file: displayName)
        }
        // An error message has no header to date it; its one error says what matters.
        if summary.form == .error { problems = [] }
        problems += Self.agencyProblems(summary, file: displayName)
        if let warning = unused.problem(file: displayName, observationsRead: summary.observations, periods: periods,
                                           folderYear: folderYear) {
            problems.append(warning)
        }
        return SubmissionFileResult(file: displayName, form: summary.form, header: header, prepared: prepared,
                                    series: summary.series, groups: summary.groups,
                                    observationsRead: summary.observations, observations: kept,
                                    otherPeriods: otherPeriods, skipped: skipped, problems: problems,
                                    bytesOnDisk: (try? POSIX.stat(path)).map { Int($0.st_size) } ?? 0,
                                    sha256: try digest(path, known: known))
    }

    /// The file's digest: the known one while the file is still the one hashed (an error when it is not), else read.
    private func digest(_ path: SystemPath, known: KnownContent?) throws -> String {
        guard let known else { return (try? FileByteStream.digest(systemPath: path)) ?? "" }
        guard (try? POSIX.stamp(path)) == known.stamp else { throw known.changed(path.description) }
        return known.digest
    }

    /// An agency's own words (a footer or an error message), quoted. A message
    /// that brings no data (an error message, a data message without a data
    /// set) is an error: the figures it stands in for would be missing in print.
    static func agencyProblems(_ summary: SDMXSummary, file: String) -> [Problem] {
        let quoted = summary.agencyMessages.map { message -> String in
            let said = [message.code.map { "code \($0)" }, message.severity].compactMap { $0 }.joined(separator: ", ")
            return (message.text.isEmpty ? "(no text)" : "\"\(message.text)\"") + (said.isEmpty ? "" : " (\(said))")
        }
        let fix = "the figures it should bring are missing: ask the sender for the data message and put it in submissions/ in place of this file"
        let fixZH = "其应报数据缺失：请向报送方索取数据报文，替换 submissions/ 中的此文件"
        if summary.form == .error {
            let said = quoted.isEmpty ? "no ErrorMessage" : quoted.joined(separator: "; ")
            return [.error(.notData, "an SDMX error message, not data: the sender answered \(said); \(fix)", file: file,
                           messageZH: "SDMX 错误消息，不是数据：报送方答复 \(said)；\(fixZH)")]
        }
        if summary.dataSets == 0 {
            let said = quoted.isEmpty ? "" : ", only the sender's footer: \(quoted.joined(separator: "; "))"
            let saidZH = quoted.isEmpty ? "" : "，只有报送方的尾部消息：\(quoted.joined(separator: "；"))"
            return [.error(.notData, "a data message without a data set\(said); \(fix)", file: file,
                           messageZH: "数据报文不含数据集\(saidZH)；\(fixZH)")]
        }
        var problems = quoted.map { quoted -> Problem in
            .warning(.agencyMessage, "a footer message from the sender: \(quoted)", file: file,
                     messageZH: "报文尾部消息：\(quoted)")
        }
        if summary.seriesDeletedWhole > 0 {
            problems.append(.warning(
                .submission,
                "\(summary.seriesDeletedWhole) series of a Delete data set name no observation (a whole-series delete): the yearbook deletes only the observations a message names, so these delete nothing",
                file: file,
                messageZH: "删除数据集中有\(summary.seriesDeletedWhole)个序列未列出观测值（整序列删除）：年鉴只删除报文列出的观测值，这些序列未删除任何数据"))
        }
        if summary.observations == 0 && summary.seriesDeletedWhole == 0 {
            problems.append(.warning(.unusedSubmission, "its data sets hold no observation: nothing of it is used; if figures were meant, ask the sender for them",
                                     file: file, messageZH: "报文的数据集不含观测值，未使用任何数据；如应有数据，请向报送方索取"))
        }
        return problems
    }
}
