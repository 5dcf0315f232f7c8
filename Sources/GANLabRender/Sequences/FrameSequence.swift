import Foundation

/// The frame sequences `ganlab frames` renders for videos.
public enum FrameSequenceKind: String, CaseIterable, Codable, Sendable {
    /// One frame per traced step: G on the probes as training goes, with step and losses.
    case timelapse
    /// The article's animation: every probe moves on a straight line from z to G(z).
    case morph
    /// A path through latent space and the path its image G(z(t)) traces, tears as red jumps.
    case walk
    /// Probes interpolated between consecutive snapshots (or trace frames): smooth from sparse.
    case snapshots
}

/// How the morph moves from the latent position (0) to G(z) (1) over normalised time t ∈ [0, 1].
public enum Easing: String, CaseIterable, Codable, Sendable {
    /// Constant speed.
    case linear
    /// Smoothstep t²(3 − 2t): starts and stops gently (zero speed at both ends).
    case smoothstep
    /// Cosine ease (1 − cos πt)/2: like smoothstep, a little softer in the middle.
    case cosine

    /// The eased fraction for time `t` (clamped to [0, 1]); 0 ↦ 0 and 1 ↦ 1 exactly.
    public func callAsFunction(_ t: Double) -> Double {
        let t = min(max(t, 0), 1)
        switch self {
        case .linear: return t
        case .smoothstep: return t * t * (3 - 2 * t)
        case .cosine: return t == 1 ? 1 : (1 - cos(Double.pi * t)) / 2
        }
    }
}

/// Where the `snapshots` sequence takes its keyframes from.
public enum KeyframeSource: String, CaseIterable, Codable, Sendable {
    /// The full snapshots (sparse; G evaluated on the probes).
    case snapshots
    /// The traced frames (dense; G on the probes as recorded during training).
    case trace
}

/// Settings of a frame sequence; each sequence reads the ones that concern it.
public struct FrameSequenceOptions: Sendable {
    /// Frames for `morph` and `walk` (default 300); for `timelapse`, an even subsample of the
    /// traced frames (default: all of them). Ignored by `snapshots`.
    public var frameCount: Int?
    /// Frame height in px; square frames are `size` × `size`, `walk` frames are wider.
    public var size: Int = 800
    /// Playback rate written into the manifest (the article's videos: 20 fps).
    public var fps: Int = 20
    /// The generator's step for `morph` and `walk` (default: the newest).
    public var step: Int?
    /// `morph`: number of moving points. More than the probes adds latents drawn from the prior
    /// with a fixed seed (the article used 10,000); default: the probes.
    public var points: Int?
    /// `morph`: how the points move along their lines.
    public var easing: Easing = .smoothstep
    /// `walk`: the latent path (default: a horizontal line through the middle of the latent box).
    public var path: LatentPath?
    /// `walk` with a mixture prior: the component k held fixed along the path.
    public var component: Int = 0
    /// `snapshots`: keyframes from snapshots or from the trace.
    public var source: KeyframeSource = .snapshots
    /// `snapshots`: frames per interval between consecutive keyframes.
    public var framesPerStep: Int = 20
    /// Worker threads (default: all active cores); each renders one frame at a time.
    public var threads: Int?

    /// Default settings.
    public init() {}

    /// Frames for `morph` and `walk` when not given.
    public static let defaultFrameCount = 300
    /// Seed of the extra morph latents beyond the probes (fixed, so every render agrees).
    public static let extraLatentSeed: UInt64 = 0x6D6F_7270_68  // "morph"
}

/// What `FrameSequences.render` wrote.
public struct FrameSequenceResult: Sendable {
    /// The folder holding the numbered PNGs and the manifest.
    public var folder: String
    /// The manifest's path.
    public var manifestPath: String
    /// The manifest as written.
    public var manifest: FrameManifest
    /// Wall time of rendering and writing, in seconds.
    public var seconds: Double

    /// Frames per second of wall time.
    public var framesPerSecond: Double { seconds > 0 ? Double(manifest.count) / seconds : 0 }
}
