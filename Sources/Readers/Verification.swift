import EditionFiles
import Extract
import Foundation

/// Checks a published yearbook against its manifest: every output as the
/// build wrote it, and, given the input folder, every input as it was read.
public enum Verification {
    /// The mismatches found; empty when the yearbook is what its manifest says.
    public static func verify(edition folder: String, input: String?) throws -> [String] {
        if let input { try InputTree.checkRoot(input) }
        let manifest = try Manifest.load(folder)
        var mismatches: [String] = []
        for entry in manifest.outputs {
            let path = (folder as NSString).appendingPathComponent(entry.file)
            guard let digest = try? FileByteStream.digest(path: path) else {
                mismatches.append("output \(entry.file) is missing")
                continue
            }
            if digest != entry.sha256 { mismatches.append("output \(entry.file) is not what the build wrote") }
        }
        for name in manifest.stale { mismatches.append("output \(name) is stale: a full build would change it") }
        guard let input else { return mismatches }
        var listed = Set<String>()
        for entry in manifest.inputs {
            listed.insert(entry.file)
            let path = (input as NSString).appendingPathComponent(entry.file)
            guard let digest = try? FileByteStream.digest(path: path) else {
                mismatches.append("input \(entry.file) is missing")
                continue
            }
            if digest != entry.sha256 { mismatches.append("input \(entry.file) changed since the build") }
        }
        let tree = try InputTree.scan(root: input, year: manifest.edition)
        for name in (tree.rosters.map(\.name) + tree.submissions.map(\.name)).sorted() where !listed.contains(name) {
            mismatches.append("input \(name) is new since the build")
        }
        return mismatches
    }
}
