import Foundation
import GANLabCore

/// `manifest.json` of a frame folder: what every numbered PNG shows, so a video or a later tool
/// can label, cut or re-time it without re-rendering. Written last: a folder without a manifest
/// is incomplete.
public struct FrameManifest: Codable, Equatable, Sendable {
    /// The sequence (`timelapse`, `morph`, `walk`, `snapshots`).
    public var sequence: FrameSequenceKind
    /// The run folder the frames were rendered from.
    public var run: String
    /// The toy problem of the run.
    public var problem: String
    /// Intended playback rate in frames per second.
    public var fps: Int
    /// Frame width in px.
    public var width: Int
    /// Frame height in px.
    public var height: Int
    /// Number of frames: files `00000.png` … up to `count − 1`.
    public var count: Int
    /// printf pattern of the frame files (as ffmpeg's `-i` takes it).
    public var filePattern: String
    /// Sequence settings in words (e.g. `"easing": "smoothstep"`, `"path": "line …"`).
    public var parameters: [String: String]
    /// Where the plot squares are in every frame (same in all frames of a sequence).
    public var panels: [PanelPlacement]
    /// One entry per frame, in order.
    public var frames: [FrameEntry]

    /// The frame file name for index `i`: five digits, zero-padded.
    public static func fileName(_ i: Int) -> String {
        let digits = String(i)
        return String(repeating: "0", count: max(0, 5 - digits.count)) + digits + ".png"
    }

    /// Reads a manifest file.
    public static func read(from path: String) throws -> FrameManifest {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RunError("cannot read \(path); render the frames first with `ganlab frames`")
        }
        do {
            return try JSONDecoder().decode(FrameManifest.self, from: data)
        } catch {
            throw RunError("\(path) is not a frame manifest (\(error.localizedDescription)); re-render the frames")
        }
    }

    /// The manifest as pretty-printed JSON with sorted keys (stable across renders).
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

/// One plot square inside a frame: pixel rectangle and the data square it shows.
public struct PanelPlacement: Codable, Equatable, Sendable {
    /// `"sample"` or `"latent"`.
    public var name: String
    /// Left edge in px.
    public var x: Double
    /// Top edge in px.
    public var y: Double
    /// Side of the square in px.
    public var side: Double
    /// The square shows [−extent, extent]² (y up).
    public var extent: Double

    /// The placement of `panel` under `name`.
    public init(name: String, panel: PlotPanel) {
        self.name = name
        x = panel.rect.x
        y = panel.rect.y
        side = panel.rect.width
        extent = panel.extent
    }

    /// The pixel position of data point (px, py) in this panel.
    public func pixel(x px: Double, y py: Double) -> (x: Double, y: Double) {
        (x + (px + extent) / (2 * extent) * side, y + (extent - py) / (2 * extent) * side)
    }
}

/// What one frame shows. Fields that do not apply to a sequence are left out of the JSON.
public struct FrameEntry: Codable, Equatable, Sendable {
    /// Position in the sequence (0-based).
    public var index: Int
    /// The PNG's file name inside the folder.
    public var file: String
    /// The training step shown exactly (a trace frame or snapshot); absent for frames in between.
    public var step: Int?
    /// Where G's output came from: `"trace"` or `"snapshot"`.
    public var source: String?
    /// Discriminator loss at `step` (timelapse; absent before training, when it is not defined).
    public var dLoss: Double?
    /// Generator loss at `step` (timelapse; absent before training).
    public var gLoss: Double?
    /// Normalised time t ∈ [0, 1] along the sequence (morph, walk).
    public var time: Double?
    /// Interpolation weight: morph, the eased share of the way from z to G(z); snapshots, the
    /// share of the way from `fromStep` to `toStep`.
    public var fraction: Double?
    /// Snapshots: the earlier keyframe's step.
    public var fromStep: Int?
    /// Snapshots: the later keyframe's step.
    public var toStep: Int?
    /// Walk: the latent point z(t) (its continuous part).
    public var latent: [Double]?
    /// Walk: G(z(t)).
    public var sample: [Double]?
    /// Walk: whether the step into this frame is a jump (a tear of the map).
    public var jump: Bool?
    /// CPPN: the weight scale the frame's network was drawn at.
    public var scale: Double?

    /// An entry with only index and file name; the sequence fills in the rest.
    public init(index: Int) {
        self.index = index
        file = FrameManifest.fileName(index)
    }
}
