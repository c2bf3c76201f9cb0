import Foundation
import Testing

/// The real `yearbook` binary, as statisticians and CI call it.
@Suite final class CommandLineTests {
    /// The temporary folders a test made, removed when it ends (each test has an instance of its own).
    private var folders: [String] = []

    deinit {
        for folder in folders { try? FileManager.default.removeItem(atPath: folder) }
    }

    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static var binary: String {
        // CI's exhaustive step runs the long tests on the release binary.
        if let chosen = ProcessInfo.processInfo.environment["YEARBOOK_BINARY"] { return chosen }
        // The test bundle sits beside the products it was built with.
        let beside = Bundle.main.bundleURL.appendingPathComponent("yearbook").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("yearbook").path
    }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    func run(_ arguments: [String], in folder: String = CommandLineTests.repositoryRoot, environment: [String: String] = [:],
             executable: String = CommandLineTests.binary) throws -> Run {
        let process = Process()
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new } }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    func temporaryFolder() -> String {
        let path = NSTemporaryDirectory() + "yearbook-cli-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        folders.append(path)
        return path
    }

    @Test func usageErrorsExitWithTwo() throws {
        let unknownOption = try run(["build", "--no-such-option"])
        #expect(unknownOption.status == 2)
        #expect(unknownOption.stderr.contains("--no-such-option"))
        let unknownChapter = try run(["build", "--chapter", "astrology", "--out", temporaryFolder()])
        #expect(unknownChapter.status == 2)
        #expect(unknownChapter.stderr.contains("unknown chapter 'astrology'"))
        let noInput = try run(["build", "--input", "/no/such/folder"])
        #expect(noInput.status == 2)
        #expect(noInput.stderr.contains("no such input folder: /no/such/folder"))
        let noYear = try run(["build", "--year", "1999", "--out", temporaryFolder()])
        #expect(noYear.status == 2)
    }

    /// Each error's code gives the exit status: usage 2; input, system 1; with the same words as before.
    @Test func errorsExitAsTheirCodeSays() throws {
        let usage = try run(["build", "--input", "/no/such/folder"])
        #expect(usage.status == 2)
        #expect(usage.stderr == "yearbook: no such input folder: /no/such/folder\n")
        let input = try run(["explain", "output/2019", "430200", "DIBAO_PERSONS_U", "--period", "1990"])
        #expect(input.status == 1)
        #expect(input.stderr == "error: 430200 DIBAO_PERSONS_U 1990 has no value or status in the edition 2019\n")
        // /proc takes no new folder, not even root's.
        let system = try run(["build", "--year", "2018", "--out", "/proc/yearbook-out", "--quiet"])
        #expect(system.status == 1)
        #expect(system.stderr == "yearbook: /proc/yearbook-out: cannot create folder: No such file or directory; "
                    + "no edition of 2018 exists in /proc/yearbook-out: nothing was published\n")
    }

    @Test func versionIsTheToolVersion() throws {
        let result = try run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout == "yearbook 0.1.0\n")
    }

    /// As the README's daily use: the binary from another folder, absolute paths, no --pipeline.
    @Test func buildsFromAnotherFolderWithTheDefinitionItWasBuiltWith() throws {
        let elsewhere = temporaryFolder(), out = temporaryFolder()
        let result = try run(["build", "--input", Self.repositoryRoot + "/samples/input", "--year", "2018", "--out", out, "--quiet"],
                             in: elsewhere)
        #expect(result.status == 0)
        #expect(result.stderr == "")
        let built = FileManager.default.contents(atPath: out + "/2018/data/observations.csv")
        #expect(built == FileManager.default.contents(atPath: Self.repositoryRoot + "/output/2018/data/observations.csv"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere) == [])

        let noInput = try run(["build", "--out", out], in: elsewhere)
        #expect(noInput.status == 2)
        #expect(noInput.stderr == "yearbook: no --input given and no samples/input (the repository's samples) in \(elsewhere); "
            + "give --input DIR, the folder that holds areas.csv and the year folders\n")
    }

    @Test func aBrokenDefinitionExitsWithTwoListingEveryProblem() throws {
        let folder = temporaryFolder()
        for name in ["indicators.csv", "chapters.csv"] {
            try FileManager.default.copyItem(atPath: Self.repositoryRoot + "/pipelines/" + name, toPath: folder + "/" + name)
        }
        _ = FileManager.default.createFile(atPath: folder + "/yearbook.yml", contents: Data("""
            title: {zh: 株洲市民政统计年鉴, en: Zhuzhou}
            subject: "430200"
            indicators: indicators.csv
            chapters: chapters.csv
            colums: [value]
            units: {persons: {zh: 人, en: persons}}
            content:
              elderly-care:
                headlines:
                  - {zh: "养老床位{BED_TOTAL}张", en: "{BEDS_TOTAL} beds"}

            """.utf8))
        let out = temporaryFolder()
        let result = try run(["build", "--pipeline", folder + "/yearbook.yml", "--out", out])
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first == "yearbook: the pipeline definition \(folder)/yearbook.yml has 12 errors; nothing is built")
        #expect(lines.contains("\(folder)/yearbook.yml:5:1: unknown key 'colums'; did you mean 'columns'?"))
        #expect(lines.contains("\(folder)/yearbook.yml:10:19: {BED_TOTAL}: unknown indicator 'BED_TOTAL'; did you mean 'BEDS_TOTAL'?"))
        #expect(lines.contains("\(folder)/yearbook.yml:6:1: unit 'households' of DIBAO_HH_U (城市低保户数) has no label under units; its tables would print the code"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out) == [])
    }

    @Test func buildsTheSamplesAndReportsTheAccounting() throws {
        let out = temporaryFolder()
        let result = try run(["build", "--out", out])
        #expect(result.status == 0)
        #expect(result.stderr.contains("yearbook 2019: 36 roster files, 132400 rows = 128533 accepted + 3842 inactive + 25 rejected"))
        for file in ["index.html", "index.md", "data/observations.csv", "data/rankings.csv", "reports/rejects.csv",
                     "reports/validation.md", "reports/validation.json", "chapters/elderly-care.html"] {
            #expect(FileManager.default.fileExists(atPath: "\(out)/2019/\(file)"), "\(file)")
        }
    }

    @Test func dataErrorsExitWithOneNamingTheFile() throws {
        let input = temporaryFolder()
        try FileManager.default.copyItem(atPath: Self.repositoryRoot + "/samples/input/areas.csv", toPath: input + "/areas.csv")
        try FileManager.default.createDirectory(atPath: input + "/2019/exports", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: input + "/2019/exports/430202_dibao.csv.gz", contents: Data([0x1f, 0x8b, 0x08, 0x00]))
        let result = try run(["build", "--input", input, "--out", temporaryFolder(), "--quiet"])
        #expect(result.status == 1)
        #expect(result.stderr == "2019/exports/430202_dibao.csv.gz: error: truncated gzip file: the data ends before the end of the compressed stream\n")
    }

    /// Without --quiet a failed build ends with its error again and says that no edition exists; the
    /// missing figures of the county whose file failed are counted in one line, not listed.
    @Test func aFailedBuildEndsWithItsErrorAndWhatWasPublished() throws {
        let input = temporaryFolder()
        try FileManager.default.copyItem(atPath: Self.repositoryRoot + "/samples/input/areas.csv", toPath: input + "/areas.csv")
        try FileManager.default.createDirectory(atPath: input + "/2019/exports", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: input + "/2019/exports/430202_dibao.csv.gz", contents: Data([0x1f, 0x8b, 0x08, 0x00]))
        let out = temporaryFolder()
        defer { for folder in [input, out] { try? FileManager.default.removeItem(atPath: folder) } }
        let result = try run(["build", "--input", input, "--out", out])
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        let error = "2019/exports/430202_dibao.csv.gz: error: truncated gzip file: the data ends before the end of the compressed stream"
        #expect(lines.first == error)
        // Hetang's 33 indicators of the completeness rule follow from the error; the other counties sent nothing and are listed.
        #expect(lines.contains("33 warnings that follow from the errors above are not listed: 33 规则未通过 rule failed, "
            + "figures that have no value because an error left their year or county without input 因上述错误缺少输入而无值; "
            + "all are in reports/problems.csv"))
        #expect(!lines.contains { $0.hasPrefix("    430202 ") })
        #expect(lines.suffix(2) == [
            error,
            "no edition of 2019 exists in \(out): nothing was published; the reports of this build are in \(out)/2019.failed/reports/",
        ])
    }

    @Test func inspectTellsWhatFilesHold() throws {
        let result = try run(["inspect", "--json", "samples/input/2019/submissions/430200_2019.xml",
                              "samples/input/2019/exports/430212_dibao.csv.gz"])
        #expect(result.status == 0)
        let reports = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(reports.count == 2)
        #expect(reports[0]["file"] as? String == "samples/input/2019/submissions/430200_2019.xml")
        #expect(reports[0]["kind"] as? String == "sdmx")
        #expect(reports[0]["form"] as? String == "StructureSpecificData")
        #expect(reports[0]["series"] as? Int == 7)
        #expect(reports[0]["observations"] as? Int == 7)
        #expect(reports[0]["areas"] as? [String] == ["430200"])
        #expect(reports[1]["kind"] as? String == "roster")
        #expect(reports[1]["encoding"] as? String == "GB18030")
        #expect(reports[1]["rows"] as? Int == 3835)
        #expect(reports[1]["accepted"] as? Int == 3752)
        #expect(reports[1]["inactive"] as? Int == 82)
        #expect(reports[1]["rejected"] as? Int == 1)
        let text = try run(["inspect", "samples/input/2019/exports/430212_dibao.csv.gz"])
        #expect(text.stdout.contains("rows: 3835 read = 3752 accepted + 82 inactive + 1 rejected"))
        #expect(text.stdout.contains("月保障金额（元） → monthly_amount"))
    }

    func copySamples() throws -> String {
        let input = temporaryFolder() + "/input"
        try FileManager.default.copyItem(atPath: Self.repositoryRoot + "/samples/input", toPath: input)
        return input
    }

    func contents(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    /// The committed sample editions: they verify against the samples, and a diff of two years compares the
    /// year both publish and lists its revisions (exit codes in general: EditionExitCodeTests.swift).
    @Test func theCommittedSampleEditionsVerifyAndDiffAcrossYears() throws {
        #expect(try run(["verify", "output/2019", "--input", "samples/input"]).status == 0)
        let years = try run(["diff", "output/2018", "output/2019"])
        #expect(years.status == 1)
        #expect(years.stdout.contains("edition 2018 (periods 2017, 2018) with edition 2019 (periods 2018, 2019): "
            + "the figures of 2018 as each published them; year-over-year movements are not differences."))
        #expect(years.stdout.contains("| figures revised (修订) | 4 |"))
        #expect(years.stdout.contains("| 株洲市 430200 | 养老床位数 BEDS_TOTAL | 2018 | 26656 | 26742 | 86 | 0.32% | A | aggregated |"))
    }

    @Test func anOutputInsideTheInputTreeIsRefusedAndNothingIsTouched() throws {
        let input = try copySamples()
        let before = contents(input + "/2019/exports/430202_dibao.csv.gz")
        // One word slipped: --out is the input tree itself.
        let result = try run(["build", "--input", input, "--year", "2019", "--out", input])
        #expect(result.status == 2)
        #expect(result.stderr.contains("which is the input tree's"))
        #expect(contents(input + "/2019/exports/430202_dibao.csv.gz") == before)
        // The input tree kept in a folder named 2019, --out its parent.
        let parent = temporaryFolder()
        try FileManager.default.moveItem(atPath: input, toPath: parent + "/2019")
        let nested = try run(["build", "--input", parent + "/2019", "--year", "2019", "--out", parent])
        #expect(nested.status == 2)
        #expect(FileManager.default.fileExists(atPath: parent + "/2019/areas.csv"))
    }

    @Test func aFolderThatIsNotAnEditionIsNeverReplaced() throws {
        let out = temporaryFolder()
        try FileManager.default.createDirectory(atPath: out + "/2019", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: out + "/2019/my-notes.txt", contents: Data("mine\n".utf8))
        let result = try run(["build", "--out", out])
        #expect(result.status == 2)
        #expect(result.stderr.contains("exists but is not an edition this tool wrote"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out + "/2019") == ["my-notes.txt"])
    }

    @Test func theDryRunWritesNothing() throws {
        let out = temporaryFolder()
        let plan = try run(["build", "--out", out, "--dry-run"])
        #expect(plan.status == 0)
        #expect(plan.stdout.hasPrefix("yearbook 2019: full build of \(out)/2019\n"))
        #expect(plan.stdout.contains("  extract:2018/exports/430202_dibao.csv.gz: not built before\n"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out) == [])
    }

    /// Long runs (every kill point, two million rows) are CI's own step: `YEARBOOK_EXHAUSTIVE=1`.
    static let exhaustive = ProcessInfo.processInfo.environment["YEARBOOK_EXHAUSTIVE"] == "1"

    /// Kill points: the build is killed before each of its file-system changes in turn
    /// (YEARBOOK_FAULT_AT); the edition is then always the old one or the new one,
    /// whole, and the next build recovers. `swift test` tries a sample that holds every
    /// kind of call at every place it touches (see `killPoints`); CI's exhaustive step tries all.
    @Test func aKillAtAnyFileSystemCallLeavesAWholeEdition() throws {
        let input = try copySamples(), out = temporaryFolder()
        #expect(try run(["build", "--input", input, "--out", out, "--quiet"]).status == 0)
        let old = contents(out + "/2019/data/observations.csv")
        // A county's correction, then a chapter regeneration and a full build, each killed at every point.
        let corrected = input + "/2019/exports/430203_dibao.csv.gz"
        let unzipped = try #require(shell("gzip -dc \(corrected)"))
        let fixed = unzipped.replacingOccurrences(of: "4302030000561,430203,城镇,1,234.00,", with: "4302030000561,430203,城镇,1,334.00,")
        #expect(fixed != unzipped)
        _ = FileManager.default.createFile(atPath: corrected + ".csv", contents: Data(fixed.utf8))
        _ = shell("gzip -c \(corrected).csv > \(corrected) && rm \(corrected).csv")
        let reference = temporaryFolder()
        #expect(try run(["build", "--input", input, "--out", reference, "--quiet"]).status == 0)
        let new = contents(reference + "/2019/data/observations.csv")
        #expect(new != old)
        var tried = 0
        for job in [["--chapter", "social-assistance"], []] {
            let traced = temporaryFolder()
            _ = shell("cp -a \(out)/. \(traced)/")
            let trace = try run(["build", "--input", input, "--out", traced, "--quiet"] + job, environment: ["YEARBOOK_FAULT_TRACE": "1"])
            let calls = trace.stderr.split(separator: "\n").filter { $0.hasPrefix("yearbook fault point") }.map(String.init)
            let points = calls.count
            #expect(points > 20)
            let chosen = Self.exhaustive ? Array(1...points) : Self.killPoints(calls)
            #expect(Self.exhaustive || (chosen.count >= 20 && chosen.count < points))
            // What verify says of the job's own edition: nothing after a full build; after --chapter, the
            // outputs it lists stale (the workbook, which holds the corrected chapter).
            let verifiedJob = try run(["verify", traced + "/2019"])
            #expect(job.isEmpty ? verifiedJob.status == 0
                                : verifiedJob.stdout == "output yearbook.xlsx is stale: a full build would change it\n")
            let finished = verifiedJob.stdout
            for point in chosen {
                let copy = temporaryFolder()
                _ = shell("cp -a \(out)/. \(copy)/")
                let killed = try run(["build", "--input", input, "--out", copy, "--quiet"] + job, environment: ["YEARBOOK_FAULT_AT": String(point)])
                #expect(killed.status == 137)
                // The old edition (whole) or the job's (whole, with what it lists stale).
                let verified = try run(["verify", copy + "/2019"])
                #expect(verified.status == 0 || verified.stdout == finished, "after a kill at point \(point) of \(job): \(verified.stdout)")
                let observations = contents(copy + "/2019/data/observations.csv")
                #expect(observations == old || observations == new, "point \(point)")
                #expect(verified.status == 0 || observations == new, "point \(point): the old edition must verify clean")
                let next = try run(["build", "--input", input, "--out", copy, "--quiet"])
                #expect(next.status == 0)
                #expect(contents(copy + "/2019/data/observations.csv") == new)
                #expect(try FileManager.default.contentsOfDirectory(atPath: copy).filter { $0.hasPrefix(".2019.building") } == [])
                tried += 1
            }
        }
        #expect(tried > 40)
    }

    /// A sample of the traced points (`yearbook fault point N: CALL PATH`) that covers every kind of
    /// call in every place (the lock, the cache, the staging folder, the edition): the first and the
    /// last of each, and every point next to the swap of the staging folder for the edition.
    static func killPoints(_ trace: [String]) -> [Int] {
        var groups: [String: [Int]] = [:], swaps: [Int] = []
        for line in trace {
            let words = line.dropFirst("yearbook fault point ".count).split(separator: " ", maxSplits: 2)
            guard words.count >= 2, let number = Int(words[0].dropLast()) else { continue }
            let call = String(words[1]), path = words.count > 2 ? String(words[2]) : ""
            let place = path.contains(".yearbook-cache") ? "cache" : path.contains(".building-") ? "staging"
                : path.contains(".yearbook-lock") ? "lock" : "edition"
            groups[call + " " + place, default: []].append(number)
            // The staging folder itself renamed: the moment the new edition takes the old one's place.
            if call.hasPrefix("rename"), path.split(separator: "/").last?.contains(".building-") == true { swaps.append(number) }
        }
        var chosen = Set(groups.values.flatMap { [$0.min()!, $0.max()!] })
        for swap in swaps { chosen.formUnion((swap - 2)...(swap + 2)) }
        return chosen.filter { $0 >= 1 && $0 <= trace.count }.sorted()
    }

    /// Rejected rows are spooled to disk, not held: 2,000,000 of them in one roster
    /// took 1.29 GB of peak memory when they were kept in an array. The bound, 150 MB,
    /// is four times what the build takes with them spooled (38 MB) and less than
    /// 80 bytes a row: any per-row growth (a row held is 100 bytes and more) exceeds it.
    @Test(.enabled(if: exhaustive, "two million rows: CI's exhaustive step, on the release binary"))
    func twoMillionRejectedRowsBuildInBoundedMemory() throws {
        let input = temporaryFolder(), out = temporaryFolder()
        try FileManager.default.copyItem(atPath: Self.repositoryRoot + "/samples/input/areas.csv", toPath: input + "/areas.csv")
        try FileManager.default.createDirectory(atPath: input + "/2019/exports", withIntermediateDirectories: true)
        let roster = input + "/2019/exports/430202_dibao.csv"
        let rows = "household_id,area_code,category,members,monthly_amount,status\n4302020000001,430202,U,2,300.00,active\n"
            + String(repeating: ",430202,U,2,10,active\n", count: 2_000_000)
        _ = FileManager.default.createFile(atPath: roster, contents: Data(rows.utf8))
        #expect(shell("gzip -n \(roster)") != nil)
        let measured = out + "/peak-kb"
        let build = try run(["-f", "%M", "-o", measured, Self.binary, "build", "--input", input, "--year", "2019",
                             "--out", out, "--quiet"], executable: "/usr/bin/time")
        // Every row but one rejected: the file is judged broken (exit 1), its reports are the failed build's.
        #expect(build.status == 1, "\(build.stderr)")
        #expect(build.stderr.contains("2019/exports/430202_dibao.csv.gz: error: 2000000 of 2000001 rows (100.00%) rejected"))
        // time(1) writes "Command exited with non-zero status 1" before the figure.
        let peak = String(decoding: contents(measured) ?? Data(), as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
        let peakKB = try #require(Int(peak))
        #expect(peakKB < 150_000, "peak resident memory \(peakKB) kB")
        let inputs = try #require(contents(out + "/2019.failed/reports/inputs.json"))
        let accounting = try #require(try JSONSerialization.jsonObject(with: inputs) as? [String: Any])
        let totals = try #require(accounting["totals"] as? [String: Any])
        #expect(totals["rejected"] as? Int == 2_000_000)
        #expect(totals["rowsRead"] as? Int == 2_000_001)
        let rejects = try #require(FileManager.default.attributesOfItem(atPath: out + "/2019.failed/reports/rejects.csv")[.size] as? Int)
        // The header, then each row once: file, its line (3 to 2,000,002), reason and the record.
        let row = "2019/exports/430202_dibao.csv.gz,,missing household_id,\",430202,U,2,10,active\"\n".utf8.count
        let lineDigits = (3...2_000_002).reduce(0) { $0 + String($1).utf8.count }
        #expect(rejects == "file,line,reason,raw\n".utf8.count + 2_000_000 * row + lineDigits)
    }

    @discardableResult
    func shell(_ command: String) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let out = Pipe()
        process.standardOutput = out
        try? process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
    }

    @Test func explainTracesAFigureOfTheCommittedEdition() throws {
        let text = try run(["explain", "output/2019", "株洲市", "城市低保对象"])
        #expect(text.status == 0)
        let lines = text.stdout.split(separator: "\n").map(String.init)
        // The committed edition's database may predate the published line (its change): the figure leads either way.
        #expect(lines.first?.hasPrefix("株洲市 Zhuzhou (430200) · 城市低保对象 (DIBAO_PERSONS_U) · 2019 = 35,348 persons [A, aggregated]") == true)
        #expect(lines.filter { $0.contains("roster 2019/exports/") }.count == 9)
        #expect(lines.contains("   └─ 醴陵市 Liling (430281) = 7,231 persons [A, dibao]"))
        let json = try run(["explain", "output/2019", "430212", "DIBAO_PERSONS_U", "--period", "2018", "--json"])
        #expect(json.status == 0)
        let figure = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])["figure"] as? [String: Any]
        #expect(figure?["value"] as? String == "1379")
        let steps = figure?["steps"] as? [[String: Any]] ?? []
        #expect(steps.map { $0["file"] as? String } == ["2018/exports/430212_dibao.csv.gz"])
        let unknownArea = try run(["explain", "output/2019", "火星市", "DIBAO_PERSONS_U"])
        #expect(unknownArea.status == 2)
        #expect(unknownArea.stderr == "error: unknown area '火星市': neither a code nor a name in the edition's areas\n")
        #expect(try run(["explain", "output/2019", "430200", "NO_SUCH"]).status == 2)
    }

    /// Explain on a fresh sample edition: the published figure first, a part of a name answered with the
    /// candidates (exit 2), an empty figure explained (exit 0).
    @Test func explainAnswersWhatIsAsked() throws {
        let out = temporaryFolder()
        #expect(try run(["build", "--out", out, "--quiet"]).status == 0)
        let published = try run(["explain", out + "/2019", "株洲市", "城市低保月人均救助水平"])
        #expect(published.status == 0)
        #expect(published.stdout.hasPrefix("株洲市 Zhuzhou (430200) · 城市低保月人均救助水平 (DIBAO_PC_U) · 2019 = "
                                           + "374 yuan/person-month (373.6200, rounded to 0 decimals) [A, derived]; +6.1% on 2018 (352); rank 1/1, =\n"))
        let partOfAName = try run(["explain", out + "/2019", "株洲", "低保对象"])
        #expect(partOfAName.status == 2)
        #expect(partOfAName.stdout == "")
        #expect(partOfAName.stderr == "error: unknown area '株洲': did you mean 株洲市 Zhuzhou (430200), 株洲县 Zhuzhou County (430221)? "
                + "give the code or the full name; unknown indicator '低保对象': did you mean 农村低保对象 Rural minimum-allowance recipients "
                + "(DIBAO_PERSONS_R), 城市低保对象 Urban minimum-allowance recipients (DIBAO_PERSONS_U)? give the code or the full name\n")
        let empty = try run(["explain", out + "/2019", "430200", "AGE80_ALLOWANCE", "--period", "2018"])
        #expect(empty.status == 0)
        #expect(empty.stdout.hasPrefix("株洲市 Zhuzhou (430200) · 高龄津贴领取人数 (AGE80_ALLOWANCE) · 2018 = no value\n"
                                       + "   no sum: 1 of its 9 areas has no value (炎陵县 430225), so no sum is given\n"))
        #expect(empty.stdout.contains("   ├─ 炎陵县 Yanling (430225) = missing [M, submission]\n"))
    }

    /// The registry is described as a registry: its levels, successions and problems.
    @Test func inspectDescribesTheAreaRegistry() throws {
        let registry = try run(["inspect", "samples/input/areas.csv"])
        #expect(registry.status == 0)
        #expect(registry.stdout == """
            samples/input/areas.csv
              kind: area registry
              areas: 25: 1 province, 14 prefecture, 10 county
              successions: 430221 株洲县 → 430212 渌口区 (valid to 2017)
              problems: none

            """)
        let folder = temporaryFolder()
        _ = FileManager.default.createFile(atPath: folder + "/areas.csv", contents: Data(
            "code,name_zh,name_en,level,parent,valid_from,valid_to,successor\n430000,湖南省,Hunan,province,,,,\n430200,株洲市,Zhuzhou,prefecture,439999,,,\n".utf8))
        let broken = try run(["inspect", folder + "/areas.csv"])
        #expect(broken.stdout.hasSuffix("  problems: 1\n    \(folder)/areas.csv:3: error: parent 439999 of 430200 is not in the registry\n"))
    }

    /// The sqlite3 shell prints the observations table as observations.csv, byte for byte (the exact digits).
    @Test func databaseOpensInTheSQLiteShell() throws {
        let edition = temporaryFolder()
        #expect(try run(["build", "--out", edition, "--quiet"]).status == 0)
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        shell.arguments = ["sqlite3", "-header", "-csv", edition + "/2019/data/yearbook.sqlite",
                           "SELECT area_code, indicator, period, value_exact AS value, status, source FROM observations"]
        let out = Pipe()
        shell.standardOutput = out
        try shell.run()
        let printed = out.fileHandleForReading.readDataToEndOfFile()
        shell.waitUntilExit()
        #expect(shell.terminationStatus == 0, "needs the sqlite3 shell (apt-get install sqlite3), as .ci/run installs it")
        let csv = try #require(FileManager.default.contents(atPath: edition + "/2019/data/observations.csv"))
        #expect(String(decoding: printed, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n") == String(decoding: csv, as: UTF8.self))
    }
}
