import YearbookCore

/// How a target's result is kept in the target cache for the next build, declared with the target
/// (never looked up by its name): the cache writes its own header (magic and key) and hands the rest
/// of the file to the target's coding.
public enum TargetCaching: Sendable {
    /// Encoded whole after the header, and decoded whole from what follows it.
    case bytes(encode: @Sendable (any Sendable, inout BinaryWriter) -> Void, decode: @Sendable ([UInt8]) throws -> any Sendable)
    /// Written in records after the header (a result of tens of megabytes), and read back a record at a time.
    case records(write: @Sendable (any Sendable, BinaryWriter, BufferedFileWriter) throws -> Void,
                 read: @Sendable (BufferedFileReader) throws -> any Sendable)

    /// A result encoded and decoded whole.
    public static func bytes<Value: Sendable>(_: Value.Type, encode: @escaping @Sendable (Value, inout BinaryWriter) -> Void,
                                              decode: @escaping @Sendable ([UInt8]) throws -> Value) -> TargetCaching {
        .bytes(encode: { value, out in encode(value as! Value, &out) }, decode: { try decode($0) })
    }

    /// A result written and read a record at a time.
    public static func records<Value: Sendable>(_: Value.Type,
                                                write: @escaping @Sendable (Value, BinaryWriter, BufferedFileWriter) throws -> Void,
                                                read: @escaping @Sendable (BufferedFileReader) throws -> Value) -> TargetCaching {
        .records(write: { value, header, file in try write(value as! Value, header, file) }, read: { try read($0) })
    }
}
