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
        var areaRank: [String: Int] = [:], indicatorRank: [String: Int] = [:], periodRank: [Int: Int] = [:]
        for key in keys {
            areaRank[key.area] = 0
            indicatorRank[key.indicator] = 0
            periodRank[key.period] = 0
        }
        for (rank, area) in areaRank.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() { areaRank[area] = rank }
        for (rank, code) in indicatorRank.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
            indicatorRank[code] = rank
        }
        for (rank, period) in periodRank.keys.sorted().enumerated() { periodRank[period] = rank }
        // Bits for each rank; with the position they fill a pair of 64-bit words
        // (at most keys.count of each kind, so the ranks fit as the position does).
        let bits = { (count: Int) in max(1, Int.bitWidth - (count - 1).leadingZeroBitCount) }
        let (indicatorBits, periodBits) = (bits(indicatorRank.count), bits(periodRank.count))
        var packed: [(rank: UInt64, position: Int)] = []
        packed.reserveCapacity(keys.count)
        if bits(areaRank.count) + indicatorBits + periodBits <= 64 {
            for (position, key) in keys.enumerated() {
                let rank = UInt64(areaRank[key.area]!) << (indicatorBits + periodBits)
                    | UInt64(indicatorRank[key.indicator]!) << periodBits | UInt64(periodRank[key.period]!)
                packed.append((rank, position))
            }
            packed.sort { $0.rank < $1.rank }
            return packed.map { keys[$0.position] }
        }
        return keys.sorted()
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
