/// SDMX observation status.
public enum ObservationStatus: String, Sendable, Comparable, CaseIterable {
    /// Normal.
    case A
    /// Provisional.
    case P
    /// Estimated.
    case E
    /// Missing: the observation carries no value.
    case M

    /// The status of a value computed from parts: `E` if any part is `E`, else `P`
    /// if any is `P`, else `A`.
    public static func combined<S: Sequence>(_ parts: S) -> ObservationStatus where S.Element == ObservationStatus {
        var result = ObservationStatus.A
        for part in parts {
            if part == .E { return .E }
            if part == .P { result = .P }
        }
        return result
    }

    private var weight: Int {
        switch self {
        case .A: return 0
        case .P: return 1
        case .E: return 2
        case .M: return 3
        }
    }

    public static func < (a: ObservationStatus, b: ObservationStatus) -> Bool { a.weight < b.weight }
}

/// Where a value in the unified dataset came from.
public enum ObservationSource: String, Sendable {
    case dibao, tekun, submission, aggregated, derived
}

public struct ObservationKey: Hashable, Comparable, Sendable {
    public var area: String
    public var indicator: String
    public var period: Int

    public init(area: String, indicator: String, period: Int) {
        self.area = area
        self.indicator = indicator
        self.period = period
    }

    /// Code-point order of area, then indicator, then period (contract section 6).
    public static func < (a: ObservationKey, b: ObservationKey) -> Bool {
        if a.area != b.area { return a.area.utf8.lexicographicallyPrecedes(b.area.utf8) }
        if a.indicator != b.indicator { return a.indicator.utf8.lexicographicallyPrecedes(b.indicator.utf8) }
        return a.period < b.period
    }
}

extension ObservationKey {
    /// `keys` in the order of `<`, sorted fast: each distinct area, indicator
    /// and period is ranked once, then each key is one integer of its three
    /// ranks with its position beside it, and those integers are sorted (a
    /// national build sorts 106,000 keys five times; moving the keys themselves,
    /// two strings each, through a sort cost 0.1 s a time).
    public static func sorted<Keys: Collection>(_ keys: Keys) -> [ObservationKey] where Keys.Element == ObservationKey {
        let keys = Array(keys)
        if keys.count < 2 { return keys }
        // Each key's area, indicator and period as the number of its first sight (one hash each), then those numbers as ranks.
        var areaIDs: [String: Int] = [:], indicatorIDs: [String: Int] = [:], periodIDs: [Int: Int] = [:]
        var ids: [(area: Int, indicator: Int, period: Int)] = []
        ids.reserveCapacity(keys.count)
        for key in keys {
            ids.append((areaIDs.firstSight(key.area), indicatorIDs.firstSight(key.indicator), periodIDs.firstSight(key.period)))
        }
        func ranks<Word>(_ sights: [Word: Int], by precedes: (Word, Word) -> Bool) -> [Int] {
            var rank = [Int](repeating: 0, count: sights.count)
            for (position, entry) in sights.sorted(by: { precedes($0.key, $1.key) }).enumerated() { rank[entry.value] = position }
            return rank
        }
        let areaRank = ranks(areaIDs) { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let indicatorRank = ranks(indicatorIDs) { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let periodRank = ranks(periodIDs, by: <)
        // Bits for each rank; three ranks that do not fit one word together are sorted the slow way.
        let bits = { (count: Int) in max(1, Int.bitWidth - (count - 1).leadingZeroBitCount) }
        let (indicatorBits, periodBits) = (bits(indicatorRank.count), bits(periodRank.count))
        guard bits(areaRank.count) + indicatorBits + periodBits <= 64 else { return keys.sorted() }
        var packed = ids.enumerated().map { position, id in
            (rank: UInt64(areaRank[id.area]) << (indicatorBits + periodBits)
                | UInt64(indicatorRank[id.indicator]) << periodBits | UInt64(periodRank[id.period]), position: position)
        }
        packed.sort { $0.rank < $1.rank }
        return packed.map { keys[$0.position] }
    }
}

extension Dictionary where Value == Int {
    /// The number of `key`'s first sight: the count of keys before it, given when it is first seen.
    fileprivate mutating func firstSight(_ key: Key) -> Int {
        if let seen = self[key] { return seen }
        let next = count
        self[key] = next
        return next
    }
}

/// One cell of the unified dataset.
public struct Observation: Hashable, Sendable {
    public var key: ObservationKey
    /// nil when missing (status `M`).
    public var value: Exact?
    public var status: ObservationStatus
    public var source: ObservationSource
    /// Where a base value came from: its roster files (two when a retired code's
    /// file counts under its successor) or its submission's file and line; empty for computed values.
    public var origin: [SourceLocation]

    public init(key: ObservationKey, value: Exact?, status: ObservationStatus, source: ObservationSource,
                origin: [SourceLocation] = []) {
        self.key = key
        self.value = value
        self.status = value == nil ? .M : status
        self.source = source
        self.origin = origin
    }

    public var area: String { key.area }
    public var indicator: String { key.indicator }
    public var period: Int { key.period }
    /// A value that counts: present and not missing.
    public var usableValue: Exact? { status == .M ? nil : value }
}
