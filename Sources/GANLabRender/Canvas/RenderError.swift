/// Runtime failures of the renderer: bad sizes, Cairo status codes and file I/O.
///
/// Each case renders as one sentence naming the size, file or Cairo status involved.
public enum RenderError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A canvas was requested with a non-positive or absurdly large size.
    case invalidSize(width: Int, height: Int)
    /// Cairo reported an error while creating or drawing on a canvas.
    case cairo(operation: String, status: String)
    /// Writing a PNG file failed.
    case writeFailed(path: String, status: String)
    /// Reading or decoding a PNG file failed.
    case readFailed(path: String, status: String)
    /// The data handed to a figure is inconsistent (wrong lengths, non-positive extents).
    case invalidData(String)

    /// A one-sentence message for the user.
    public var description: String {
        switch self {
        case .invalidSize(let width, let height):
            return "Cannot create a \(width)×\(height) px canvas: both sides must be between 1 and \(Canvas.maximumSide) px."
        case .cairo(let operation, let status):
            return "Cairo failed while \(operation): \(status)."
        case .writeFailed(let path, let status):
            return "Could not write PNG '\(path)': \(status)."
        case .readFailed(let path, let status):
            return "Could not read PNG '\(path)': \(status)."
        case .invalidData(let message):
            return "Invalid figure data: \(message)."
        }
    }
}
