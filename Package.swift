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
        .executableTarget(name: "worth", dependencies: ["WorthEngine"]),
        .testTarget(name: "WorthEngineTests", dependencies: ["WorthEngine"]),
    ]
)
