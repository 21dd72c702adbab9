// swift-tools-version: 6.1
import PackageDescription

/// Every target is compiled in Swift 6 language mode with strict concurrency and explicit `any`.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "taskd",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "TaskCore", targets: ["TaskCore"]),
        .library(name: "TaskStore", targets: ["TaskStore"]),
        .library(name: "TaskAuth", targets: ["TaskAuth"]),
        .library(name: "TaskHTTP", targets: ["TaskHTTP"]),
        .executable(name: "taskd", targets: ["taskd"]),
        .executable(name: "password-hash-bench", targets: ["PasswordHashBenchmark"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // Test only: the OpenAPI tests read docs/openapi.yaml with a real YAML parser.
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        .target(name: "TaskCore", swiftSettings: swiftSettings),
        .target(
            name: "TaskStore",
            dependencies: [
                "TaskCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HashTreeCollections", package: "swift-collections"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .systemLibrary(name: "CCrypt", path: "Sources/CCrypt"),
        .target(
            name: "TaskAuth",
            dependencies: [
                "TaskCore",
                "CCrypt",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TaskHTTP",
            dependencies: [
                "TaskCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "taskd",
            dependencies: [
                "TaskCore",
                "TaskStore",
                "TaskAuth",
                "TaskHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "PasswordHashBenchmark",
            dependencies: ["TaskAuth"],
            path: "bench/PasswordHashBenchmark",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "EmbeddingExample",
            dependencies: ["TaskCore", "TaskStore", "TaskAuth"],
            path: "Examples/Embedding",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TaskTestSupport",
            dependencies: [
                "TaskCore", "TaskStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/TaskTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TaskCoreTests",
            dependencies: ["TaskCore", "TaskStore", "TaskTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TaskStoreTests",
            dependencies: ["TaskCore", "TaskStore", "TaskTestSupport", "EmbeddingExample"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TaskAuthTests",
            dependencies: [
                "TaskCore", "TaskAuth", "TaskStore", "TaskTestSupport",
                .product(name: "JWTKit", package: "jwt-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TaskHTTPTests",
            dependencies: [
                "TaskCore", "TaskStore", "TaskAuth", "TaskHTTP", "TaskTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
