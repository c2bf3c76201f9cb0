// swift-tools-version:5.4
import PackageDescription

// libFuzzer targets for the readers of untrusted input, for gzip inflation and for exact arithmetic on what they read. Built only by
// Fuzz/run (with -sanitize=fuzzer,address), never by the main package.
// Tools version 5.4: later versions rename an executable's entry point for
// testability, which clashes with libFuzzer providing main().
let package = Package(
    name: "YearbookFuzz",
    dependencies: [.package(name: "yearbook", path: "..")],
    targets: [
        .executableTarget(name: "FuzzRoster", dependencies: [.product(name: "YearbookReaders", package: "yearbook")]),
        .executableTarget(name: "FuzzSDMX", dependencies: [.product(name: "YearbookReaders", package: "yearbook")]),
        // Differential: ISA-L against zlib on the same bytes.
        .executableTarget(name: "FuzzGzip", dependencies: [.product(name: "YearbookReaders", package: "yearbook")]),
        .executableTarget(name: "FuzzExact", dependencies: [.product(name: "YearbookReaders", package: "yearbook")]),
    ]
)
