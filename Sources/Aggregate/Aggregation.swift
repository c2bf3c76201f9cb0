import YearbookCore

/// Rolls additive indicators up the area hierarchy and computes derived
/// indicators at every level (contract section 5).
public enum Aggregation {
    public struct Result: Sendable {
        /// Every level, every source, for the periods aggregated.
        public var observations: [ObservationKey: Observation]
        /// Submitted parent totals checked against the sum of their children.
        public var comparisons: [Comparison]
        public var problems: [Problem]
        /// The active roster rows behind each roster figure, at every level (a parent's are its children's).
        public var units: [ObservationKey: Int]

        public init(observations: [ObservationKey: Observation], comparisons: [Comparison], problems: [Problem],
                    units: [ObservationKey: Int] = [:]) {
            self.observations = observations
            self.comparisons = comparisons
            self.problems = problems
            self.units = units
        }
    }

    public static func run(base: [ObservationKey: Observation], units baseUnits: [ObservationKey: Int] = [:], indicators: [Indicator],
                           registry: AreaRegistry, periods: [Int]) throws -> Result {
        var observations = base
        var units = baseUnits
        var comparisons: [Comparison] = []
        var problems: [Problem] = []
        var incomplete: [Incomplete] = []
        let derived = try derivedInOrder(indicators)
        let depth = Dictionary(uniqueKeysWithValues: registry.codes.map { ($0, registry.depth(of: $0)) })
        for period in periods {
            // Deepest areas first, so children are settled before their parents.
            let order = registry.codes.filter { registry[$0]!.isValid(in: period) }.sorted { a, b in
                depth[a]! != depth[b]! ? depth[a]! > depth[b]! : a < b
            }
            let parents = order.compactMap { code -> (String, [String])? in
                let children = registry.children(of: code, in: period)
                return children.isEmpty ? nil : (code, children)
            }
            for indicator in indicators where indicator.additive && indicator.source != .derived {
                rollUp(indicator: indicator.code, period: period, parents: parents,
                       observations: &observations, comparisons: &comparisons, incomplete: &incomplete)
            }
            for indicator in indicators where indicator.roster != nil {
                rollUpUnits(indicator: indicator.code, period: period, parents: parents, observations: observations, units: &units)
            }
            for (indicator, formula) in derived {
                for code in registry.codes {
                    let key = ObservationKey(area: code, indicator: indicator.code, period: period)
                    // A derived indicator is never taken from an input: it is computed here.
                    observations[key] = nil
                    var statuses: [ObservationStatus] = []
                    let value = formula.evaluate { operand in
                        guard let observation = observations[ObservationKey(area: code, indicator: operand, period: period)],
                              let value = observation.usableValue else { return nil }
                        statuses.append(observation.status)
                        return value
                    }
                    if let value {
                        observations[key] = Observation(key: key, value: value, status: .combined(statuses), source: .derived)
                    }
                }
            }
        }
        let names = IndicatorNames(indicators)
        problems += incompleteProblems(incomplete, registry: registry, names: names)
        let sorted = comparisons.sorted { $0.key < $1.key }
        // A submitted parent total that the sum of its areas contradicts: worded here, where it is found.
        problems += sorted.compactMap { $0.warning(registry: registry, names: names) }
        return Result(observations: observations, comparisons: sorted, problems: problems, units: units)
    }

    /// A parent summed from its children is counted from their rows: known only where every child's are
    /// (a child's submitted figure has no rows behind it that the build can count).
    static func rollUpUnits(indicator: String, period: Int, parents: [(String, [String])],
                            observations: [ObservationKey: Observation], units: inout [ObservationKey: Int]) {
        for (code, children) in parents {
            let key = ObservationKey(area: code, indicator: indicator, period: period)
            guard observations[key]?.source == .aggregated else { continue }
            var sum = 0
            for child in children {
                guard let count = units[ObservationKey(area: child, indicator: indicator, period: period)] else {
                    sum = -1
                    break
                }
                sum += count
            }
            if sum >= 0 { units[key] = sum }
        }
    }

    /// A parent left without a sum because some of its children have no value.
    struct Incomplete {
        var area: String
        var indicator: String
        var period: Int
        var children: Int
        var missing: [String]
        /// The parent's own submitted value, which is not used.
        var own: Exact?
    }

    /// One warning per area and set of children without values, naming every
    /// indicator and period it leaves empty: the structure (one city of a
    /// province sends data) is one fact, not one per indicator. A parent's own
    /// submitted figure set aside is a warning of its own.
    static func incompleteProblems(_ incomplete: [Incomplete], registry: AreaRegistry, names: IndicatorNames) -> [Problem] {
        struct Cause: Hashable { var area: String; var missing: [String]; var children: Int }
        var groups: [Cause: [Incomplete]] = [:]
        var order: [Cause] = []
        var problems: [Problem] = []
        for entry in incomplete {
            if let own = entry.own {
                let missing = entry.missing.map { registry.label($0, .en) }.joined(separator: ", ")
                let missingZH = entry.missing.map { registry.label($0, .zh) }.joined(separator: "、")
                problems.append(.warning(
                    .incomplete,
                    "\(names.label(entry.indicator, .en)) \(entry.period) of \(registry.label(entry.area, .en)) has no value: \(entry.missing.count) of \(entry.children) areas have none (\(missing)); its own submitted \(own.plainDecimal) is not used",
                    area: entry.area, indicator: entry.indicator, period: entry.period,
                    messageZH: "\(registry.label(entry.area, .zh)) \(entry.period)年\(names.label(entry.indicator, .zh))无汇总值：下辖\(entry.children)个地区中\(entry.missing.count)个无数据（\(missingZH)），其自报的\(own.plainDecimal)未采用"))
                continue
            }
            let cause = Cause(area: entry.area, missing: entry.missing, children: entry.children)
            if groups[cause] == nil { order.append(cause) }
            groups[cause, default: []].append(entry)
        }
        for cause in order {
            let entries = groups[cause]!
            var indicators: [String] = []
            for entry in entries where !indicators.contains(entry.indicator) { indicators.append(entry.indicator) }
            let years = Array(Set(entries.map(\.period))).sorted()
            let missing = cause.missing.map { registry.label($0, .en) }.joined(separator: ", ")
            let missingZH = cause.missing.map { registry.label($0, .zh) }.joined(separator: "、")
            let count = indicators.count == 1 ? "1 indicator" : "\(indicators.count) indicators"
            problems.append(.warning(
                .incomplete,
                "\(registry.label(cause.area, .en)) cannot be summed from its areas for \(count) in \(yearsText(years, .en)): \(cause.missing.count) of its \(cause.children) areas \(cause.missing.count == 1 ? "has" : "have") no value (\(missing)); no value for \(indicators.map { names.label($0, .en) }.joined(separator: ", "))",
                area: cause.area, indicator: indicators.count == 1 ? indicators[0] : nil, period: years.count == 1 ? years[0] : nil,
                messageZH: "\(registry.label(cause.area, .zh))的\(indicators.count)项指标（\(yearsText(years, .zh))）无法由下辖地区汇总：\(cause.children)个地区中\(cause.missing.count)个无数据（\(missingZH)）；无值的指标：\(indicators.map { names.label($0, .zh) }.joined(separator: "、"))"))
        }
        return problems
    }

    /// Derived indicators in an order where each comes after the derived ones it reads.
    static func derivedInOrder(_ indicators: [Indicator]) throws -> [(Indicator, Formula)] {
        var pending: [(Indicator, Formula)] = []
        for indicator in indicators where indicator.source == .derived {
            pending.append((indicator, try Formula.parse(indicator.formula)))
        }
        let derivedCodes = Set(pending.map { $0.0.code })
        var done: Set<String> = []
        var ordered: [(Indicator, Formula)] = []
        while !pending.isEmpty {
            guard let next = pending.firstIndex(where: { entry in
                entry.1.operands.allSatisfy { !derivedCodes.contains($0) || done.contains($0) }
            }) else {
                throw Formula.parseError(formula: pending[0].1.operands.joined(separator: ", "),
                                         message: "derived indicators depend on each other in a cycle")
            }
            let entry = pending.remove(at: next)
            done.insert(entry.0.code)
            ordered.append(entry)
        }
        return ordered
    }

    /// Sets the value of every area with children from its children (bottom-up);
    /// an area without children keeps its own value.
    /// `parents`: each area with children valid in `period`, deepest first.
    static func rollUp(indicator: String, period: Int, parents: [(String, [String])],
                       observations: inout [ObservationKey: Observation],
                       comparisons: inout [Comparison], incomplete: inout [Incomplete]) {
        for (code, children) in parents {
            let key = ObservationKey(area: code, indicator: indicator, period: period)
            var sum = Exact.zero
            var statuses: [ObservationStatus] = []
            var missing: [String] = []
            for child in children {
                if let observation = observations[ObservationKey(area: child, indicator: indicator, period: period)],
                   let value = observation.usableValue {
                    sum = sum + value
                    statuses.append(observation.status)
                } else {
                    missing.append(child)
                }
            }
            if missing.count == children.count { continue }   // no child has a value: the area's own stands
            let own = observations[key]
            if !missing.isEmpty {
                observations[key] = nil
                incomplete.append(Incomplete(area: code, indicator: indicator, period: period, children: children.count,
                                             missing: missing, own: own?.usableValue))
                continue
            }
            if let own, let reported = own.usableValue, own.source == .submission {
                comparisons.append(Comparison(kind: .parentVersusChildren, key: key, kept: sum,
                                              keptFrom: "sum of \(children.count) areas", reported: reported,
                                              reportedAt: nil))
            }
            observations[key] = Observation(key: key, value: sum, status: .combined(statuses), source: .aggregated)
        }
    }
}
