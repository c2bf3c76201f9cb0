import Foundation
import YearbookCore

/// A throw-away input tree in a temporary folder.
public final class TestTree {
    public let root: String

    public init() {
        root = NSTemporaryDirectory() + "yearbook-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    public func path(_ relative: String) -> String { (root as NSString).appendingPathComponent(relative) }

    @discardableResult
    public func write(_ relative: String, _ bytes: [UInt8]) -> String {
        let full = path(relative)
        try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: full, contents: Data(bytes))
        return full
    }

    @discardableResult
    public func write(_ relative: String, _ text: String) -> String { write(relative, Array(text.utf8)) }

    /// Waits (a few milliseconds at most) until the clock files are stamped with has passed the change time
    /// of every file here: a build that looks at a file in the tick it was written in does not trust its
    /// stamp (git's racily clean files) and hashes it again next time.
    public func settle() {
        let latest = FileManager.default.subpaths(atPath: root)!.compactMap { try? POSIX.stamp(SystemPath(path($0))) }
            .map { max($0.modified, $0.changed) }.max() ?? 0
        while POSIX.fileSystemClock() <= latest { usleep(1_000) }
    }

    /// A published edition at `folder` (a manifest of this tool's) holding `file` with `text`.
    @discardableResult
    public func writeEdition(_ folder: String, file: String, _ text: String) -> String {
        write(folder + "/manifest.json", #"{"edition":2019,"tool":"yearbook test","pipeline":{"file":"","bytes":0,"sha256":""},"pipelineFiles":[],"inputs":[],"outputs":[],"stale":[]}"# + "\n")
        return write(folder + "/" + file, text)
    }

    /// Writes `bytes` gzipped (one member per element of `members`).
    @discardableResult
    public func writeGzip(_ relative: String, members: [[UInt8]]) -> String {
        write(relative, members.flatMap(gzip))
    }

    @discardableResult
    public func writeGzip(_ relative: String, _ text: String) -> String { writeGzip(relative, members: [Array(text.utf8)]) }

    /// The repository's definition copied into this tree, allowing any share of rejected rows and withholding no
    /// small cell: for tests of what becomes of rejected rows, whose small files have more of them than a build lets
    /// through, and figures counted from a household or two.
    public func pipelineAllowingAnyRejects() -> String {
        for file in ["indicators.csv", "chapters.csv"] {
            write("pipelines/" + file, Array(FileManager.default.contents(atPath: repositoryRoot + "/pipelines/" + file)!))
        }
        let definition = String(decoding: FileManager.default.contents(atPath: pipelinePath)!, as: UTF8.self)
        precondition(definition.contains("max_rejected_share: 10%") && definition.contains("min_units: 3"))
        return write("pipelines/yearbook.yml", definition.replacingOccurrences(of: "max_rejected_share: 10%", with: "max_rejected_share: 100%")
            .replacingOccurrences(of: "min_units: 3", with: "min_units: 0"))
    }

    public static let zhuzhouAreas = """
        code,name_zh,name_en,level,parent,valid_from,valid_to,successor
        430000,湖南省,Hunan,province,,,,
        430100,长沙市,Changsha,prefecture,430000,,,
        430200,株洲市,Zhuzhou,prefecture,430000,,,
        430202,荷塘区,Hetang,county,430200,,,
        430203,芦淞区,Lusong,county,430200,,,
        430212,渌口区,Lukou,county,430200,2018,,
        430221,株洲县,Zhuzhou County,county,430200,,2017,430212

        """
}

/// The repository root (for the pipeline definition and the samples).
public let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

public let pipelinePath = repositoryRoot + "/pipelines/yearbook.yml"

/// The repository's definition without its small-cell rule (`disclosure.min_units: 0`), for tests of other
/// behaviour whose rosters hold a household or two: under the rule their figures would be withheld from
/// the pages and data those tests read.
public let pipelinePublishingSmallCells: String = {
    let folder = Scratch.folder("pipelines")
    for file in ["indicators.csv", "chapters.csv"] {
        try! FileManager.default.copyItem(atPath: repositoryRoot + "/pipelines/" + file, toPath: folder + "/" + file)
    }
    let definition = String(decoding: FileManager.default.contents(atPath: pipelinePath)!, as: UTF8.self)
    precondition(definition.contains("min_units: 3"))
    let path = folder + "/yearbook.yml"
    try! Data(definition.replacingOccurrences(of: "min_units: 3", with: "min_units: 0").utf8).write(to: URL(fileURLWithPath: path))
    return path
}()
