#if canImport(Glibc)
import Glibc
#endif
/// The ids seen in one roster file, as bytes in one arena: duplicate
/// detection without a String per row. Open addressing over raw memory,
/// since this runs once per input row.
final class IdentifierSet {
    private struct Slot {
        var offset: UInt32
        var length: UInt32
        var line: UInt32
        /// Upper bits of the hash, 0 for an empty slot.
        var tag: UInt32
    }

    private var slots: UnsafeMutablePointer<Slot>
    private var capacity: Int
    private var count = 0
    private var arena: UnsafeMutablePointer<UInt8>
    private var arenaCapacity: Int
    private var arenaCount = 0

    init(expected: Int = 1024) {
        capacity = 1
        while capacity < expected * 2 { capacity <<= 1 }
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(offset: 0, length: 0, line: 0, tag: 0), count: capacity)
        arenaCapacity = max(4096, expected * 16)
        arena = .allocate(capacity: arenaCapacity)
    }

    deinit {
        slots.deallocate()
        arena.deallocate()
    }

    /// A fast 64-bit hash of short byte strings: 8 bytes at a time, multiply-mixed.
    @inline(__always)
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E3779B97F4A7C15 ^ UInt64(bytes.count)
        guard let base = bytes.baseAddress else { return h }
        var i = 0
        let raw = UnsafeRawPointer(base)
        while i + 8 <= bytes.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58476D1CE4E5B9
            h ^= h >> 31
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < bytes.count {
            tail |= UInt64(base[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0x94D049BB133111EB
        return h ^ (h >> 29)
    }

    /// Adds `id` first seen on `line`; returns the line of an earlier occurrence if there is one.
    func insert(_ id: UnsafeBufferPointer<UInt8>, line: Int) -> Int? {
        if count * 2 >= capacity { grow() }
        let h = IdentifierSet.hash(id)
        let tag = UInt32(truncatingIfNeeded: h >> 32) | 1
        let mask = capacity - 1
        var index = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = slots[index]
            if slot.tag == 0 {
                if arenaCount + id.count > arenaCapacity {
                    let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: max(arenaCapacity * 2, arenaCount + id.count))
                    grown.update(from: arena, count: arenaCount)
                    arena.deallocate()
                    arena = grown
                    arenaCapacity = max(arenaCapacity * 2, arenaCount + id.count)
                }
                if let base = id.baseAddress { (arena + arenaCount).update(from: base, count: id.count) }
                slots[index] = Slot(offset: UInt32(arenaCount), length: UInt32(id.count), line: UInt32(clamping: line), tag: tag)
                arenaCount += id.count
                count += 1
                return nil
            }
            if slot.tag == tag, Int(slot.length) == id.count,
               id.count == 0 || memcmp(arena + Int(slot.offset), id.baseAddress!, id.count) == 0 {
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
        slots.initialize(repeating: Slot(offset: 0, length: 0, line: 0, tag: 0), count: capacity)
        let mask = capacity - 1
        for i in 0..<oldCapacity where old[i].tag != 0 {
            let slot = old[i]
            let h = IdentifierSet.hash(UnsafeBufferPointer(start: arena + Int(slot.offset), count: Int(slot.length)))
            var index = Int(truncatingIfNeeded: h) & mask
            while slots[index].tag != 0 { index = (index + 1) & mask }
            slots[index] = slot
        }
        old.deallocate()
    }
}
