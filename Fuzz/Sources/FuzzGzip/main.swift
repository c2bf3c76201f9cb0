import Extract

// Any bytes as a gzip file, read by ISA-L and by zlib: both must give the same
// bytes, or fail with the same error (a small decompressed-size limit, so that
// bombs are cheap and the limit is exercised too). Built without ISA-L, this
// checks zlib alone against crashes.
let limits = ReadLimits(maxDecompressedBytes: 1 << 20, maxRecordBytes: 1 << 20)

struct Outcome: Equatable {
    var bytes: [UInt8] = []
    var error: ExtractError?
}

func read(_ input: [UInt8], _ inflater: Inflater) -> Outcome {
    let stream = MemoryByteStream.opening(input, name: "fuzz.csv.gz", limits: limits, inflater: inflater)
    var outcome = Outcome()
    var buffer = [UInt8](repeating: 0, count: 4093)
    do {
        while true {
            let count = try buffer.withUnsafeMutableBytes { try stream.read(into: $0) }
            if count == 0 { return outcome }
            outcome.bytes += buffer[0..<count]
        }
    } catch let error as ExtractError {
        // The bytes given before an error are not compared: a file that fails is rejected whole.
        return Outcome(error: error)
    } catch {
        preconditionFailure("unexpected error type: \(error)")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGzip(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    // Every input is read as gzip: the magic bytes are put in front when missing.
    var input = Array(UnsafeRawBufferPointer(start: start, count: count))
    if !input.starts(with: [0x1f, 0x8b]) { input = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3] + input }
    let outcomes = Inflater.available.map { read(input, $0) }
    precondition(outcomes.allSatisfy { $0 == outcomes[0] }, "ISA-L and zlib disagree")
    return 0
}
