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

        public init(observations: [ObservationKey: Observation], comparisons: [Comparison], problems: [Problem]) {
            self.observations = observations
            self.comparisons = comparisons
            self.problems = problems
        }
    }

    public static func run(base: [ObservationKey: Observation], indicators: [Indicator],
                           registry: AreaRegistry, periods: [Int]) throws -> Result {
        var observations = base
        var comparisons: [Comparison] = []
        var problems: [Problem] = []
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
                       observations: &observations, comparisons: &comparisons, problems: &problems)
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
        comparisons.sort { $0.key < $1.key }
        // A submitted total that its areas' sum contradicts beyond tolerance is reported; the sum is kept.
        for comparison in comparisons where comparison.exceedsTolerance {
            problems.append(.warning(
                "reconciliation",
                "\(comparison.key.indicator) \(comparison.key.period) of \(comparison.key.area): sum of its areas \(comparison.kept.plainDecimal), submitted total \(comparison.reported.plainDecimal) (difference \(comparison.difference.plainDecimal), tolerance \(comparison.tolerance.plainDecimal)); the sum is kept",
                area: comparison.key.area, indicator: comparison.key.indicator, period: comparison.key.period))
        }
        return Result(observations: observations, comparisons: comparisons, problems: problems)
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
                throw Formula.ParseError(formula: pending[0].1.operands.joined(separator: ", "),
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
                       comparisons: inout [Comparison], problems: inout [Problem]) {
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
                let ownNote = own?.usableValue.map { "; its own submitted \($0.plainDecimal) is not used" } ?? ""
                problems.append(.warning(
                    "incomplete",
                    "\(indicator) \(period) of \(code) has no value: \(missing.count) of \(children.count) areas have none (\(missing.joined(separator: ", ")))\(ownNote)",
                    area: code, indicator: indicator, period: period))
                continue
            }
            if let own, let reported = own.usableValue, own.source == .submission {
                comparisons.append(Comparison(kind: .parentVersusChildren, key: key, kept: sum,
                                              keptFrom: "sum of \(children.count) areas", reported: reported,
                                              reportedFrom: "submission"))
            }
            observations[key] = Observation(key: key, value: sum, status: .combined(statuses), source: .aggregated)
        }
    }
}
