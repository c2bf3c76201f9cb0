import Foundation
import YearbookCore

/// What `yearbook build` reads when it is not told: the repository's
/// samples when run inside the repository, and from any other folder the
/// definition found from the input tree or the one the binary was built with.
public enum Defaults {
    public static let input = "samples/input"
    public static let out = "output"

    /// The input folder: the one given, or the samples when the current folder holds them.
    public static func input(_ given: String?) throws -> String {
        if let given { return given }
        guard POSIX.exists(SystemPath(input)) else {
            throw YearbookError.usage("no --input given and no \(input) (the repository's samples) in \((try? POSIX.currentFolder()) ?? "."); "
                + "give --input DIR, the folder that holds areas.csv and the year folders")
        }
        return input
    }

    /// The places a definition is looked for, in order: the current folder's
    /// `pipelines/` (the repository), the input tree's own (`<input>/pipelines/`,
    /// `<input>/../pipelines/`), and the sample definition of the checkout the
    /// binary was built from, so that the binary works from any folder.
    public static func pipelineCandidates(input: String?) -> [String] {
        var candidates = ["pipelines/yearbook.yml"]
        if let input {
            candidates.append((input as NSString).appendingPathComponent("pipelines/yearbook.yml"))
            candidates.append((SystemPath.parent(of: input) as NSString).appendingPathComponent("pipelines/yearbook.yml"))
        }
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(checkout.appendingPathComponent("pipelines/yearbook.yml").path)
        return candidates
    }

    /// The definition: the one given, or the first of `pipelineCandidates` that exists.
    public static func pipeline(_ given: String?, input: String?) throws -> String {
        if let given { return given }
        let candidates = pipelineCandidates(input: input)
        guard let found = candidates.first(where: { POSIX.exists(SystemPath($0)) }) else {
            throw YearbookError.usage("no pipeline definition given and none found (looked for \(candidates.joined(separator: ", "))); "
                + "give --pipeline FILE")
        }
        return found
    }
}
