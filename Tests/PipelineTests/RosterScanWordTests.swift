import CRosterScan
@testable import Normalize
import Testing

/// The fast path finds a code column's word by its first byte and length; words that share
/// that slot are compared one by one. The contract's vocabularies share none, so this test
/// makes words that do, beside one alone in its slot.
@Suite struct RosterScanWordTests {
    func scan() -> RosterScan {
        // id, word, status: "ax" and "ay" share a slot (same first byte and length), "b" has one of its own.
        RosterScan(columns: 3, fields: 3, positions: [0, 1, 2],
                   kinds: [Int32(YEARBOOK_FIELD_IDENTIFIER), Int32(YEARBOOK_FIELD_CODE), Int32(YEARBOOK_FIELD_CODE)],
                   vocabularies: [[], [(Array("ax".utf8), 0), (Array("ay".utf8), 1), (Array("b".utf8), 2)], [(Array("active".utf8), 0)]],
                   codeCounts: [0, 3, 1], areas: [], statusColumn: 2, activeCode: 0,
                   measures: [(nil, [(1, 0)]), (nil, [(1, 1)]), (nil, [(1, 2)])], maxRecordBytes: 4096, fastPath: true)
    }

    /// The lines the fast path decides from the start of `text`, read with the padding its header asks for.
    func lines(_ scan: RosterScan, _ text: String, firstLine: Int) -> RosterScan.Lines {
        let bytes = Array(text.utf8) + [0x0A] + Array(repeating: 0, count: Int(YEARBOOK_SCAN_PADDING))
        return bytes.withUnsafeBufferPointer { scan.lines(UnsafeBufferPointer(rebasing: $0[0..<text.utf8.count]), firstLine: firstLine) }
    }

    @Test func wordsSharingASlotAreEachFound() {
        let scan = scan()
        let first = "1,ax,active\n2,ay,active\n3,AY,active\n4,b,active\n"
        let read = lines(scan, first + "5,az,active\n", firstLine: 1)
        // "az" is in the shared slot but is no word: the fast path stops before it.
        #expect(read.rows == 4)
        #expect(read.active == 4)
        #expect(read.bytes == first.utf8.count)
        let next = "6,b,active\n"
        let more = lines(scan, next + "7,q,active\n", firstLine: 6)
        // "q" is in an empty slot.
        #expect(more.rows == 1)
        #expect(more.bytes == next.utf8.count)
        #expect([scan.count(0), scan.count(1), scan.count(2)] == [1, 2, 2])
    }
}
