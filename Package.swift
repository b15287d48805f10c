// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "worth",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "worth", targets: ["worth"]),
        .library(name: "WorthEngine", targets: ["WorthEngine"]),
    ],
    targets: [
        // The engine: data, models, valuators, evaluation. No terminal code.
        .target(name: "WorthEngine"),
        // The terminal workbench: view models drawn into a character grid (testable without a
        // terminal) and one ncurses backend that shows the grid.
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        .target(name: "WorthTUI", dependencies: ["WorthEngine", "CNcurses"], exclude: ["README.md"]),
        // The command line: argument parsing, the commands, progress on stderr. A library so
        // that its parser and help are unit-tested; `worth` only calls it.
        .target(name: "WorthCLI", dependencies: ["WorthEngine", "WorthTUI"]),
        .executableTarget(name: "worth", dependencies: ["WorthCLI"]),
        // Fixtures the test targets share: the repository's files, temporary directories.
        .target(name: "WorthTestSupport", path: "Tests/WorthTestSupport"),
        .testTarget(name: "WorthEngineTests", dependencies: ["WorthEngine", "WorthTestSupport"]),
        .testTarget(name: "WorthTUITests", dependencies: ["WorthTUI", "WorthEngine", "WorthTestSupport"]),
        .testTarget(name: "WorthCLITests", dependencies: ["WorthCLI", "WorthEngine", "WorthTestSupport"]),
    ]
)
