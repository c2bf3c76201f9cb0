import CSHA256

/// SHA-256 (FIPS 180-4), incremental, for the build manifest's hashes of
/// inputs and outputs (the toolchain on Linux has no CryptoKit); the block
/// function is C, in CSHA256.
public struct SHA256: Sendable {
    private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) =
        (0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19)
    private var pending: [UInt8] = []
    private var length: UInt64 = 0


    public init() { pending.reserveCapacity(64) }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        length &+= UInt64(bytes.count)
        var index = 0
        if !pending.isEmpty {
            let take = min(64 - pending.count, bytes.count)
            pending.append(contentsOf: bytes[0..<take])
            index = take
            if pending.count == 64 {
                pending.withUnsafeBytes { compress($0.baseAddress!) }
                pending.removeAll(keepingCapacity: true)
            }
        }
        let whole = (bytes.count - index) / 64
        if whole > 0 {
            compress(bytes.baseAddress! + index, blocks: whole)
            index += whole * 64
        }
        if index < bytes.count { pending.append(contentsOf: bytes[index...]) }
    }

    public mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        Array(bytes).withUnsafeBytes { update($0) }
    }

    /// The digest as 64 lowercase hex digits.
    public mutating func hexDigest() -> String {
        let bitLength = length &* 8
        var tail: [UInt8] = [0x80]
        while (pending.count + tail.count) % 64 != 56 { tail.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        let saved = length
        tail.withUnsafeBytes { update($0) }
        length = saved
        let words = [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7]
        return String(unsafeUninitializedCapacity: 64) { out in
            var index = 0
            for word in words {
                for shift in stride(from: 28, through: 0, by: -4) {
                    out[index] = SHA256.hexDigits[Int((word >> UInt32(shift)) & 0xF)]
                    index += 1
                }
            }
            return 64
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    public static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.hexDigest()
    }

    /// Compresses whole 64-byte blocks (in C: the CPU's SHA instructions where it has them).
    private mutating func compress(_ block: UnsafeRawPointer, blocks: Int = 1) {
        withUnsafeMutablePointer(to: &state) { tuple in
            tuple.withMemoryRebound(to: UInt32.self, capacity: 8) { words in
                yearbook_sha256_blocks(words, block.assumingMemoryBound(to: UInt8.self), blocks)
            }
        }
    }
}
