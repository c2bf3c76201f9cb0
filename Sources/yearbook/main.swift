import ArgumentParser
import Foundation
import YearbookCore

POSIX.configureAllocator()

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
