// swift-tools-version:6.0
import PackageDescription

// The engine's hand-written kernels use SIMD with fused multiply-add. On x86-64 that needs AVX2
// and FMA (every x86-64 CPU since Intel Haswell, 2013, and AMD Zen/Excavator, 2015); Swift
// otherwise targets baseline SSE2. GANLAB_AVX512=1 (the Makefile sets it when the building
// machine has AVX-512) builds the product tiles 16 lanes wide for AVX-512 instead; such a binary
// runs only on AVX-512 CPUs. Results are the same bits either way. OpenBLAS picks its own kernels
// at run time.
let avx512 = Context.environment["GANLAB_AVX512"] == "1"
#if arch(x86_64)
let engineCPUFlags = ["-Xcc", "-mavx2", "-Xcc", "-mfma"]
    + (avx512 ? ["-Xcc", "-mavx512f", "-Xcc", "-mavx512vl", "-Xcc", "-mavx512bw", "-Xcc", "-mavx512dq"] : [])
let engineDefines: [SwiftSetting] = avx512 ? [.define("GANLAB_AVX512")] : []
#else
let engineCPUFlags: [String] = []
let engineDefines: [SwiftSetting] = []
#endif

let package = Package(
    name: "ganlab",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ganlab", targets: ["ganlab"]),
        .library(name: "GANLabEngine", targets: ["GANLabEngine"]),
        .library(name: "GANLabCore", targets: ["GANLabCore"]),
        .library(name: "GANLabRender", targets: ["GANLabRender"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // C libraries, wrapped as system modules (see HOUSE_STYLE: "Wrapping C").
        .systemLibrary(
            name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"]), .brew(["openblas"])]),
        .systemLibrary(
            name: "CCairo", path: "Sources/CCairo", pkgConfig: "cairo",
            providers: [.apt(["libcairo2-dev"]), .brew(["cairo"])]),

        // Matrices, dense layers, activations, losses, optimizers, seeded RNG (hot code).
        .target(
            name: "GANLabEngine", dependencies: ["CBLAS"],
            swiftSettings: [
                .unsafeFlags(["-Ounchecked"], .when(configuration: .release)),
                // The SIMD kernels are ~100× slower unoptimised; keep debug-build tests fast.
                .unsafeFlags(["-O"], .when(configuration: .debug)),
                .unsafeFlags(engineCPUFlags),
            ] + engineDefines),
        // Toy problems, experiment config, trainer, snapshots, diagnostics (no Cairo).
        .target(
            name: "GANLabCore",
            dependencies: ["GANLabEngine", .product(name: "Yams", package: "Yams")]),
        // Pictures: Canvas/ (the only importer of CCairo), Style/, Layout/, Views/, Compare/,
        // Run/ (a run folder's data for the views) and Sequences/ (frames and video).
        .target(name: "GANLabRender", dependencies: ["GANLabCore", "CCairo"]),
        // Benchmark harness: training and rendering timings, ceilings, machine load, and the
        // PyTorch and JAX references run as child processes (Benchmarks/torch_reference.py,
        // Benchmarks/jax_reference.py).
        .target(name: "GANLabBench", dependencies: ["GANLabEngine", "GANLabCore", "GANLabRender"]),
        // Thin command-line front end: one file per subcommand.
        .executableTarget(
            name: "ganlab",
            dependencies: [
                "GANLabEngine", "GANLabCore", "GANLabRender", "GANLabBench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // The invariants `make fuzz` checks, compiled by every build and run on the seed corpora
        // by the tests; the libFuzzer targets below are shims around them.
        .target(name: "GANLabFuzzChecks", dependencies: ["GANLabCore", "GANLabEngine"]),

        // Fixtures shared by the test targets (package root, temporary folders, tiny experiments).
        .target(name: "GANLabTestSupport", dependencies: ["GANLabCore"], path: "Tests/GANLabTestSupport"),
        .testTarget(name: "GANLabEngineTests", dependencies: ["GANLabEngine", "GANLabTestSupport"]),
        .testTarget(name: "GANLabCoreTests", dependencies: ["GANLabCore", "GANLabFuzzChecks", "GANLabTestSupport"]),
        .testTarget(name: "GANLabRenderTests", dependencies: ["GANLabRender", "GANLabTestSupport"]),
        .testTarget(name: "GANLabBenchTests", dependencies: ["GANLabBench", "GANLabCore"]),
        .testTarget(name: "ganlabTests", dependencies: ["GANLabCore", "ganlab", "GANLabTestSupport"]),
    ]
)

// libFuzzer targets (`make fuzz`), present only when GANLAB_FUZZ=1 so that ordinary builds and
// tests never see them. `-parse-as-library`: libFuzzer supplies `main`; each target defines
// `LLVMFuzzerTestOneInput`. The sanitizers come from the command line (see the Makefile).
if Context.environment["GANLAB_FUZZ"] == "1" {
    for name in ["FuzzExperimentFile", "FuzzSnapshot", "FuzzSweepFile", "FuzzPicture", "FuzzPointSet"] {
        package.targets.append(.executableTarget(
            name: name, dependencies: ["GANLabFuzzChecks"],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]))
    }
}
