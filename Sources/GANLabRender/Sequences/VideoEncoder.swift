import Foundation
import GANLabCore

/// Video containers `ganlab video` can write.
public enum VideoFormat: String, CaseIterable, Codable, Sendable {
    /// H.264 in MP4, yuv420p: opens in every player and browser.
    case mp4
    /// Animated GIF with a palette made for the video (palettegen/paletteuse).
    case gif
    /// VP9 in WebM.
    case webm
}

/// What an encode did.
public enum VideoOutcome: Equatable, Sendable {
    /// The video was written to `path` by the ffmpeg at `ffmpeg`.
    case encoded(path: String, ffmpeg: String)
    /// No ffmpeg on the search path: nothing was written; `command` is what to run by hand.
    case ffmpegMissing(command: String)
}

/// Encodes a folder of numbered PNG frames with ffmpeg, run as a child process with an argument
/// list (never through a shell). The article's settings are the defaults: 20 fps, CRF 15.
public struct VideoEncoder: Sendable {
    /// The article's frame rate.
    public static let defaultFPS = 20
    /// The article's quality (lower is better; 15 is visually lossless for H.264).
    public static let defaultCRF = 15

    /// Folders searched for `ffmpeg`, separated by `:` like `PATH`.
    public var searchPath: String

    /// An encoder that looks for ffmpeg on `searchPath` (default: this process's `PATH`).
    public init(searchPath: String? = nil) {
        self.searchPath = searchPath ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    }

    /// The ffmpeg executable on the search path, if any.
    public var ffmpeg: String? { Self.findExecutable("ffmpeg", searchPath: searchPath) }

    /// The first executable file called `name` in the `:`-separated folders of `searchPath`.
    public static func findExecutable(_ name: String, searchPath: String) -> String? {
        for folder in searchPath.split(separator: ":") where !folder.isEmpty {
            let candidate = String(folder) + "/" + name
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
               FileManager.default.isExecutableFile(atPath: candidate) {
                return candidate
            }
        }
        return nil
    }

    /// ffmpeg's arguments to encode `frames/%05d.png` (from 00000) into `output`.
    ///
    /// MP4 and WebM pad odd sizes to even ones (4:2:0 chroma needs even sides), convert with the
    /// BT.709 matrix and tag it, so colours match in every player; GIF builds one palette for
    /// the whole video and dithers against it.
    public static func arguments(frames folder: String, output: String, format: VideoFormat,
                                 fps: Int = defaultFPS, crf: Int = defaultCRF) -> [String] {
        var args = ["-hide_banner", "-nostdin", "-loglevel", "error", "-y",
                    "-framerate", "\(fps)", "-start_number", "0", "-i", folder + "/%05d.png"]
        let even = "pad=ceil(iw/2)*2:ceil(ih/2)*2:color=white"
        let yuv = "scale=out_color_matrix=bt709:out_range=tv,format=yuv420p"
        let tags = ["-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709", "-color_range", "tv"]
        switch format {
        case .mp4:
            args += ["-vf", even + "," + yuv, "-c:v", "libx264", "-preset", "medium", "-crf", "\(crf)",
                     "-pix_fmt", "yuv420p"] + tags + ["-movflags", "+faststart"]
        case .webm:
            args += ["-vf", even + "," + yuv, "-c:v", "libvpx-vp9", "-crf", "\(crf)", "-b:v", "0",
                     "-pix_fmt", "yuv420p", "-row-mt", "1"] + tags
        case .gif:
            args += ["-vf", "split[a][b];[a]palettegen=stats_mode=diff[p];[b][p]paletteuse=dither=bayer:bayer_scale=4:diff_mode=rectangle",
                     "-loop", "0"]
        }
        return args + [output]
    }

    /// Encodes the frames in `folder` into `output` (parent folders are created).
    ///
    /// Writes to a temporary name next to `output` and renames on success, so a failed encode
    /// leaves no half-written video. Without ffmpeg it returns `.ffmpegMissing` with the command
    /// to run; a failing ffmpeg throws with the end of its error output.
    public func encode(frames folder: String, to output: String, format: VideoFormat,
                       fps: Int = defaultFPS, crf: Int = defaultCRF) throws -> VideoOutcome {
        let command = (["ffmpeg"] + Self.arguments(frames: folder, output: output, format: format, fps: fps, crf: crf))
            .map(Self.shellQuoted).joined(separator: " ")
        guard let ffmpeg else { return .ffmpegMissing(command: command) }
        let url = URL(fileURLWithPath: output)
        let directory = url.deletingLastPathComponent()
        let partial = directory.appendingPathComponent("." + url.deletingPathExtension().lastPathComponent
                                                       + ".partial." + format.rawValue).path
        let fm = FileManager.default
        try makeDirectories(directory.path)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ffmpeg)
        process.arguments = Self.arguments(frames: folder, output: partial, format: format, fps: fps, crf: crf)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw CommandFailure("cannot start \(ffmpeg): \(ExitStatus.message(for: error))")
        }
        let message = PipeReading.readToEnd(errors.fileHandleForReading)
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            try? fm.removeItem(atPath: partial)
            let text = String(decoding: message, as: UTF8.self).split(separator: "\n").suffix(4).joined(separator: " | ")
            throw CommandFailure("ffmpeg failed (status \(process.terminationStatus)) encoding \(folder) to \(output): "
                           + (text.isEmpty ? "no error output" : text) + "; the command was: " + command)
        }
        do {
            if fm.fileExists(atPath: output) { try fm.removeItem(atPath: output) }
            try fm.moveItem(atPath: partial, toPath: output)
        } catch {
            throw CommandFailure("cannot move the encoded video to \(output): \(ExitStatus.message(for: error))")
        }
        return .encoded(path: output, ffmpeg: ffmpeg)
    }

    /// `text` quoted for a POSIX shell when it needs it (for the command printed to the user).
    public static func shellQuoted(_ text: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=+,%@")
        guard text.isEmpty || !text.allSatisfy(safe.contains) else { return text }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
