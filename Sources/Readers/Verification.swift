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

    /// The command that makes an edition current when it is not what its manifest says (an output stale
    /// after `--chapter`, edited or missing; an input changed since): a full build of its year, written
    /// where the edition is. nil when the folder has no manifest to tell its year.
    public static func remedy(edition folder: String, input: String?) -> String? {
        guard let manifest = try? Manifest.load(folder) else { return nil }
        let year = manifest.edition
        let parent = (folder as NSString).deletingLastPathComponent
        // A build writes <out>/<year>: a folder named otherwise is not where it writes.
        let inPlace = (folder as NSString).lastPathComponent == String(year)
        let out = inPlace ? (parent.isEmpty ? "." : shellWord(parent)) : "DIR"
        return "to make it current, build \(year) again in full (no --chapter): yearbook build --input \(input.map(shellWord) ?? "INPUT") "
            + "--year \(year) --out \(out)" + (inPlace ? "" : " (it writes DIR/\(year))")
    }

    /// A path as one word of a shell command: quoted when it holds anything but plain path characters.
    static func shellWord(_ text: String) -> String {
        let plain = text.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil || "/._-+,:@%".unicodeScalars.contains($0) }
        return plain && !text.isEmpty ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
