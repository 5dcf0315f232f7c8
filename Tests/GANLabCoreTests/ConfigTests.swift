import Foundation
import Testing
import GANLabTestSupport

@testable import GANLabCore

/// The package root, found from this file's path (Tests/GANLabCoreTests/ConfigTests.swift).

private let library = ExperimentLibrary(projectRoot: packageRoot)

// MARK: - Loading

@Suite("Experiment config loading")
struct ConfigLoadingTests {
    @Test("the defaults validate and an almost empty file gives them back")
    func defaults() throws {
        try ExperimentConfig().validate()
        let config = try ExperimentConfig.load(yaml: "problem: spiral\n", file: "min.yaml")
        #expect(config == ExperimentConfig())
        let commented = try ExperimentConfig.load(yaml: "# note\nseed: 1\ntrain:\n  # all defaults\n", file: "c.yaml")
        #expect(commented == ExperimentConfig())
    }

    @Test("every experiment in experiments/ loads, has a description and round-trips")
    func everyExperimentLoads() throws {
        let names = try library.names()
        let expected = ["spiral", "eight-gaussians", "uniform-to-normal", "spiral-article",
                        "eight-gaussians-article", "uniform-to-normal-article", "ring8", "ring8-pacgan", "grid25"]
        #expect(Set(expected).isSubset(of: Set(names)), "found \(names)")
        #expect(names == names.sorted())
        for entry in try library.entries() {
            #expect(entry.error == nil, "\(entry.name): \(entry.description)")
            #expect(!entry.description.isEmpty, "\(entry.name) needs a description")
            let config = try library.load(entry.name)
            let again = try ExperimentConfig.load(yaml: config.yamlText, file: "\(entry.name)-resolved.yaml")
            #expect(again == config, "\(entry.name) round trip")
        }
    }

    @Test("article experiments follow docs/METRICS.md §1 to the letter")
    func articleExperiments() throws {
        for name in ["spiral-article", "eight-gaussians-article", "uniform-to-normal-article"] {
            let config = try library.load(name)
            let g = name.hasPrefix("uniform") ? [16, 16, 16, 16] : [512, 512, 512]
            #expect(config.generator.hidden == g && config.discriminator.hidden == [512, 512, 512])
            #expect(config.generator.activation == .leakyReLU && config.generator.leakySlope == 0.1)
            #expect(config.generator.initialization == .glorotUniform)
            #expect(config.train.steps == 60_000 && config.train.loss == .nonSaturating)
            #expect(config.train.realBatch == 256 && config.train.fakeBatch == 256)
            #expect(config.train.generatorBatch == 512)
            let d = config.train.discriminatorOptimizer, gOpt = config.train.generatorOptimizer
            #expect(d.kind == .adam && d.learningRate == 1e-3 && d.beta1 == 0.5 && d.epsilon == 1e-7)
            #expect(gOpt.kind == .adam && gOpt.learningRate == 2e-4 && gOpt.beta1 == 0.5 && gOpt.epsilon == 1e-7)
            #expect(config.output.probeCount == 5_000 && config.output.frameEvery == 100)
            #expect(config.output.snapshotEvery == 10_000)
        }
        #expect(try library.load("spiral-article").generator.output == .tanh)
    }

    @Test("overrides apply after the file, in order")
    func overrides() throws {
        let config = try library.load("spiral", overrides: [
            "train.steps=2000", "generator.hidden=[64,64]", "train.generatorOptimizer.learningRate=1e-4",
            "seed=3", "description=quick check: small", "discriminator.activation=relu", "seed=4",
        ])
        #expect(config.train.steps == 2_000)
        #expect(config.generator.hidden == [64, 64])
        #expect(config.train.generatorOptimizer.learningRate == 1e-4)
        #expect(config.seed == 4)
        #expect(config.description == "quick check: small")
        #expect(config.discriminator.activation == .relu)
        let fromDefaults = try ExperimentConfig.resolve(overrides: ["train={steps: 7, threads: 1}"])
        #expect(fromDefaults.train.steps == 7 && fromDefaults.train.threads == 1)
    }

    @Test("yamlText round-trips unusual values and keeps declaration order")
    func roundTrip() throws {
        var config = ExperimentConfig()
        config.description = "quotes \" and \\ backslash, colon: and # hash, ünïcode"
        config.problem = .grid25
        config.seed = UInt64.max
        config.generator.hidden = [3, 1, 4, 1, 5]
        config.generator.initScale = 0.1 + 0.2
        config.train.generatorOptimizer.learningRate = 1e-7 / 3
        config.train.discriminatorOptimizer.kind = .sgd
        config.output.frameEvery = 0
        config.train.kernels = "2x512:t,t,b 512x512:b,b,t"
        let text = config.yamlText
        #expect(try ExperimentConfig.load(yaml: text, file: "rt.yaml") == config)
        // Snapshots keep the plan; one written before plans existed multiplied by the fixed rule.
        let json = try JSONEncoder().encode(config)
        #expect(try JSONDecoder().decode(ExperimentConfig.self, from: json) == config)
        var fixed = config
        fixed.train.kernels = "fixed"
        #expect(!String(decoding: try JSONEncoder().encode(fixed), as: UTF8.self).contains("kernels"))
        #expect(try JSONDecoder().decode(ExperimentConfig.self, from: try JSONEncoder().encode(fixed)) == fixed)
        let order = ["description:", "problem:", "seed:", "generator:", "discriminator:", "train:", "output:"]
        let positions = order.compactMap { text.range(of: "\n" + $0)?.lowerBound }
        #expect(positions.count == order.count && positions == positions.sorted())
    }

    @Test("library: names resolve, paths resolve, unknown names suggest the closest")
    func libraryResolution() throws {
        let url = try library.url(for: "ring8")
        #expect(url.lastPathComponent == "ring8.yaml")
        let path = packageRoot.appendingPathComponent("experiments/grid25.yaml").path
        #expect(try library.load(path).problem == .grid25)
        let error = #expect(throws: ConfigError.self) { try library.url(for: "spirl") }
        #expect(error?.description.contains("did you mean 'spiral'?") == true)
        #expect(error?.description.contains("ring8-pacgan") == true)
        #expect(error?.kind == .unknownExperiment)
        #expect(throws: ConfigError.self) { try library.url(for: "no/such/file.yaml") }
    }
}

// MARK: - Rejections

@Suite("Experiment config rejections")
struct ConfigRejectionTests {
    /// A bad experiment file and what its message must contain.
    struct BadFile: CustomTestStringConvertible, Sendable {
        var name: String
        var yaml: String
        var line: Int
        var mustContain: [String]
        var kind: ConfigError.Kind
        var testDescription: String { name }
    }

    /// A bad `--set` override and what its message must contain.
    struct BadOverride: CustomTestStringConvertible, Sendable {
        var argument: String
        var mustContain: [String]
        var kind: ConfigError.Kind
        var testDescription: String { argument }
    }

    static let badFiles: [BadFile] = [
        BadFile(name: "unknown key", yaml: "problem: spiral\ntrain:\n  stpes: 5\n", line: 3,
                mustContain: ["train.stpes", "unknown key 'stpes'", "did you mean 'steps'?", "realBatch"],
                kind: .unknownKey),
        BadFile(name: "snake_case key", yaml: "train:\n  generatorOptimizer:\n    learning_rate: 1e-4\n", line: 3,
                mustContain: ["train.generatorOptimizer.learning_rate", "did you mean 'learningRate'?"],
                kind: .unknownKey),
        BadFile(name: "unknown top-level key", yaml: "problme: spiral\n", line: 1,
                mustContain: ["problme", "did you mean 'problem'?", "description, problem, target, seed"], kind: .unknownKey),
        BadFile(name: "duplicate key", yaml: "train:\n  steps: 5\n  realBatch: 4\n  steps: 6\n", line: 4,
                mustContain: ["train.steps", "duplicate key 'steps'", "line 2"], kind: .duplicateKey),
        BadFile(name: "wrong type", yaml: "train:\n  steps: many\n", line: 2,
                mustContain: ["train.steps", "expected an integer", "\"many\""], kind: .wrongType),
        BadFile(name: "quoted number", yaml: "seed: 1\ntrain:\n  steps: \"2000\"\n", line: 3,
                mustContain: ["train.steps", "drop the quotes"], kind: .wrongType),
        BadFile(name: "negative steps", yaml: "train:\n  steps: -5\n", line: 2,
                mustContain: ["train.steps", "-5 is out of range", "1 to 10,000,000"], kind: .outOfRange),
        BadFile(name: "absurd width", yaml: "generator:\n  hidden: [512, 100000]\n", line: 2,
                mustContain: ["generator.hidden", "width 100000", "4,096"], kind: .outOfRange),
        BadFile(name: "too many layers", yaml: "generator:\n  hidden: [" + Array(repeating: "8", count: 65)
                    .joined(separator: ", ") + "]\n", line: 2,
                mustContain: ["generator.hidden", "65 hidden layers", "64"], kind: .outOfRange),
        BadFile(name: "memory", yaml: "discriminator:\n  hidden: [" + Array(repeating: "4096", count: 40)
                    .joined(separator: ", ") + "]\n", line: 2,
                mustContain: ["discriminator.hidden", "2 GB"], kind: .outOfRange),
        BadFile(name: "NaN learning rate", yaml: "train:\n  generatorOptimizer:\n    learningRate: .nan\n", line: 3,
                mustContain: ["train.generatorOptimizer.learningRate", "not a number", "(0, 100]"], kind: .outOfRange),
        BadFile(name: "infinite learning rate", yaml: "train:\n  discriminatorOptimizer:\n    learningRate: .inf\n",
                line: 3, mustContain: ["train.discriminatorOptimizer.learningRate", "infinite"], kind: .outOfRange),
        BadFile(name: "zero learning rate", yaml: "train:\n  discriminatorOptimizer:\n    learningRate: 0\n",
                line: 3, mustContain: ["learningRate", "out of range"], kind: .outOfRange),
        BadFile(name: "beta1 = 1", yaml: "train:\n  generatorOptimizer:\n    beta1: 1\n", line: 3,
                mustContain: ["train.generatorOptimizer.beta1", "[0, 1)"], kind: .outOfRange),
        BadFile(name: "generator average β = 1", yaml: "train:\n  generatorAverage: 1\n", line: 2,
                mustContain: ["train.generatorAverage", "out of range", "[0, 1), 0 = off", "e.g. 0.999"], kind: .outOfRange),
        BadFile(name: "NaN generator average", yaml: "train:\n  generatorAverage: .nan\n", line: 2,
                mustContain: ["train.generatorAverage", "not a number"], kind: .outOfRange),
        BadFile(name: "zero batch", yaml: "train:\n  realBatch: 0\n", line: 2,
                mustContain: ["train.realBatch", "1 to 65,536"], kind: .outOfRange),
        BadFile(name: "threads", yaml: "train:\n  threads: 65\n", line: 2,
                mustContain: ["train.threads", "1 to 64"], kind: .outOfRange),
        BadFile(name: "leaky slope", yaml: "generator:\n  leakySlope: 2\n", line: 2,
                mustContain: ["generator.leakySlope", "[0, 1]"], kind: .outOfRange),
        BadFile(name: "logEvery", yaml: "output:\n  logEvery: 0\n", line: 2,
                mustContain: ["output.logEvery", "≥ 1"], kind: .outOfRange),
        BadFile(name: "unknown problem", yaml: "description: x\nproblem: spirale\n", line: 2,
                mustContain: ["problem", "'spirale'", "did you mean 'spiral'?", "eight-gaussians", "grid25"],
                kind: .unknownName),
        BadFile(name: "unknown activation", yaml: "discriminator:\n  activation: swish\n", line: 2,
                mustContain: ["discriminator.activation", "'swish'", "leaky-relu, relu, tanh"], kind: .unknownName),
        BadFile(name: "sigmoid discriminator", yaml: "discriminator:\n  output: sigmoid\n", line: 2,
                mustContain: ["discriminator.output", "logit"], kind: .outOfRange),
        BadFile(name: "unknown architecture", yaml: "generator:\n  architecture: resnet\n", line: 2,
                mustContain: ["generator.architecture", "'resnet'", "mlp, residual"], kind: .unknownName),
        BadFile(name: "zero residual blocks", yaml: "generator:\n  architecture: residual\n  blocks: 0\n", line: 3,
                mustContain: ["generator.blocks", "0 is out of range", "1 to 256", "residual blocks"], kind: .outOfRange),
        BadFile(name: "too many residual blocks", yaml: "generator:\n  blocks: 1000\n", line: 2,
                mustContain: ["generator.blocks", "1 to 256"], kind: .outOfRange),
        BadFile(name: "zero block width", yaml: "generator:\n  architecture: residual\n  blockWidth: 0\n", line: 3,
                mustContain: ["generator.blockWidth", "1 to 4,096"], kind: .outOfRange),
        BadFile(name: "deep blocks", yaml: "generator:\n  blockDepth: 17\n", line: 2,
                mustContain: ["generator.blockDepth", "1 to 16"], kind: .outOfRange),
        BadFile(name: "fractional blocks", yaml: "generator:\n  blocks: 2.5\n", line: 2,
                mustContain: ["generator.blocks", "expected an integer"], kind: .wrongType),
        BadFile(name: "negative exit scale", yaml: "generator:\n  architecture: residual\n  exitInitScale: -0.1\n",
                line: 3, mustContain: ["generator.exitInitScale", "≥ 0", "exit weights"], kind: .outOfRange),
        BadFile(name: "NaN bias scale", yaml: "generator:\n  blockBiasScale: .nan\n", line: 2,
                mustContain: ["generator.blockBiasScale", "not a number"], kind: .outOfRange),
        BadFile(name: "residual G on a 10-D latent", yaml: "problem: eight-gaussians\ngenerator:\n  architecture: residual\n",
                line: 3, mustContain: ["generator.architecture", "10-D latent", "'mlp'", "spiral"], kind: .outOfRange),
        BadFile(name: "residual G with a tanh output", yaml: "generator:\n  architecture: residual\n  output: tanh\n",
                line: 3, mustContain: ["generator.output", "'auto' or 'identity'", "'tanh'"], kind: .outOfRange),
        BadFile(name: "residual discriminator", yaml: "discriminator:\n  architecture: residual\n", line: 2,
                mustContain: ["discriminator.architecture", "unknown key"], kind: .unknownKey),
        BadFile(name: "residual memory", yaml: "generator:\n  architecture: residual\n  blocks: 256\n"
                    + "  blockWidth: 4096\n  blockDepth: 16\n", line: 3,
                mustContain: ["generator.blocks", "256 blocks of 16 layers of width 4096", "2 GB"], kind: .outOfRange),
        BadFile(name: "section given a number", yaml: "train: 5\n", line: 1,
                mustContain: ["train", "expected a section", "steps"], kind: .wrongType),
        BadFile(name: "top level not a mapping", yaml: "- spiral\n- ring8\n", line: 1,
                mustContain: ["top level", "a list"], kind: .notAMapping),
        BadFile(name: "empty file", yaml: "", line: 1, mustContain: ["empty experiment file"], kind: .empty),
        BadFile(name: "only comments", yaml: "# nothing yet\n\n", line: 1, mustContain: ["empty experiment file"],
                kind: .empty),
        BadFile(name: "binary garbage", yaml: "problem: spiral\n\u{0}\u{1}\u{FFFD}PNG\n", line: 2,
                mustContain: ["not text", "U+0000"], kind: .notText),
        BadFile(name: "syntax error", yaml: "train:\n  steps: [1, 2\n  realBatch: 3\n", line: 3,
                mustContain: ["YAML syntax error", "realBatch"], kind: .syntax),
        BadFile(name: "tab indentation", yaml: "train:\n\tsteps: 5\n", line: 2,
                mustContain: ["YAML syntax error", "tabs"], kind: .syntax),
        BadFile(name: "two documents", yaml: "problem: spiral\n---\nproblem: ring8\n", line: 2,
                mustContain: ["YAML syntax error", "one document"], kind: .syntax),
        BadFile(name: "duplicate section", yaml: "train:\n  steps: 5\ntrain:\n  realBatch: 4\n", line: 3,
                mustContain: ["train", "duplicate key 'train'", "line 1"], kind: .duplicateKey),
        BadFile(name: "steps that would run for weeks", yaml: "train:\n  steps: 1000000000\n", line: 2,
                mustContain: ["train.steps", "1000000000 is out of range", "10,000,000"], kind: .outOfRange),
        BadFile(name: "integer beyond 64 bits", yaml: "seed: 99999999999999999999999\n", line: 1,
                mustContain: ["seed", "out of range", "18446744073709551615"], kind: .outOfRange),
        BadFile(name: "learning rate overflowing to infinity", yaml: "train:\n  generatorOptimizer:\n    learningRate: 1e400\n",
                line: 3, mustContain: ["train.generatorOptimizer.learningRate", "infinite"], kind: .outOfRange),
        BadFile(name: "a list where a number belongs", yaml: "train:\n  steps: [1, 2]\n", line: 2,
                mustContain: ["train.steps", "expected an integer, found a list"], kind: .wrongType),
        BadFile(name: "unknown loss", yaml: "train:\n  loss: wgan\n", line: 2,
                mustContain: ["train.loss", "'wgan'", "non-saturating, minimax, least-squares, hinge"], kind: .unknownName),
        BadFile(name: "unknown optimizer", yaml: "train:\n  generatorOptimizer:\n    kind: rmsprop\n", line: 3,
                mustContain: ["train.generatorOptimizer.kind", "'rmsprop'", "adam, sgd"], kind: .unknownName),
        BadFile(name: "unknown output activation", yaml: "generator:\n  output: softmax\n", line: 2,
                mustContain: ["generator.output", "'softmax'", "auto, identity, tanh, sigmoid"], kind: .unknownName),
        BadFile(name: "unknown initialization", yaml: "generator:\n  initialization: xavier\n", line: 2,
                mustContain: ["generator.initialization", "glorot-uniform, he, normal, uniform"], kind: .unknownName),
        BadFile(name: "nesting 2,000 levels deep", yaml: "train:\n  steps: " + String(repeating: "[", count: 2000) + "\n",
                line: 2, mustContain: ["nest more than 1,000 levels"], kind: .syntax),
        BadFile(name: "old Mac line endings (CR only)", yaml: "problem: spiral\rtrain:\r  stepz: 5\r", line: 3,
                mustContain: ["train.stepz", "did you mean 'steps'?"], kind: .unknownKey),
        BadFile(name: "negative batch", yaml: "train:\n  fakeBatch: -4\n", line: 2,
                mustContain: ["train.fakeBatch", "out of range"], kind: .outOfRange),
        BadFile(name: "zero width", yaml: "generator:\n  hidden: [0]\n", line: 2,
                mustContain: ["generator.hidden", "width 0"], kind: .outOfRange),
        BadFile(name: "no hidden layers", yaml: "generator:\n  hidden: []\n", line: 2,
                mustContain: ["generator.hidden", "0 hidden layers"], kind: .outOfRange),
        BadFile(name: "quoted key holding a line break", yaml: "train:\n  \"st\\neps\": 5\n", line: 2,
                mustContain: ["unknown key 'st\\neps'"], kind: .unknownKey),
        BadFile(name: "a kernel plan with two kernels", yaml: "train:\n  kernels: \"512x512:b,t\"\n", line: 2,
                mustContain: ["train.kernels", "three kernels", "use auto, fixed or a plan"], kind: .outOfRange),
        BadFile(name: "an unknown kernel plan word", yaml: "train:\n  kernels: fastest\n", line: 2,
                mustContain: ["train.kernels", "'fastest' is not IN×OUT"], kind: .outOfRange),
    ]

    @Test("bad files are rejected with file, line, key and a fix", arguments: badFiles)
    func rejectsBadFile(_ bad: BadFile) {
        let error = #expect(throws: ConfigError.self) {
            try ExperimentConfig.load(yaml: bad.yaml, file: "bad.yaml")
        }
        let message = error?.description ?? ""
        #expect(message.contains("bad.yaml:\(bad.line):"), "\(message)")
        for part in bad.mustContain {
            #expect(message.contains(part), "missing \(part) in: \(message)")
        }
        #expect(error?.kind == bad.kind, "\(message)")
        #expect(!message.contains("\n"), "one line: \(message)")
    }

    static let badOverrides: [BadOverride] = [
        BadOverride(argument: "train.stpes=5", mustContain: ["train.stpes", "did you mean 'steps'?"], kind: .unknownKey),
        BadOverride(argument: "trian.steps=5", mustContain: ["did you mean 'train'?"], kind: .unknownKey),
        BadOverride(argument: "train.steps=abc", mustContain: ["train.steps", "expected an integer"], kind: .wrongType),
        BadOverride(argument: "train.steps=0", mustContain: ["train.steps", "out of range"], kind: .outOfRange),
        BadOverride(argument: "train.steps", mustContain: ["missing '='"], kind: .badOverride),
        BadOverride(argument: "train.steps=", mustContain: ["no value"], kind: .badOverride),
        BadOverride(argument: "seed.low=1", mustContain: ["a value, not a section"], kind: .badOverride),
        BadOverride(argument: "train..steps=1", mustContain: ["not a key path"], kind: .badOverride),
        BadOverride(argument: "generator.hidden=[64, 64", mustContain: ["not valid YAML"], kind: .badOverride),
        BadOverride(argument: "train.generatorOptimizer.learningRate=.nan", mustContain: ["not a number"],
                    kind: .outOfRange),
        BadOverride(argument: "generator.blocks=0", mustContain: ["generator.blocks", "out of range"], kind: .outOfRange),
        BadOverride(argument: "train.generatorAverage=-0.5", mustContain: ["train.generatorAverage", "[0, 1)"], kind: .outOfRange),
        BadOverride(argument: "generator.architecture=resnet", mustContain: ["'resnet'", "mlp, residual"],
                    kind: .unknownName),
        BadOverride(argument: "generator.hidden=[" + Array(repeating: "4096", count: 40).joined(separator: ",") + "]",
                    mustContain: ["generator.hidden", "2 GB"], kind: .outOfRange),
    ]

    @Test("bad overrides name the --set argument", arguments: badOverrides)
    func rejectsBadOverride(_ bad: BadOverride) {
        let error = #expect(throws: ConfigError.self) {
            try ExperimentConfig.load(yaml: "problem: spiral\n", file: "ok.yaml", overrides: [bad.argument])
        }
        let message = error?.description ?? ""
        #expect(message.contains("--set '\(bad.argument)'"), "\(message)")
        for part in bad.mustContain {
            #expect(message.contains(part), "missing \(part) in: \(message)")
        }
        #expect(error?.kind == bad.kind, "\(message)")
    }

    @Test("a file far larger than any experiment is refused before it is read whole")
    func hugeFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ganlab-huge-\(UUID().uuidString).yaml")
        try Data(repeating: UInt8(ascii: "#"), count: ExperimentConfig.maximumFileBytes + 1).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let error = #expect(throws: ConfigError.self) { try ExperimentConfig.load(contentsOf: url) }
        #expect(error?.kind == .outOfRange)
        #expect(error?.description.contains(url.lastPathComponent) == true)
        #expect(error?.description.contains("larger than 1024 KiB") == true, "\(error?.description ?? "")")
    }

    @Test("a binary file on disk is refused before YAML sees it")
    func binaryFileOnDisk() throws {
        let name = "ganlab-binary-\(UInt32.random(in: 0...UInt32.max)).yaml"
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(name)
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0xFF, 0xFE]).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let error = #expect(throws: ConfigError.self) { try ExperimentConfig.load(contentsOf: url) }
        #expect(error?.kind == .notText)
        #expect(error?.description.contains(url.lastPathComponent) == true)
    }

    @Test("validate() catches ranges on configs built in code")
    func validateInCode() {
        var config = ExperimentConfig()
        config.train.generatorOptimizer.epsilon = 0
        let error = #expect(throws: ConfigError.self) { try config.validate() }
        #expect(error?.keyPath == "train.generatorOptimizer.epsilon")
    }
}
