/// A compact binary form for the extraction cache: varint integers and
/// length-prefixed strings. Several times faster to read than JSON, which
/// matters to a one-chapter regeneration that reads every file's entry.
public struct BinaryWriter {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func int(_ value: Int) { unsigned(UInt64(bitPattern: Int64(value)) << 1 ^ UInt64(bitPattern: Int64(value) >> 63)) }

    public mutating func unsigned(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    public mutating func string(_ value: String) {
        let utf8 = value.utf8
        unsigned(UInt64(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    public mutating func optional<T>(_ value: T?, _ write: (inout BinaryWriter, T) -> Void) {
        if let value {
            bytes.append(1)
            write(&self, value)
        } else {
            bytes.append(0)
        }
    }

    public mutating func array<T>(_ values: [T], _ write: (inout BinaryWriter, T) -> Void) {
        unsigned(UInt64(values.count))
        for value in values { write(&self, value) }
    }

    /// Bytes another writer made, as they are.
    public mutating func append(_ other: [UInt8]) { bytes.append(contentsOf: other) }

    /// Starts again, keeping the storage (one writer for many small records).
    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    /// What is written so far, handed over (the writer goes on empty): a large file is written in pieces.
    public mutating func takeBytes() -> [UInt8] {
        defer { bytes = [] }
        return bytes
    }

    /// A value whose numerator and denominator fit 64 bits as two numbers (most
    /// figures; the target cache reads tens of thousands), any other as its exact text.
    public mutating func exact(_ value: Exact) {
        if let (n, d) = value.fraction, let numerator = Int(exactly: n), let denominator = Int(exactly: d) {
            unsigned(0)
            int(numerator)
            int(denominator)
        } else {
            unsigned(1)
            string(value.fractionText)
        }
    }
}

extension BinaryWriter {
    public mutating func location(_ value: SourceLocation) {
        string(value.file)
        optional(value.line) { o, n in o.int(n) }
    }
}

public struct BinaryReader {
    /// Bytes that are not what the writer wrote (a cache of an older tool, a cut file): the result is made again.
    public static let malformed = YearbookError(.internal, "a cached result does not decode")

    private let bytes: [UInt8]
    public private(set) var position = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Whether every byte is read.
    public var isAtEnd: Bool { position == bytes.count }

    public mutating func unsigned() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < bytes.count, shift < 64 else { throw Self.malformed }
            let b = bytes[position]
            position += 1
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
        }
    }

    public mutating func int() throws -> Int {
        let v = try unsigned()
        return Int(Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1))))
    }

    public mutating func string() throws -> String {
        let count = Int(try unsigned())
        guard count >= 0, position + count <= bytes.count else { throw Self.malformed }
        defer { position += count }
        return String(decoding: bytes[position..<(position + count)], as: UTF8.self)
    }

    public mutating func optional<T>(_ read: (inout BinaryReader) throws -> T) throws -> T? {
        guard position < bytes.count else { throw Self.malformed }
        position += 1
        return bytes[position - 1] == 0 ? nil : try read(&self)
    }

    public mutating func array<T>(_ read: (inout BinaryReader) throws -> T) throws -> [T] {
        let count = Int(try unsigned())
        guard count >= 0, count <= bytes.count - position else { throw Self.malformed }
        var values: [T] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try read(&self)) }
        return values
    }

    /// The next `count` bytes as they are.
    /// Passes over `count` bytes (read later by their position).
    public mutating func skip(_ count: Int) throws {
        guard count >= 0, position + count <= bytes.count else { throw Self.malformed }
        position += count
    }

    public mutating func raw(_ count: Int) throws -> [UInt8] {
        guard count >= 0, position + count <= bytes.count else { throw Self.malformed }
        defer { position += count }
        return Array(bytes[position..<(position + count)])
    }

    public mutating func exact() throws -> Exact {
        switch try unsigned() {
        case 0:
            let numerator = try int(), denominator = try int()
            guard denominator != 0 else { throw Self.malformed }
            return Exact(numerator: Int128(numerator), denominator: Int128(denominator))
        case 1:
            guard let value = Exact(fractionText: try string()) else { throw Self.malformed }
            return value
        default:
            throw Self.malformed
        }
    }
}

extension BinaryReader {
    public mutating func location() throws -> SourceLocation {
        SourceLocation(file: try string(), line: try optional { i in try i.int() })
    }
}
