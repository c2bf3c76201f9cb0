import Foundation
import Testing
import YearbookCore
#if canImport(Glibc)
import Glibc
import YearbookTestSupport
#endif

/// The one home of raw POSIX calls: errors name the path and say the system's words; faults can be injected.
@Suite struct POSIXTests {
    @Test func pathsThatAreNotUTF8AreShownEscaped() {
        let path = SystemPath(bytes: [0x32, 0x30, 0x31, 0x39, 0x2F, 0xB9, 0xFA, 0x0A, 0x5C, 0x2E, 0x78, 0x6D, 0x6C])
        #expect(path.text == nil)
        #expect(path.description == "2019/\\xB9\\xFA\\x0A\\\\.xml")
        #expect(SystemPath("株洲/a.xml").description == "株洲/a.xml")
    }

    /// Foundation's `deletingLastPathComponent` traps on a one-character relative name (`--out q`); this does not.
    @Test func theParentOfAPathIsCutAtItsLastSlash() {
        let cases: [(path: String, parent: String)] = [
            ("q", ""), ("q/", ""), ("q//", ""), (".", ""), ("..", ""), ("输出", ""), ("输出/", ""), ("", ""),
            ("z/2", "z"), ("a/b/", "a"), ("a//b", "a"), ("./q", "."), ("../q", ".."), ("sp ace/输出", "sp ace"),
            ("/q", "/"), ("/", "/"), ("//", "/"), ("/a/b", "/a"), ("/a/b//", "/a"),
        ]
        for (path, parent) in cases { #expect(SystemPath.parent(of: path) == parent, "parent of '\(path)'") }
        #expect(SystemPath(bytes: [0x61, 0x2F, 0xB9, 0x2F, 0x62]).parent == SystemPath(bytes: [0x61, 0x2F, 0xB9]))
    }

    @Test func threadCPUTimeCountsWorkAndNotWaiting() {
        let beforeSleep = POSIX.threadCPUTime()
        usleep(200_000)
        let slept = POSIX.threadCPUTime() - beforeSleep
        let beforeWork = POSIX.threadCPUTime()
        let start = DispatchTime.now()
        var sum: UInt64 = 0
        while DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds < 50_000_000 { sum &+= start.uptimeNanoseconds }
        let worked = POSIX.threadCPUTime() - beforeWork
        #expect(sum != 0)
        // 0.2 s asleep costs next to no CPU time; 50 ms of spinning costs at most 50 ms of it (less when descheduled).
        #expect(slept < 20_000_000)
        #expect(worked > 0 && worked <= 60_000_000)
    }

    @Test func failedCallsNameThePathAndTheSystemsWords() throws {
        let tree = TestTree()
        let missing = SystemPath(tree.path("missing.csv"))
        #expect(throws: YearbookError.system(call: "open", path: missing, errno: ENOENT)) { try POSIX.open(missing, O_RDONLY) }
        #expect(YearbookError.system(call: "open", path: missing, errno: ENOENT).description
                    == "\(tree.path("missing.csv")): cannot open: No such file or directory")
        let renamed = YearbookError.system(call: "rename", path: "a", otherPath: "b", errno: EXDEV)
        #expect(renamed.description == "cannot rename a to b: Invalid cross-device link")
    }

    @Test func anInjectedFaultFailsTheCallWithThatErrno() throws {
        let tree = TestTree()
        let target = tree.path("full-disk.csv")
        POSIX.faultInjector = { call, path in call == "write" && path == target ? ENOSPC : nil }
        defer { POSIX.faultInjector = nil }
        let descriptor = try POSIX.open(SystemPath(target), O_WRONLY | O_CREAT | O_TRUNC)
        defer { try? POSIX.close(descriptor, path: SystemPath(target)) }
        let error = #expect(throws: YearbookError.self) {
            try [UInt8]("1,2\n".utf8).withUnsafeBytes { try POSIX.write(descriptor, $0, path: SystemPath(target)) }
        }
        #expect(error?.description == "\(target): cannot write: No space left on device")
        #expect(try POSIX.fstat(descriptor, path: SystemPath(target)).st_size == 0)
    }

    @Test func exchangeSwapsTwoFoldersAtomically() throws {
        let tree = TestTree()
        tree.write("old/index.md", "old\n")
        tree.write("new/index.md", "new\n")
        try POSIX.renameat2(SystemPath(tree.path("new")), SystemPath(tree.path("old")), flags: POSIX.renameExchange)
        #expect(try String(contentsOfFile: tree.path("old/index.md"), encoding: .utf8) == "new\n")
        #expect(try String(contentsOfFile: tree.path("new/index.md"), encoding: .utf8) == "old\n")
        #expect(throws: YearbookError.system(call: "rename", path: SystemPath(tree.path("new")), otherPath: SystemPath(tree.path("old")),
                                             errno: EEXIST)) {
            try POSIX.renameat2(SystemPath(tree.path("new")), SystemPath(tree.path("old")), flags: POSIX.renameNoReplace)
        }
    }

    @Test func regularFilesAreListedThroughSubfoldersWithoutFollowingLinks() throws {
        let tree = TestTree()
        tree.write("index.md", "")
        tree.write("data/tables/elderly-care.json", "{}")
        tree.write("data/areas.csv", "")
        tree.write("elsewhere/secret.txt", "")
        let folder = SystemPath(tree.path("edition"))
        try POSIX.makeFolders(folder.appending("chapters"))
        tree.write("edition/chapters/a.md", "")
        try POSIX.symlink(target: SystemPath(tree.path("elsewhere")), at: folder.appending("linked"))
        try POSIX.symlink(target: SystemPath(tree.path("nowhere")), at: folder.appending("dangling"))
        #expect(try POSIX.regularFiles(under: folder) == ["chapters/a.md"])
        #expect(try POSIX.regularFiles(under: SystemPath(tree.root)).filter { !$0.hasPrefix("edition/") }
                    == ["data/areas.csv", "data/tables/elderly-care.json", "elsewhere/secret.txt", "index.md"])
        #expect(POSIX.exists(folder.appending("linked")))
        #expect(!POSIX.exists(folder.appending("dangling")))
    }

    @Test func folderEntriesAreBytesInByteOrder() throws {
        let tree = TestTree()
        tree.write("b.xml", "")
        tree.write("a.xml", "")
        let folder = SystemPath(tree.root)
        let latin1 = folder.appending([0xE9, 0x2E, 0x78, 0x6D, 0x6C])
        let descriptor = try POSIX.open(latin1, O_WRONLY | O_CREAT)
        try POSIX.close(descriptor, path: latin1)
        try POSIX.mkdir(folder.appending("sub"))
        #expect(try POSIX.folderEntries(folder) == [Array("a.xml".utf8), Array("b.xml".utf8), Array("sub".utf8),
                                                    [0xE9, 0x2E, 0x78, 0x6D, 0x6C]])
        #expect(FileKind(mode: try POSIX.lstat(latin1).st_mode) == .regular)
        #expect(FileKind(mode: try POSIX.stat(folder.appending("sub")).st_mode) == .folder)
        try POSIX.unlink(latin1)
        try POSIX.rmdir(folder.appending("sub"))
        #expect(try POSIX.folderEntries(folder) == [Array("a.xml".utf8), Array("b.xml".utf8)])
    }
}
