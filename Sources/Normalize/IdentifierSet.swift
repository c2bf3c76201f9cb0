#if canImport(Glibc)
import Glibc
#endif

/// The ids seen in one roster file: duplicate detection without a String
/// per row. Open addressing over raw memory, since this runs once per input
/// row. An id of up to 18 ASCII digits (the usual kind) is kept as a number;
/// any other id as bytes in an arena.
final class IdentifierSet {
    private struct Slot {
        /// The digits' value, or the arena offset of other bytes.
        var value: UInt64
        /// Length in bytes; the top bit marks bytes kept in the arena; 0 = empty slot.
        var length: UInt32
        var line: UInt32
    }

    private static let inArena: UInt32 = 1 << 31
    private var slots: UnsafeMutablePointer<Slot>
    private var capacity: Int
    private var count = 0
    private var arena: UnsafeMutablePointer<UInt8>
    private var arenaCapacity = 4096
    private var arenaCount = 0

    init(expected: Int = 4096) {
        capacity = 1
        while capacity < expected * 2 { capacity <<= 1 }
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(value: 0, length: 0, line: 0), count: capacity)
        arena = .allocate(capacity: arenaCapacity)
    }

    deinit {
        slots.deallocate()
        arena.deallocate()
    }

    @inline(__always)
    private static func mix(_ x: UInt64) -> UInt64 {
        var h = x &* 0x9E3779B97F4A7C15
        h ^= h >> 29
        return h
    }

    /// The id's digits as a number, when it is 1 to 18 ASCII digits.
    @inline(__always)
    private static func digits(_ id: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard id.count > 0, id.count <= 18 else { return nil }
        var value: UInt64 = 0
        for b in id {
            let digit = b &- 0x30
            if digit > 9 { return nil }
            value = value &* 10 &+ UInt64(digit)
        }
        return value
    }

    private func hashOfBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return IdentifierSet.mix(h)
    }

    private func hash(of slot: Slot) -> UInt64 {
        if slot.length & IdentifierSet.inArena == 0 { return IdentifierSet.mix(slot.value ^ UInt64(slot.length) << 59) }
        let length = Int(slot.length & ~IdentifierSet.inArena)
        return hashOfBytes(UnsafeBufferPointer(start: arena + Int(slot.value), count: length))
    }

    /// Adds `id` first seen on `line`; returns the line of an earlier occurrence if there is one.
    func insert(_ id: UnsafeBufferPointer<UInt8>, line: Int) -> Int? {
        if count * 2 >= capacity { grow() }
        let mask = capacity - 1
        if let number = IdentifierSet.digits(id) {
            let length = UInt32(id.count)
            var index = Int(truncatingIfNeeded: IdentifierSet.mix(number ^ UInt64(length) << 59)) & mask
            while true {
                let slot = slots[index]
                if slot.length == 0 {
                    slots[index] = Slot(value: number, length: length, line: UInt32(clamping: line))
                    count += 1
                    return nil
                }
                if slot.length == length && slot.value == number { return Int(slot.line) }
                index = (index + 1) & mask
            }
        }
        let length = UInt32(id.count) | IdentifierSet.inArena
        var index = Int(truncatingIfNeeded: hashOfBytes(id)) & mask
        while true {
            let slot = slots[index]
            if slot.length == 0 {
                if arenaCount + id.count > arenaCapacity {
                    let newCapacity = max(arenaCapacity * 2, arenaCount + id.count)
                    let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
                    grown.update(from: arena, count: arenaCount)
                    arena.deallocate()
                    arena = grown
                    arenaCapacity = newCapacity
                }
                if let base = id.baseAddress { (arena + arenaCount).update(from: base, count: id.count) }
                slots[index] = Slot(value: UInt64(arenaCount), length: length, line: UInt32(clamping: line))
                arenaCount += id.count
                count += 1
                return nil
            }
            if slot.length == length, id.count == 0 || memcmp(arena + Int(slot.value), id.baseAddress!, id.count) == 0 {
                return Int(slot.line)
            }
            index = (index + 1) & mask
        }
    }

    private func grow() {
        let old = slots
        let oldCapacity = capacity
        capacity *= 2
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(value: 0, length: 0, line: 0), count: capacity)
        let mask = capacity - 1
        for i in 0..<oldCapacity where old[i].length != 0 {
            var index = Int(truncatingIfNeeded: hash(of: old[i])) & mask
            while slots[index].length != 0 { index = (index + 1) & mask }
            slots[index] = old[i]
        }
        old.deallocate()
    }
}
