extension Comparison {
    /// The reconciliation warning for a difference beyond tolerance, naming both
    /// figures, in Chinese and English; nil within tolerance.
    public func warning(registry: AreaRegistry, names: IndicatorNames) -> Problem? {
        guard exceedsTolerance else { return nil }
        let cell = "\(names.label(key.indicator, .en)) \(key.period) of \(registry.label(key.area, .en))"
        let cellZH = "\(registry.label(key.area, .zh)) \(key.period)年\(names.label(key.indicator, .zh))"
        let gap = "difference \(difference.plainDecimal), tolerance \(tolerance.plainDecimal)"
        let gapZH = "相差\(difference.plainDecimal)，容差\(tolerance.plainDecimal)"
        let message: String, messageZH: String
        switch kind {
        case .rosterVersusSubmission:
            message = "\(cell): roster gives \(kept.plainDecimal), submission reports \(reported.plainDecimal) (\(gap)); the roster's value is kept"
            messageZH = "\(cellZH)：花名册为\(kept.plainDecimal)，报送为\(reported.plainDecimal)（\(gapZH)），采用花名册数"
        case .parentVersusChildren:
            message = "\(cell): sum of its areas \(kept.plainDecimal), submitted total \(reported.plainDecimal) (\(gap)); the sum is kept"
            messageZH = "\(cellZH)：下辖地区合计\(kept.plainDecimal)，上报总数\(reported.plainDecimal)（\(gapZH)），采用合计数"
        }
        let source = kind == .rosterVersusSubmission ? reportedAt : nil
        return .warning(.reconciliation, message, file: source?.file, line: source?.line,
                        area: key.area, indicator: key.indicator, period: key.period, messageZH: messageZH)
    }
}
