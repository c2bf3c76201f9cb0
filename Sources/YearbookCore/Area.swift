public enum AreaLevel: String, Sendable, CaseIterable {
    case province, prefecture, county
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
