import YearbookCore

/// Which figures are withheld from release as small cells (Statistics Law, Art. 25): primary cells
/// counted from too few roster rows, secondary cells that would let them be worked out, the cells
/// earlier editions withheld, and an audit that proves no withheld figure can be recovered from the
/// published ones. The internal edition keeps every value; this stage only says what is withheld.
public enum Disclosure {
    /// What an earlier edition withheld, and which of its figures it published (for the periods this build shows).
    public struct Earlier: Sendable {
        public var edition: Int
        public var withheld: Withholding
        public var published: Set<ObservationKey>

        public init(edition: Int, withheld: Withholding, published: Set<ObservationKey> = []) {
            self.edition = edition
            self.withheld = withheld
            self.published = published
        }
    }

    /// The smallest roster figure the edition publishes, in the rows it is counted from.
    public struct Smallest: Sendable, Hashable {
        public var key: ObservationKey
        public var units: Int
        /// The base unit of the rows (`households`, `persons`).
        public var unit: String

        public init(key: ObservationKey, units: Int, unit: String) {
            self.key = key
            self.units = units
            self.unit = unit
        }
    }

    /// What the summary and the report say.
    public struct Facts: Sendable, Hashable {
        public var minUnits: Int
        public var primary = 0
        public var secondary = 0
        /// Cells withheld because an earlier edition withheld them (with the figures of the same rows).
        public var kept = 0
        public var smallest: Smallest?

        public init(minUnits: Int) { self.minUnits = minUnits }
    }

    public struct Result: Sendable {
        public var withholding: Withholding
        public var problems: [Problem]
        public var facts: Facts
        /// Why each withheld figure is withheld, in English (`primary: 2 persons < disclosure.min_units 3`): for the
        /// database, `explain` and the report.
        public var reasons: [ObservationKey: String]

        public init(withholding: Withholding = .none, problems: [Problem] = [], facts: Facts, reasons: [ObservationKey: String] = [:]) {
            self.withholding = withholding
            self.problems = problems
            self.facts = facts
            self.reasons = reasons
        }
    }

    /// A published relation between figures: `total` = Σ sign × part (a parent and its areas, a derived sum and its operands).
    public struct Equation: Sendable, Hashable {
        public var total: ObservationKey
        public var parts: [(key: ObservationKey, sign: Int)]

        public init(total: ObservationKey, parts: [(key: ObservationKey, sign: Int)]) {
            self.total = total
            self.parts = parts
        }

        public var members: [ObservationKey] { [total] + parts.map(\.key) }

        public static func == (a: Equation, b: Equation) -> Bool {
            a.total == b.total && a.parts.map(\.key) == b.parts.map(\.key) && a.parts.map(\.sign) == b.parts.map(\.sign)
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(total)
            for part in parts { hasher.combine(part.key); hasher.combine(part.sign) }
        }

        /// `430200 = 430202 + 430203 + 430212 (TEKUN_PERSONS_U 2019)`.
        public var text: String {
            let sameRest = parts.allSatisfy { $0.key.indicator == total.indicator && $0.key.period == total.period }
            if sameRest {
                let terms = parts.enumerated().map { index, part in
                    (index == 0 ? (part.sign < 0 ? "-" : "") : (part.sign < 0 ? " - " : " + ")) + part.key.area
                }.joined()
                return "\(total.area) = \(terms) (\(total.indicator) \(total.period))"
            }
            let terms = parts.enumerated().map { index, part in
                (index == 0 ? (part.sign < 0 ? "-" : "") : (part.sign < 0 ? " - " : " + ")) + part.key.indicator
            }.joined()
            return "\(total.indicator) = \(terms) (\(total.area) \(total.period))"
        }
    }

    /// A withheld cell the published figures determine, with the equations that do.
    public struct Revealed: Sendable, Hashable {
        public var key: ObservationKey
        public var equations: [Equation]
    }

    /// The figures that share rows with `indicator`: the same roster and the same `where` filter
    /// (`count where category=U`, `sum members where category=U`).
    static func rowGroup(_ indicator: Indicator) -> String? {
        guard let roster = indicator.roster else { return nil }
        let words = indicator.formula.split(separator: " ")
        let filter = words.firstIndex(of: "where").map { words[($0 + 1)...].joined(separator: " ") } ?? ""
        return roster + "|" + filter
    }

    /// A derived formula that is a sum or difference of indicators (a total of its parts), as signed terms.
    static func linearTerms(_ formula: Formula, sign: Int = 1) -> [(String, Int)]? {
        switch formula {
        case .indicator(let code): return [(code, sign)]
        case .binary(let op, let left, let right) where op == "+" || op == "-":
            guard let l = linearTerms(left, sign: sign), let r = linearTerms(right, sign: op == "+" ? sign : -sign) else { return nil }
            return l + r
        default: return nil
        }
    }

    /// The published relations among the figures of `indicators` that roster rows reach: parent = Σ areas
    /// (every level, the areas valid in each period, so successions are followed) and derived totals.
    public static func equations(observations: [ObservationKey: Observation], indicators: [Indicator],
                                 registry: AreaRegistry, periods: [Int]) -> [Equation] {
        let relevant = reached(indicators)
        var equations: [Equation] = []
        func value(_ key: ObservationKey) -> Exact? { observations[key]?.usableValue }
        for period in periods {
            let parents = registry.codes.sorted().compactMap { code -> (String, [String])? in
                let children = registry.children(of: code, in: period)
                return children.isEmpty ? nil : (code, children)
            }
            for indicator in indicators where relevant.contains(indicator.code) && indicator.additive && indicator.source != .derived {
                for (parent, children) in parents {
                    let total = ObservationKey(area: parent, indicator: indicator.code, period: period)
                    guard observations[total]?.source == .aggregated, value(total) != nil else { continue }
                    let parts = children.map { (key: ObservationKey(area: $0, indicator: indicator.code, period: period), sign: 1) }
                    guard parts.allSatisfy({ value($0.key) != nil }) else { continue }
                    equations.append(Equation(total: total, parts: parts))
                }
            }
            for indicator in indicators where relevant.contains(indicator.code) && indicator.source == .derived {
                guard let formula = try? Formula.parse(indicator.formula), let terms = linearTerms(formula) else { continue }
                for code in registry.codes.sorted() {
                    let total = ObservationKey(area: code, indicator: indicator.code, period: period)
                    guard value(total) != nil else { continue }
                    let parts = terms.map { (key: ObservationKey(area: code, indicator: $0.0, period: period), sign: $0.1) }
                    guard parts.allSatisfy({ value($0.key) != nil }) else { continue }
                    equations.append(Equation(total: total, parts: parts))
                }
            }
        }
        return equations
    }

    /// Roster indicators and the derived ones that read them (directly or through other derived ones).
    static func reached(_ indicators: [Indicator]) -> Set<String> {
        var reached = Set(indicators.filter { $0.roster != nil }.map(\.code))
        var grew = true
        while grew {
            grew = false
            for indicator in indicators where indicator.source == .derived && !reached.contains(indicator.code) {
                if let formula = try? Formula.parse(indicator.formula), formula.operands.contains(where: reached.contains) {
                    reached.insert(indicator.code)
                    grew = true
                }
            }
        }
        return reached
    }

    public static func run(observations: [ObservationKey: Observation], units: [ObservationKey: Int], indicators: [Indicator],
                           registry: AreaRegistry, periods: [Int], minUnits: Int, earlier: [Earlier] = []) -> Result {
        var facts = Facts(minUnits: minUnits)
        let byCode = Dictionary(indicators.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        var groups: [String: [String]] = [:]
        for indicator in indicators { if let group = rowGroup(indicator) { groups[group, default: []].append(indicator.code) } }
        let derived = indicators.filter { $0.source == .derived }.compactMap { indicator -> (String, [String])? in
            guard let formula = try? Formula.parse(indicator.formula) else { return nil }
            return (indicator.code, formula.operands)
        }
        var cells: [ObservationKey: Confidentiality] = [:]
        var reasons: [ObservationKey: String] = [:]
        var rowUnit: [String: String] = [:]
        for indicator in indicators where indicator.roster != nil && indicator.formula.hasPrefix("count") {
            if rowUnit[indicator.roster!] == nil { rowUnit[indicator.roster!] = indicator.unit }
        }

        /// Withholds `key`, the figures made from the same rows at its area and period, and the derived figures they feed.
        func withhold(_ key: ObservationKey, _ status: Confidentiality, _ reason: String) {
            var mates = [key.indicator]
            if let indicator = byCode[key.indicator], let group = rowGroup(indicator) { mates = groups[group] ?? mates }
            for mate in mates {
                let mateKey = ObservationKey(area: key.area, indicator: mate, period: key.period)
                guard observations[mateKey] != nil, cells[mateKey] == nil else { continue }
                cells[mateKey] = status
                reasons[mateKey] = mate == key.indicator || status == .primary ? reason : "\(reason) (the same rows as \(key.indicator))"
            }
            var grew = true
            while grew {
                grew = false
                for (code, operands) in derived {
                    let derivedKey = ObservationKey(area: key.area, indicator: code, period: key.period)
                    guard cells[derivedKey] == nil, observations[derivedKey] != nil else { continue }
                    let statuses = operands.compactMap { cells[ObservationKey(area: key.area, indicator: $0, period: key.period)] }
                    if let strongest = statuses.min() {
                        cells[derivedKey] = strongest
                        let withheldOperands = operands.filter { cells[ObservationKey(area: key.area, indicator: $0, period: key.period)] != nil }
                        reasons[derivedKey] = "\(strongest == .primary ? "primary" : "secondary"): made from withheld "
                            + withheldOperands.joined(separator: ", ")
                        grew = true
                    }
                }
            }
        }

        // Primary: a roster figure counted from 0 < rows < min_units (0 rows publishes "0", which reveals no one).
        if minUnits > 0 {
            for key in ObservationKey.sorted(units.keys) where periods.contains(key.period) {
                let count = units[key]!
                guard count > 0, count < minUnits, observations[key]?.usableValue != nil, cells[key] == nil else { continue }
                let unit = byCode[key.indicator]?.roster.flatMap { rowUnit[$0] } ?? "rows"
                withhold(key, .primary, "primary: \(count) \(unit) < disclosure.min_units \(minUnits)")
            }
        }
        // History: what an earlier edition withheld stays withheld.
        for edition in earlier.sorted(by: { $0.edition < $1.edition }) {
            for key in ObservationKey.sorted(edition.withheld.cells.keys) where periods.contains(key.period) && observations[key] != nil {
                if cells[key] == nil {
                    let status = edition.withheld.cells[key]!, before = cells.count
                    withhold(key, status, "\(status == .primary ? "primary" : "secondary"): withheld in the \(edition.edition) edition")
                    facts.kept += cells.count - before
                }
            }
        }

        var problems: [Problem] = []
        var revealed: [Revealed] = []
        let names = IndicatorNames(indicators)
        if !cells.isEmpty {
            let equations = Self.equations(observations: observations, indicators: indicators, registry: registry, periods: periods)
            func smallestPublished(_ keys: [ObservationKey]) -> ObservationKey? {
                keys.filter { cells[$0] == nil && observations[$0]?.usableValue != nil }.min { a, b in
                    let va = observations[a]!.usableValue!.magnitude, vb = observations[b]!.usableValue!.magnitude
                    return va != vb ? va < vb : a < b
                }
            }
            // Secondary: no relation may hold one withheld figure alone; the smallest published figure of it joins.
            var rounds = 0
            while rounds <= equations.count {
                rounds += 1
                var changed = true
                while changed {
                    changed = false
                    for equation in equations {
                        let members = equation.members
                        guard members.filter({ cells[$0] != nil }).count == 1, let pick = smallestPublished(members) else { continue }
                        withhold(pick, .secondary, "secondary: published, it would reveal a withheld figure by \(equation.text)")
                        changed = true
                    }
                }
                // The audit finds what pairs of relations still reveal; a figure of a relation it names joins too.
                revealed = audit(withheld: Set(cells.keys), equations: equations)
                guard let first = revealed.first,
                      let pick = smallestPublished(first.equations.flatMap(\.members)) else { break }
                withhold(pick, .secondary, "secondary: published, it would reveal a withheld figure by "
                    + first.equations.map(\.text).joined(separator: "; "))
            }
        }
        problems += auditErrors(revealed, registry: registry, names: names)
        // A figure an earlier edition published cannot be unpublished: the statistician must know.
        for edition in earlier.sorted(by: { $0.edition < $1.edition }) {
            for key in ObservationKey.sorted(cells.keys) where edition.published.contains(key) && edition.withheld[key] == nil {
                problems.append(.warning(
                    .disclosure,
                    "\(registry.label(key.area, .en)) \(names.label(key.indicator, .en)) \(key.period) is withheld now but the \(edition.edition) edition published it; "
                        + "it cannot be unpublished: check whether that edition should be corrected",
                    area: key.area, indicator: key.indicator, period: key.period,
                    messageZH: "\(registry.label(key.area, .zh)) \(names.label(key.indicator, .zh)) \(key.period)年本版保密，但\(edition.edition)年版已公布；"
                        + "已公布的数无法收回：请核查该版是否需要更正"))
            }
        }

        facts.primary = cells.values.filter { $0 == .primary }.count
        facts.secondary = cells.values.filter { $0 == .secondary }.count
        // The smallest roster figure published: the rows behind it, in the roster's own unit.
        for key in ObservationKey.sorted(units.keys) where periods.contains(key.period) && cells[key] == nil {
            let count = units[key]!
            guard count > 0, observations[key]?.usableValue != nil, let roster = byCode[key.indicator]?.roster else { continue }
            if facts.smallest == nil || count < facts.smallest!.units {
                let shown = groups[rowGroup(byCode[key.indicator]!)!]!.first { byCode[$0]!.formula.hasPrefix("count") } ?? key.indicator
                facts.smallest = Smallest(key: ObservationKey(area: key.area, indicator: shown, period: key.period), units: count,
                                          unit: rowUnit[roster] ?? "rows")
            }
        }
        return Result(withholding: Withholding(cells: cells), problems: problems, facts: facts, reasons: reasons)
    }

    /// The build fails on each withheld figure the published ones determine, naming the equations that do.
    public static func auditErrors(_ revealed: [Revealed], registry: AreaRegistry, names: IndicatorNames) -> [Problem] {
        var problems: [Problem] = []
        for revelation in revealed {
            let key = revelation.key
            let how = revelation.equations.map(\.text).joined(separator: "; ")
            problems.append(.error(
                .disclosure,
                "withheld \(registry.label(key.area, .en)) \(names.label(key.indicator, .en)) \(key.period) can be worked out from published figures by \(how); "
                    + "withhold another figure of these relations (none is left for the build to choose: check the areas in areas.csv "
                    + "and the totals in indicators.csv behind them)",
                area: key.area, indicator: key.indicator, period: key.period,
                messageZH: "已保密的\(registry.label(key.area, .zh)) \(names.label(key.indicator, .zh)) \(key.period)年可由已公布数推算：\(how)；"
                    + "须再保密这些等式中的一个数（已无可供程序选择的数：请核查 areas.csv 的区划与 indicators.csv 中相关的合计指标）"))
        }
        return problems
    }

    /// The withheld cells of `withheld` that the published figures determine: the equations restricted to the
    /// withheld cells (the published ones are constants), eliminated in exact rational arithmetic; a cell is
    /// determined when its unit vector lies in their row space (a reduced row with it alone).
    public static func audit(withheld: Set<ObservationKey>, equations: [Equation]) -> [Revealed] {
        var index: [ObservationKey: Int] = [:]
        var variables: [ObservationKey] = []
        // Each row: its coefficients over the withheld cells, and the combination of equations it is.
        var rows: [(coefficients: [Int: Exact], from: [Int: Exact])] = []
        for (number, equation) in equations.enumerated() {
            var coefficients: [Int: Exact] = [:]
            for (key, sign) in [(equation.total, 1)] + equation.parts.map({ ($0.key, -$0.sign) }) where withheld.contains(key) {
                let column: Int
                if let known = index[key] { column = known } else {
                    column = variables.count
                    index[key] = column
                    variables.append(key)
                }
                let sum = (coefficients[column] ?? .zero) + Exact(sign)
                coefficients[column] = sum.isZero ? nil : sum
            }
            if !coefficients.isEmpty { rows.append((coefficients, [number: Exact(1)])) }
        }
        // Columns in the cells' order, so that the result does not depend on the equations' order.
        let order = variables.indices.sorted { variables[$0] < variables[$1] }
        var pivotRows: [Int: Int] = [:]
        var next = 0
        for column in order {
            guard let found = (next..<rows.count).first(where: { rows[$0].coefficients[column] != nil }) else { continue }
            rows.swapAt(next, found)
            let pivot = rows[next].coefficients[column]!
            let scale = Exact(1).divided(by: pivot)!
            rows[next].coefficients = rows[next].coefficients.mapValues { $0 * scale }
            rows[next].from = rows[next].from.mapValues { $0 * scale }
            for other in rows.indices where other != next {
                guard let factor = rows[other].coefficients[column] else { continue }
                for (c, v) in rows[next].coefficients {
                    let sum = (rows[other].coefficients[c] ?? .zero) - factor * v
                    rows[other].coefficients[c] = sum.isZero ? nil : sum
                }
                for (e, v) in rows[next].from {
                    let sum = (rows[other].from[e] ?? .zero) - factor * v
                    rows[other].from[e] = sum.isZero ? nil : sum
                }
            }
            pivotRows[column] = next
            next += 1
        }
        var revealed: [Revealed] = []
        for column in order {
            guard let row = pivotRows[column], rows[row].coefficients.count == 1 else { continue }
            revealed.append(Revealed(key: variables[column], equations: rows[row].from.keys.sorted().map { equations[$0] }))
        }
        return revealed
    }
}
