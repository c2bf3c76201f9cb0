import ArgumentParser
import Foundation
import YearbookCore

#if canImport(Glibc)
// Buffers of 1 MiB and more (a national build's reports) are mapped on their
// own and given back to the system when freed: glibc would otherwise raise
// this threshold after the first such free and keep them resident (a national
// build's peak RSS: 218 MB without, 189 MB with). <malloc.h> is not in Swift's
// Glibc module, hence the declaration.
@_silgen_name("mallopt") func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
let mallocMmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD in glibc's <malloc.h>
_ = mallopt(mallocMmapThreshold, 1 << 20)
#endif

// Exit codes are the contract's (section 7): 0 success, 1 errors in the data
// or differences found, 2 a usage error. A `YearbookError` exits as its code
// says (ExitStatus.swift); ArgumentParser's own usage exit code (64) is mapped to 2 here.
do {
    var command = try YearbookCommand.parseAsRoot()
    try command.run()
} catch let code as ExitCode {
    exit(code.rawValue)
} catch let error as YearbookError {
    FileHandle.standardError.write(Data("yearbook: \(error)\n".utf8))
    exit(error.code.exitStatus)
} catch {
    let code = YearbookCommand.exitCode(for: error)
    let message = YearbookCommand.fullMessage(for: error)
    if code == .success {
        print(message)
        exit(0)
    }
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}
