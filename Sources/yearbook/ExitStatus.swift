import ArgumentParser
import YearbookCore

extension YearbookError.Code {
    /// The one mapping of an error's code to the exit status (contract section 7): 2 for how the tool
    /// was called, its pipeline definition included (checked whole before anything is read); 1 for the rest.
    var exitStatus: Int32 {
        switch self {
        case .usage, .definition: return 2
        case .input, .system, .internal: return 1
        }
    }
}

/// Prints `text`, the error in the command's words, on stderr; the exit its code calls for.
func failure(_ error: YearbookError, printing text: String) -> ExitCode {
    printError(text)
    return ExitCode(error.code.exitStatus)
}
