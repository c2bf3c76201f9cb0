public enum AreaLevel: String, Sendable, CaseIterable {
    case province, prefecture, county

    /// The level of an area's parent: one level up; none above a province.
    public var parentLevel: AreaLevel? {
        switch self {
        case .province: return nil
        case .prefecture: return .province
        case .county: return .prefecture
        }
    }
}

/// One row of `areas.csv`.
public struct Area: Hashable, Sendable {
    public var code: String
    public var nameZH: String
    public var nameEN: String
    public var level: AreaLevel
    public var parent: String?
    public var validFrom: Int?
    public var validTo: Int?
    public var successor: String?

    public init(code: String, nameZH: String, nameEN: String, level: AreaLevel, parent: String? = nil,
                validFrom: Int? = nil, validTo: Int? = nil, successor: String? = nil) {
        self.code = code
        self.nameZH = nameZH
        self.nameEN = nameEN
        self.level = level
        self.parent = parent
        self.validFrom = validFrom
        self.validTo = validTo
        self.successor = successor
    }

    public func isValid(in year: Int) -> Bool {
        if let validFrom, year < validFrom { return false }
        if let validTo, year > validTo { return false }
        return true
    }
}

/// The area registry: hierarchy and code successions.
public struct AreaRegistry: Sendable {
    public let areas: [String: Area]
    /// Codes in code-point order.
    public let codes: [String]
    private let childrenByParent: [String: [String]]
    private let predecessorsBySuccessor: [String: [String]]

    public init(_ list: [Area]) {
        var areas: [String: Area] = [:]
        for area in list { areas[area.code] = area }
        self.areas = areas
        codes = areas.keys.sorted()
        var children: [String: [String]] = [:]
        var predecessors: [String: [String]] = [:]
        for code in codes {
            let area = areas[code]!
            if let parent = area.parent { children[parent, default: []].append(code) }
            if let successor = area.successor { predecessors[successor, default: []].append(code) }
        }
        childrenByParent = children
        predecessorsBySuccessor = predecessors
    }

    public subscript(code: String) -> Area? { areas[code] }

    /// Children of `parent` valid in `year`, in code order.
    public func children(of parent: String, in year: Int) -> [String] {
        (childrenByParent[parent] ?? []).filter { areas[$0]!.isValid(in: year) }
    }

    /// Direct predecessors (areas whose successor is `code`), in code order.
    public func predecessors(of code: String) -> [String] {
        predecessorsBySuccessor[code] ?? []
    }

    /// The code that data under `code` counts as in `year`: the code itself while
    /// it is valid, else its successor (followed along the chain). nil for an
    /// unknown code, or a retired one without a valid successor.
    public func currentCode(for code: String, in year: Int) -> String? {
        var current = code
        var seen: Set<String> = []
        while let area = areas[current] {
            if area.isValid(in: year) { return current }
            guard let successor = area.successor, seen.insert(current).inserted else { return nil }
            current = successor
        }
        return nil
    }

    /// What keeps the registry from being a hierarchy, per area code in code order: a parent
    /// or successor that is missing, the area itself, not one level up, or part of a loop.
    public func hierarchyProblems() -> [(code: String, message: String)] {
        var problems: [(code: String, message: String)] = []
        func chain(from code: String, _ next: (Area) -> String?) -> [String]? {
            var path = [code]
            var current = code
            while let following = areas[current].flatMap(next), areas[following] != nil {
                path.append(following)
                if following == code { return path }
                if path.count > areas.count { return nil }
                current = following
            }
            return nil
        }
        for code in codes {
            let area = areas[code]!
            if let parent = area.parent {
                if parent == code {
                    problems.append((code, "area \(code) is its own parent"))
                } else if let parentArea = areas[parent] {
                    if area.level.parentLevel != parentArea.level {
                        let expected = area.level.parentLevel.map { "a \($0.rawValue)" } ?? "none (a province has no parent)"
                        problems.append((code, "parent \(parent) of \(area.level.rawValue) \(code) is a \(parentArea.level.rawValue); its parent must be \(expected)"))
                    }
                    if let loop = chain(from: code, \.parent) {
                        problems.append((code, "the parents of \(code) loop: \(loop.joined(separator: " → "))"))
                    }
                } else {
                    problems.append((code, "parent \(parent) of \(code) is not in the registry"))
                }
            }
            if let successor = area.successor {
                if successor == code {
                    problems.append((code, "area \(code) is its own successor"))
                } else if let successorArea = areas[successor] {
                    if successorArea.level != area.level {
                        problems.append((code, "successor \(successor) of \(area.level.rawValue) \(code) is a \(successorArea.level.rawValue); it must be a \(area.level.rawValue)"))
                    }
                    if let loop = chain(from: code, \.successor) {
                        problems.append((code, "the successors of \(code) loop: \(loop.joined(separator: " → "))"))
                    }
                } else {
                    problems.append((code, "successor \(successor) of \(code) is not in the registry"))
                }
            }
        }
        return problems
    }

    /// The depth of an area in the hierarchy (province 0).
    public func depth(of code: String) -> Int {
        var depth = 0
        var current = areas[code]?.parent
        var seen: Set<String> = []
        while let parent = current, seen.insert(parent).inserted {
            depth += 1
            current = areas[parent]?.parent
        }
        return depth
    }
}
