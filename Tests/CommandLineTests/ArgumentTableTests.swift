import Foundation
import Testing

/// Every subcommand over paths of any length and form and numbers at their type's limits: each works
/// or is a usage error (exit 2) naming the option and the fix, never a crash. Run from a temporary
/// working folder, so that relative paths (`q`, `..`, `输出`) land in it.
extension CommandLineTests {
    struct ArgumentCase: CustomStringConvertible {
        var arguments: [String]
        var status: Int32
        /// Words that the output (stdout or stderr) must hold; "" for none at all (a quiet build that works).
        var phrase: String
        /// For a build that works: where its edition must be, relative to the working folder.
        var edition: String?

        init(_ arguments: [String], _ status: Int32, _ phrase: String, edition: String? = nil) {
            self.arguments = arguments
            self.status = status
            self.phrase = phrase
            self.edition = edition
        }

        var description: String { arguments.map { $0.count > 60 ? "\($0.prefix(20))…(\($0.count) bytes)" : "'\($0)'" }.joined(separator: " ") }
    }

    static let longPath = Array(repeating: String(repeating: "d", count: 200), count: 30).joined(separator: "/")
    static let intMax = String(Int.max), intMin = String(Int.min), tooBig = "99999999999999999999"

    /// Ten full builds (each a different `--out` and `--input` form), then arguments that fail fast or read an edition.
    static let argumentTable: [ArgumentCase] = {
        func build(_ arguments: [String]) -> [String] { ["build"] + arguments + ["--quiet"] }
        let edition = "q/2019", area = "430200", indicator = "DIBAO_PERSONS_U"
        return [
            // Builds that work: the edition lands where --out says.
            ArgumentCase(build(["--input", "i", "--out", "q"]), 0, "", edition: "q/2019"),
            ArgumentCase(build(["--input", "i/", "--out", "z/"]), 0, "", edition: "z/2019"),
            ArgumentCase(build(["--input", "./i", "--out", "z/2"]), 0, "", edition: "z/2/2019"),
            ArgumentCase(build(["--input", "i", "--out", "输出"]), 0, "", edition: "输出/2019"),
            ArgumentCase(build(["--input", "sp ace", "--out", "sp ace o"]), 0, "", edition: "sp ace o/2019"),
            ArgumentCase(build(["--input", "i", "--out", ""]), 0, "", edition: "2019"),
            ArgumentCase(build(["--input", "i", "--out", "./o/../p"]), 0, "", edition: "p/2019"),
            ArgumentCase(build(["--input", "li", "--out", "link/o"]), 0, "", edition: "linked/o/2019"),
            ArgumentCase(build(["--input", "i", "--out", "ABSOLUTE/a"]), 0, "", edition: "a/2019"),
            ArgumentCase(build(["--input", "i", "--out", "m", "--max-decompressed-bytes", intMax, "--max-record-bytes", intMax]), 0, "",
                         edition: "m/2019"),
            ArgumentCase(["build", "--input", "i", "--out", "d", "--dry-run"], 0, "yearbook 2019: full build of d/2019"),
            // --out that cannot be a folder.
            ArgumentCase(build(["--input", "i", "--out", "afile"]), 2,
                         "yearbook: --out afile is a file, not a folder: name a folder for the yearbook\n"),
            ArgumentCase(build(["--input", "i", "--out", "afile/"]), 2,
                         "yearbook: --out afile/ is a file, not a folder: name a folder for the yearbook\n"),
            ArgumentCase(build(["--input", "i", "--out", "afile/x"]), 2,
                         "yearbook: --out afile/x: afile is a file, not a folder: name a folder for the yearbook\n"),
            ArgumentCase(build(["--input", "i", "--out", "dangling/x"]), 2,
                         "yearbook: --out dangling/x: dangling is a symbolic link to nothing: name a folder for the yearbook, or make the link's target\n"),
            ArgumentCase(build(["--input", "i", "--out", "loop/x"]), 2,
                         "yearbook: --out loop/x goes through a loop of symbolic links: name a folder for the yearbook\n"),
            ArgumentCase(build(["--input", "i", "--out", longPath]), 2,
                         "is too long a path for the system (6029 bytes; at most 4095, and 255 for one name): name a shorter folder for the yearbook\n"),
            // --input that is no folder.
            ArgumentCase(build(["--input", "", "--out", "n"]), 2, "yearbook: no such input folder: '' (--input is empty)\n"),
            ArgumentCase(build(["--input", "x", "--out", "n"]), 2, "yearbook: no such input folder: x\n"),
            ArgumentCase(build(["--input", "afile", "--out", "n"]), 2, "yearbook: no such input folder: afile\n"),
            ArgumentCase(build(["--input", longPath, "--out", "n"]), 2, "yearbook: no such input folder: dddd"),
            ArgumentCase(build(["--input", "i", "--out", "n", "--history", ""]), 2, "yearbook: no such folder of earlier editions (--history): \n"),
            ArgumentCase(build(["--input", "i", "--out", "n", "--chapter", ""]), 2, "yearbook: unknown chapter ''; chapters: social-assistance"),
            // The definition is read beside the input tree; its mistakes still come before the tree's.
            ArgumentCase(build(["--input", "i", "--out", "n", "--chapter", "nope", "--year", "0"]), 2,
                         "yearbook: unknown chapter 'nope'; chapters: social-assistance, elderly-care"),
            // Numbers at their limits.
            ArgumentCase(build(["--input", "i", "--out", "n", "--max-decompressed-bytes", "0"]), 2,
                         "Error: --max-decompressed-bytes 0 is not a number of bytes ≥ 1: give a positive limit, or leave the option out for its default\n"),
            ArgumentCase(build(["--input", "i", "--out", "n", "--max-decompressed-bytes", "-1"]), 2, "--max-decompressed-bytes -1 is not a number of bytes ≥ 1"),
            ArgumentCase(build(["--input", "i", "--out", "n", "--max-record-bytes", intMin]), 2, "--max-record-bytes \(intMin) is not a number of bytes ≥ 1"),
            ArgumentCase(build(["--input", "i", "--out", "n", "--max-decompressed-bytes", tooBig]), 2,
                         "Error: The value '\(tooBig)' is invalid for '--max-decompressed-bytes <max-decompressed-bytes>'"),
            ArgumentCase(build(["--input", "i", "--out", "n", "--max-record-bytes", "abc"]), 2,
                         "Error: The value 'abc' is invalid for '--max-record-bytes <max-record-bytes>'"),
            ArgumentCase(build(["--input", "i", "--out", "n", "--year", "-1"]), 2, "yearbook: no folder for -1 in i\n"),
            ArgumentCase(build(["--input", "i", "--out", "n", "--year", "0"]), 2, "yearbook: no folder for 0 in i\n"),
            ArgumentCase(build(["--input", "i", "--out", "n", "--year", intMax]), 2, "yearbook: no folder for \(intMax) in i\n"),
            ArgumentCase(build(["--input", "i", "--out", "n", "--year", intMin]), 2, "yearbook: no folder for \(intMin) in i\n"),
            ArgumentCase(build(["--input", "i", "--out", "n", "--year", tooBig]), 2, "Error: The value '\(tooBig)' is invalid for '--year <year>'"),
            // verify, diff, explain, inspect over the same forms.
            ArgumentCase(["verify", edition, "--input", "i"], 0, "q/2019: every output is as built and every input as read\n"),
            ArgumentCase(["verify", "q"], 2, "yearbook verify: q is not a yearbook edition: no manifest.json\n"),
            ArgumentCase(["verify", ""], 2, "yearbook verify:  is not a yearbook edition: no manifest.json\n"),
            ArgumentCase(["verify", longPath], 2, "is not a yearbook edition: no manifest.json\n"),
            ArgumentCase(["verify", edition, "--input", "x"], 2, "yearbook verify: no such input folder: x\n"),
            ArgumentCase(["verify", edition, "--input", ""], 2, "yearbook verify: no such input folder: '' (--input is empty)\n"),
            ArgumentCase(["diff", edition, "z/2/2019"], 0, "`q/2019` → `z/2/2019`: both editions are of 2019"),
            ArgumentCase(["diff", "q", edition], 2, "yearbook diff: q is not a yearbook edition (no data/observations.csv)\n"),
            ArgumentCase(["diff", edition, longPath], 2, "is not a yearbook edition (no data/observations.csv)\n"),
            ArgumentCase(["diff", edition, "输出/2019", "--limit", "-1"], 2,
                         "Error: --limit -1 is not a number of rows ≥ 0: give 0 or more, or leave it out for 50\n"),
            ArgumentCase(["diff", edition, "输出/2019", "--limit", intMax], 0, "**No differences.**"),
            ArgumentCase(["diff", edition, "输出/2019", "--limit", tooBig], 2, "Error: The value '\(tooBig)' is invalid for '--limit <limit>'"),
            ArgumentCase(["diff", edition, "输出/2019", "--tolerance", "-1"], 2,
                         "yearbook diff: --tolerance '-1' is not a figure ≥ 0 (0.5) or a percentage ≥ 0 (0.5%)\n"),
            ArgumentCase(["explain", edition, area, indicator], 0, "株洲市 Zhuzhou (430200) · 城市低保对象 (DIBAO_PERSONS_U) · 2019 = "),
            ArgumentCase(["explain", "q", area, indicator], 2, "error: q is not an edition with a database: no data/yearbook.sqlite\n"),
            ArgumentCase(["explain", longPath, area, indicator], 2, "is not an edition with a database: no data/yearbook.sqlite\n"),
            ArgumentCase(["explain", edition, "", indicator], 2, "error: unknown area '': neither a code nor a name in the edition's areas\n"),
            ArgumentCase(["explain", edition, area, indicator, "--period", "-1"], 1,
                         "error: 430200 DIBAO_PERSONS_U -1 has no value or status in the edition 2019\n"),
            ArgumentCase(["explain", edition, area, indicator, "--period", intMin], 1, "430200 DIBAO_PERSONS_U \(intMin) has no value or status"),
            ArgumentCase(["explain", edition, area, indicator, "--period", tooBig], 2, "Error: The value '\(tooBig)' is invalid for '--period <period>'"),
            ArgumentCase(["inspect", "i/2019/exports/430212_dibao.csv.gz"], 0, "rows: 3835 read = 3752 accepted + 82 inactive + 1 rejected"),
            ArgumentCase(["inspect", "x"], 1, "x\n  error: x: cannot open: No such file or directory\n"),
            ArgumentCase(["inspect", ""], 1, "  error: : cannot open: No such file or directory\n"),
            ArgumentCase(["inspect", longPath], 1, ": cannot open: File name too long\n"),
            ArgumentCase(["inspect", "--pipeline", "", "i/2019/exports/430212_dibao.csv.gz"], 0, "rows: 3835 read"),
            ArgumentCase(["inspect", "sp ace/areas.csv"], 0, "  kind: area registry\n  areas: 25: 1 province, 14 prefecture, 10 county\n"),
            ArgumentCase(["diff", edition, "z/2/2019", "--format", ""], 2, "Error: --format '' is not a format: give markdown or json\n"),
        ]
    }()

    @Test func everyArgumentWorksOrIsAUsageErrorNamingIt() throws {
        let work = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let files = FileManager.default
        for input in ["i", "sp ace"] {
            try files.copyItem(atPath: Self.repositoryRoot + "/samples/input", toPath: work + "/" + input)
        }
        try files.createSymbolicLink(atPath: work + "/li", withDestinationPath: "i")
        try files.createDirectory(atPath: work + "/linked", withIntermediateDirectories: false)
        try files.createSymbolicLink(atPath: work + "/link", withDestinationPath: "linked")
        try files.createSymbolicLink(atPath: work + "/dangling", withDestinationPath: "nowhere")
        try files.createSymbolicLink(atPath: work + "/loop", withDestinationPath: "loop")
        #expect(files.createFile(atPath: work + "/afile", contents: Data("not a folder\n".utf8)))

        for item in Self.argumentTable {
            let arguments = item.arguments.map { $0.hasPrefix("ABSOLUTE/") ? work + "/" + $0.dropFirst("ABSOLUTE/".count) : $0 }
            let result = try run(arguments, in: work)
            #expect(result.status == item.status, "\(item): \(result.stderr)")
            let output = result.stdout + result.stderr
            #expect(item.phrase.isEmpty ? output.isEmpty : output.contains(item.phrase), "\(item): \(output)")
            if let edition = item.edition {
                #expect(files.fileExists(atPath: work + "/" + edition + "/manifest.json"), "\(item)")
            }
        }
        // Nothing was made by the arguments that failed: no folder n, d or x, the file and the link as they were.
        for name in ["n", "d", "x", "nowhere"] { #expect(!files.fileExists(atPath: work + "/" + name), "\(name)") }
        #expect(files.contents(atPath: work + "/afile") == Data("not a folder\n".utf8))
    }
}
