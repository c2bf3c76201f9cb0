import YearbookCore

extension SubmissionReader {
    /// A submitted figure its unit cannot hold (`UnitBound`), as the warning that sets the
    /// observation aside; nil when the unit admits it. `value` is in the base unit, after
    /// `UNIT_MULT`; `written` is OBS_VALUE as the message gives it.
    static func unitProblem(_ value: Exact, written: String, multiplier: Int, indicator: Indicator,
                            file: String, line: Int, area: String, period: Int) -> Problem? {
        let unit = indicator.unit
        guard let reason = UnitBound.bound(forUnit: unit).violation(of: value, unit: unit) else { return nil }
        let figure = shortened(value.plainDecimal)
        let asWritten = multiplier == 0 ? "" : " (OBS_VALUE \(shortened(written)) × 10^\(multiplier) by UNIT_MULT)"
        let asWrittenZH = multiplier == 0 ? "" : "（OBS_VALUE \(shortened(written)) × 10^\(multiplier)，UNIT_MULT 换算）"
        return .warning(
            .unit,
            "\(indicator.code) \(figure) \(unit)\(asWritten) \(reason.en); observation not used: correct OBS_VALUE or UNIT_MULT and submit again",
            file: file, line: line, area: area, indicator: indicator.code, period: period,
            messageZH: "\(indicator.code) \(figure) \(unit)\(asWrittenZH)\(reason.zh)；观测值未采用：请更正 OBS_VALUE 或 UNIT_MULT 后重新报送")
    }

    /// A figure of up to 60 characters as it is; a longer one cut, with `…`.
    private static func shortened(_ text: String) -> String {
        text.count > 60 ? text.prefix(60) + "…" : text
    }
}
